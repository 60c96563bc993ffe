"""A call's period, place and contact: an event's days, the days staff stays must fall in.

The issue's trial: "a 2025 staff mobility was accepted for the 2027 call", and
"attended" could be recorded before the event had begun.
"""

from __future__ import annotations

from datetime import date, time, timedelta

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


@pytest.mark.parametrize("transition", ["mark_attended", "mark_absent"])  # nor missed before it began
def test_attended_is_recorded_from_the_event_s_first_day_on(users, make_call, make_case, transition):
    first = office_today() + timedelta(days=3)
    call = scheduled_call(make_call, "conference_registration", Schedule(first, first + timedelta(days=1)))
    case = make_case("conference_registration", state="confirmed", call=call)
    with pytest.raises(Invalid) as refused:
        apply_transition(case.id, transition, users["office"], case.version)
    assert refused.value.errors["guards"] == [f"Not before the first day, {first.strftime('%B')} {first.day}, "
                                              f"{first.year}."]
    update_call(call.id, call.name, call.deadline_at, [], call.seats,
                schedule=Schedule(office_today(), office_today() + timedelta(days=1)))
    assert apply_transition(case.id, transition, users["office"], case.version).state in ("attended", "no_show")


def test_the_event_s_page_shows_its_days_place_and_contact(client, make_call):
    call = scheduled_call(make_call, "conference_registration", Schedule(
        date(2027, 5, 20), date(2027, 5, 21), "Conference hall, avenue Mira 66", "conference@kstu.example"))
    page = text(client.get(f"/calls/{call.id}"))
    assert "Days of the event May 20, 2027 – May 21, 2027" in page
    assert "Place Conference hall, avenue Mira 66" in page and "Contact conference@kstu.example" in page


EVENT = {"name": "German and Technology 2028", "type": "conference_registration",
         "deadline": "2028-05-01T12:00:00Z", "seats": 40, "first_day": "2028-05-20", "last_day": "2028-05-21",
         "starts_at": "10:00", "ends_at": "17:30", "place": "Hall A", "contact": "conference@kstu.example"}


def test_the_api_takes_and_shows_the_schedule_and_refuses_a_reversed_one(client, token, users):
    headers = token(users["office"])
    body = EVENT
    made = client.post("/api/v1/calls", json=body, headers=headers)
    assert made.status_code == 201
    assert {k: made.get_json()[k] for k in EVENT if k not in ("name", "type", "deadline", "seats")} == {
        "first_day": "2028-05-20", "last_day": "2028-05-21", "starts_at": "10:00", "ends_at": "17:30",
        "place": "Hall A", "contact": "conference@kstu.example"}
    reversed_days = client.post("/api/v1/calls", json={**body, "name": "Other", "last_day": "2028-05-19"},
                                headers=headers)
    assert reversed_days.status_code == 422
    assert reversed_days.get_json()["errors"]["last_day"] == ["The last day is before the first day."]


def test_the_event_s_hours_are_shown_on_its_page_and_on_each_registration(client, login, users, make_call,
                                                                          make_case):
    """The conference page shows the event's dates, times, place and contact; so does a registrant's case."""
    call = scheduled_call(make_call, "conference_registration", Schedule(
        date(2027, 5, 20), date(2027, 5, 21), "Hall A", "conference@kstu.example",
        starts_at=time(10, 0), ends_at=time(17, 30)))
    assert "Days of the event May 20, 2027, 10:00 AM – May 21, 2027, 5:30 PM" in text(client.get(f"/calls/{call.id}"))
    case = make_case("conference_registration", call=call)
    own = text(login(users["applicant"]).get(f"/cases/{case.id}"))
    assert "Days of the event May 20, 2027, 10:00 AM – May 21, 2027, 5:30 PM" in own and "Place Hall A" in own
    russian = text(client.get(f"/calls/{call.id}?lang=ru"))
    assert "20 мая 2027 г., 10:00 – 21 мая 2027 г., 17:30" in russian


@pytest.mark.parametrize(("schedule", "key", "message"), [
    (Schedule(starts_at=time(10, 0)), "starts_at", "A time of day needs the first and the last day."),
    (Schedule(date(2027, 5, 20), date(2027, 5, 20), starts_at=time(17, 0), ends_at=time(10, 0)), "ends_at",
     "On a single day, it must end after it starts."),
])
def test_hours_that_make_no_sense_are_refused(make_call, schedule, key, message):
    call = make_call("conference_registration")
    with pytest.raises(Invalid) as refused:
        scheduled_call(make_call, "conference_registration", schedule)
    assert refused.value.errors[key] == [message]
    assert db.session.get(Call, call.id).starts_at is None


def test_the_api_takes_the_hours_and_refuses_what_is_not_a_time(client, token, users):
    headers, body = token(users["office"]), EVENT
    wrong = client.post("/api/v1/calls", json={**body, "name": "Other", "starts_at": "25:00"}, headers=headers)
    assert wrong.get_json()["errors"]["starts_at"] == ["Give a time of day as HH:MM, e.g. 10:00."]
    offset = client.post("/api/v1/calls", json={**body, "name": "Other", "ends_at": "17:30+06:00"}, headers=headers)
    assert offset.get_json()["errors"]["ends_at"] == ["Give a time of day as HH:MM, e.g. 10:00."]
    alone = client.post("/api/v1/calls", json={**body, "name": "Other", "first_day": None, "last_day": None},
                        headers=headers)
    assert alone.get_json()["errors"]["starts_at"] == ["A time of day needs the first and the last day."]
    assert client.get("/api/v1/calls", headers=headers).get_json() == []  # nothing was stored


def test_the_office_sets_the_hours_on_the_call_form(login, users):
    from tests.web.web_helpers import submit

    client = login(users["office"])
    form = {"name": "German and Technology 2031", "type": "conference_registration",
            "deadline": "2031-04-03T18:00", "seats": "40", "first_day": "2031-05-20", "last_day": "2031-05-20",
            "starts_at": "10:00", "ends_at": "09:00"}
    refused = submit(client, "/calls", form)
    assert refused.status_code == 422 and "On a single day, it must end after it starts." in text(refused)
    assert db.session.query(Call).filter_by(name="German and Technology 2031").count() == 0
    not_a_time = submit(client, "/calls", {**form, "ends_at": "half past five"})
    assert not_a_time.status_code == 422 and "Not a valid time value." in text(not_a_time)
    assert submit(client, "/calls", {**form, "ends_at": "17:00"}).status_code == 303
    call = db.session.query(Call).filter_by(name="German and Technology 2031").one()
    assert (call.starts_at, call.ends_at) == (time(10, 0), time(17, 0))
    assert "May 20, 2031, 10:00 AM – May 20, 2031, 5:00 PM" in text(client.get(f"/calls/{call.id}"))
    edit = client.get(f"/calls/{call.id}/edit").get_data(as_text=True)
    assert 'name="starts_at" type="time" value="10:00"' in edit
