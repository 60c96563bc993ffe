"""Writing messages to the outbox, inside the caller's transaction.

Nothing here talks to a mail server: ``delivery`` does, after the commit.
A message's ``key`` is unique, so an operation retried after a failure cannot
queue the same message twice.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from caseflow.accounts.models import User
from caseflow.notify.models import PENDING, OutboxMessage
from caseflow.workflow.spec import Workflow


def enqueue(session: Session, key: str, recipient: str, subject: str, template: str, now: datetime,
            case_id: int | None = None, **context) -> None:
    """Queue ``templates/email/<template>.txt`` (and ``.html``) for ``recipient``, rendered when sent."""
    domain = current_app.config["CASEFLOW_MAIL_DEFAULT_SENDER"].rpartition("@")[2].rstrip(">") or "caseflow"
    session.connection().execute(insert(OutboxMessage.__table__).values(
        key=key, case_id=case_id, recipient=recipient, subject=subject, template=template, context=context,
        message_id=f"<{secrets.token_hex(12)}@{domain}>", status=PENDING, attempts=0,
        next_attempt_at=now, last_error="", created_at=now,
    ))


def case_update(session: Session, workflow: Workflow, case, event_id: int, now: datetime, *, action: str,
                from_state: str | None, comment: str = "") -> None:
    """Tell the applicant what happened to their case (submitted, each decision), with the comment."""
    applicant = session.execute(select(User.email, User.full_name).where(User.id == case.applicant_id)).one()
    state = workflow.state(case.state)
    subject = f"[{case.reference}] {state.label}"
    enqueue(
        session, f"case-event:{event_id}", applicant.email, subject, "case_update", now, case_id=case.id,
        name=applicant.full_name or applicant.email, reference=case.reference, programme=workflow.label,
        action=action, before=workflow.state(from_state).label if from_state else "", state=state.label,
        next_step=state.next_step, comment=comment,
        link=f"{current_app.config['CASEFLOW_BASE_URL'].rstrip('/')}/cases/{case.id}",
    )
