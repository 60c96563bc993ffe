"""Cases as lists and pages show them, a new application, an action, and the filters of a list."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, create_model

from caseflow import history, limits
from caseflow.accounts.permissions import offered_transitions
from caseflow.api.schemas.base import Body, Id, Named, Query, Reply, Setting, Timestamp, Words, built
from caseflow.api.schemas.documents import ChecklistEntry, Document
from caseflow.api.schemas.query import Page, whole_number
from caseflow.api.schemas.workflows import Role, application_data, data_name
from caseflow.cases.subject import same_person
from caseflow.fields.base import only_null
from caseflow.fields.text import line, lines
from caseflow.i18n import lazy_gettext as _l
from caseflow.models.accounts import User
from caseflow.models.cases import Case as CaseRow
from caseflow.models.cases import CaseEvent
from caseflow.models.deadlines import CaseDeadline
from caseflow.models.documents import Document as DocumentRow
from caseflow.timeutil import utcnow
from caseflow.workflow.spec import COMMENT_MODES
from caseflow.workflow.spec import Workflow as WorkflowSpec


class PartnerRef(Named):
    country: str


class Person(Reply):
    """Whom a case is about (its workflow's subject), who is not always whoever submitted it."""

    name: str
    email: str | None
    has_account: bool = Field(description="Whether their own account follows the case")


class CaseRef(Reply):
    id: Id
    reference: str


class Case(Reply):
    """A case as lists show it."""

    id: Id
    reference: str
    type: str = Field(description="Its case type (GET /workflows)")
    state: str = Field(description="A state of its workflow")
    state_label: Words
    version: int = Field(ge=1, description="Send it back with an action: a case changed meanwhile is refused (409)")
    call: Named | None
    partner: PartnerRef | None
    faculty: str | None
    subject: Person
    renews: Id | None = Field(description="The id of the case this one renews")
    data: dict = Field(description="The application's fields (see the type's Data schema)")
    created_at: Timestamp
    updated_at: Timestamp

    @classmethod
    def fields_of(cls, item: CaseRow, workflow: WorkflowSpec | None) -> dict:
        return {
            "id": item.id, "reference": item.reference, "type": item.type, "state": item.state,
            "state_label": workflow.state_label(item.state) if workflow else item.state, "version": item.version,
            "call": Named(id=item.call.id, name=item.call.shown_name) if item.call else None,
            "partner": PartnerRef(id=item.partner.id, name=item.partner.name, country=item.partner.country)
            if item.partner else None,
            "faculty": item.faculty_code, "renews": item.renews_id, "data": item.data,
            "subject": Person(name=item.subject_name, email=item.subject_email,
                              has_account=item.subject_id is not None),
            "created_at": item.created_at, "updated_at": item.updated_at,
        }

    @classmethod
    def of(cls, item: CaseRow, workflow: WorkflowSpec | None) -> Case:
        return cls(**cls.fields_of(item, workflow))


class Actor(Reply):
    name: str
    role: Role


class Event(Reply):
    """One line of a case's history."""

    at: Timestamp
    actor: Actor | None = Field(description="Null for what the system did (the scheduler, an automatic move)")
    # Not an enum: a line keeps the kind it was written with, even one no longer declared.
    action: str = Field(description="What kind of line it is", json_schema_extra={"examples": list(history.KINDS)})
    label: Words = Field(description="What happened, in words")
    transition: str | None
    from_: str | None = Field(alias="from", serialization_alias="from")
    to: str
    comment: str

    @classmethod
    def of(cls, event: CaseEvent, workflow: WorkflowSpec | None) -> Event:
        actor = Actor(name=event.actor.display_name, role=event.actor.role) if event.actor else None
        label = history.describe(workflow, event) if workflow is not None else event.action
        return cls(at=event.at, actor=actor, action=event.action, label=label, transition=event.transition,
                   to=event.to_state, comment=event.comment, **{"from": event.from_state})


class Deadline(Reply):
    name: str
    label: Words
    state: str
    due_at: Timestamp
    open: bool = Field(description="Still running: the case is in its stage")
    overdue: bool
    closed_at: Timestamp | None

    @classmethod
    def of(cls, row: CaseDeadline, workflow: WorkflowSpec | None) -> Deadline:
        declared = workflow.deadline(row.name) if workflow is not None else None
        return cls(name=row.name, label=declared.label if declared else row.name, state=row.state,
                   due_at=row.due_at, open=row.closed_at is None,
                   overdue=row.closed_at is None and utcnow() > row.due_at, closed_at=row.closed_at)


class AllowedTransition(Reply):
    name: str
    label: Words
    dest: str
    comment: Literal[COMMENT_MODES]
    records: list[str] = Field(description="The fields it records or changes: send their values as its data")


class CaseDetail(Case):
    """A case with its history, deadlines, documents against its checklist, and what the caller may do."""

    history: list[Event]
    deadlines: list[Deadline] = Field(description="Its deadlines (UTC), the running ones first")
    documents: list[Document] = Field(description="Its documents, in the order of their first upload")
    checklist: list[ChecklistEntry] = Field(description="The documents its application asks for")
    allowed_transitions: list[AllowedTransition] = Field(description="What the caller may do now")
    same_person: list[CaseRef] = Field(description="Other open cases of its type about the same person (same "
                                       "passport, or name and date of birth), for staff: a warning, never a "
                                       "refusal")

    @classmethod
    def of(cls, item: CaseRow, workflow: WorkflowSpec | None, user: User, events: list[CaseEvent],
           deadlines: list[CaseDeadline], documents: list[DocumentRow]) -> CaseDetail:
        offered = offered_transitions(user, item, workflow) if workflow is not None else []
        return cls(
            **cls.fields_of(item, workflow),
            history=[Event.of(e, workflow) for e in events],
            deadlines=[Deadline.of(d, workflow) for d in deadlines],
            documents=[Document.of(d, workflow) for d in documents],
            checklist=ChecklistEntry.all_of(item, workflow, documents),
            allowed_transitions=[AllowedTransition(name=t.name, label=t.label, dest=t.dest, comment=t.comment,
                                                   records=[f.name for f in workflow.recorded_fields(t.name)])
                                 for t in offered],
            same_person=[CaseRef(id=c.id, reference=c.reference) for c in same_person(workflow, item)]
            if workflow is not None and user.is_staff else [],
        )


class CasePage(Reply):
    items: list[Case]
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)
    total: int = Field(ge=0, description="Visible cases matching the filters, on all pages")


