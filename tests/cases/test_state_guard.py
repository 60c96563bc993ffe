"""A stored case's state changes only through the one move: assigning it anywhere else raises."""

from __future__ import annotations

import pytest

from caseflow.cases.operations import apply_transition
from caseflow.extensions import db
from caseflow.models.cases import Case, StateWrittenOutsideTheMove


def test_assigning_a_stored_cases_state_raises(make_case):
    case = db.session.get(Case, make_case().id)
    with pytest.raises(StateWrittenOutsideTheMove, match="only through the move"):
        case.state = "accepted"
    db.session.rollback()
    assert db.session.get(Case, case.id).state == "submitted"


def test_the_move_changes_it_and_the_history_says_so(make_case, users):
    case = make_case()
    moved = apply_transition(case.id, "send_to_faculty", users["office"], case.version)
    assert moved.state == "faculty_screening"
    db.session.rollback()
    assert db.session.get(Case, case.id).state == "faculty_screening"


def test_a_new_case_starts_in_the_state_it_is_given():
    assert Case(type="mobility", state="submitted").state == "submitted"
