"""Working days of the office: what counts towards a stage deadline, and when a reminder goes out.

Stage deadlines count working days.  Saturdays, Sundays and the public
holidays of the office's country (the ``holidays`` package, Kyrgyzstan by
default) do not count, nor do the days the office closes on its own.  A day
the office declares working (a Saturday the government moved a working day
to) counts even though it falls on a weekend.  Pure code: no database, no
Flask, so the scheduler, the views and the tests share one answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

OFFICE_DAY_OFF = "Office closed"
"""The name :meth:`WorkCalendar.holiday_name` gives a day the office added itself."""

# No real calendar has a year without a working day; a longer search means the calendar is broken.
_MAX_GAP_DAYS = 366
_ONE_DAY = timedelta(days=1)


@cache
def _public_holidays(country: str, year: int, language: str) -> holidays.HolidayBase:
    """Build one year of the country's public holidays, once per process.

    Building a year costs milliseconds (the first one a tenth of a second, as
    the package loads its data) and a deadline scan asks about thousands of
    days, so each (country, year, language) is built once; years load as days in them are asked for.
    """
    return holidays.country_holidays(country, years=year, language=language)


def _as_day(day: date) -> date:
    """Refuse datetimes, which are dates to Python but never equal the dates in the holiday sets."""
    if isinstance(day, datetime):
        raise TypeError(f"expected a date, got the datetime {day!r}; take its local .date() first")
    return day


@dataclass(frozen=True)
class WorkCalendar:
    """The office's working days: the country's weekends and holidays, adjusted by the office.

    Immutable and hashable, so one calendar can be shared by threads and used as a cache key.
    ``language`` fixes the holiday names; left to the package they follow the process locale.
    """

    country: str = "KG"
    extra_days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    language: str = "en_US"

    def __post_init__(self):
        """Freeze the day sets (config hands over lists) and refuse a day that is both off and working."""
        object.__setattr__(self, "extra_days_off", _frozen_days(self.extra_days_off))
        object.__setattr__(self, "extra_working_days", _frozen_days(self.extra_working_days))
        if self.country not in holidays.list_supported_countries():
            raise ValueError(f"the holidays package knows no country {self.country!r}")
        both = self.extra_days_off & self.extra_working_days
        if both:
            days = ", ".join(d.isoformat() for d in sorted(both))
            raise ValueError(f"days both off and working: {days}")

    def _country_days(self, day: date) -> holidays.HolidayBase:
        """The cached holidays of the day's year (loading that year on first use)."""
        return _public_holidays(self.country, day.year, self.language)

    def is_working_day(self, day: date) -> bool:
        """Whether the day counts towards a deadline.

        The office's own choices win over the country's calendar; the package's
        answer already includes weekends and the weekend days its decrees made working.
        """
        day = _as_day(day)
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return self._country_days(day).is_working_day(day)

    def holiday_name(self, day: date) -> str | None:
        """Why the day is off, for pages and mails; ``None`` for working days and plain weekends."""
        day = _as_day(day)
        if day in self.extra_working_days:
            return None
        if day in self.extra_days_off:
            return OFFICE_DAY_OFF
        return self._country_days(day).get(day)

    def _step(self, day: date, direction: int) -> date:
        """The nearest working day strictly after (``+1``) or before (``-1``) the day."""
        for _ in range(_MAX_GAP_DAYS):
            day += direction * _ONE_DAY
            if self.is_working_day(day):
                return day
        raise ValueError(f"no working day within {_MAX_GAP_DAYS} days of {day.isoformat()}")

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start``; a stage entered on ``start`` is due at its end.

        ``start`` itself does not count (the day a case enters a stage is not a
        full day of work).  ``n = 0`` gives ``start`` when it is a working day,
        else the next working day: "due today" cannot fall on a day off.
        """
        start = _as_day(start)
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        if n == 0:
            return start if self.is_working_day(start) else self._step(start, +1)
        day = start
        for _ in range(n):
            day = self._step(day, +1)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after ``start`` up to and including ``end``.

        The inverse of :meth:`add_working_days` for n >= 1, so "3 working days
        left" and "due in 3 working days" agree; negative when ``end`` is before
        ``start`` (working days overdue).
        """
        start, end = _as_day(start), _as_day(end)
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += _ONE_DAY
            count += self.is_working_day(day)
        return count

    def on_or_before_working_day(self, day: date) -> date:
        """The day itself if working, else the nearest working day before it.

        A reminder due on a day off goes out on the working day before, so the
        person reads it while there is still a working day to act on it.
        """
        day = _as_day(day)
        return day if self.is_working_day(day) else self._step(day, -1)

    def due_at(self, start_at: datetime, working_days: int, zone: str) -> datetime:
        """The aware-UTC last moment of the n-th working day after ``start_at``'s local date.

        Working days are the office's days, so the count starts from the date in
        ``zone`` (a case entering a stage at 02:00 in Bishkek entered it that
        local day, though UTC still says the day before), and the deadline is
        the end of the local day, 23:59:59.999999, converted back to UTC for storage.
        """
        if start_at.tzinfo is None or start_at.utcoffset() is None:
            raise ValueError("start_at must be timezone-aware (UTC); naive times are ambiguous")
        office = ZoneInfo(zone)
        local_start = start_at.astimezone(office).date()
        due_day = self.add_working_days(local_start, working_days)
        return datetime.combine(due_day, time.max, tzinfo=office).astimezone(UTC)


def _frozen_days(days: Iterable[date]) -> frozenset[date]:
    """A frozenset of plain dates, so config can pass lists and datetimes are caught early."""
    return frozenset(_as_day(day) for day in days)


def holiday_name(day: date, calendar: WorkCalendar | None = None) -> str | None:
    """The name of the holiday or office closure on the day, through ``calendar`` (Kyrgyzstan by default)."""
    return (calendar or WorkCalendar()).holiday_name(day)
