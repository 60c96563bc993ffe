"""Internal notes: what staff write on a case for each other, in its history, never shown to the applicant."""

from __future__ import annotations

from caseflow import history, limits
from caseflow.accounts.permissions import can_note, can_view
from caseflow.database import write_transaction
from caseflow.errors import Forbidden, Invalid, NotFound
from caseflow.fields.text import text_refusal
from caseflow.i18n import _
from caseflow.models.accounts import User
from caseflow.models.cases import Case
from caseflow.timeutil import utcnow


def add_note(case_id: int, actor: User, note: str) -> None:
    """Add ``note`` to the case's history as an internal line: no mail, no change the applicant sees."""
    note = (note or "").strip()
    refused = text_refusal(note, limits.TEXT) or (None if note else _("Write the note first."))
    if refused:
        raise Invalid(refused, {"note": [refused]})
    with write_transaction() as session:
        case = session.get(Case, case_id)
        if case is None or not can_view(actor, case):
            raise NotFound(_("There is no such case."))
        if not can_note(actor, case):
            raise Forbidden(_("Only staff write internal notes."))
        history.record(session, case.id, history.NOTED, actor.id, utcnow(), to_state=case.state, comment=note)
