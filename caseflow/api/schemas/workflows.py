"""Case types as the API describes them, and each type's application data, built from its field types."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, create_model

from caseflow.api.schemas.base import Body, Reply, Words
from caseflow.fields import FIELD_TYPES
from caseflow.fields.base import only_null
from caseflow.fields.numbers import as_number
from caseflow.i18n import lazy_gettext as _l
from caseflow.workflow.spec import DOCUMENT_TYPES, ROLES
from caseflow.workflow.spec import Document as DocumentKind
from caseflow.workflow.spec import Field as FieldSpec
from caseflow.workflow.spec import Workflow as WorkflowSpec

FieldTypeName = Literal[tuple(FIELD_TYPES)]
Role = Literal[ROLES]
FileType = Literal[DOCUMENT_TYPES]


class Choice(Reply):
    value: str
    label: Words


class AppliesWhen(Reply):
    field: str
    values: list[str | int | float | bool] = Field(alias="in", serialization_alias="in")


class WorkflowField(Reply):
    name: str
    label: Words
    type: FieldTypeName
    required: bool
    help: Words
    min: float | None
    max: float | None
    max_length: int | None
    choices: list[Choice] = Field(description="The values to choose from, when the file lists them")
    choices_from: Literal["faculties", "partners", "rooms"] | None = Field(description=(
        "Where the values come from when the file does not list them: a faculty code (GET /faculties), the "
        "name of one of the call's partners (GET /calls), or a hostel room's id (the office's list)"))
    applies_when: AppliesWhen | None = Field(description=(
        "Asked only in calls of these programmes; in other calls its value is not kept"))
    recorded_at: str | None = Field(description=(
        "The transition that records it (its request's data), when it is not a field of the application"))

    @classmethod
    def of(cls, spec: FieldSpec) -> WorkflowField:
        return cls(name=spec.name, label=spec.label, type=spec.type, required=spec.required, help=spec.help,
                   min=as_number(spec.min), max=as_number(spec.max), max_length=spec.max_length,
                   choices=[Choice(value=c.value, label=c.label) for c in spec.choices],
                   choices_from=spec.kind.source or None, recorded_at=spec.recorded_at or None,
                   applies_when=AppliesWhen(field=spec.when["field"], **{"in": list(spec.when["in"])})
                   if spec.when else None)


class State(Reply):
    name: str
    label: Words
    terminal: bool


class Transition(Reply):
    name: str
    label: Words
    sources: list[str]
    dest: str
    roles: list[Role]


class ChecklistKind(Reply):
    """One entry of a workflow's document checklist."""

    kind: str
    label: Words
    required: bool
    accept: list[FileType]
    step: Words = Field(description="The stage that needs it")

    @classmethod
    def fields_of(cls, workflow: WorkflowSpec, entry: DocumentKind) -> dict:
        return {"kind": entry.kind, "label": entry.label, "required": entry.required, "accept": list(entry.accept),
                "step": workflow.step_of(entry)}


class WorkflowDocument(ChecklistKind):
    applies_when: AppliesWhen | None = Field(description=(
        "Asked for only when the application's field has one of these values"))


class Workflow(Reply):
    """A case type: its states, transitions, application fields, conditions and document checklist."""

    name: str
    label: Words
    description: Words
    needs_call: bool
    initial: str
    states: list[State]
    transitions: list[Transition]
    fields: list[WorkflowField]
    conditions: list[Words] = Field(description="The eligibility conditions, in the applicant's words")
    documents: list[WorkflowDocument]

    @classmethod
    def of(cls, spec: WorkflowSpec) -> Workflow:
        return cls(
            name=spec.name, label=spec.label, description=spec.description, needs_call=spec.needs_call,
            initial=spec.initial,
            states=[State(name=s.name, label=s.label, terminal=s.terminal) for s in spec.states],
            transitions=[Transition(name=t.name, label=t.label, sources=list(t.sources), dest=t.dest,
                                       roles=list(t.roles)) for t in spec.transitions],
            fields=[WorkflowField.of(f) for f in spec.fields],
            conditions=[rule.label for rule in spec.rules if rule.label],
            documents=[WorkflowDocument(
                **ChecklistKind.fields_of(spec, d),
                applies_when=AppliesWhen(field=d.when["field"], **{"in": list(d.when["in"])}) if d.when else None)
                for d in spec.documents],
        )


def data_name(workflow: WorkflowSpec) -> str:
    """The schema name of a case type's application data, e.g. MobilityData."""
    return "".join(part.title() for part in workflow.name.split("_")) + "Data"


def application_data(workflow: WorkflowSpec) -> type[Body]:
    """Build the shape of a case type's application form from its fields' types (optional ones may be null).

    The field a call fixes (the programme) may only be left out: the applicant does not choose it.
    """
    fields = _schemas(workflow.form_fields)
    if workflow.variant is not None:
        decided = only_null(_l("The call decides this, not the application."))
        fields[workflow.variant.name] = (Annotated[None, decided, Field(
            description=f"{workflow.variant.label}: the call decides it; leave it out")], None)
    return create_model(data_name(workflow), __base__=Body,
                        __doc__=f"The application form of {workflow.name} ({workflow.label}).", **fields)


class Faculty(Reply):
    code: str
    name: str


def recorded_data(workflow: WorkflowSpec, transition: str) -> type[Body]:
    """The shape of the values ``transition`` records (its fields with ``recorded_at``), e.g. a permit's number."""
    return create_model(f"{data_name(workflow)}{transition.title().replace('_', '')}", __base__=Body,
                        **_schemas(workflow.recorded_fields(transition)))


def _schemas(fields: tuple[FieldSpec, ...]) -> dict:
    """Each field's schema, by its type; an optional one may also be left out or null, and so may one asked
    only in some programmes (``applies_when``: the engine asks for it where it applies)."""
    return {spec.name: (spec.kind.schema(spec), ...) if spec.required and spec.when is None
            else (spec.kind.schema(spec) | None, None) for spec in fields}
