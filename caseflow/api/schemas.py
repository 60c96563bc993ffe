"""JSON schemas of the API's bodies and responses, for its OpenAPI document.

Case types, state names and each type's application fields come from the
catalog; nothing here names a type or a state itself.
"""

from __future__ import annotations

from caseflow.catalog import Catalog
from caseflow.documents.operations import MAX_REASON
from caseflow.fields import FIELD_TYPES
from caseflow.fields.numbers import as_number
from caseflow.models.documents import ACCEPTED, REJECTED, STATUSES
from caseflow.workflow import Field, Workflow
from caseflow.workflow.spec import DOCUMENT_TYPES, ROLES


def ref(name: str) -> dict:
    """Return a reference to the component schema ``name``."""
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(properties: dict, required: list[str] | None = None, **extra) -> dict:
    schema = {"type": "object", "properties": properties, **extra}
    schema["required"] = list(properties) if required is None else required
    return schema


def array(items: dict) -> dict:
    """Return the schema of a list of ``items``."""
    return {"type": "array", "items": items}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
TIMESTAMP = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601 with Z"}


def _field_schema(spec: Field) -> dict:
    """Return the JSON schema of one application field's value."""
    schema: dict = {"description": spec.label}
    if spec.type == "integer":
        schema["type"] = "integer"
    elif spec.type == "decimal":
        schema["type"] = "number"
    else:
        schema["type"] = "string"
    if spec.min is not None:
        schema["minimum"] = as_number(spec.min)
    if spec.max is not None:
        schema["maximum"] = as_number(spec.max)
    if spec.max_length is not None:
        schema["maxLength"] = spec.max_length
    if spec.type == "email":
        schema["format"] = "email"
    if spec.type == "date":
        schema["format"] = "date"
        schema["description"] += " (YYYY-MM-DD)"
    if spec.type == "choice":
        schema["enum"] = [c.value for c in spec.choices]
    if spec.type == "faculty":
        schema["description"] += " (a faculty code from GET /faculties)"
    if spec.type == "partner":
        schema["description"] += " (the name of one of the call's partners)"
    return schema


def _data_schema(workflow: Workflow) -> dict:
    # An optional field may be left out or sent as null.
    # The form the applicant fills in: a field the call fixes (the programme) is not sent.
    fields = workflow.form_fields
    properties = {f.name: _field_schema(f) if f.required else _nullable(_field_schema(f)) for f in fields}
    return _object(
        properties,
        [f.name for f in fields if f.required],
        additionalProperties=False,
        description=f"The application form of {workflow.name} ({workflow.label}).",
    )


def _call_body(case_type: dict, partner_id: dict) -> dict:
    """Return the properties of a call's body: a new call's, or a changed one's (partners with ids)."""
    return {
        "name": {"type": "string", "maxLength": 200},
        "type": case_type,
        "deadline": {
            "type": "string",
            "description": "ISO 8601; without an offset it is office time (CASEFLOW_TIMEZONE)",
            "examples": ["2027-03-01T12:00:00Z", "2027-03-01T12:00:00+06:00", "2027-03-01T12:00"],
        },
        "partners": array(_object(
            {
                **partner_id,
                "name": {"type": "string", "maxLength": 200},
                "country": {"type": "string", "maxLength": 100},
                "seats": {"type": "integer", "minimum": 1, "maximum": 1000},
            },
            ["name", "country", "seats"],
        )),
        "seats": {
            **_nullable({"type": "integer", "minimum": 1, "maximum": 100_000}),
            "description": "The call's own places; required for case types whose places are the call's",
        },
        "description": {"type": "string", "maxLength": 20_000, "description": "The programme, plain text"},
        "variant": {**_nullable(STRING), "description": (
            "For kinds with several programmes (scholarship): which one, a value of the workflow's variant field")},
        "commission": {**array({"type": "string", "format": "email"}), "description": (
            "For kinds decided by a ranking: the e-mail addresses of the staff who score; on an update, "
            "left out keeps the commission")},
    }


