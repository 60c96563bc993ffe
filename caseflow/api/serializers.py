"""Turn workflows, calls and cases into the JSON shapes the OpenAPI document describes.

Pure functions of what the view already loaded: none of them runs a query, so
a view's statement count is decided by its queries alone.  Lazy relationships
are ``lazy="raise"``, so touching one that was not loaded fails loudly.
"""

from __future__ import annotations

from flask import url_for

from caseflow.accounts.permissions import offered_transitions
from caseflow.cases.seats import SeatsTaken
from caseflow.catalog import catalog
from caseflow.documents.operations import status_label
from caseflow.fields.numbers import as_number
from caseflow.models.accounts import User
from caseflow.models.cases import Call, Case, CaseEvent
from caseflow.models.deadlines import CaseDeadline
from caseflow.models.documents import Document
from caseflow.timeutil import iso_utc, utcnow
from caseflow.workflow import Field, Workflow
from caseflow.workflow.spec import Document as DocumentKind


def field(spec: Field) -> dict:
    """Describe one application field."""
    return {
        "name": spec.name,
        "label": spec.label,
        "type": spec.type,
        "required": spec.required,
        "help": spec.help,
        "min": as_number(spec.min),
        "max": as_number(spec.max),
        "max_length": spec.max_length,
        "choices": [{"value": c.value, "label": c.label} for c in spec.choices],
    }


def workflow(spec: Workflow) -> dict:
    """Describe a case type: its states, transitions and application fields."""
    return {
        "name": spec.name,
        "label": spec.label,
        "description": spec.description,
        "needs_call": spec.needs_call,
        "initial": spec.initial,
        "states": [{"name": s.name, "label": s.label, "terminal": s.terminal} for s in spec.states],
        "transitions": [
            {"name": t.name, "label": t.label, "sources": list(t.sources), "dest": t.dest, "roles": list(t.roles)}
            for t in spec.transitions
        ],
        "fields": [field(f) for f in spec.fields],
        # The eligibility conditions in the applicant's words (rules with a label).
        "conditions": [rule.label for rule in spec.rules if rule.label],
        "documents": [
            {**_checklist_entry(spec, d),
             "applies_when": {"field": d.when["field"], "in": list(d.when["in"])} if d.when else None}
            for d in spec.documents
        ],
    }


def call(item: Call, taken: SeatsTaken, commissions: dict[int, list[str]] | None = None) -> dict:
    """Describe a call with its places and partners; ``taken`` holds the seats held per pool.

    ``commissions`` (call id → members' e-mail addresses) is given to the office only,
    and shown for kinds of call decided by a ranking.
    """
    described = {
        "id": item.id,
        "name": item.name,
        "type": item.type,
        "deadline": iso_utc(item.deadline_at),
        "open": item.is_open(),
        "seats": item.seats,
        "seats_left": taken.call_left(item),
        "description": item.description or "",
        "partners": [
            {
                "id": p.id,
                "name": p.name,
                "country": p.country,
                "seats": p.seats,
                "seats_left": taken.partner_left(p),
            }
            for p in item.partners
        ],
        "variant": item.variant,
    }
    spec = catalog().get(item.type)
    if commissions is not None and spec is not None and spec.scoring is not None:
        described["commission"] = commissions.get(item.id, [])
    return described


def _state_label(spec: Workflow | None, state: str) -> str:
    # A workflow file may have lost a state or a type that old cases still hold;
    # show the stored name rather than fail.
    try:
        return spec.state(state).label if spec else state
    except KeyError:
        return state


def case(item: Case) -> dict:
    """Describe a case as lists show it; its call and partner must be loaded."""
    spec = catalog().get(item.type)
    return {
        "id": item.id,
        "reference": item.reference,
        "type": item.type,
        "state": item.state,
        "state_label": _state_label(spec, item.state),
        "version": item.version,
        "call": {"id": item.call.id, "name": item.call.name} if item.call else None,
        "partner": (
            {"id": item.partner.id, "name": item.partner.name, "country": item.partner.country}
            if item.partner else None
        ),
        "faculty": item.faculty_code,
        "renews": item.renews_id,
        "data": item.data,
        "created_at": iso_utc(item.created_at),
        "updated_at": iso_utc(item.updated_at),
    }


def _actor(user: User | None) -> dict | None:
    if user is None:  # events written by the system (scheduler, CLI) have no actor
        return None
    return {"name": user.display_name, "role": user.role}


def event(item: CaseEvent) -> dict:
    """Describe one line of a case's history; its actor must be loaded."""
    return {
        "at": iso_utc(item.at),
        "actor": _actor(item.actor),
        "action": item.action,
        "transition": item.transition,
        "from": item.from_state,
        "to": item.to_state,
        "comment": item.comment,
    }


def allowed_transitions(item: Case, user: User) -> list[dict]:
    """List the transitions ``user`` may fire on the case in its current state."""
    spec = catalog().get(item.type)
    if spec is None:
        return []
    return [
        {"name": t.name, "label": t.label, "dest": t.dest, "comment": t.comment}
        for t in offered_transitions(user, item, spec)
    ]


def case_detail(item: Case, history: list[CaseEvent], user: User, deadlines: list[CaseDeadline],
                documents: list[Document]) -> dict:
    """Describe a case for its page: the list shape, its history, its deadlines, its documents against
    its checklist, and what ``user`` may do."""
    spec = catalog().get(item.type)
    return {
        **case(item),
        "history": [event(e) for e in history],
        "deadlines": [deadline(item, d) for d in deadlines],
        "documents": [document(d, spec) for d in documents],
        "checklist": checklist(item, spec, documents),
        "allowed_transitions": allowed_transitions(item, user),
    }


def document(item: Document, spec: Workflow | None) -> dict:
    """Describe a case's document; ``spec`` is its case's workflow (None if no longer loaded)."""
    return {
        "id": item.id,
        "case": item.case_id,
        "kind": item.kind,
        "label": spec.document_label(item.kind) if spec is not None else item.kind,
        "status": item.status,
        "status_label": status_label(item.status),
        "reason": item.reason,
        "file_name": item.file_name,
        "file_type": item.file_type,
        "size": item.size,
        "sha256": item.sha256,
        "uploaded_at": iso_utc(item.uploaded_at),
        "reviewed_at": iso_utc(item.reviewed_at),
        "content_url": url_for("api.get_document_content", document_id=item.id),
    }


def checklist(item: Case, spec: Workflow | None, documents: list[Document]) -> list[dict]:
    """List the documents the case's application asks for, each with its document's status or "missing"."""
    if spec is None:
        return []
    statuses = {d.kind: d for d in documents}
    return [
        {**_checklist_entry(spec, d),
         "status": statuses[d.kind].status if d.kind in statuses else "missing",
         "document": statuses[d.kind].id if d.kind in statuses else None}
        for d in spec.documents_for(item.data or {})
    ]


def _checklist_entry(spec: Workflow, entry: DocumentKind) -> dict:
    """Describe one entry of a workflow's document checklist."""
    return {"kind": entry.kind, "label": entry.label, "required": entry.required, "accept": list(entry.accept),
            "step": spec.step_of(entry)}


def deadline(item: Case, row: CaseDeadline) -> dict:
    spec = catalog().get(item.type)
    declared = spec.deadline(row.name) if spec is not None else None
    return {
        "name": row.name,
        "label": declared.label if declared else row.name,
        "state": row.state,
        "due_at": iso_utc(row.due_at),
        "open": row.closed_at is None,
        "overdue": row.closed_at is None and utcnow() > row.due_at,
        "closed_at": iso_utc(row.closed_at),
    }
