"""Deadlines of cases: opened when a case enters a stage, closed when it leaves (``scheduling.deadlines``)."""

from __future__ import annotations

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
