"""The audit log: who changed an account, a role, a faculty, a list, a token or a call, and who logged in.

Append-only: nothing in the service updates or deletes a row, and on
PostgreSQL (and SQLite) a trigger refuses UPDATE and DELETE, so not even a
mistaken script or a compromised account can rewrite the record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.timeutil import utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Who did it: their account (None: a command on the server, or nobody logged in) and their e-mail as it
    # was then, so that the line still says who it was whatever becomes of the account.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None, index=True)
    actor: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(60))  # dotted: account.created, call.changed, ...
    target: Mapped[str] = mapped_column(String(300), default="")  # what it was done to: user:12, faculty:IT
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    address: Mapped[str] = mapped_column(String(45), default="")  # where the request came from


# The statements that make the table append-only, per database; the migration runs the same ones.
APPEND_ONLY = {
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP; END $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
           FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    ],
    "sqlite": [
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused'); END""",
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
           BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: DELETE refused'); END""",
    ],
}

for _dialect, _statements in APPEND_ONLY.items():
    for _statement in _statements:
        # DDL formats its text with %: the trigger's own % must be doubled.
        event.listen(AuditEntry.__table__, "after_create",
                     DDL(_statement.replace("%", "%%")).execute_if(dialect=_dialect))
