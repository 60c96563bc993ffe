"""The shared machine: moves a plain object's state, refuses illegal moves, keeps no model."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from caseflow.workflow import load_workflow
from caseflow.workflow.machines import IllegalMove, WorkflowMachine

WORKFLOW = load_workflow(Path(__file__).resolve().parents[2] / "workflows" / "mobility.toml")
MACHINE = WorkflowMachine(WORKFLOW)


class Loaded:
    def __init__(self, state):
        self.state = state


@pytest.mark.parametrize(
    ("state", "transition", "expected"),
    [(s, t.name, t.dest) for t in WORKFLOW.transitions for s in t.sources],
)
def test_every_declared_transition_moves_the_case(state, transition, expected):
    case = Loaded(state)
    assert MACHINE.fire(case, transition) == expected
    assert case.state == expected


@pytest.mark.parametrize(
    ("state", "transition"),
    [(s.name, t.name) for t in WORKFLOW.transitions for s in WORKFLOW.states if s.name not in t.sources],
)
def test_a_transition_from_another_state_is_refused_and_changes_nothing(state, transition):
    case = Loaded(state)
    with pytest.raises(IllegalMove):
        MACHINE.fire(case, transition)
    assert case.state == state


def test_unknown_transition_is_refused():
    with pytest.raises(IllegalMove):
        MACHINE.fire(Loaded("submitted"), "teleport")


def test_machine_keeps_no_reference_to_cases():
    case = Loaded("submitted")
    ref = weakref.ref(case)
    MACHINE.fire(case, "send_to_faculty")
    del case
    gc.collect()
    assert ref() is None


def test_loaded_state_is_not_overwritten_by_the_initial_state():
    case = Loaded("office_interview")
    MACHINE.fire(case, "nominate")
    assert case.state == "partner_nomination"
