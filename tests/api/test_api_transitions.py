"""Acting on cases through POST /api/v1/cases/<id>/transitions."""

from __future__ import annotations

import pytest
from api_helpers import ApiClient, assert_error, count_state_events

from caseflow.catalog import catalog
from caseflow.demo import sample_recorded
from tests.documents_helpers import supply_documents_of


def test_happy_path_through_the_api_to_accepted(as_user, make_call, users):
    call = make_call()
    applicant, office, screener = as_user("applicant"), as_user("office"), as_user("screener")
    case = applicant.apply(call.id).get_json()
    supply_documents_of(case["id"], users["applicant"])
    steps = [
        (office, "send_to_faculty", "faculty_screening"),
        (screener, "pass_screening", "office_interview"),
        (office, "nominate", "partner_nomination"),
        (office, "partner_accepts", "accepted"),
    ]
    for api, transition, state in steps:
        response = api.fire(case["id"], transition, case["version"], comment="Fine.")
        assert response.status_code == 200, response.get_json()
        previous, case = case, response.get_json()
        assert case["state"] == state
        assert case["version"] == previous["version"] + 1
        assert case["history"][-1]["transition"] == transition
        assert case["history"][-1]["comment"] == "Fine."
    seen_by_applicant = applicant.get(f"/cases/{case['id']}").get_json()
    assert seen_by_applicant["state_label"] == "Accepted"
    assert [e["action"] for e in seen_by_applicant["history"]] == [
        "case.created", "document.uploaded", *["case.transitioned"] * 4]
    assert seen_by_applicant["allowed_transitions"] == []


def test_stale_version_is_409_and_writes_nothing(as_user, make_case):
    case = make_case(state="faculty_screening")
    body = assert_error(as_user("screener").fire(case.id, "pass_screening", case.version - 1), 409)
    assert "changed since you opened it" in body["error"]
    assert count_state_events(case.id) == 2
    assert as_user("screener").get(f"/cases/{case.id}").get_json()["state"] == "faculty_screening"


def test_second_of_two_people_acting_on_one_version_gets_409(as_user, make_case):
    case = make_case(state="office_interview")
    office, admin = as_user("office"), as_user("admin")
    assert office.fire(case.id, "nominate", case.version).status_code == 200
    assert_error(admin.fire(case.id, "fail_interview", case.version, "Too late."), 409)
    assert count_state_events(case.id) == 4


def test_transition_not_possible_in_this_state_is_409(as_user, make_case):
    case = make_case()  # submitted
    body = assert_error(as_user("office").fire(case.id, "partner_accepts", case.version), 409)
    assert "Submitted" in body["error"]
    assert count_state_events(case.id) == 1


def test_screener_may_not_fire_an_office_transition(as_user, make_case):
    case = make_case(state="office_interview")
    assert_error(as_user("screener").fire(case.id, "nominate", case.version), 403)
    assert count_state_events(case.id) == 3


def test_applicant_may_not_screen_their_own_case(as_user, make_case):
    case = make_case(state="faculty_screening")
    assert_error(as_user("applicant").fire(case.id, "pass_screening", case.version), 403)


@pytest.mark.parametrize("role", ["other_applicant", "other_screener"])
def test_acting_on_an_invisible_case_is_404(as_user, make_case, role):
    case = make_case(state="faculty_screening")
    transition = "withdraw" if role == "other_applicant" else "pass_screening"
    assert_error(as_user(role).fire(case.id, transition, case.version), 404)
    assert count_state_events(case.id) == 2


def test_acting_on_a_missing_case_is_404(as_user):
    assert_error(as_user("admin").fire(987654, "nominate", 1), 404)


@pytest.mark.parametrize("comment", [None, "", "   "])
def test_failing_screening_needs_a_comment(as_user, make_case, comment):
    case = make_case(state="faculty_screening")
    assert_error(as_user("screener").fire(case.id, "fail_screening", case.version, comment), 422, "comment")
    assert count_state_events(case.id) == 2


def test_failing_screening_with_a_comment_rejects_and_keeps_it(as_user, make_case):
    case = make_case(state="faculty_screening")
    body = as_user("screener").fire(case.id, "fail_screening", case.version, "  GPA not confirmed.  ").get_json()
    assert body["state"] == "rejected"
    assert body["history"][-1]["comment"] == "GPA not confirmed."


def test_full_partner_cannot_take_a_second_nomination(as_user, make_case, users):
    one_seat = "TH Köln"
    first = make_case(state="office_interview", partner=one_seat)
    second = make_case(state="office_interview", partner=one_seat, applicant=users["other_applicant"])
    office = as_user("office")
    assert office.fire(first.id, "nominate", first.version).status_code == 200
    body = assert_error(office.fire(second.id, "nominate", second.version), 422, "guards")
    assert one_seat in body["errors"]["guards"][0]
    assert count_state_events(second.id) == 3

    calls = office.get("/calls").get_json()
    partner = next(p for p in calls[0]["partners"] if p["name"] == one_seat)
    assert (partner["seats"], partner["seats_left"]) == (1, 0)


def test_unknown_transition_is_422(as_user, make_case):
    case = make_case()
    assert_error(as_user("office").fire(case.id, "approve_everything", case.version), 422, "transition")


@pytest.mark.parametrize("version", ["abc", "1", True, False, 1.0, None, [1]])
def test_version_must_be_a_whole_number(as_user, make_case, version):
    case = make_case()
    body = {"transition": "send_to_faculty", "version": version}
    assert_error(as_user("office").post(f"/cases/{case.id}/transitions", body), 422, "version")
    assert count_state_events(case.id) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [({"version": 1}, "transition"), ({"transition": 5, "version": 1}, "transition"),
     ({"transition": "send_to_faculty", "version": 1, "comment": 5}, "comment")],
)
def test_malformed_transition_requests_are_422(as_user, make_case, body, field):
    case = make_case()
    assert_error(as_user("office").post(f"/cases/{case.id}/transitions", body), 422, field)


def test_transitions_need_a_json_body(as_user, make_case):
    case = make_case()
    response = as_user("office").post(f"/cases/{case.id}/transitions", data="transition=send_to_faculty",
                                      content_type="application/x-www-form-urlencoded")
    assert_error(response, 415)


@pytest.mark.parametrize("state", ["submitted", "faculty_screening", "office_interview", "partner_nomination"])
@pytest.mark.parametrize("role", ["applicant", "office", "screener"])
def test_every_offered_transition_can_be_fired(client, token, users, make_user, make_case, make_call, state, role):
    """What allowed_transitions offers a caller is then not refused."""
    call = make_call(partners=[{"name": "TH Wildau", "country": "DE", "seats": 50}])

    def new_case_and_caller():
        applicant = make_user("applicant")
        case = make_case(state=state, applicant=applicant, call=call)
        return case, ApiClient(client, token(applicant if role == "applicant" else users[role]))

    case, caller = new_case_and_caller()
    offered = caller.get(f"/cases/{case.id}").get_json()["allowed_transitions"]
    for transition in offered:
        case, caller = new_case_and_caller()
        # What it records: the demo's values, or the answer it changes as it is (the partner).
        recorded = {**{name: case.data.get(name) for name in transition["records"]},
                    **sample_recorded(catalog()["mobility"], transition["name"])} if transition["records"] else None
        response = caller.fire(case.id, transition["name"], case.version, "Because.", recorded)
        assert response.status_code == 200, (transition, response.get_json())
        assert response.get_json()["state"] == transition["dest"]
