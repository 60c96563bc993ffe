"""Staff mobility and conference registration, driven through the API alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_helpers import ApiClient, assert_error, count_cases

from caseflow.timeutil import utcnow
from tests.factories import sample_data

STAFF = "staff_mobility"
CONFERENCE = "conference_registration"


@pytest.fixture
def api(client, token):
    def make(user) -> ApiClient:
        return ApiClient(client, token(user))

    return make


def submit(api_client: ApiClient, case_type: str, call_id: int, **data):
    return api_client.post("/cases", {"type": case_type, "call": call_id, "data": sample_data(case_type, **data)})


# ------------------------------------------------------------- staff mobility


def test_staff_mobility_of_five_days_is_accepted_through_the_api(api, users, make_user, make_call):
    call = make_call(STAFF)
    screener = api(make_user("faculty_screener", "EN"))  # the sample teacher is of faculty EN
    office = api(users["office"])
    created = submit(api(users["applicant"]), STAFF, call.id, start_date="2027-04-12", end_date="2027-04-16")
    assert created.status_code == 201, created.get_json()
    case = created.get_json()
    assert (case["state"], case["faculty"]) == ("submitted", "EN")
    assert (case["data"]["start_date"], case["data"]["end_date"]) == ("2027-04-12", "2027-04-16")

    for actor, transition in [(office, "send_to_faculty"), (screener, "pass_screening"),
                              (office, "nominate"), (office, "partner_accepts")]:
        response = actor.fire(case["id"], transition, case["version"])
        assert response.status_code == 200, (transition, response.get_json())
        case = response.get_json()
    assert case["state"] == "accepted"
    assert [e["transition"] for e in case["history"]][1:] == [
        "send_to_faculty", "pass_screening", "nominate", "partner_accepts"]


def test_screener_of_another_faculty_cannot_screen_a_staff_mobility(api, users, make_case):
    case = make_case(STAFF, state="faculty_screening", faculty="IT")  # users["screener"] is IT's
    assert api(users["screener"]).fire(case.id, "pass_screening", case.version).status_code == 200
    other = make_case(STAFF, state="faculty_screening", applicant=users["other_applicant"])  # faculty EN
    assert_error(api(users["screener"]).fire(other.id, "pass_screening", other.version), 404)


@pytest.mark.parametrize(("start", "end", "reason"), [
    ("2027-04-12", "2027-04-15", "The stay must last at least 5 days (given: 4)."),
    ("2027-04-16", "2027-04-12", "Last day of the stay is before First day of the stay."),
])
def test_too_short_or_reversed_stay_is_refused_with_the_reason(api, users, make_call, start, end, reason):
    call = make_call(STAFF)
    before = count_cases()
    body = assert_error(submit(api(users["applicant"]), STAFF, call.id, start_date=start, end_date=end),
                        422, "eligibility")
    assert body["errors"]["eligibility"] == [reason]
    assert count_cases() == before


@pytest.mark.parametrize("bad", ["12.04.2027", "2027-02-30", "next week", "", 20270412, True])
def test_a_bad_date_is_a_field_error(api, users, make_call, bad):
    call = make_call(STAFF)
    response = submit(api(users["applicant"]), STAFF, call.id, start_date=bad)
    body = assert_error(response, 422, "data.start_date")
    assert set(body["errors"]) == {"data.start_date"}
    assert count_cases() == 0


def test_documented_date_fields_say_their_format(client):
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["StaffMobilityData"]
    assert schema["properties"]["start_date"]["format"] == "date"


# -------------------------------------------------------- conference registration


@pytest.fixture
def event(make_call):
    return make_call(CONFERENCE, name="German and Technology", seats=2)


def test_conference_fills_up_waits_and_moves_up_through_the_api(api, users, make_user, event):
    people = [make_user("applicant", name=f"Participant {n}") for n in (1, 2, 3)]
    cases = []
    for person in people:
        response = submit(api(person), CONFERENCE, event.id, full_name=person.full_name, email=person.email)
        assert response.status_code == 201, response.get_json()
        cases.append(response.get_json())
    assert [c["state"] for c in cases] == ["registered", "registered", "waitlisted"]
    waiting = cases[2]
    assert waiting["history"][-1]["transition"] == "waitlist" and waiting["history"][-1]["actor"] is None
    assert api(people[2]).get(f"/calls?type={CONFERENCE}").get_json()[0]["seats_left"] == 0

    # No one fires an automatic transition, whoever they are.
    assert {t["name"] for t in waiting["allowed_transitions"]} == {"cancel"}
    office_view = api(users["office"]).get(f"/cases/{waiting['id']}").get_json()
    assert {t["name"] for t in office_view["allowed_transitions"]} == {"cancel_by_office"}
    refused = assert_error(api(users["admin"]).fire(waiting["id"], "move_up", waiting["version"]), 422, "transition")
    assert "happens by itself" in refused["error"]

    first = cases[0]
    assert api(people[0]).fire(first["id"], "cancel", first["version"]).get_json()["state"] == "cancelled"
    moved = api(people[2]).get(f"/cases/{waiting['id']}").get_json()
    assert moved["state"] == "registered"
    last = moved["history"][-1]
    assert (last["transition"], last["from"], last["to"], last["actor"]) == ("move_up", "waitlisted",
                                                                            "registered", None)

    office = api(users["office"])
    confirmed = office.fire(moved["id"], "confirm", moved["version"]).get_json()
    assert confirmed["state"] == "confirmed"
    attended = office.fire(confirmed["id"], "mark_attended", confirmed["version"]).get_json()
    assert attended["state"] == "attended"
    assert api(people[2]).get(f"/calls?type={CONFERENCE}").get_json()[0]["seats_left"] == 0


def test_speaker_without_poster_title_is_refused_with_the_reason(api, users, event):
    body = assert_error(
        submit(api(users["applicant"]), CONFERENCE, event.id, participant_kind="speaker", poster_title=None),
        422, "eligibility")
    assert body["errors"]["eligibility"] == [
        "Title of the poster is required when I take part as is Speaker (with a scientific poster)."]
    guest = submit(api(users["applicant"]), CONFERENCE, event.id, participant_kind="guest", poster_title=None)
    assert guest.status_code == 201, guest.get_json()


def test_registering_after_the_deadline_is_refused(api, users, make_call):
    closed = make_call(CONFERENCE, seats=5, deadline=utcnow() - timedelta(minutes=1))
    body = assert_error(submit(api(users["applicant"]), CONFERENCE, closed.id), 422, "call")
    assert "no longer accepted" in body["errors"]["call"][0]
    assert count_cases() == 0
