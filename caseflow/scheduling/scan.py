"""The reminder scan: act on the deadlines that are due, and only on those.

It reads deadlines by ``remind_at`` (indexed), so its cost follows the
number of deadlines due, not of cases.  Each batch is one transaction that
queues the mails and moves ``remind_at`` on together: a scan killed midway
leaves nothing half-done, and one run again finds only what is still due.
Two scans at once take different rows (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; one writer on SQLite), and a message's unique outbox key makes
queuing it twice impossible anyway.  A deadline closed before the scan (the
case left its stage) has no ``remind_at`` and is never reminded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.formats import office_day
from caseflow.i18n import lazy_gettext
from caseflow.models.accounts import User
from caseflow.models.cases import Case
from caseflow.models.deadlines import CaseDeadline
from caseflow.notify import outbox
from caseflow.scheduling.deadlines import next_look, reminder_times
from caseflow.timeutil import utcnow

BATCH = 200
MAX_BATCHES = 1000


@dataclass
class ScanReport:
    deadlines: int = 0
    reminders: int = 0
    escalations: int = 0

    def __str__(self) -> str:
        return f"deadlines due: {self.deadlines}, reminders: {self.reminders}, escalations: {self.escalations}"


def scan(now: datetime | None = None) -> ScanReport:
    """Queue the reminders and escalations due at ``now`` (default: the present)."""
    now = now or utcnow()
    report = ScanReport()
    for _batch in range(MAX_BATCHES):
        if not _scan_batch(now, report):
            break
    return report


def _scan_batch(now: datetime, report: ScanReport) -> bool:
    with write_transaction() as session:
        due = session.scalars(
            select(CaseDeadline).where(CaseDeadline.remind_at <= now)
            .order_by(CaseDeadline.remind_at, CaseDeadline.id).limit(BATCH)
            .with_for_update(skip_locked=True).execution_options(populate_existing=True)
        ).all()
        if not due:
            return False
        cases = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_({d.case_id for d in due})))}
        heads = escalation_recipients(session)  # once a batch, not once a deadline
        for deadline in due:
            report.deadlines += 1
            _act(session, deadline, cases[deadline.case_id], now, report, heads)
    return True


def _act(session, deadline: CaseDeadline, case: Case, now: datetime, report: ScanReport,
         heads: list[str]) -> None:
    workflow = catalog().get(case.type)
    spec = workflow.deadline(deadline.name) if workflow is not None else None
    if spec is None:  # its workflow file no longer declares it
        deadline.remind_at = None
        return
    times = reminder_times(spec, deadline.due_at)
    while deadline.reminders_sent < len(times) and times[deadline.reminders_sent] <= now:
        number = deadline.reminders_sent
        deadline.reminders_sent += 1
        if now < deadline.due_at and spec.notify == "applicant":
            outbox.to_people(session, workflow, case, f"deadline:{deadline.id}:reminder:{number}",
                             "deadline_reminder", now, _compose(REMINDER, workflow, case, spec, deadline))
            report.reminders += 1
    if spec.escalate and deadline.escalated_at is None and now >= deadline.due_at:
        for head in heads:
            outbox.enqueue(session, f"deadline:{deadline.id}:escalation:{head.email}", head, "deadline_escalation",
                           now, _compose(ESCALATION, workflow, case, spec, deadline), case_id=case.id)
        deadline.escalated_at = now
        report.escalations += 1
    deadline.remind_at = next_look(spec, deadline.due_at, deadline.reminders_sent, deadline.escalated_at is not None)


# The subjects, whole sentences in each language: the reminder names its due day, the escalation says overdue.
REMINDER = lazy_gettext("[%(reference)s] %(deadline)s: by %(due)s")
ESCALATION = lazy_gettext("[%(reference)s] Overdue: %(deadline)s")


def _compose(subject, workflow, case: Case, spec, deadline: CaseDeadline):
    def compose():
        return subject % {"reference": case.reference, "deadline": spec.label,
                          "due": office_day(deadline.due_at, "medium")}, {
            "reference": case.reference, "programme": workflow.label, "deadline": spec.label,
            "state": workflow.state_label(deadline.state), "due_at": deadline.due_at.isoformat(),
            "link": outbox.case_link(case.id)}
    return compose


def escalation_recipients(session) -> list[outbox.Recipient]:
    """The head of the office (CASEFLOW_ESCALATION_TO), or else every active admin."""
    configured = [e.strip() for e in (current_app.config["CASEFLOW_ESCALATION_TO"] or "").split(",") if e.strip()]
    if not configured:
        configured = list(session.scalars(select(User.email).where(User.role == "admin", User.active.is_(True))
                                          .order_by(User.email)))
    return [outbox.recipient_of(session, email) for email in configured]
