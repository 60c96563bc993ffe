"""The mail the service queued, as a test reads it: the latest message to an address and the link in it."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from caseflow.extensions import db
from caseflow.models.outbox import OutboxMessage


def mailed(email: str) -> OutboxMessage:
    """The latest message queued to ``email``."""
    db.session.rollback()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                .order_by(OutboxMessage.id.desc()).limit(1))
    assert message is not None, f"no mail to {email}"
    db.session.commit()  # end the read, so that what the app writes next is seen (commit keeps the row loaded)
    return message


def mailed_link(email: str) -> str:
    """The path of the link in the latest message to ``email`` (what its reader opens)."""
    return urlsplit(mailed(email).context["link"]).path
