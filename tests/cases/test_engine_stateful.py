"""The engine under random use, for every workflow in workflows/ (Hypothesis, stateful).

Each example submits a new case through ``create_case`` (its documents uploaded or not), then takes random
steps through ``apply_transition``: any transition of the workflow, possible now or not, by anyone (the
applicant, another applicant, a screener of the case's faculty and one of another, the office, an admin),
with the version they saw or a stale one, with or without a comment; and, so that cases also travel far,
a move the case's state offers, or the next one of the main path, by a role that may fire it.  After every
step:

- a refusal is a domain error (``CaseError``) and changes nothing: state, version and history as before;
- a move raises the version by one and writes one history line, by that person, for that transition
  (and one more of each for every automatic transition the workflow fires after it, by the system);
- the case's state is one of its workflow's, and replaying its history from the workflow's initial state,
  transition by transition as the workflow file declares them, gives that state.

Each example makes its own case (and call, and applicant), so the examples share the test's database
without seeing each other's records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from caseflow import history
from caseflow.cases.operations import apply_transition, create_case
from caseflow.cases.queries import case_history
from caseflow.catalog import catalog
from caseflow.demo import sample_recorded
from caseflow.errors import CaseError
from caseflow.extensions import db
from caseflow.models.cases import Case
from tests.documents_helpers import supply_documents
from tests.factories import sample_data

WORKFLOWS = sorted(path.stem for path in (Path(__file__).parents[2] / "workflows").glob("*.toml"))
# The other screener is ECON's: no sample application is of that faculty.
PEOPLE = ("owner", "other_applicant", "screener", "other_screener", "office", "admin")
# Who fires a transition a role may fire: the case's own applicant, its faculty's screener.
FOR_ROLE = {"applicant": "owner", "faculty_screener": "screener", "office_staff": "office", "admin": "admin"}
COMMENTS = ("", "Checked against the programme's conditions.")
EXAMPLES = 25
STEPS = 12


@dataclass(frozen=True)
class Stored:
    """A case as committed: its state, its version and every line of its history."""

    state: str
    version: int
    lines: tuple[tuple, ...]  # (action, transition, from_state, to_state, actor_id), oldest first

    @property
    def moves(self) -> tuple[tuple, ...]:
        """The lines that record a change of state (its creation included), not its documents'."""
        return tuple(line for line in self.lines if history.KINDS[line[0]].moves)


def stored(case_id: int) -> Stored:
    db.session.rollback()  # end this session's read snapshot, and forget what it loaded
    case = db.session.get(Case, case_id, populate_existing=True)
    lines = tuple((e.action, e.transition, e.from_state, e.to_state, e.actor_id) for e in case_history(case_id))
    return Stored(case.state, case.version, lines)


@dataclass
class Tally:
    """What the examples did, across them: that random steps also move cases, not only get refused."""

    examples: int = 0
    moved: int = 0  # examples in which at least one transition went through
    moves: int = 0


