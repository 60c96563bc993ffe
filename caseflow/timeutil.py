"""Time helpers: the database stores naive UTC; pages show the office's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def as_day(value: object) -> date | None:
    """A day from a date or its ISO text (YYYY-MM-DD, as a form's day is stored); None for anything else."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later (earlier, if negative); 29 February becomes the 28th in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def years_before(day: date, years: int) -> date:
    return years_after(day, -years)


def utcnow() -> datetime:
    """Return the current time as naive UTC, the form every ``*_at`` column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_utc(moment: datetime, zone: str) -> datetime:
    """Convert an aware or office-local naive datetime to naive UTC.

    Raises ValueError for a moment whose UTC falls outside the calendar (the first or last hours of the
    years 1 and 9999).
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    try:
        return moment.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        raise ValueError("the moment lies outside the calendar") from None


def from_utc(moment: datetime, zone: str) -> datetime:
    """Convert a naive-UTC datetime to naive office-local time (what a date-time input shows)."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def iso_utc(moment: datetime | None) -> str | None:
    """Format a naive-UTC datetime as ISO 8601 with a Z, for the API."""
    if moment is None:
        return None
    return moment.replace(microsecond=0).isoformat() + "Z"


def office_today() -> date:
    """The office's calendar day now (in its zone when an app is running, else in UTC)."""
    if has_app_context():
        return from_utc(utcnow(), current_app.config["CASEFLOW_TIMEZONE"]).date()
    return utcnow().date()
