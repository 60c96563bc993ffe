"""Office staff change a call on its edit page: what may change, what is refused, who may."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select, update
from web_helpers import error_beside, submit, text

from caseflow.extensions import db
from caseflow.models.cases import Call, Case
from caseflow.timeutil import from_utc, utcnow
from tests.factories import partner_dicts, sample_data, stored_call

CONFERENCE = "conference_registration"


def edit_url(call) -> str:
    return f"/calls/{call.id}/edit"


def posted(call_id: int, **overrides) -> dict:
    """Return the edit form as a browser posts it unchanged, then changed by ``overrides``.

    ``partners`` (a list of dicts with id, name, country, seats) replaces the rows.
    """
    (name, deadline_at, seats, description), rows = stored_call(call_id)
    zone = current_app.config["CASEFLOW_TIMEZONE"]
    partners = overrides.pop("partners", partner_dicts(rows))
    data = {"name": name, "deadline": from_utc(deadline_at, zone).strftime("%Y-%m-%dT%H:%M"),
            "seats": "" if seats is None else str(seats), "description": description}
    for index, partner in enumerate(partners):
        for key, value in partner.items():
            data[f"partners-{index}-{key}"] = "" if value is None else str(value)
    data.update({key: str(value) for key, value in overrides.items()})
    return data


def state_of(case_id: int) -> str:
    db.session.rollback()
    return db.session.scalar(select(Case.state).where(Case.id == case_id))


@pytest.fixture
def office(login, users):
    return login(users["office"])


def test_edit_page_is_prefilled_and_shows_the_type_without_a_field(office, make_call):
    call = make_call(name="Erasmus+ Spring", description="Study abroad.")
    page = office.get(edit_url(call))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'value="Erasmus+ Spring"' in body and "Study abroad." in body
    for partner in call.partners:
        assert f'value="{partner.id}"' in body and f'value="{partner.name}"' in body
    assert 'name="type"' not in body
    assert "Erasmus+ student mobility" in text(page) and "A deadline in the past closes the call" in text(page)


def test_edit_page_is_linked_from_the_calls_list_and_the_call_page(office, login, users, make_call):
    call = make_call()
    link = f'href="{edit_url(call)}"'
    assert link in office.get("/calls").get_data(as_text=True)
    assert link in office.get(f"/calls/{call.id}").get_data(as_text=True)
    assert link not in login(users["applicant"]).get(f"/calls/{call.id}").get_data(as_text=True)


@pytest.mark.parametrize("role", ["applicant", "screener"])
def test_others_get_403_with_a_reason_and_change_nothing(login, users, make_call, role):
    call = make_call()
    before = stored_call(call.id)
    client = login(users[role])
    assert client.get(edit_url(call)).status_code == 403
    response = submit(client, "/calls", posted(call.id, name="Hijacked"), action=edit_url(call))
    assert response.status_code == 403
    assert "Only the international office may change calls." in text(response)
    assert stored_call(call.id) == before


def test_unknown_call_is_404(office):
    assert office.get("/calls/999999/edit").status_code == 404
    assert office.get(f"/calls/{2**40}/edit").status_code == 404


def test_admin_changes_name_deadline_and_description(login, users, make_call):
    call = make_call()
    admin = login(users["admin"])
    deadline = (from_utc(utcnow(), current_app.config["CASEFLOW_TIMEZONE"]) + timedelta(days=60)).replace(
        second=0, microsecond=0)
    response = submit(admin, edit_url(call), posted(
        call.id, name="Erasmus+ renamed", deadline=deadline.strftime("%Y-%m-%dT%H:%M"), description="New text."))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/calls/{call.id}")
    (name, _deadline_at, _seats, description), _partners = stored_call(call.id)
    assert (name, description) == ("Erasmus+ renamed", "New text.")
    page = admin.get(f"/calls/{call.id}")
    assert "Call changed: Erasmus+ renamed." in text(page)


def test_raising_an_events_places_moves_the_oldest_waiting_registration_up(office, make_call, make_case, make_user):
    event = make_call(CONFERENCE, seats=2)
    for _ in range(2):
        make_case(CONFERENCE, call=event, applicant=make_user())
    oldest, younger = (make_case(CONFERENCE, call=event, applicant=make_user()) for _ in range(2))
    assert state_of(oldest.id) == state_of(younger.id) == "waitlisted"
    response = submit(office, edit_url(event), posted(event.id, seats=3))
    assert response.status_code == 303
    assert (state_of(oldest.id), state_of(younger.id)) == ("registered", "waitlisted")


def test_fewer_places_than_taken_are_refused_beside_the_field(office, make_call, make_case, make_user):
    event = make_call(CONFERENCE, seats=3)
    for _ in range(2):
        make_case(CONFERENCE, call=event, applicant=make_user())
    before = stored_call(event.id)
    response = submit(office, edit_url(event), posted(event.id, seats=1))
    assert response.status_code == 422
    assert "2 places are taken" in error_beside(response, "seats")
    assert stored_call(event.id) == before


def test_moving_the_deadline_into_the_past_closes_the_call(office, login, users, make_call):
    call = make_call(CONFERENCE, seats=5)
    db.session.execute(update(Call).where(Call.id == call.id).values(created_at=utcnow() - timedelta(days=10)))
    db.session.commit()  # as if the call had been open for ten days
    yesterday = from_utc(utcnow() - timedelta(days=1), current_app.config["CASEFLOW_TIMEZONE"])
    response = submit(office, edit_url(call), posted(call.id, deadline=yesterday.strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 303
    assert "Closed: the deadline has passed." in text(office.get(f"/calls/{call.id}"))
    applicant = login(users["applicant"])
    assert f"/apply/{CONFERENCE}?call={call.id}" not in applicant.get(f"/calls/{call.id}").get_data(as_text=True)
    form = {key: str(value) for key, value in sample_data(CONFERENCE).items() if value is not None}
    refused = submit(applicant, f"/calls/{call.id}", form, action=f"/apply/{CONFERENCE}?call={call.id}")
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_partner_seats_below_those_taken_are_refused(office, make_call, make_case, make_user):
    call = make_call(partners=[{"name": "TH Köln", "country": "DE", "seats": 2}])
    for _ in range(2):
        make_case(call=call, partner="TH Köln", state="partner_nomination", applicant=make_user())
    before = stored_call(call.id)
    (partner_id, name, country, _seats), = before[1]
    response = submit(office, edit_url(call), posted(
        call.id, partners=[{"id": partner_id, "name": name, "country": country, "seats": 1}]))
    assert response.status_code == 422
    assert "2 seats of TH Köln are taken" in error_beside(response, "partners-0-seats")
    assert stored_call(call.id) == before


def test_a_partner_applications_chose_cannot_be_removed_or_renamed(office, make_call, make_case):
    call = make_call()
    make_case(call=call, partner="TH Köln")
    before = stored_call(call.id)
    rows = partner_dicts(before[1])
    cologne = next(row for row in rows if row["name"] == "TH Köln")
    removed = submit(office, edit_url(call), posted(call.id, partners=[r for r in rows if r is not cologne]))
    assert removed.status_code == 422
    assert "TH Köln cannot be removed: 1 application chose it." in text(removed)
    renamed = submit(office, edit_url(call), posted(
        call.id, partners=[{**r, "name": "TH Cologne"} if r is cologne else r for r in rows]))
    assert renamed.status_code == 422
    assert "TH Köln cannot be renamed: 1 application chose it." in text(renamed)
    assert stored_call(call.id) == before


def test_unused_partner_is_renamed_removed_and_a_new_one_added(office, make_call):
    call = make_call()
    (_call, rows) = stored_call(call.id)
    wildau, cologne = sorted(rows, key=lambda row: row[1] != "TH Wildau")
    response = submit(office, edit_url(call), posted(call.id, partners=[
        {"id": wildau[0], "name": "Technische Hochschule Wildau", "country": "DE", "seats": 3},
        {"id": "", "name": "TU Graz", "country": "AT", "seats": 1},
    ]))
    assert response.status_code == 303
    _after, partners = stored_call(call.id)
    assert partners[0] == (wildau[0], "Technische Hochschule Wildau", "DE", 3)
    assert [p[1:] for p in partners] == [("Technische Hochschule Wildau", "DE", 3), ("TU Graz", "AT", 1)]
    assert cologne[1] == "TH Köln"


def test_emptying_an_unused_partners_row_removes_it(office, make_call):
    call = make_call()
    _call, rows = stored_call(call.id)
    data = posted(call.id)
    for key in ("name", "country", "seats"):
        data[f"partners-1-{key}"] = ""
    assert submit(office, edit_url(call), data).status_code == 303
    assert stored_call(call.id)[1] == rows[:1]


def test_partner_names_swap(office, make_call):
    call = make_call()
    _call, (first, second) = stored_call(call.id)
    response = submit(office, edit_url(call), posted(call.id, partners=[
        {"id": first[0], "name": second[1], "country": first[2], "seats": first[3]},
        {"id": second[0], "name": first[1], "country": second[2], "seats": second[3]},
    ]))
    assert response.status_code == 303
    assert [p[:2] for p in stored_call(call.id)[1]] == [(first[0], second[1]), (second[0], first[1])]


def test_raising_a_partners_seats_lets_a_nomination_through(office, users, make_call, make_case, make_user):
    call = make_call(partners=[{"name": "TH Köln", "country": "DE", "seats": 1}])
    waiting = make_case(call=call, partner="TH Köln", state="office_interview", applicant=make_user())
    make_case(call=call, partner="TH Köln", state="partner_nomination")  # takes the one seat after it applied
    waiting = db.session.get(Case, waiting.id)
    refused = submit(office, f"/cases/{waiting.id}", {"transition": "nominate", "version": waiting.version},
                     action=f"/cases/{waiting.id}/transitions")
    assert refused.status_code == 422 and "no seat left" in text(refused)
    (partner_id, name, country, _seats), = stored_call(call.id)[1]
    assert submit(office, edit_url(call), posted(
        call.id, partners=[{"id": partner_id, "name": name, "country": country, "seats": 2}])).status_code == 303
    done = submit(office, f"/cases/{waiting.id}", {"transition": "nominate", "version": waiting.version},
                  action=f"/cases/{waiting.id}/transitions")
    assert done.status_code == 303 and state_of(waiting.id) == "partner_nomination"


@pytest.mark.parametrize("field, value, message", [
    ("deadline", "2001-01-01T12:00", "before the call was created"),
    ("name", "Erasmus+ Taken", "exists already"),
])
def test_refusal_is_shown_beside_its_field_and_changes_nothing(office, make_call, field, value, message):
    make_call(name="Erasmus+ Taken")
    call = make_call()
    before = stored_call(call.id)
    response = submit(office, edit_url(call), posted(call.id, **{field: value}))
    assert response.status_code == 422
    assert message in error_beside(response, field)
    assert stored_call(call.id) == before


@pytest.mark.parametrize("field, value", [
    ("deadline", "not a date"), ("seats", "many"), ("partners-0-id", "abc"), ("partners-0-id", "99999999999"),
    ("partners-0-seats", "-1"), ("name", ""),
])
def test_bad_input_is_422_and_changes_nothing(office, make_call, field, value):
    call = make_call()
    before = stored_call(call.id)
    response = submit(office, edit_url(call), posted(call.id, **{field: value}))
    assert response.status_code == 422
    assert stored_call(call.id) == before


def test_partner_of_another_call_is_refused(office, make_call):
    other = make_call()
    call = make_call()
    before = stored_call(call.id)
    data = posted(call.id)
    data["partners-0-id"] = str(stored_call(other.id)[1][0][0])
    response = submit(office, edit_url(call), data)
    assert response.status_code == 422
    assert "not (or not once) a partner of this call" in text(response)
    assert stored_call(call.id) == before
