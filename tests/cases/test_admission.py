"""Admission of foreign students: routing by the form, and the preparatory group of six.

Seed: "Preparation for entrance exams: Russian language, chemistry, physics,
mathematics and biology with a certificate.  Classes start after a group of
6 people are accepted.  Courses last for 9 months."
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseflow.cases.operations import apply_transition
from caseflow.cases.queries import case_history
from caseflow.catalog import catalog
from caseflow.errors import Conflict
from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.cases import Case, CaseEvent
from tests.cases.test_concurrency import run_at_once

TYPE = "admission"


@pytest.fixture
def call(make_call):
    return make_call(TYPE)


@pytest.fixture
def admit(make_case, make_user, call):
    """Create an admission case of a new applicant and bring it to ``state``."""

    def make(state="offer", **data):
        return make_case(TYPE, state=state, applicant=make_user("applicant"), call=call, **data)

    return make


def accept_offer(case):
    return apply_transition(case.id, "accept_offer", db.session.get(User, case.applicant_id), case.version)


def states(cases) -> list[str]:
    db.session.rollback()
    return [db.session.scalar(select(Case.state).where(Case.id == c.id)) for c in cases]


def test_bachelor_without_visa_support_is_ready_to_enrol_after_accepting(admit, users):
    case = accept_offer(admit(level="bachelor", visa_support="no"))
    assert case.state == "ready"
    assert apply_transition(case.id, "enrol", users["office"], case.version).state == "enrolled"


def test_a_visa_support_request_adds_the_visa_step(admit, users):
    case = accept_offer(admit(level="master", visa_support="yes"))
    assert case.state == "visa_support"
    case = apply_transition(case.id, "visa_support_sent", users["office"], case.version)
    assert case.state == "ready"


def test_the_preparatory_course_cannot_be_enrolled_one_by_one(admit, users):
    case = accept_offer(admit(level="preparatory", visa_support="no"))
    assert case.state == "awaiting_group"
    with pytest.raises(Conflict):
        apply_transition(case.id, "enrol", users["office"], case.version)


def test_the_sixth_accepted_preparatory_applicant_starts_the_group_for_all_six(admit):
    waiting = [accept_offer(admit(level="preparatory")) for _ in range(5)]
    assert states(waiting) == ["awaiting_group"] * 5
    sixth = accept_offer(admit(level="preparatory"))
    group = [*waiting, sixth]
    assert states(group) == ["enrolled"] * 6
    for member in group:  # one event each, by the system
        last = case_history(member.id)[-1]
        assert (last.transition, last.actor_id, last.to_state) == ("start_group", None, "enrolled")
    seventh = accept_offer(admit(level="preparatory"))
    assert states([seventh]) == ["awaiting_group"]  # the next group starts from zero


def test_bachelors_do_not_count_towards_a_preparatory_group(admit):
    [accept_offer(admit(level="bachelor")) for _ in range(6)]
    prep = accept_offer(admit(level="preparatory"))
    assert states([prep]) == ["awaiting_group"]


def test_two_applicants_completing_the_group_at_once_start_it_once(app, admit):
    [accept_offer(admit(level="preparatory")) for _ in range(4)]
    last_two = [admit(level="preparatory") for _ in range(2)]

    def accept(case):
        return lambda: accept_offer(db.session.get(Case, case.id)).id

    results = run_at_once(app, [accept(c) for c in last_two])
    assert all(isinstance(r, int) for r in results), results
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Case).where(Case.state == "enrolled")) == 6
    started = select(func.count()).select_from(CaseEvent).where(CaseEvent.transition == "start_group")
    started = db.session.scalar(started)
    assert started == 6


def test_routing_transitions_are_automatic(app):
    workflow = catalog()[TYPE]
    assert {t.name for t in workflow.transitions if t.auto} == {
        "needs_visa_support", "no_visa_support", "join_preparatory_group", "start_group"}
