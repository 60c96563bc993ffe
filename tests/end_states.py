"""Routes to every end state of every case type, shared by the API and page tests.

A route is a case type, one of its end (terminal) states, and a transition
that enters it; the tests take it once for each role that may fire that
transition (or once, when the engine fires it by itself).  Everything else
comes from the workflow file: the steps before it are the workflow's
shortest path (``Workflow.path_to``), each fired by a role the transition
allows, and the application is the type's sample (``caseflow.demo``),
changed only where a routing guard on the way asks for another value (an
exemption ground for a work permit that needs none, the preparatory level
for a group that starts together).  Before a step that leaves a stage whose
checklist documents must be there, the applicant uploads them (valid
samples, through the real operation); a step that closes the case without
success needs none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import caseflow
from caseflow.catalog import catalog
from caseflow.demo import sample_recorded, upload_sample
from caseflow.workflow import Workflow, load_workflows
from caseflow.workflow.spec import Document, Transition
from tests.factories import sample_data

# The folder the app loads by default (``CASEFLOW_WORKFLOWS_DIR``).
WORKFLOWS_DIR = Path(caseflow.__file__).resolve().parent.parent / "workflows"

# Transitions fired for a whole call at once (closing a commission's ranking) are not
# routes of one case; tests/cases/test_selection.py and the scholarship web tests cover them.

COMMENT = "Reason given by the end-state test: {label}."


@dataclass(frozen=True)
class Route:
    case_type: str
    end: str  # a terminal state
    last: str  # the transition into ``end``
    roles: tuple[str | None, ...]  # the roles that may fire ``last``; (None,): the engine fires it

    def __str__(self) -> str:
        return f"{self.case_type}-{self.end}-{self.last}"


def routes(workflows: dict[str, Workflow]) -> list[Route]:
    """Return a route for every way into every end state of every case type (but a ranking's)."""
    return [
        Route(workflow.name, end, transition.name, (None,) if transition.auto else transition.roles)
        for workflow in workflows.values()
        for end in workflow.terminal_states
        for transition in workflow.transitions if transition.dest == end and not workflow.is_collective(transition)
    ]


ROUTES = routes(load_workflows(WORKFLOWS_DIR))


@dataclass(frozen=True)
class Step:
    """One transition a person fires, and what the case looks like once the engine is done too."""

    transition: Transition
    role: str
    comment: str  # "" when the transition asks for none
    state_after: str  # after the engine's own moves that follow it
    documents: tuple[Document, ...] = ()  # what the applicant uploads first: the stage's checklist
    recorded: dict = field(default_factory=dict)  # what it records (a permit's number and day of issue)

    def supply_documents(self, case_id: int, applicant) -> None:
        """Upload, as the applicant, the documents the case needs before this step."""
        for spec in self.documents:
            upload_sample(case_id, spec, applicant)


@dataclass(frozen=True)
class Event:
    """One line of the case's history after its creation: a transition, or a document's upload."""

    transition: Transition | None  # None: the upload of ``document``
    role: str | None  # None: the system
    from_state: str | None
    to_state: str
    comment: str
    document: Document | None = None


@dataclass(frozen=True)
class Plan:
    workflow: Workflow
    route: Route
    role: str | None  # who takes the last step
    data: dict  # the application, as the API takes it
    state_after_submit: str
    steps: tuple[Step, ...]
    history: tuple[Event, ...]
    companions: int  # other cases that must already wait in ``waiting_state`` (a group that starts together)
    waiting_state: str

    @property
    def end_label(self) -> str:
        return self.workflow.state(self.route.end).label


def _route_data(workflow: Workflow, transitions: tuple[Transition, ...]) -> dict:
    """Return the sample application, changed so that the routing guards on the way pass."""
    data = sample_data(workflow.name)
    for transition in transitions:
        for guard in transition.guards:
            field, values = guard.params.get("field"), guard.params.get("values")
            if guard.name == "field_in" and data.get(field) not in values:
                data[field] = values[0]
            elif guard.name == "field_not_in" and data.get(field) in values:
                data[field] = next(c.value for c in workflow.field(field).choices if c.value not in values)
    return data


def _actor_role(transition: Transition) -> str:
    """Return the role that fires a step on the way: the applicant when allowed, else the first role listed."""
    return "applicant" if "applicant" in transition.roles else transition.roles[0]


def _documents_needed(workflow: Workflow, state: str, transition: Transition, data: dict) -> tuple[Document, ...]:
    """Return the documents that must be there before ``transition`` leaves ``state``: the stage's
    required ones, unless the transition closes the case without success."""
    dest = workflow.state(transition.dest)
    if dest.terminal and dest.outcome != "positive":
        return ()
    return workflow.needed_to_leave(state, data)


def plan_for(workflow: Workflow, route: Route, role: str | None, variant: str | None = None) -> Plan:
    """Work out the application, the steps and the history that take a new case along ``route``,
    its last step taken by ``role`` (one of ``route.roles``), in a call of ``variant`` (e.g. a programme)."""
    assert role in route.roles, (route, role)
    last = workflow.transition(route.last)
    assert last is not None and last.dest == route.end, route
    # From the source reached soonest, e.g. a withdrawal right after submission.
    ways = {source: workflow.path_to(source, engine_steps=True) for source in last.sources}
    source = min(last.sources, key=lambda s: len(ways[s]))
    path = (*ways[source], last)
    assert tuple(t for t in ways[source] if not t.auto) == workflow.path_to(source), "paths differ"
    data = _route_data(workflow, path)
    # The case's data as stored: the call's variant decides some of its checklist.
    stored = {**data, workflow.variant_field: variant} if workflow.variant_field else data

    route_role = role
    state, events, steps = workflow.initial, [], []
    state_after_submit = None
    for transition in path:
        if transition.auto:
            role, comment = None, ""
            if transition.comment_from:  # e.g. the exemption ground that closes the case
                comment = workflow.field(transition.comment_from).choice_label(data[transition.comment_from])
        else:
            if state_after_submit is None:
                state_after_submit = state
            role = route_role if transition is last else _actor_role(transition)
            comment = COMMENT.format(label=transition.label) if transition.comment_required else ""
            documents = _documents_needed(workflow, state, transition, stored)
            later = tuple(t for t in path[path.index(transition) + 1:] if not t.auto)
            steps.append({"transition": transition, "role": role, "comment": comment, "documents": documents,
                          "recorded": sample_recorded(workflow, transition.name, later)})
            events.extend(Event(None, "applicant", None, state, "", spec) for spec in documents)
        assert not (transition.auto and _documents_needed(workflow, state, transition, stored)), (
            f"{transition.name} would wait for documents nobody has uploaded yet")
        events.append(Event(transition, role, state, transition.dest, comment))
        state = transition.dest
        if steps:
            steps[-1]["state_after"] = state
    batch = next((t for t in path if t.batch), None)
    return Plan(
        workflow=workflow,
        route=route,
        role=route_role,
        data=data,
        state_after_submit=state_after_submit or route.end,
        steps=tuple(Step(**step) for step in steps),
        history=tuple(events),
        companions=batch.batch - 1 if batch else 0,
        waiting_state=batch.sources[0] if batch else "",
    )


class Cast:
    """The people of one test: applicants, and staff of every role (screeners of the case's faculty)."""

    def __init__(self, workflow: Workflow, data: dict, users: dict, make_user):
        self.users = users
        self.make_user = make_user
        self.by_role = {"office_staff": users["office"], "admin": users["admin"]}
        if workflow.faculty_field:
            self.by_role["faculty_screener"] = make_user("faculty_screener", data[workflow.faculty_field.name])

    def applicant(self, number: int):
        """Return the ``number``-th applicant (0: the users fixture's): one application each per call."""
        return self.users["applicant"] if number == 0 else self.make_user("applicant", name=f"Applicant {number}")

    def for_role(self, role: str, applicant):
        return applicant if role == "applicant" else self.by_role[role]

    def wait_in_group(self, plan: Plan, make_case, call) -> list:
        """Bring the other members of a group that starts together to its waiting state, through the operations."""
        members = []
        for number in range(plan.companions):
            person = self.make_user("applicant", name=f"Group member {number + 1}")
            data = {**plan.data, "full_name": person.full_name, "email": person.email}
            members.append(make_case(plan.workflow.name, state=plan.waiting_state, applicant=person, call=call,
                                     **data))
        assert all(member.state == plan.waiting_state for member in members)
        return members



def drive_every_role(route: Route, reach, client_factory, subtests, users, make_user, make_call, make_case) -> None:
    """Bring a case to ``route.end`` once per role allowed to take the last step, each in its own subtest.

    ``reach(client_factory, cast, plan, applicant, call, group)`` does it the
    API's way or the pages' way; the cast, call and waiting group are shared.
    """
    workflow = catalog()[route.case_type]
    call = make_call(route.case_type) if workflow.needs_call else None
    cast = None
    for number, role in enumerate(route.roles):
        plan = plan_for(workflow, route, role, call.variant if call is not None else None)
        cast = cast or Cast(workflow, plan.data, users, make_user)
        with subtests.test(last_step_by=role or "the engine"):
            group = cast.wait_in_group(plan, make_case, call)
            reach(client_factory, cast, plan, cast.applicant(number), call, group)
