"""The one operation that changes state, and case creation, against a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caseflow.cases.operations import apply_transition, create_call, create_case
from caseflow.cases.queries import case_history
from caseflow.catalog import catalog
from caseflow.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion
from caseflow.extensions import db
from caseflow.models.cases import Call, Case, CaseEvent
from caseflow.timeutil import office_today, utcnow
from tests.factories import mobility_data, state_history


@pytest.fixture
def make_cases(make_case, make_user, make_call):
    """Create ``n`` cases of different applicants in one call."""

    def make(n, **kwargs):
        call = make_call()
        return [make_case(applicant=make_user("applicant"), call=call, **kwargs) for _ in range(n)]

    return make


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_case_is_created_in_the_initial_state_with_a_reference_and_an_event(users, make_call):
    call = make_call()
    case = create_case(catalog()["mobility"], users["applicant"], mobility_data(), call)
    assert case.state == "submitted" and case.version == 1
    assert case.reference == f"MOB-{utcnow().year}-{case.id:05d}"
    assert case.faculty_code == "IT" and case.partner_id == next(p.id for p in call.partners if p.name == "TH Wildau")
    [event] = case_history(case.id)
    assert (event.action, event.from_state, event.to_state) == ("case.created", None, "submitted")


def test_ineligible_application_names_every_failed_rule_and_stores_nothing(users, make_call):
    call = make_call()
    data = mobility_data(enrolled_in=office_today().year, gpa=4.6, specialty_kind="economic", language_level="B1")
    with pytest.raises(Invalid) as caught:
        create_case(catalog()["mobility"], users["applicant"], data, call)
    reasons = caught.value.errors["eligibility"]
    assert len(reasons) == 3
    assert any("2 years" in r for r in reasons)
    assert any("4.7" in r and "Economic" in r for r in reasons)
    assert any("B2" in r for r in reasons)
    assert count(Case) == 0 and count(CaseEvent) == 0


def test_technical_student_with_gpa_4_5_is_eligible_but_economic_is_not(users, make_call):
    call = make_call()
    create_case(catalog()["mobility"], users["applicant"], mobility_data(gpa=4.5), call)
    with pytest.raises(Invalid):
        create_case(catalog()["mobility"], users["other_applicant"],
                    mobility_data(gpa=4.5, specialty_kind="economic"), call)


def test_second_application_to_the_same_call_is_refused_until_the_first_is_withdrawn(users, make_call, make_case):
    # Seed: "Participation in the program is possible only 1 time for an educational program."
    call = make_call()
    first = make_case(call=call)
    with pytest.raises(Invalid) as caught:
        create_case(catalog()["mobility"], users["applicant"], mobility_data(), call)
    assert "already have an application" in caught.value.errors["eligibility"][0]
    apply_transition(first.id, "withdraw", users["applicant"], first.version)
    second = create_case(catalog()["mobility"], users["applicant"], mobility_data(), call)
    assert second.id != first.id


def test_accepted_application_still_blocks_a_second_one(users, make_call, make_case):
    call = make_call()
    make_case(call=call, state="accepted")
    with pytest.raises(Invalid):
        create_case(catalog()["mobility"], users["applicant"], mobility_data(), call)


def test_the_programme_is_once_per_level_of_study_over_all_its_calls(users, make_call, make_case):
    # Seed: "Participation in the program is possible only 1 time for an educational program."
    earlier = make_case(call=make_call(name="Erasmus+ 2027"), state="accepted")
    with pytest.raises(Invalid) as refused:
        create_case(catalog()["mobility"], users["applicant"], mobility_data(), make_call(name="Erasmus+ 2028"))
    (reason,) = refused.value.errors["eligibility"]
    assert earlier.reference in reason and "Erasmus+ 2027" in reason and "Accepted" in reason
    assert "only once for an educational programme" in reason and "Withdraw" not in reason
    master = create_case(catalog()["mobility"], users["applicant"], mobility_data(level="master"),
                         make_call(name="Erasmus+ 2029"))
    assert master.state == "submitted"


def test_a_withdrawn_application_does_not_count(users, make_call, make_case):
    make_case(call=make_call(name="Erasmus+ 2027"), state="withdrawn")
    create_case(catalog()["mobility"], users["applicant"], mobility_data(), make_call(name="Erasmus+ 2028"))


def test_a_second_application_in_the_same_call_after_acceptance_gets_the_programme_s_words(users, make_case):
    earlier = make_case(state="accepted")
    with pytest.raises(Invalid) as refused:
        create_case(catalog()["mobility"], users["applicant"], mobility_data(), db.session.get(Call, earlier.call_id))
    (reason,) = refused.value.errors["eligibility"]
    assert earlier.reference in reason and "only once for an educational programme" in reason


def test_application_after_the_deadline_is_refused(users, make_call):
    call = make_call(deadline=utcnow() - timedelta(minutes=1))
    with pytest.raises(Invalid) as caught:
        create_case(catalog()["mobility"], users["applicant"], mobility_data(), call)
    assert "closed" in caught.value.errors["call"][0]
    assert count(Case) == 0


def test_unknown_partner_is_refused(users, make_call):
    with pytest.raises(Invalid) as caught:
        create_case(catalog()["mobility"], users["applicant"], mobility_data(partner="Hogwarts"), make_call())
    assert "data.partner" in caught.value.errors


def test_transition_moves_state_bumps_version_and_appends_one_event(users, make_case):
    case = make_case()
    moved = apply_transition(case.id, "send_to_faculty", users["office"], 1, "Complete.")
    assert (moved.state, moved.version) == ("faculty_screening", 2)
    event = case_history(case.id)[-1]
    assert (event.transition, event.from_state, event.to_state, event.comment) == (
        "send_to_faculty", "submitted", "faculty_screening", "Complete.")
    assert event.actor_id == users["office"].id
    assert event.changes == {"state": ["submitted", "faculty_screening"]}


def assert_unchanged(case_id, state, version, events):
    db.session.rollback()
    case = db.session.get(Case, case_id)
    assert (case.state, case.version) == (state, version)
    assert len(state_history(case_id)) == events


def test_stale_version_is_refused_and_writes_nothing(users, make_case):
    case = make_case(state="faculty_screening")
    with pytest.raises(StaleVersion):
        apply_transition(case.id, "pass_screening", users["screener"], case.version - 1)
    assert_unchanged(case.id, "faculty_screening", case.version, 2)


def test_transition_from_the_wrong_state_is_a_conflict(users, make_case):
    case = make_case()
    with pytest.raises(Conflict) as caught:
        apply_transition(case.id, "pass_screening", users["screener"], case.version)
    assert "not possible while the case is “Submitted”" in caught.value.message
    assert_unchanged(case.id, "submitted", 1, 1)


def test_role_that_may_not_fire_is_forbidden(users, make_case):
    case = make_case()
    with pytest.raises(Forbidden):
        apply_transition(case.id, "send_to_faculty", users["screener"], case.version)
    assert_unchanged(case.id, "submitted", 1, 1)


@pytest.mark.parametrize("who", ["other_applicant", "other_screener"])
def test_invisible_case_is_not_found(users, make_case, who):
    case = make_case(state="faculty_screening")
    with pytest.raises(NotFound):
        apply_transition(case.id, "withdraw", users[who], case.version)


def test_missing_case_is_not_found(users):
    with pytest.raises(NotFound):
        apply_transition(999, "withdraw", users["office"], 1)


def test_rejection_needs_a_comment(users, make_case):
    case = make_case(state="faculty_screening")
    with pytest.raises(Invalid) as caught:
        apply_transition(case.id, "fail_screening", users["screener"], case.version, "   ")
    assert "comment" in caught.value.errors
    assert_unchanged(case.id, "faculty_screening", case.version, 2)


def test_unknown_transition_and_missing_version_are_invalid(users, make_case):
    case = make_case()
    with pytest.raises(Invalid):
        apply_transition(case.id, "teleport", users["office"], case.version)
    with pytest.raises(Invalid):
        apply_transition(case.id, "send_to_faculty", users["office"], None)


def test_nominating_beyond_the_partners_seats_is_refused(users, make_cases):
    first, second = make_cases(2, partner="TH Köln", state="office_interview")  # TH Köln: 1 seat
    apply_transition(first.id, "nominate", users["office"], first.version)
    with pytest.raises(Invalid) as caught:
        apply_transition(second.id, "nominate", users["office"], second.version)
    assert caught.value.errors["guards"] == ["TH Köln has no seat left."]
    assert_unchanged(second.id, "office_interview", second.version, 3)


def test_a_rejected_nomination_frees_the_seat(users, make_cases):
    first, second = make_cases(2, partner="TH Köln", state="office_interview")
    first = apply_transition(first.id, "nominate", users["office"], first.version)
    apply_transition(first.id, "partner_declines", users["office"], first.version, "No German B2 certificate.")
    assert apply_transition(second.id, "nominate", users["office"], second.version).state == "partner_nomination"


@pytest.mark.parametrize("state", ["submitted", "faculty_screening", "office_interview", "partner_nomination"])
def test_applicant_may_withdraw_from_every_open_state(users, make_case, state):
    case = make_case(state=state)
    assert apply_transition(case.id, "withdraw", users["applicant"], case.version).state == "withdrawn"


def test_closed_case_cannot_move(users, make_case):
    case = make_case(state="rejected")
    with pytest.raises(Conflict):
        apply_transition(case.id, "withdraw", users["applicant"], case.version)


def test_role_is_checked_before_the_version(users, make_case):
    case = make_case(state="faculty_screening")
    with pytest.raises(Forbidden):
        apply_transition(case.id, "nominate", users["applicant"], case.version - 1)


@pytest.mark.parametrize(
    ("case_type", "deadline_days", "partners", "field", "message"),
    [
        ("mobility", -1, [{"name": "P", "country": "DE", "seats": 1}], "deadline", "must be in the future"),
        ("mobility", 30, [], "partners", "at least one partner"),
        ("visa", 30, [], "type", "Unknown case type visa"),
    ],
)
def test_unusable_call_is_refused_and_nothing_is_stored(app, case_type, deadline_days, partners, field, message):
    with pytest.raises(Invalid) as caught:
        create_call("Broken call", case_type, utcnow() + timedelta(days=deadline_days), partners)
    assert message in caught.value.errors[field][0]
    assert count(Call) == 0


def test_call_name_is_unique(make_call):
    make_call(name="Erasmus+ 2030")
    with pytest.raises(Invalid) as caught:
        make_call(name="Erasmus+ 2030")
    assert "exists already" in caught.value.errors["name"][0]


@pytest.mark.parametrize("role", ["office", "screener", "admin"])
def test_staff_cannot_submit_an_application(users, make_call, role):
    with pytest.raises(Forbidden):
        create_case(catalog()["mobility"], users[role], mobility_data(), make_call())
    assert count(Case) == 0
