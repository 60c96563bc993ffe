"""Reading the audit log: one page of entries, or all of them for a file, filtered as an admin asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from caseflow.cases.queries import Page
from caseflow.extensions import db
from caseflow.models.audit import AuditEntry
from caseflow.timeutil import to_utc

EXPORT_LIMIT = 100_000  # one file; a longer period is several files


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""  # exact, e.g. account.login_failed
    actor: str = ""  # part of the actor's e-mail
    target: str = ""  # what it was done to, exactly: user:12, faculty:IT, call:3, account:someone@…
    since: date | None = None  # office days, both included
    until: date | None = None

    def where(self) -> list:
        zone, where = current_app.config["CASEFLOW_TIMEZONE"], []
        if self.action:
            where.append(AuditEntry.action == self.action)
        if self.actor:
            where.append(AuditEntry.actor.contains(self.actor.lower(), autoescape=True))
        if self.target:
            where.append(AuditEntry.target == self.target)  # user:2 is not user:24
        if self.since:
            where.append(AuditEntry.at >= to_utc(datetime.combine(self.since, time.min), zone))
        if self.until:
            where.append(AuditEntry.at < to_utc(datetime.combine(self.until + timedelta(days=1), time.min), zone))
        return where


def entries(filters: AuditFilter, page: int = 1, per_page: int = 50) -> Page:
    """One page of the entries that match, the newest first."""
    where = filters.where()
    total = db.session.scalar(select(func.count()).select_from(AuditEntry).where(*where))
    items = db.session.scalars(select(AuditEntry).where(*where).order_by(AuditEntry.id.desc())
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return Page(list(items), total, page, per_page)


def all_entries(filters: AuditFilter) -> list[AuditEntry]:
    """Every entry that matches, the oldest first (at most EXPORT_LIMIT), for a file."""
    return list(db.session.scalars(select(AuditEntry).where(*filters.where()).order_by(AuditEntry.id)
                                   .limit(EXPORT_LIMIT)))
