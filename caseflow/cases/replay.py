"""The same request twice changes nothing: a submission or an action sent again is answered with what the
first one did.

A page form carries a one-time token and an API client may send an
``Idempotency-Key``; either becomes a ``RequestKey``, stored on the case it
created or the history line it wrote, in that same transaction.  So a double
click, ten parallel copies, or a retry after a lost answer (the database
committed, the reply never arrived) find the first one's result instead of
making a second case or failing with "the case changed".
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.errors import Invalid
from caseflow.i18n import _
from caseflow.models.cases import Case, CaseEvent


@dataclass(frozen=True)
class RequestKey:
    key: str
    # What the request said (a digest of its body), to refuse the same key with other content; None: not
    # compared (a page's form, which a person may correct and send again under its token).
    digest: str | None = None


def _reused() -> Invalid:
    message = _("This request's key was used already for a different request; use a new key for a new request.")
    return Invalid(message, {"request_key": [message]})


def earlier_case(session: Session, applicant_id: int, request: RequestKey | None) -> Case | None:
    """The case an earlier copy of this submission created, or None; refuse the key reused for other content."""
    if request is None:
        return None
    case = session.scalar(select(Case).where(Case.applicant_id == applicant_id,
                                             Case.request_key == request.key))
    if case is not None and request.digest is not None and case.request_digest not in (None, request.digest):
        raise _reused()
    return case


def earlier_move(session: Session, case_id: int, actor_id: int, transition: str,
                 request: RequestKey | None) -> bool:
    """Whether an earlier copy of this request already fired ``transition`` on the case; refuse another's key."""
    if request is None:
        return False
    fired = session.scalar(select(CaseEvent.transition).where(
        CaseEvent.case_id == case_id, CaseEvent.actor_id == actor_id, CaseEvent.request_key == request.key)
        .limit(1))
    if fired is not None and fired != transition:
        raise _reused()
    return fired is not None
