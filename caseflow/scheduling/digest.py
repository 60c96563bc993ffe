"""The staff's daily digest: one e-mail a working day listing the cases waiting for them.

Staff are not sent a mail per case and deadline: each active staff member
with cases waiting for their role gets one digest from 8:00 office time on
working days, the cases with the nearest deadline first (overdue ones
marked), then the longest waiting.  Its outbox key (user and day) makes it
once a day, however often the job runs and however many schedulers run it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, func, select, tuple_

from caseflow.accounts.permissions import visible_cases_clause
from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.extensions import db
from caseflow.i18n import ngettext
from caseflow.models.accounts import User
from caseflow.models.cases import Case
from caseflow.models.deadlines import CaseDeadline
from caseflow.models.outbox import OutboxMessage
from caseflow.notify import outbox
from caseflow.routing import site_url
from caseflow.scheduling.deadlines import calendar
from caseflow.timeutil import utcnow
from caseflow.workflow.spec import STAFF_ROLES

DIGEST_FROM = time(8, 0)  # office time
MAX_LISTED = 100  # a longer queue is summarised: "and N more"


@dataclass
class DigestReport:
    sent: int = 0
    skipped_day_off: bool = False

    def __str__(self) -> str:
        return "not a working day" if self.skipped_day_off else f"{self.sent} digests"


def acting_stages(role: str) -> list[tuple[str, str]]:
    """Return the (case type, state) pairs where ``role`` fires a transition itself."""
    return [
        (workflow.name, state.name)
        for workflow in catalog() for state in workflow.states if not state.terminal
        if any(role in t.roles and not t.auto and not workflow.is_collective(t)
               for t in workflow.transitions_from(state.name))
    ]


def waiting_for(user: User, now: datetime) -> tuple[list[dict], int]:
    """Return the cases waiting for ``user`` (nearest deadline first, then oldest) and how many there are."""
    stages = acting_stages(user.role)
    if not stages:
        return [], 0
    where = and_(visible_cases_clause(user), tuple_(Case.type, Case.state).in_(stages))
    due = (select(CaseDeadline.case_id, func.min(CaseDeadline.due_at).label("due_at"))
           .where(CaseDeadline.closed_at.is_(None)).group_by(CaseDeadline.case_id).subquery())
    total = db.session.scalar(select(func.count()).select_from(Case).where(where))
    rows = db.session.execute(
        select(Case, due.c.due_at).outerjoin(due, due.c.case_id == Case.id).where(where)
        .order_by(due.c.due_at.is_(None), due.c.due_at, Case.updated_at, Case.id).limit(MAX_LISTED)
    ).all()
    listed = []
    for case, due_at in rows:
        workflow = catalog()[case.type]
        listed.append({
            "reference": case.reference, "programme": workflow.label, "state": workflow.state(case.state).label,
            "since": case.updated_at.isoformat(), "due_at": due_at.isoformat() if due_at else None,
            "overdue": due_at is not None and due_at < now, "link": outbox.case_link(case.id),
        })
    return listed, total


def send_digests(now: datetime | None = None) -> DigestReport:
    """Queue today's digest for each staff member with cases waiting, once, from 8:00 on working days."""
    now = now or utcnow()
    local = now.replace(tzinfo=UTC).astimezone(ZoneInfo(current_app.config["CASEFLOW_TIMEZONE"]))
    report = DigestReport()
    if not calendar().is_working_day(local.date()):
        report.skipped_day_off = True
        return report
    if local.time() < DIGEST_FROM:
        return report
    day = local.date().isoformat()
    done = set(db.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.like(f"digest:%:{day}"))))
    staff = db.session.scalars(select(User).where(User.active.is_(True), User.role.in_(STAFF_ROLES))
                               .order_by(User.id)).all()
    for user in staff:
        key = f"digest:{user.id}:{day}"
        if key in done:
            continue
        cases, total = waiting_for(user, now)
        if not cases:
            continue
        overdue = sum(case["overdue"] for case in cases)

        def compose(cases=cases, total=total, overdue=overdue):
            if overdue:
                subject = ngettext("Your queue: %(num)d case waiting, %(overdue)d overdue",
                                   "Your queue: %(num)d cases waiting, %(overdue)d overdue", total, overdue=overdue)
            else:
                subject = ngettext("Your queue: %(num)d case waiting", "Your queue: %(num)d cases waiting", total)
            return subject, {"day": day, "cases": cases, "total": total,
                             "more": max(total - len(cases), 0),
                             "queue": site_url("/queue")}

        with write_transaction() as session:
            outbox.enqueue(session, key, outbox.Recipient.of_account(user.email, user.full_name, user.locale),
                           "digest", now, compose)
        report.sent += 1
    return report