class NoteRequest(Body):
    note: lines(limits.TEXT, required=True) = Field(description=(
        "The note: staff read it in the history, the applicant never"))


class TransitionRequest(Body):
    transition: Annotated[line(limits.CHOICE), Field(description="The name of a transition of the case's type")]
    version: Annotated[int, Field(ge=1, le=limits.MAX_ID, description="The version of the case the caller saw")]
    comment: lines(limits.TEXT) | None = None
    data: dict | None = Field(None, description=(
        "The values of the fields the transition records (GET /workflows: the fields whose recorded_at names it)"))

    __messages__ = {"transition": _l("Name the transition to fire."),
                    "version": _l("Give the version of the case you saw, a whole number."),
                    "comment": _l("A comment is text.")}


@built
def case_create(setting: Setting) -> object:
    """An application: its case type, the call it is made to, and the type's form (``data``)."""
    variants = []
    for workflow in setting.catalog:
        if workflow.needs_call:
            call = (Id, Field(description="The id of an open call of this type"))
        else:
            call = (Annotated[None, only_null(_l("Applications of this kind are not made to a call."))],
                    Field(None, description="Not made to a call"))
        variants.append(create_model(
            data_name(workflow).removesuffix("Data") + "Application", __base__=Body,
            __doc__=f"An application of the type {workflow.name} ({workflow.label}).",
            type=(Literal[workflow.name], ...), call=call,
            renews=(Id | None, Field(None, description="For a renewal: the id of the case it renews")),
            data=(application_data(workflow), ...),
        ))
    return Annotated[Union[tuple(variants)], Field(discriminator="type")]  # noqa: UP007  (built from a list)


@built
def case_query(setting: Setting) -> type[Query]:
    """The filters and the page of the case list."""
    types = tuple(w.name for w in setting.catalog)
    states = tuple(sorted({s.name for w in setting.catalog for s in w.states}))
    return create_model(
        "CaseQuery", __base__=Query,
        type=(Literal[types] | None, Field(None, description="Only this case type")),
        state=(Literal[states] | None, Field(None, description=(
            "Only cases in this state (a state of another type than ``type`` matches nothing)"))),
        page=(Page, 1),
        per_page=(whole_number(1, setting.max_page_size, "Cases per page"), setting.page_size),
    )
