"""A case's history: the one writer of its lines, and every kind of line with its wording for people.

Each line is an append-only ``case_events`` row whose ``action`` names one
of the kinds declared here (dotted, as pretix names its log actions).  The
case page, the API (``Event.label``) and the mails say what a line means
through the same kind, so a new kind of line is one declaration below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from caseflow.i18n import _
from caseflow.models.cases import CaseEvent
from caseflow.workflow.spec import Workflow


@dataclass(frozen=True)
class ActionKind:
    """One kind of history line."""

    name: str  # stored in case_events.action
    # What happened, in words, from the workflow, the line's transition (if any) and its ``changes``.
    wording: Callable[[Workflow, str | None, dict], str]
    moves: bool = False  # the line records a change of state (shown as before → after)
    internal: bool = False  # for staff only: never shown to the applicant nor mailed (a staff note)

    def describe(self, workflow: Workflow, transition: str | None = None, changes: dict | None = None) -> str:
        return self.wording(workflow, transition, changes or {})


KINDS: dict[str, ActionKind] = {}


def declare(name: str, wording: Callable[[Workflow, str | None, dict], str], moves: bool = False,
            internal: bool = False) -> ActionKind:
    """Declare a kind of history line: its name, and how it is worded for people from the line's data."""
    if name in KINDS:
        raise ValueError(f"history kind {name!r} declared twice")
    KINDS[name] = ActionKind(name, wording, moves, internal)
    return KINDS[name]


def _transition_done(workflow: Workflow, name: str | None, changes: dict) -> str:
    """What the move did, in the past tense (its button says what staff do, not what happened)."""
    transition = workflow.transition(name) if name else None
    return transition.done if transition is not None else (name or "")


def _document(workflow: Workflow, changes: dict) -> str:
    return workflow.document_label(changes.get("document", ""))


CREATED = declare("case.created", lambda w, t, c: w.created_label or _("Application submitted"), moves=True)
TRANSITIONED = declare("case.transitioned", _transition_done, moves=True)
DOCUMENT_UPLOADED = declare("document.uploaded", lambda w, t, c: _("Uploaded “%(document)s”", document=_document(w, c)))
DOCUMENT_REPLACED = declare("document.replaced", lambda w, t, c: _("Uploaded a new file for “%(document)s”",
                                                                 document=_document(w, c)))
DOCUMENT_ACCEPTED = declare("document.accepted", lambda w, t, c: _("Accepted “%(document)s”", document=_document(w, c)))
DOCUMENT_REJECTED = declare("document.rejected", lambda w, t, c: _("Rejected “%(document)s”", document=_document(w, c)))
DOCUMENT_DELETED = declare("document.deleted", lambda w, t, c: _("Removed “%(document)s”", document=_document(w, c)))
DOCUMENT_VIEWED = declare("document.viewed", lambda w, t, c: _("Viewed “%(document)s”", document=_document(w, c)))
NOTED = declare("case.noted", lambda w, t, c: _("Internal note"), internal=True)
SUBJECT_INVITED = declare("case.subject_invited",
                          lambda w, t, c: _("Invited %(name)s to follow the case", name=c.get("name", "")))
DOCUMENTS_DOWNLOADED = declare("document.downloaded", lambda w, t, c: _("Downloaded all documents"))


def record(session: Session, case_id: int, kind: ActionKind, actor_id: int | None, now: datetime, *,
           to_state: str, from_state: str | None = None, transition: str | None = None, comment: str = "",
           changes: dict[str, Any] | None = None, request_key: str | None = None) -> int:
    """Append one line to a case's history, in the caller's transaction, and return its id.

    One INSERT … RETURNING on the session's connection: the ORM's flush would cost more than the statement.
    """
    table = CaseEvent.__table__
    return session.connection().execute(insert(table).values(
        case_id=case_id, at=now, actor_id=actor_id, action=kind.name, transition=transition, from_state=from_state,
        to_state=to_state, comment=comment, changes=changes or {}, request_key=request_key,
    ).returning(table.c.id)).scalar_one()


INTERNAL = tuple(kind.name for kind in KINDS.values() if kind.internal)


def kind_of(event: CaseEvent) -> ActionKind | None:
    return KINDS.get(event.action)


def describe(workflow: Workflow, event: CaseEvent) -> str:
    """Say what a stored line means (its action's name if no kind declares it any more)."""
    kind = kind_of(event)
    return kind.describe(workflow, event.transition, event.changes) if kind is not None else event.action
