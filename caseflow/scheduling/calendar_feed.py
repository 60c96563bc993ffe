"""A user's open deadlines as an iCalendar feed (``/calendar/<token>.ics``), for their calendar app.

Calendar apps fetch the feed without a login, so its address carries a
secret: the user's calendar token, stored (like API tokens) only as its
SHA-256.  Making a new token replaces the old one, so a leaked address is
switched off by making a new one.

The feed lists what the user must act on: staff, the ``notify = "actor"``
deadlines of the cases they may see, in the stages where their role fires a
transition itself (as their daily digest does); applicants, every open
deadline of their own cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vDuration
from sqlalchemy import Row, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from caseflow import formats
from caseflow.accounts.permissions import visible_cases_clause
from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.extensions import db
from caseflow.i18n import _
from caseflow.models.accounts import User
from caseflow.models.cases import Case
from caseflow.models.deadlines import CalendarToken, CaseDeadline
from caseflow.notify.outbox import case_link
from caseflow.routing import site_url
from caseflow.scheduling.digest import acting_stages
from caseflow.timeutil import utcnow

PRODID = "-//caseflow//deadlines//EN"
REFRESH = timedelta(hours=1)  # how often we ask calendar apps to fetch the feed again
MAX_TOKEN_LENGTH = 100  # a real token has 43 characters; longer input is not worth hashing


# ------------------------------------------------------------------- tokens


def issue_token(user: User) -> str:
    """Give ``user`` a new calendar token, replacing any old one, and return its secret (shown once)."""
    secret = CalendarToken.new_secret()
    now = utcnow()
    with write_transaction() as session:
        connection = session.connection()
        dialect_insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
        # One statement, so two clicks at once cannot both insert a row for the user.
        statement = dialect_insert(CalendarToken.__table__).values(
            user_id=user.id, token_hash=CalendarToken.hash(secret), created_at=now)
        connection.execute(statement.on_conflict_do_update(
            index_elements=["user_id"],
            set_={"token_hash": statement.excluded.token_hash, "created_at": statement.excluded.created_at}))
    return secret


def token_created_at(user: User) -> datetime | None:
    """Return when ``user``'s current calendar token was made, or None if they have none."""
    return db.session.scalar(select(CalendarToken.created_at).where(CalendarToken.user_id == user.id))


def feed_owner(secret: str) -> User | None:
    """Return the active user whose calendar token ``secret`` is, or None."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH:
        return None
    user = db.session.scalar(select(User).join(CalendarToken, CalendarToken.user_id == User.id)
                             .where(CalendarToken.token_hash == CalendarToken.hash(secret)))
    return user if user is not None and user.active else None


def feed_url(secret: str) -> str:
    """Return the feed's address for calendar apps, on the site's public address."""
    return site_url(f"/calendar/{secret}.ics")


# ---------------------------------------------------------------- the feed


def actor_deadlines() -> list[tuple[str, str]]:
    """Return the (case type, deadline name) pairs that staff must meet (``notify = "actor"``)."""
    return [(workflow.name, spec.name) for workflow in catalog() for spec in workflow.deadlines
            if spec.notify == "actor"]


def feed_deadlines(user: User) -> Sequence[Row]:
    """Return the open deadlines ``user`` should see in their calendar, soonest first (one query)."""
    where = [CaseDeadline.closed_at.is_(None), visible_cases_clause(user)]
    if user.is_staff:
        stages, named = acting_stages(user.role), actor_deadlines()
        if not stages or not named:
            return []
        where += [tuple_(Case.type, Case.state).in_(stages), tuple_(Case.type, CaseDeadline.name).in_(named)]
    return db.session.execute(
        select(CaseDeadline.id, CaseDeadline.name, CaseDeadline.due_at, CaseDeadline.created_at,
               CaseDeadline.case_id, Case.reference, Case.type, Case.state)
        .join(Case, Case.id == CaseDeadline.case_id)
        .where(*where)
        .order_by(CaseDeadline.due_at, CaseDeadline.id)
    ).all()


def build_feed(deadlines: Sequence[Row], zone: str) -> bytes:
    """Return the iCalendar text of ``deadlines`` (rows of ``feed_deadlines``), one event each."""
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    name = _("Case deadlines")
    feed.add("name", name)  # RFC 7986
    feed.add("x-wr-calname", name)  # what Google Calendar, Outlook and Apple Calendar read
    feed.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", vDuration(REFRESH))  # Outlook's name for it
    office = ZoneInfo(zone)
    for row in deadlines:
        feed.add_component(deadline_event(row, office))
    return feed.to_ical()


def deadline_event(row: Row, office: ZoneInfo) -> Event:
    """Return the all-day event of one deadline, on its due day in the office's time zone."""
    workflow = catalog().get(row.type)
    spec = workflow.deadline(row.name) if workflow else None
    due = row.due_at.replace(tzinfo=UTC)
    # A deadline runs to the end of its last day in the office's zone (23:59:59 there). As a
    # timed event it would be a sliver at the bottom of the day, or past midnight for anyone
    # east of the office; as an all-day event (DATE values, DTEND the next day, exclusive) every
    # calendar app shows it as a banner on the due day itself, as the case page does.
    day = due.astimezone(office).date()
    link = case_link(row.case_id)
    lines = [
        _("Programme: %(programme)s", programme=workflow.label if workflow else row.type),
        _("Stage: %(state)s", state=workflow.state_label(row.state) if workflow else row.state),
        _("Due by the end of %(day)s (%(zone)s)", day=formats.day(day), zone=formats.zone_name()),
        link,
    ]
    event = Event()
    event.add("uid", f"deadline-{row.id}@caseflow")
    # Without a METHOD, DTSTAMP is when the event's information last changed: a deadline's
    # due moment is fixed when it opens, and a stable stamp keeps the feed's ETag stable.
    event.add("dtstamp", row.created_at.replace(tzinfo=UTC))
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"{row.reference}: {spec.label if spec else row.name}")
    event.add("description", "\n".join(lines))
    event.add("url", link)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    return event
