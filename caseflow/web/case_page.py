"""The case page's view model: everything the page shows of a case, for the person looking at it.

Every page that acts on a case (a transition, a score, a document) shows
this page again when the action is refused, with the refusal beside the form
it is about: ``render_case`` is their one way to do it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, render_template

from caseflow import history
from caseflow.accounts.permissions import can_apply, can_invite, can_note, can_view, offered_transitions
from caseflow.cases import queries, rooms
from caseflow.cases.selection import case_scores
from caseflow.cases.subject import same_person
from caseflow.catalog import catalog
from caseflow.documents.checklist import DocumentFailure, checklist
from caseflow.extensions import db
from caseflow.fields import ChoiceSources
from caseflow.formats import money, number
from caseflow.i18n import _
from caseflow.models.cases import Case, CaseEvent
from caseflow.timeutil import utcnow
from caseflow.web.access import me, visible_case
from caseflow.web.filters import state_of
from caseflow.web.forms.cases import NoteForm, TransitionForm, transition_form_class
from caseflow.web.partners import partner_choices
from caseflow.workflow.registry import routes_allow
from caseflow.workflow.spec import State, Transition, Workflow


@dataclass
class Step:
    state: State
    status: str  # "done", "current" or "todo"


@dataclass
class Failure:
    """A refused action, shown again beside its form."""

    transition: str
    comment: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    form: TransitionForm | None = None  # as posted: the values of the fields it records, shown again


def timeline(workflow: Workflow, case: Case, history: list[CaseEvent]) -> list[Step]:
    """Return the main path with the case's place on it.

    A case that left the main path (a rejection, a withdrawal) is shown on
    the path up to the last stage it reached, then where it is now.
    """
    path = list(workflow.main_path(lambda t: routes_allow(workflow, t, case.data or {})))
    names = [state.name for state in path]
    if case.state in names:
        here = names.index(case.state)
        return [Step(state, "done" if i < here else "current" if i == here else "todo")
                for i, state in enumerate(path)]
    reached = max((names.index(e.to_state) for e in history if e.to_state in names), default=0)
    current = state_of(case)
    steps = [Step(state, "done") for state in path[: reached + 1]]
    steps.append(Step(current, "current"))
    if not current.terminal:
        steps.extend(Step(state, "todo") for state in path[reached + 1:])
    return steps


def shown_sources() -> ChoiceSources:
    """The lists a page reads to show stored values by name (a faculty, a room), each only if one is shown."""
    return ChoiceSources(faculties=queries.faculty_choices, rooms=rooms.names)


def field_rows(workflow: Workflow, data: dict) -> list[tuple[str, str]]:
    """The application's answers as the page shows them (a faculty by its name, a choice by its label)."""
    sources = shown_sources()
    # A field a later action records (a permit's number) is shown once it is recorded.
    rows = [(spec.label, spec.kind.display(spec, data.get(spec.name), sources)) for spec in workflow.fields
            if not spec.recorded_at or data.get(spec.name) not in (None, "")]
    for item in workflow.derived:  # worked out by the engine at submission, e.g. a state duty
        value = data.get(item.name)
        if value is not None:  # none owed (an exempt person's duty) is not a row
            rows.append((item.label, money(value, item.currency) if item.currency else number(value)))
    return rows


def history_rows(workflow: Workflow, history_: list[CaseEvent]) -> list[dict]:
    """The case's history as the page lists it: who, when, what (in words), the move and the comment."""
    rows = []
    for event in history_:
        kind = history.kind_of(event)
        rows.append({
            "at": event.at,
            "actor": event.actor.display_name if event.actor else _("The system"),
            "action": history.describe(workflow, event),
            # A move that keeps the state (the office changes the partner) says where it is, not "from X to X".
            "before": workflow.state_label(event.from_state) if event.from_state != event.to_state else "",
            "after": workflow.state_label(event.to_state),
            "states": kind is not None and kind.moves,  # a document's line changes no state
            "internal": kind is not None and kind.internal,  # a staff note: only staff see the page with it
            "comment": event.comment,
        })
    return rows


def action_sources(case: Case) -> ChoiceSources:
    """The lists an action's fields choose from: the case's call's partners, the hostel's rooms (a full one
    shown so)."""
    return ChoiceSources(faculties=queries.faculty_choices, rooms=lambda: rooms.choices(case),
                         partners=lambda: partner_choices(case.call) if case.call is not None else [])


def render_case(case_id: int, status: int = 200, alert: str | None = None, alerts: list[str] | None = None,
                failure: Failure | None = None, score_errors: dict | None = None,
                document_failure: DocumentFailure | None = None):
    """Render the case page (404 if the user may not see the case), with a refused action's messages."""
    case = visible_case(case_id)
    workflow = catalog()[case.type]
    history = queries.case_history(case.id, internal=me().is_staff)
    actions: list[tuple[Transition, TransitionForm, dict]] = []
    for transition in offered_transitions(me(), case, workflow):
        failed_here = failure is not None and failure.transition == transition.name
        form = transition_form_class(workflow, transition.name, action_sources(case))(
            formdata=None, transition=transition.name, version=str(case.version),
            comment=failure.comment if failed_here else "")
        if failed_here and failure.form is not None:
            for spec in workflow.recorded_fields(transition.name):
                form[spec.name].data = failure.form[spec.name].data
        actions.append((transition, form, failure.errors if failed_here else {}))
    return render_template(
        "cases/case.html",
        case=case,
        renewals=queries.renewals_of(case.id),
        may_note=can_note(me(), case),
        note_form=NoteForm(formdata=None),
        linked=[other for other in queries.linked_with(case) if can_view(me(), other)],
        waiting_position=queries.waiting_position(workflow, case),
        same_person=same_person(workflow, case) if me().is_staff else [],
        may_invite=can_invite(me(), case) and case.subject_id is None and bool(case.subject_email),
        may_renew=case.state in workflow.renewable_from and can_apply(me(), workflow),
        workflow=workflow,
        state=state_of(case),
        steps=timeline(workflow, case, history),
        fields=field_rows(workflow, case.data or {}),
        history=history_rows(workflow, history),
        deadlines=[(workflow.deadline(d.name), d) for d in queries.case_deadlines(case.id) if d.closed_at is None],
        now=utcnow(),
        actions=actions,
        scores=case_scores(db.session, case, workflow, me()),
        documents=checklist(workflow, case, queries.case_documents(case.id), me(), document_failure),
        max_upload_mb=current_app.config["CASEFLOW_MAX_UPLOAD_MB"],
        score_errors=score_errors or {},
        alert=alert,
        alerts=alerts or [],
    ), status
