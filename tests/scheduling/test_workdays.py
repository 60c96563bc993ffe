"""Working days: Kyrgyz holidays, office days off and working Saturdays, reminders, UTC deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from caseflow.scheduling import workdays
from caseflow.scheduling.workdays import OFFICE_DAY_OFF, WorkCalendar, holiday_name

KG = WorkCalendar()
THURSDAY = date(2026, 10, 1)  # no Kyrgyz holiday in October 2026


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 1), "New Year's Day"),  # Thursday
        (date(2026, 1, 5), "New Year Holidays"),  # Monday, one of the Labor Code 2025's New Year days
        (date(2027, 3, 8), "International Women's Day"),  # Monday
        (date(2025, 3, 21), "Nooruz Holiday"),  # Friday
        (date(2026, 8, 31), "Independence Day"),  # Monday
    ],
)
def test_kyrgyz_public_holidays_on_weekdays_are_days_off(day, name):
    assert day.weekday() < 5
    assert not KG.is_working_day(day)
    assert holiday_name(day) == name


def test_ordinary_weekdays_work_and_weekends_do_not():
    assert [KG.is_working_day(THURSDAY + timedelta(days=i)) for i in range(7)] == [
        True,  # Thu
        True,  # Fri
        False,  # Sat
        False,  # Sun
        True,  # Mon
        True,  # Tue
        True,  # Wed
    ]
    assert holiday_name(date(2026, 10, 3)) is None  # a plain Saturday has no holiday name


def test_a_saturday_the_government_made_working_counts():
    # Decree 2024: the working day of 2 January moved to Saturday 27 January; the package knows it.
    assert KG.is_working_day(date(2024, 1, 27))
    assert not KG.is_working_day(date(2024, 1, 2))


def test_seven_working_days_from_a_thursday_skip_the_weekends():
    assert KG.add_working_days(THURSDAY, 7) == date(2026, 10, 12)  # Fri 2, Mon 5 ... Fri 9, Mon 12
    assert KG.working_days_between(THURSDAY, date(2026, 10, 12)) == 7


def test_a_span_over_new_year_skips_the_new_year_holidays():
    start = date(2026, 12, 24)  # Thursday
    # Fri 25, Mon 28, Tue 29, Wed 30, Thu 31; 1-7 January 2027 are holidays; Fri 8, Mon 11.
    assert KG.add_working_days(start, 7) == date(2027, 1, 11)
    assert KG.working_days_between(start, date(2027, 1, 11)) == 7
    assert KG.working_days_between(date(2026, 12, 31), date(2027, 1, 7)) == 0


def test_an_office_day_off_moves_the_due_day():
    closed = WorkCalendar(extra_days_off=frozenset({date(2026, 10, 5)}))
    assert not closed.is_working_day(date(2026, 10, 5))
    assert closed.holiday_name(date(2026, 10, 5)) == OFFICE_DAY_OFF
    assert closed.add_working_days(THURSDAY, 7) == date(2026, 10, 13)


def test_an_extra_working_saturday_counts():
    saturday = date(2026, 10, 3)
    working = WorkCalendar(extra_working_days=frozenset({saturday}))
    assert working.is_working_day(saturday)
    assert working.add_working_days(THURSDAY, 7) == date(2026, 10, 9)
    assert working.working_days_between(THURSDAY, date(2026, 10, 9)) == 7


def test_the_office_can_work_on_a_public_holiday():
    working = WorkCalendar(extra_working_days=[date(2026, 8, 31)])
    assert working.is_working_day(date(2026, 8, 31))
    assert working.holiday_name(date(2026, 8, 31)) is None


def test_zero_working_days_is_today_or_the_next_working_day():
    assert KG.add_working_days(THURSDAY, 0) == THURSDAY
    assert KG.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 5)  # Saturday -> Monday


def test_working_days_between_counts_backwards_as_negative():
    assert KG.working_days_between(THURSDAY, THURSDAY) == 0
    assert KG.working_days_between(date(2026, 10, 12), THURSDAY) == -7


@pytest.mark.parametrize(
    ("due", "sent"),
    [
        (date(2026, 10, 2), date(2026, 10, 2)),  # a working Friday stays
        (date(2026, 10, 4), date(2026, 10, 2)),  # Sunday -> Friday
        (date(2026, 8, 31), date(2026, 8, 28)),  # Independence Day, a Monday -> Friday before
        (date(2026, 5, 7), date(2026, 4, 30)),  # inside the May holidays (1-9 May) -> Thursday 30 April
    ],
)
def test_a_reminder_due_on_a_day_off_goes_out_the_working_day_before(due, sent):
    assert KG.on_or_before_working_day(due) == sent


def test_due_at_is_the_end_of_the_local_working_day_in_utc():
    # 20:00 UTC on Wednesday 30 September is 02:00 on Thursday 1 October in Bishkek (UTC+6, no DST).
    start = datetime(2026, 9, 30, 20, 0, tzinfo=UTC)
    due = KG.due_at(start, 7, "Asia/Bishkek")
    assert due == datetime(2026, 10, 12, 17, 59, 59, 999999, tzinfo=UTC)  # Mon 12 Oct 23:59:59.999999 +06
    assert due.utcoffset() == timedelta(0)


def test_due_at_reads_the_local_date_of_any_aware_time():
    start = datetime(2026, 10, 1, 9, 0, tzinfo=timezone(timedelta(hours=6)))  # Thursday morning in Bishkek
    assert KG.due_at(start, 1, "Asia/Bishkek") == datetime(2026, 10, 2, 17, 59, 59, 999999, tzinfo=UTC)


def test_due_at_refuses_naive_times():
    with pytest.raises(ValueError, match="aware"):
        KG.due_at(datetime(2026, 10, 1, 9, 0), 1, "Asia/Bishkek")


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="negative"):
        KG.add_working_days(THURSDAY, -1)
    with pytest.raises(TypeError, match="datetime"):
        KG.is_working_day(datetime(2026, 10, 1, 12, 0))
    with pytest.raises(ValueError, match="2026-10-05"):
        WorkCalendar(extra_days_off={date(2026, 10, 5)}, extra_working_days={date(2026, 10, 5)})
    with pytest.raises(ValueError, match="XX"):
        WorkCalendar(country="XX")


def test_a_calendar_is_immutable_and_hashable():
    calendar = WorkCalendar(extra_days_off=[date(2026, 10, 5)])
    assert isinstance(calendar.extra_days_off, frozenset)
    assert calendar == WorkCalendar(extra_days_off=frozenset({date(2026, 10, 5)}))
    assert len({calendar, WorkCalendar(extra_days_off={date(2026, 10, 5)})}) == 1
    with pytest.raises(AttributeError):
        calendar.country = "KZ"


@pytest.fixture
def built_years(monkeypatch):
    """Record which years the package is asked to build, starting from an empty cache."""
    built = []
    real = workdays.holidays.country_holidays

    def spy(country, years, **kwargs):
        built.append(years)
        return real(country, years=years, **kwargs)

    workdays._public_holidays.cache_clear()
    monkeypatch.setattr(workdays.holidays, "country_holidays", spy)
    yield built
    workdays._public_holidays.cache_clear()


def test_years_load_as_days_cross_into_them_and_once_each(built_years):
    assert KG.add_working_days(date(2026, 12, 28), 3) == date(2026, 12, 31)
    assert built_years == [2026]
    assert KG.add_working_days(date(2026, 12, 28), 5) == date(2027, 1, 11)  # crosses into 2027
    assert built_years == [2026, 2027]
    KG.working_days_between(date(2026, 1, 1), date(2027, 12, 31))
    assert built_years == [2026, 2027]
