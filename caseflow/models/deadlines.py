"""Deadlines of cases: opened when a case enters a stage, closed when it leaves (``scheduling.deadlines``)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.timeutil import utcnow


class CaseDeadline(db.Model):
    """One running (or closed) deadline of one case, as its workflow's ``[[deadlines]]`` declares."""

    __tablename__ = "deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(50))  # the workflow's deadline name
    state: Mapped[str] = mapped_column(String(50))
    due_at: Mapped[datetime]
    # The next moment the scan must look at it (a reminder, the escalation); None: nothing more to do.
    # Indexed: a scan reads only what is due, whatever the number of deadlines stored.
    remind_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    reminders_sent: Mapped[int] = mapped_column(default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarToken(db.Model):
    """The secret in a user's calendar feed address (``/calendar/<token>.ics``); only its SHA-256 is stored.

    One per user: making a new one replaces the old, so the old address stops working.
    """

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return secrets.token_urlsafe(32)