def schemas(catalog: Catalog) -> dict:
    """Return the components' schemas for the loaded workflows."""
    types = [w.name for w in catalog]
    states = sorted({s.name for w in catalog for s in w.states})
    case_type = {"type": "string", "enum": types}
    named = _object({"id": INTEGER, "name": STRING})
    schemas = {
        "Error": _object(
            {
                "error": {"type": "string", "description": "What went wrong, for a person to read"},
                "errors": {
                    "type": "object",
                    "description": "Messages per field (a nested value is named like partners-0-seats)",
                    "additionalProperties": array(STRING),
                },
            },
            ["error"],
        ),
        "Choice": _object({"value": STRING, "label": STRING}),
        "WorkflowField": _object({
            "name": STRING, "label": STRING,
            "type": {"type": "string", "enum": list(FIELD_TYPES)},
            "required": BOOLEAN, "help": STRING,
            "min": _nullable({"type": "number"}), "max": _nullable({"type": "number"}),
            "max_length": _nullable(INTEGER), "choices": array(ref("Choice")),
        }),
        "Workflow": _object({
            "name": case_type, "label": STRING, "description": STRING, "needs_call": BOOLEAN, "initial": STRING,
            "states": array(_object({"name": STRING, "label": STRING, "terminal": BOOLEAN})),
            "transitions": array(_object({
                "name": STRING, "label": STRING, "sources": array(STRING), "dest": STRING,
                "roles": array({"type": "string", "enum": list(ROLES)}),
            })),
            "fields": array(ref("WorkflowField")),
            "conditions": array(STRING),
            "documents": {**array(_object({
                "kind": STRING, "label": STRING, "required": BOOLEAN,
                "accept": array({"type": "string", "enum": list(DOCUMENT_TYPES)}),
                "step": {"type": "string", "description": "The stage that needs it"},
                "applies_when": _nullable(_object({"field": STRING, "in": array({})})),
            })), "description": "The document checklist; an entry with applies_when is asked for only when the "
                                "application's field has one of those values"},
        }),
        "Faculty": _object({"code": STRING, "name": STRING}),
        "Partner": _object({
            "id": INTEGER, "name": STRING, "country": STRING, "seats": INTEGER,
            "seats_left": {"type": "integer", "description": "Seats not held by a case in a seat-holding state"},
        }),
        "Call": _object({
            "id": INTEGER, "name": STRING, "type": case_type, "deadline": TIMESTAMP,
            "open": {"type": "boolean", "description": "Whether the deadline is still ahead"},
            "seats": {**_nullable({"type": "integer", "minimum": 1}),
                      "description": "The call's own places (an event's capacity); null: no limit"},
            "seats_left": {**_nullable({"type": "integer", "minimum": 0}),
                           "description": "Places not held by a case in a seat-holding state; null: no limit"},
            "description": {"type": "string", "description": "The programme, as plain text"},
            "partners": array(ref("Partner")),
            "variant": {**_nullable(STRING), "description": "The programme, for kinds with several (scholarship)"},
            "commission": {**array(STRING), "description": (
                "The commission members' e-mail addresses; shown to the office, for kinds decided by a ranking")},
        }, ["id", "name", "type", "deadline", "open", "seats", "seats_left", "description", "partners", "variant"]),
        "CallCreate": _object(_call_body(case_type, {}), ["name", "type", "deadline"]),
        "CallUpdate": _object(
            _call_body(
                {**case_type, "description": "Optional; if sent, the call's own type (it cannot change)"},
                {"id": {"type": "integer", "minimum": 1,
                        "description": "An existing partner of the call; leave it out for a new partner"}},
            ),
            ["name", "deadline"],
        ),
        "Case": _object({
            "id": INTEGER, "reference": STRING, "type": case_type,
            "state": {"type": "string", "enum": states}, "state_label": STRING, "version": INTEGER,
            "call": _nullable(named),
            "partner": _nullable(_object({"id": INTEGER, "name": STRING, "country": STRING})),
            "faculty": _nullable(STRING),
            "renews": _nullable({"type": "integer", "description": "The id of the case this one renews"}),
            "data": {"type": "object", "description": "The application's fields (see the type's Data schema)"},
            "created_at": TIMESTAMP, "updated_at": TIMESTAMP,
        }),
        "Event": _object({
            "at": TIMESTAMP,
            "actor": _nullable(_object({"name": STRING, "role": {"type": "string", "enum": list(ROLES)}})),
            "action": {"type": "string", "examples": ["case.created", "case.transitioned"]},
            "transition": _nullable(STRING), "from": _nullable(STRING), "to": STRING, "comment": STRING,
        }),
        "AllowedTransition": _object({
            "name": STRING, "label": STRING, "dest": STRING,
            "comment": {"type": "string", "enum": ["required", "optional", "none"]},
        }),
        "CaseDetail": {
            "allOf": [
                ref("Case"),
                _object({
                    "history": array(ref("Event")),
                    "deadlines": {**array(_object({
                        "name": STRING, "label": STRING, "state": STRING, "due_at": TIMESTAMP,
                        "open": {"type": "boolean", "description": "Still running: the case is in its stage"},
                        "overdue": BOOLEAN, "closed_at": _nullable(TIMESTAMP),
                    })), "description": "The case's deadlines (UTC), running ones first"},
                    "documents": {**array(ref("Document")), "description": "The case's documents, by kind"},
                    "checklist": {**array(ref("ChecklistEntry")), "description": (
                        "The documents this application asks for (the workflow's checklist, for its answers)")},
                    "allowed_transitions": {
                        **array(ref("AllowedTransition")),
                        "description": "What the caller may do now",
                    },
                }),
            ]
        },
        "Document": _object({
            "id": INTEGER,
            "case": {"type": "integer", "description": "The id of its case"},
            "kind": {"type": "string", "description": "Its checklist entry"},
            "label": STRING,
            "status": {"type": "string", "enum": list(STATUSES)},
            "status_label": STRING,
            "reason": {"type": "string", "description": "Why it was rejected; empty otherwise"},
            "file_name": {"type": "string", "description": "The uploader's name for the file, for display only"},
            "file_type": {"type": "string", "enum": list(DOCUMENT_TYPES),
                          "description": "What its content is, detected at upload"},
            "size": {"type": "integer", "description": "In bytes, as stored (an image is stored re-encoded)"},
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "uploaded_at": TIMESTAMP,
            "reviewed_at": _nullable(TIMESTAMP),
            "content_url": {"type": "string", "description": "Where to download the file"},
        }),
        "ChecklistEntry": _object({
            "kind": STRING, "label": STRING, "required": BOOLEAN,
            "accept": array({"type": "string", "enum": list(DOCUMENT_TYPES)}),
            "step": {"type": "string", "description": "The stage that needs it"},
            "status": {"type": "string", "enum": [*STATUSES, "missing"]},
            "document": _nullable({"type": "integer", "description": "The id of its document"}),
        }),
        "DocumentUpload": _object(
            {
                "kind": {"type": "string", "description": "A kind of the case's checklist"},
                "file": {"type": "string", "contentMediaType": "application/octet-stream",
                         "description": "The file: a PDF, JPEG or PNG, as the checklist entry accepts"},
            },
        ),
        "DocumentReview": _object(
            {
                "status": {"type": "string", "enum": [ACCEPTED, REJECTED]},
                "reason": _nullable({"type": "string", "maxLength": MAX_REASON,
                                     "description": "Required to reject: the applicant reads it"}),
            },
            ["status"],
        ),
        "CasePage": _object({
            "items": array(ref("Case")), "page": INTEGER, "per_page": INTEGER,
            "total": {"type": "integer", "description": "Visible cases matching the filters, on all pages"},
        }),
        "CaseCreate": _object(
            {
                "type": case_type,
                "call": _nullable({"type": "integer", "description": "The id of an open call of this type"}),
                "renews": _nullable({"type": "integer", "description": (
                    "For a renewal: the id of the case it renews (in a state the type allows renewing from)")}),
                "data": {"anyOf": [ref(data_name(w)) for w in catalog]},
            },
            ["type", "data"],
        ),
        "ScoreRequest": _object(
            {
                "score": {"type": "number", "description": "Within the workflow's bounds, at most two decimals"},
                "comment": _nullable({"type": "string", "maxLength": 2000}),
            },
            ["score"],
        ),
        "Score": _object({"case": INTEGER, "member": STRING, "score": {"type": "number"}, "comment": STRING,
                          "scored_at": TIMESTAMP}),
        "Ranking": _object({
            "call": named,
            "places_left": INTEGER,
            "tie_break": {**array(STRING), "description": "How equal mean scores are ordered, in this order"},
            "members": array(STRING),
            "rows": array(_object({
                "rank": {**_nullable(INTEGER), "description": "Null for a commission member"},
                "case": INTEGER, "reference": STRING, "applicant": STRING,
                "mean": _nullable({"type": "number"}), "lowest": _nullable({"type": "number"}),
                "scores": {"type": "object", "additionalProperties": {"type": "number"},
                           "description": "Member e-mail → score (the office sees all, a member their own)"},
                "within_places": BOOLEAN,
            })),
            "blockers": {**array(STRING), "description": "Why the ranking cannot close yet; empty when it can"},
        }),
        "TransitionRequest": _object(
            {
                "transition": STRING,
                "version": {"type": "integer", "description": "The version of the case the caller saw"},
                "comment": _nullable({"type": "string", "maxLength": 5000}),
            },
            ["transition", "version"],
        ),
    }
    for workflow in catalog:
        schemas[data_name(workflow)] = _data_schema(workflow)
    return schemas


def data_name(workflow: Workflow) -> str:
    """Return the schema name of a case type's application data, e.g. MobilityData."""
    return "".join(part.title() for part in workflow.name.split("_")) + "Data"
