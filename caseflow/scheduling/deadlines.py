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

from caseflow.extensions import db
from caseflow.i18n import lazy_gettext
from caseflow.models.cases import Call, Case, ReferenceItem
from caseflow.models.deadlines import CaseDeadline
from caseflow.models.documents import REJECTED, Document, outstanding
from caseflow.scheduling.workdays import WorkCalendar
from caseflow.timeutil import as_day, years_after
from caseflow.workflow.spec import Deadline, ReferenceList, Workflow

REMINDER_HOUR = time(9, 0)  # reminders go out at the start of the office's working day


# The office's own changes to the country's calendar, kept as dates (YYYY-MM-DD) in two
# reference lists that admins edit on /admin/lists.
DAYS_OFF_LIST = "office_days_off"
WORKING_DAYS_LIST = "office_working_days"
DATE_LISTS = {
    DAYS_OFF_LIST: ReferenceList(DAYS_OFF_LIST, lazy_gettext("Days the office is closed"), lazy_gettext(
        "Working days the office does not count, e.g. a day the rector closes the university. YYYY-MM-DD."),
        values="date"),
    WORKING_DAYS_LIST: ReferenceList(WORKING_DAYS_LIST, lazy_gettext("Extra working days"), lazy_gettext(
        "Days off the office counts as working days, e.g. a Saturday worked instead of a holiday. YYYY-MM-DD."),
        values="date"),
}


def calendar() -> WorkCalendar:
    """Return the office's working-day calendar: the Kyrgyz Republic's, with the office's own days."""
    if "caseflow_calendar" not in g:
        rows = db.session.execute(select(ReferenceItem.list_name, ReferenceItem.value)
                                  .where(ReferenceItem.list_name.in_(list(DATE_LISTS)))).all()
        days = {name: frozenset(date.fromisoformat(value) for list_name, value in rows if list_name == name)
                for name in DATE_LISTS}
        g.caseflow_calendar = WorkCalendar("KG", days[DAYS_OFF_LIST], days[WORKING_DAYS_LIST] - days[DAYS_OFF_LIST])
    return g.caseflow_calendar


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["CASEFLOW_TIMEZONE"])


def due_at(spec: Deadline, start: datetime, first_day: date | None = None) -> datetime:
    """Return (naive UTC) the end of the deadline's last day in the office's zone, counted from ``start``.

    ``years`` counts from ``first_day`` (the day its ``from_field`` gives, else the day of ``start``) and
    ends the day before the anniversary: a permit issued on 1 December 2026 is valid until 30 November 2027.
    """
    zone = _zone()
    if spec.working_days is not None:
        return calendar().due_at(start.replace(tzinfo=UTC), spec.working_days, str(zone)).replace(tzinfo=None)
    day = first_day or start.replace(tzinfo=UTC).astimezone(zone).date()
    if spec.years is not None:
        return _local(years_after(day, spec.years) - timedelta(days=1), time.max, zone)
    return _local(day + timedelta(days=spec.days), time.max, zone)


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


def follow_move(session: Session, workflow: Workflow, case: Case, to_state: str, now: datetime,
                leaving: bool = True) -> None:
    """Close the case's open deadlines (it left their stage) and open those of ``to_state``."""
    if not workflow.deadlines:
        return  # a workflow without deadlines costs nothing here
    case_id = case.id
    table = CaseDeadline.__table__
    if leaving:
        session.connection().execute(
            update(table).where(table.c.case_id == case_id, table.c.closed_at.is_(None))
            .values(closed_at=now, remind_at=None))
    specs = workflow.deadlines_of(to_state)
    if not specs:
        return
    rows = []
    for spec in specs:
        if spec.until == "documents_supplied" and _documents_supplied(session, workflow, case):
            continue  # nothing is missing: nobody needs reminding
        due = _due(session, spec, case, now)
        if due is not None:
            rows.append(_new_row(spec, case_id, to_state, due, now))
    if rows:
        session.connection().execute(insert(table), rows)


