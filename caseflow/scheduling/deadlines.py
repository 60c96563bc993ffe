"""Deadlines follow the case: opened when it enters a stage, closed when it leaves, in the same transaction.

When a deadline is due and its reminders fall is worked out here from the
workflow's ``[[deadlines]]`` and the office's working days; the reminder scan
(``scheduling.scan``) acts on what this module stores.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, g
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from caseflow.cases.models import ReferenceItem
from caseflow.extensions import db
from caseflow.scheduling.models import CaseDeadline
from caseflow.scheduling.workdays import WorkCalendar
from caseflow.workflow.spec import Deadline, Workflow

REMINDER_HOUR = time(9, 0)  # reminders go out at the start of the office's working day


# The office's own changes to the country's calendar, kept as dates (YYYY-MM-DD) in two
# reference lists that admins edit on /admin/lists.
DAYS_OFF_LIST = "office_days_off"
WORKING_DAYS_LIST = "office_working_days"
DATE_LISTS = (DAYS_OFF_LIST, WORKING_DAYS_LIST)


def calendar() -> WorkCalendar:
    """Return the office's working-day calendar: the Kyrgyz Republic's, with the office's own days."""
    if "caseflow_calendar" not in g:
        rows = db.session.execute(select(ReferenceItem.list_name, ReferenceItem.value)
                                  .where(ReferenceItem.list_name.in_(DATE_LISTS))).all()
        days = {name: frozenset(date.fromisoformat(value) for list_name, value in rows if list_name == name)
                for name in DATE_LISTS}
        g.caseflow_calendar = WorkCalendar("KG", days[DAYS_OFF_LIST], days[WORKING_DAYS_LIST] - days[DAYS_OFF_LIST])
    return g.caseflow_calendar


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["CASEFLOW_TIMEZONE"])


def due_at(spec: Deadline, start: datetime) -> datetime:
    """Return (naive UTC) the end of the deadline's last day in the office's zone, counted from ``start``."""
    zone = _zone()
    if spec.working_days is not None:
        return calendar().due_at(start.replace(tzinfo=UTC), spec.working_days, str(zone)).replace(tzinfo=None)
    last = start.replace(tzinfo=UTC).astimezone(zone).date() + timedelta(days=spec.days)
    return _local(last, time.max, zone)


def reminder_times(spec: Deadline, due: datetime) -> list[datetime]:
    """Return (naive UTC, earliest first) when the reminders before ``due`` go out: at 9:00 office time,
    ``remind_before`` days before the due day, on the working day before if that day is off."""
    zone = _zone()
    due_day = due.replace(tzinfo=UTC).astimezone(zone).date()
    work = calendar()
    return sorted({_local(work.on_or_before_working_day(due_day - timedelta(days=days)), REMINDER_HOUR, zone)
                   for days in spec.remind_before})


def next_look(spec: Deadline, due: datetime, reminders_sent: int, escalated: bool) -> datetime | None:
    """Return when the scan must next look at a deadline: its next reminder, else its escalation, else never."""
    pending = reminder_times(spec, due)[reminders_sent:]
    if pending:
        return pending[0]
    return due if spec.escalate and not escalated else None


def _local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def follow_move(session: Session, workflow: Workflow, case_id: int, to_state: str, now: datetime,
                leaving: bool = True) -> None:
    """Close the case's open deadlines (it left their stage) and open those of ``to_state``."""
    if not workflow.deadlines:
        return  # a workflow without deadlines costs nothing here
    table = CaseDeadline.__table__
    if leaving:
        session.connection().execute(
            update(table).where(table.c.case_id == case_id, table.c.closed_at.is_(None))
            .values(closed_at=now, remind_at=None))
    rows = []
    for spec in workflow.deadlines_of(to_state):
        due = due_at(spec, now)
        # Reminders whose time has already passed when the deadline opens are not sent late.
        skipped = sum(1 for moment in reminder_times(spec, due) if moment <= now)
        rows.append({"case_id": case_id, "name": spec.name, "state": to_state, "due_at": due,
                     "remind_at": next_look(spec, due, skipped, False), "reminders_sent": skipped,
                     "created_at": now})
    if rows:
        session.connection().execute(insert(table), rows)
