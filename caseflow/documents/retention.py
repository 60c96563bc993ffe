"""Retention: remove the documents of cases closed long ago, and files no document refers to.

Passports and medical certificates are kept no longer than the office needs
them.  The history keeps a line for each removed document (who uploaded it,
when, its SHA-256 in the earlier lines); only the bytes and the document row go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, false, or_, select

from caseflow import history
from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.documents.operations import history_line
from caseflow.documents.storage import storage
from caseflow.extensions import db
from caseflow.i18n import _, ngettext
from caseflow.models.cases import Case
from caseflow.models.documents import Document
from caseflow.timeutil import utcnow

# A file stored this long ago with no document row is left over from an upload that failed or was
# interrupted between storing the bytes and committing the row.
ORPHAN_AGE = timedelta(days=1)
_PERIOD = re.compile(r"^\s*(\d+)\s*([ymwd])\s*$")
_DAYS = {"y": 365, "m": 30, "w": 7, "d": 1}


def parse_period(text: str) -> timedelta:
    """Read "3y", "18m", "6w" or "90d" (years of 365 days, months of 30); raise ValueError otherwise."""
    match = _PERIOD.match(text.lower())
    if match is None or int(match[1]) == 0:
        raise ValueError(_("Give a period such as 3y, 18m, 6w or 90d."))
    return timedelta(days=int(match[1]) * _DAYS[match[2]])


@dataclass
class PurgeReport:
    cases: int = 0
    documents: int = 0
    orphans: int = 0

    def __str__(self) -> str:
        return f"cases: {self.cases}, documents removed: {self.documents}, leftover files removed: {self.orphans}"


def purge_documents(older_than: timedelta, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Remove the documents of every case closed (terminal state) more than ``older_than`` ago."""
    now = now or utcnow()
    report = PurgeReport()
    terminal = [(workflow.name, state) for workflow in catalog() for state in workflow.terminal_states]
    closed_before = now - older_than
    case_ids = db.session.scalars(
        select(Case.id).join(Document, Document.case_id == Case.id)
        .where(Case.updated_at < closed_before, _any_of(terminal)).distinct().order_by(Case.id)
    ).all()
    db.session.rollback()  # end the read before the writes (SQLite: BEGIN IMMEDIATE)
    for case_id in case_ids:
        report.cases += 1
        report.documents += _purge_case(case_id, closed_before, older_than, now, dry_run)
    if not dry_run:
        report.orphans = _remove_orphans(now)
    return report


def _any_of(pairs: list[tuple[str, str]]):
    return or_(*(and_(Case.type == case_type, Case.state == state) for case_type, state in pairs)) if pairs \
        else false()


def _purge_case(case_id: int, closed_before: datetime, older_than: timedelta, now: datetime, dry_run: bool) -> int:
    files = storage()
    with write_transaction() as session:
        case = session.scalar(select(Case).where(Case.id == case_id).with_for_update(key_share=True))
        workflow = catalog().get(case.type) if case is not None else None
        # Checked again under the lock: the case may have been reopened meanwhile.
        if workflow is None or not workflow.state(case.state).terminal or case.updated_at >= closed_before:
            return 0
        documents = session.scalars(select(Document).where(Document.case_id == case_id).order_by(Document.kind)
                                    .with_for_update(key_share=True)).all()
        if dry_run:
            session.rollback()
            return len(documents)
        keys = [d.storage_key for d in documents]
        for document in documents:
            history_line(session, case, None, history.DOCUMENT_DELETED, now, document,
                         comment=ngettext(
                             "Removed under the retention rule: the case closed more than %(num)d day ago.",
                             "Removed under the retention rule: the case closed more than %(num)d days ago.",
                             older_than.days),
                         file=document.file_name, retention=True)
            files.remove_within(session, document.storage_key)
            session.delete(document)
    for key in keys:
        files.remove_after(key)
    return len(keys)


def _remove_orphans(now: datetime) -> int:
    files = storage()
    candidates = list(files.keys_older_than(now - ORPHAN_AGE))
    if not candidates:
        return 0
    known = set(db.session.scalars(select(Document.storage_key).where(Document.storage_key.in_(candidates))))
    db.session.rollback()
    orphans = [key for key in candidates if key not in known]
    if orphans:
        with write_transaction() as session:
            for key in orphans:
                files.remove_within(session, key)
        for key in orphans:
            files.remove_after(key)
    return len(orphans)