def documents_changed(session: Session, workflow: Workflow, case, now: datetime) -> datetime | None:
    """Open or close the deadlines that follow a case's documents, after an upload, review or deletion.

    A rejection opens the ``opens = "document_rejected"`` deadline (the
    applicant's time to upload a new file) unless one runs already; it closes
    once no document is rejected.  ``until = "documents_supplied"`` deadlines
    close once the stage's required documents are all there.  Return the due
    moment of the open document_rejected deadline, if any (the rejection mail
    names it).
    """
    specs = [d for d in workflow.deadlines
             if d.opens == "document_rejected" or (d.until == "documents_supplied" and d.state == case.state)]
    if not specs:
        return None
    table = CaseDeadline.__table__
    open_rows = {row.name: row for row in session.execute(
        select(table.c.id, table.c.name, table.c.due_at)
        .where(table.c.case_id == case.id, table.c.closed_at.is_(None), table.c.name.in_([d.name for d in specs]))
    )}
    statuses = _statuses(session, case.id)
    rejected = REJECTED in statuses.values()
    close, due = [], None
    for spec in specs:
        row = open_rows.get(spec.name)
        if spec.opens == "document_rejected":
            if rejected and row is None:
                due = _due(session, spec, case, now)
                if due is not None:
                    session.connection().execute(insert(table), [_new_row(spec, case.id, case.state, due, now)])
            elif row is not None and not rejected:
                close.append(row.id)
            elif row is not None:
                due = row.due_at
        elif row is not None and _documents_supplied(session, workflow, case, statuses):
            close.append(row.id)
    if close:
        session.connection().execute(update(table).where(table.c.id.in_(close)).values(closed_at=now, remind_at=None))
    return due


def _statuses(session: Session, case_id: int) -> dict[str, str]:
    return dict(session.execute(select(Document.kind, Document.status).where(Document.case_id == case_id)).all())


def _documents_supplied(session: Session, workflow: Workflow, case, statuses: dict[str, str] | None = None) -> bool:
    """Return whether every required document of the case's checklist is there and not rejected."""
    needed = [d for d in workflow.documents_for(case.data or {}) if d.required]
    if not needed:
        return True
    missing, rejected = outstanding(needed, _statuses(session, case.id) if statuses is None else statuses)
    return not missing and not rejected


def _due(session: Session, spec: Deadline, case, now: datetime) -> datetime | None:
    """Return when a deadline of ``case`` opening now is due; None for a call deadline already past (or no call)."""
    if spec.due == "call_deadline":
        closes = session.scalar(select(Call.deadline_at).where(Call.id == case.call_id)) if case.call_id else None
        return closes if closes is not None and closes > now else None
    # E.g. the day the permit was issued, which the office recorded.
    first_day = as_day((case.data or {}).get(spec.from_field)) if spec.from_field else None
    return due_at(spec, now, first_day)


def _new_row(spec: Deadline, case_id: int, state: str, due: datetime, now: datetime) -> dict:
    # Reminders whose time has already passed when the deadline opens are not sent late.
    skipped = sum(1 for moment in reminder_times(spec, due) if moment <= now)
    return {"case_id": case_id, "name": spec.name, "state": state, "due_at": due,
            "remind_at": next_look(spec, due, skipped, False), "reminders_sent": skipped, "created_at": now}


def call_deadline_moved(session: Session, workflow: Workflow, call_id: int, closes_at: datetime, now: datetime) -> None:
    """Move the open ``due = "call_deadline"`` deadlines of a call's cases to its new closing moment.

    Their reminders are planned again from the new day (those already past
    are not sent late); a call closed early closes them.
    """
    specs = {d.name: d for d in workflow.deadlines if d.due == "call_deadline"}
    if not specs:
        return
    table = CaseDeadline.__table__
    rows = session.execute(
        select(table.c.id, table.c.name).join(Case, Case.id == table.c.case_id)
        .where(Case.call_id == call_id, table.c.closed_at.is_(None), table.c.name.in_(list(specs)))
        .with_for_update(of=table, key_share=True)
    ).all()
    for row in rows:
        if closes_at <= now:
            values = {"closed_at": now, "remind_at": None}
        else:
            fresh = _new_row(specs[row.name], 0, "", closes_at, now)
            values = {key: fresh[key] for key in ("due_at", "remind_at", "reminders_sent")}
        session.execute(update(table).where(table.c.id == row.id).values(**values))