def machine_for(workflow, people: dict, new_applicant, new_call, screener_of, tally: Tally):
    """The state machine of one workflow's cases under random use."""
    names = sorted(t.name for t in workflow.transitions)
    main_path = [state.name for state in workflow.main_path()]

    def next_on_main_path(state: str):
        """The move a person makes from ``state`` along the main path (the status page's timeline), if any."""
        if state not in main_path[:-1]:
            return None
        target = main_path[main_path.index(state) + 1]
        return next((t for t in workflow.transitions_from(state)
                     if t.dest == target and not t.auto and not workflow.is_collective(t)), None)

    class CaseUnderRandomUse(RuleBasedStateMachine):
        # Mostly with the documents: without, the guards that want them refuse nearly every move.
        @initialize(documents=st.sampled_from((True, True, True, False)), commission=st.booleans())
        def submit(self, documents, commission):
            owner = new_applicant()
            call = None
            if workflow.needs_call:  # a call of its own; a ranked kind's with a selection commission, or without
                members = [people["office"]] if commission and workflow.scoring is not None else []
                call = new_call(workflow.name, commission=members)
            case = create_case(workflow, owner, sample_data(workflow.name), call)
            if documents:
                supply_documents(case, owner)
            self.case_id = case.id
            self.people = {**people, "owner": owner, "screener": screener_of(case.faculty_code)}
            self.seen = stored(case.id)
            self.moved = False
            tally.examples += 1

        @rule(name=st.sampled_from(names), who=st.sampled_from(PEOPLE), stale=st.booleans(),
              comment=st.sampled_from(COMMENTS))
        def fire_any_transition(self, name, who, stale, comment):
            self.fire(name, who, self.seen.version - 1 if stale else self.seen.version, comment)

        def offered(self) -> list:
            return [t for t in workflow.transitions_from(self.seen.state)
                    if not t.auto and not workflow.is_collective(t)]

        @precondition(lambda self: self.offered())
        @rule(data=st.data())
        def fire_an_offered_move(self, data):
            transition = data.draw(st.sampled_from(self.offered()), label="transition")
            who = data.draw(st.sampled_from([FOR_ROLE[role] for role in transition.roles]), label="who")
            self.fire(transition.name, who, self.seen.version, COMMENTS[1])

        @precondition(lambda self: next_on_main_path(self.seen.state) is not None)
        @rule(data=st.data())
        def fire_the_next_move_of_the_main_path(self, data):
            transition = next_on_main_path(self.seen.state)
            who = data.draw(st.sampled_from([FOR_ROLE[role] for role in transition.roles]), label="who")
            self.fire(transition.name, who, self.seen.version, COMMENTS[1])

        def fire(self, name: str, who: str, version: int, comment: str):
            before, actor = self.seen, self.people[who]
            try:
                apply_transition(self.case_id, name, actor, version, comment,
                                 recorded=sample_recorded(workflow, name))
            except CaseError as refusal:  # anything else is a bug, and fails the example
                event(f"refused: {type(refusal).__name__}")
                after = stored(self.case_id)
                assert after == before, f"the refused {name} by {who} changed the case"
            else:
                event("moved")
                after = stored(self.case_id)
                assert version == before.version, f"{name} by {who} went through with a stale version"
                new = after.lines[len(before.lines):]
                assert after.lines[:len(before.lines)] == before.lines, "the history was rewritten"
                assert new and new[0][:3] == ("case.transitioned", name, before.state) and new[0][4] == actor.id
                # What the workflow does by itself after the move: automatic transitions, by the system.
                assert all(line[0] == "case.transitioned" and workflow.transition(line[1]).auto
                           and line[4] is None for line in new[1:]), new
                assert after.version == before.version + len(new)
                tally.moves += 1
                if not self.moved:
                    self.moved = True
                    tally.moved += 1
            self.seen = after

        @invariant()
        def the_state_is_the_workflows_and_the_history_replays_to_it(self):
            now = stored(self.case_id)
            assert now == self.seen, "the case changed without a step"
            assert now.state in {state.name for state in workflow.states}
            created, *moves = now.moves
            assert created[0] == "case.created" and created[2:4] == (None, workflow.initial)
            state = workflow.initial
            for action, name, from_state, to_state, _actor in moves:
                transition = workflow.transition(name)
                assert action == "case.transitioned" and transition is not None
                assert state == from_state and state in transition.sources, (state, name)
                state = transition.dest
                assert state == to_state
            assert state == now.state
            assert now.version == 1 + len(moves)  # one version a move, from 1 at submission

    return CaseUnderRandomUse


def test_the_tests_cover_every_workflow(app):
    assert sorted(workflow.name for workflow in catalog()) == WORKFLOWS


@pytest.mark.parametrize("case_type", WORKFLOWS)
def test_random_transitions_by_random_people_keep_a_case_in_its_workflow(app, users, make_user, make_call,
                                                                        case_type):
    people = {who: users[who] for who in ("other_applicant", "other_screener", "office", "admin")}
    screeners = {"IT": users["screener"]}

    def screener_of(faculty: str | None):
        """A screener of the case's faculty (none: the IT one, who then sees nothing of it)."""
        if faculty is None:
            return users["screener"]
        return screeners.get(faculty) or screeners.setdefault(faculty, make_user("faculty_screener", faculty))

    tally = Tally()
    machine = machine_for(catalog()[case_type], people, lambda: make_user("applicant"), make_call, screener_of,
                          tally)
    run_state_machine_as_test(machine, settings=settings(
        max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize=True,  # the same run each time
        suppress_health_check=[HealthCheck.too_slow]))  # each step is a real database transaction
    # Refusals are fine (a guard wants data no step gives: seats, scores), but not only refusals.
    assert tally.moved * 4 >= tally.examples, (
        f"only {tally.moved} of {tally.examples} examples moved their case ({tally.moves} moves in all)")
