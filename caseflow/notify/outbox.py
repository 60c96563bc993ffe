"""Writing messages to the outbox, inside the caller's transaction.

Nothing here talks to a mail server: ``delivery`` does, after the commit.
A message's ``key`` is unique, so an operation retried after a failure cannot
queue the same message twice.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from caseflow.history import ActionKind
from caseflow.models.accounts import User
from caseflow.models.outbox import PENDING, OutboxMessage
from caseflow.workflow.spec import Workflow


def enqueue(session: Session, key: str, recipient: str, subject: str, template: str, now: datetime,
            case_id: int | None = None, **context) -> None:
    """Queue ``templates/email/<template>.txt`` (and ``.html``) for ``recipient``, rendered when sent."""
    domain = current_app.config["CASEFLOW_MAIL_DEFAULT_SENDER"].rpartition("@")[2].rstrip(">") or "caseflow"
    connection = session.connection()
    dialect_insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    # A message already queued under this key stays as it is: queuing is idempotent.
    connection.execute(dialect_insert(OutboxMessage.__table__).on_conflict_do_nothing(index_elements=["key"]).values(
        key=key, case_id=case_id, recipient=recipient, subject=subject, template=template, context=context,
        message_id=f"<{secrets.token_hex(12)}@{domain}>", status=PENDING, attempts=0,
        next_attempt_at=now, last_error="", created_at=now,
    ))


def applicant_of(session: Session, case) -> tuple[str, str]:
    """Return the applicant's (e-mail address, name to greet)."""
    row = session.execute(select(User.email, User.full_name).where(User.id == case.applicant_id)).one()
    return row.email, row.full_name or row.email


def case_link(case_id: int) -> str:
    return f"{current_app.config['CASEFLOW_BASE_URL'].rstrip('/')}/cases/{case_id}"


def case_update(session: Session, workflow: Workflow, case, event_id: int, now: datetime, kind: ActionKind, *,
                transition: str | None = None, from_state: str | None, comment: str = "") -> None:
    """Tell the applicant what happened to their case (submitted, each decision), with the comment.

    ``kind`` and ``transition`` are the history line's, whose wording the mail uses.
    """
    email, name = applicant_of(session, case)
    state = workflow.state(case.state)
    subject = f"[{case.reference}] {state.label}"
    enqueue(
        session, f"case-event:{event_id}", email, subject, "case_update", now, case_id=case.id,
        name=name, reference=case.reference, programme=workflow.label,
        action=kind.describe(workflow, transition), before=workflow.state(from_state).label if from_state else "",
        state=state.label,
        next_step=state.next_step, comment=comment, link=case_link(case.id),
    )
