"""A call's period, place and contact: an event's days, the days staff stays must fall in.

The issue's trial: "a 2025 staff mobility was accepted for the 2027 call", and
"attended" could be recorded before the event had begun.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from caseflow.cases.operations import Schedule, apply_transition, create_case, update_call
from caseflow.catalog import catalog
from caseflow.errors import Invalid
from caseflow.extensions import db
from caseflow.models.cases import Call
from caseflow.timeutil import office_today
from tests.factories import sample_data
from tests.web.web_helpers import text

YEAR_2027 = Schedule(date(2027, 1, 1), date(2027, 12, 31))


def scheduled_call(make_call, case_type, schedule):
    call = make_call(case_type)
    update_call(call.id, call.name, call.deadline_at, [dict(name=p.name, country=p.country, seats=p.seats, id=p.id)
                                                        for p in call.partners], call.seats, schedule=schedule)
    return db.session.get(Call, call.id)


def test_a_staff_stay_outside_the_call_s_period_is_refused_with_both_periods(users, make_call):
    call = scheduled_call(make_call, "staff_mobility", YEAR_2027)
    data = sample_data("staff_mobility", start_date="2025-04-07", end_date="2025-04-11")
    with pytest.raises(Invalid) as refused:
        create_case(catalog()["staff_mobility"], users["applicant"], data, call)
    assert refused.value.errors["eligibility"] == [
        "The stay (April 7, 2025 – April 11, 2025) must fall within the call's period, "
        "January 1, 2027 – December 31, 2027."]
    inside = sample_data("staff_mobility", start_date="2027-04-12", end_date="2027-04-16")
    assert create_case(catalog()["staff_mobility"], users["applicant"], inside, call).state == "submitted"


def test_a_stay_that_runs_past_the_period_s_end_is_refused(users, make_call):
    call = scheduled_call(make_call, "staff_mobility", YEAR_2027)
    data = sample_data("staff_mobility", start_date="2027-12-28", end_date="2028-01-03")
    with pytest.raises(Invalid) as refused:
        create_case(catalog()["staff_mobility"], users["applicant"], data, call)
    assert "must fall within the call's period" in refused.value.errors["eligibility"][0]


@pytest.mark.parametrize(("schedule", "key", "message"), [
    (Schedule(date(2027, 5, 2), date(2027, 5, 1)), "last_day", "The last day is before the first day."),
    (Schedule(date(2027, 5, 2), None), "last_day", "Give the first and the last day, or neither."),
    (Schedule(None, date(2027, 5, 2)), "first_day", "Give the first and the last day, or neither."),
    (Schedule(place="Hall\u202e A"), "place", "Remove the invisible control characters"),
])
def test_a_period_that_makes_no_sense_is_refused(make_call, schedule, key, message):
    with pytest.raises(Invalid) as refused:
        scheduled_call(make_call, "conference_registration", schedule)
    assert message in refused.value.errors[key][0]


def test_a_kind_without_a_period_refuses_one(make_call):
    with pytest.raises(Invalid, match="Calls of this kind have no period"):
        scheduled_call(make_call, "hostel", YEAR_2027)


def test_attended_is_recorded_from_the_event_s_first_day_on(users, make_call, make_case):
    first = office_today() + timedelta(days=3)
    call = scheduled_call(make_call, "conference_registration", Schedule(first, first + timedelta(days=1)))
    case = make_case("conference_registration", state="confirmed", call=call)
    with pytest.raises(Invalid) as refused:
        apply_transition(case.id, "mark_attended", users["office"], case.version)
    assert refused.value.errors["guards"] == [f"Not before the first day, {first.strftime('%B')} {first.day}, "
                                              f"{first.year}."]
    update_call(call.id, call.name, call.deadline_at, [], call.seats,
                schedule=Schedule(office_today(), office_today() + timedelta(days=1)))
    assert apply_transition(case.id, "mark_attended", users["office"], case.version).state == "attended"


def test_the_event_s_page_shows_its_days_place_and_contact(client, make_call):
    call = scheduled_call(make_call, "conference_registration", Schedule(
        date(2027, 5, 20), date(2027, 5, 21), "Conference hall, avenue Mira 66", "conference@kstu.example"))
    page = text(client.get(f"/calls/{call.id}"))
    assert "Days of the event May 20, 2027 – May 21, 2027" in page
    assert "Place Conference hall, avenue Mira 66" in page and "Contact conference@kstu.example" in page


def test_the_api_takes_and_shows_the_schedule_and_refuses_a_reversed_one(client, token, users):
    headers = token(users["office"])
    body = {"name": "German and Technology 2028", "type": "conference_registration",
            "deadline": "2028-05-01T12:00:00Z", "seats": 40, "first_day": "2028-05-20", "last_day": "2028-05-21",
            "place": "Hall A", "contact": "conference@kstu.example"}
    made = client.post("/api/v1/calls", json=body, headers=headers)
    assert made.status_code == 201
    assert {k: made.get_json()[k] for k in ("first_day", "last_day", "place", "contact")} == {
        "first_day": "2028-05-20", "last_day": "2028-05-21", "place": "Hall A", "contact": "conference@kstu.example"}
    reversed_days = client.post("/api/v1/calls", json={**body, "name": "Other", "last_day": "2028-05-19"},
                                headers=headers)
    assert reversed_days.status_code == 422
    assert reversed_days.get_json()["errors"]["last_day"] == ["The last day is before the first day."]
