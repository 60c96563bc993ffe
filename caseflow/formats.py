"""How numbers, amounts, sizes and moments read in the reader's language (Babel, the office's zone).

Every text that shows a date, an amount or a count goes through these, in
pages, mails and messages alike: never ``strftime`` or ``isoformat`` in
words a person reads.  The database keeps naive UTC; moments are shown in
the office's zone (``CASEFLOW_TIMEZONE``); outside an app (the engine's
tests) in English and UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_location
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal
from flask import current_app, has_app_context
from flask_babel import get_locale

from caseflow.i18n import SOURCE_LANGUAGE, gettext, ngettext

CURRENCY = "KGS"  # the som: fees and prices the office names


def _locale() -> Locale:
    """The reader's language; outside an app (the engine's tests), the English of the source texts."""
    return get_locale() if has_app_context() else Locale.parse(SOURCE_LANGUAGE)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["CASEFLOW_TIMEZONE"]) if has_app_context() else ZoneInfo("UTC")


def as_datetime(moment: datetime | str | None) -> datetime | None:
    """Read a naive-UTC datetime, or the ISO text a queued e-mail's context holds."""
    return datetime.fromisoformat(moment) if isinstance(moment, str) else moment


def office_time(moment: datetime | str | None, style: str = "medium") -> str:
    """A naive-UTC moment as a date and time, to the minute, in the office's zone ("1 дек. 2026 г., 14:00")."""
    moment = as_datetime(moment)
    if moment is None:
        return ""
    local, locale = moment.replace(tzinfo=UTC).astimezone(_zone()), _locale()
    # The locale's own way of joining a date and a time ("{1}, {0}"), with the time to the minute.
    pattern = str(locale.datetime_formats[style])
    return pattern.replace("{1}", format_date(local, style, locale=locale)).replace(
        "{0}", format_time(local, "short", locale=locale))


def zone_name() -> str:
    """The office's zone as its readers name it: its city ("Бишкек")."""
    return get_timezone_location(_zone(), locale=_locale(), return_city=True)


def office_day(moment: datetime | str | None, style: str = "long") -> str:
    """The office-local day of a naive-UTC moment (a deadline runs to the end of its day)."""
    moment = as_datetime(moment)
    return "" if moment is None else format_date(moment.replace(tzinfo=UTC).astimezone(_zone()), style,
                                                  locale=_locale())


def day(value: date | str | None, style: str = "long") -> str:
    """A calendar day ("20 декабря 2026 г.")."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return "" if value is None else format_date(value, style, locale=_locale())


def clock(value: time | None) -> str:
    """A time of day, as the reader's language writes it ("10:00", "10:00 AM")."""
    return "" if value is None else format_time(value, "short", locale=_locale())


def money(amount: Decimal | int | float | str | None, currency: str = CURRENCY) -> str:
    """An amount with its currency, as the reader writes it: "2 000 сом", "2,000 som", "€1,500.00"."""
    if amount is None or amount == "":
        return ""
    if currency == CURRENCY:  # CLDR writes "KGS" in Russian and English; the office writes the som's name
        return gettext("%(amount)s som", amount=format_decimal(Decimal(str(amount)), "#,##0.##", locale=_locale()))
    return format_currency(Decimal(str(amount)), currency, locale=_locale())


def number(value: Decimal | int | float | None) -> str:
    return "" if value is None else format_decimal(value, locale=_locale())


def size(count: int) -> str:
    """A file's size the way people read it: 512 bytes, 34 KB, 2.5 MB."""
    if count < 1024:
        return ngettext("%(size)s byte", "%(size)s bytes", count, size=format_decimal(count, locale=_locale()))
    if count < 1024 * 1024:  # unit abbreviations do not decline
        return gettext("%(size)s KB", size=format_decimal(round(count / 1024), locale=_locale()))
    return gettext("%(size)s MB", size=format_decimal(round(count / (1024 * 1024), 1), locale=_locale()))


def megapixels(pixels: int, rounding: str = ROUND_HALF_EVEN) -> str:
    """A picture's size in megapixels, to a tenth: "59.9 MP", "59,9 Мп".

    A refusal rounds the image's size up and the limit down (``decimal.ROUND_UP``, ``ROUND_DOWN``), so an image
    just over the limit never reads as equal to it.
    """
    count = (Decimal(pixels) / 1_000_000).quantize(Decimal("0.1"), rounding=rounding)
    return gettext("%(count)s MP", count=format_decimal(count, "#,##0.#", locale=_locale()))


def listing(items, style: str = "standard") -> str:
    """Items as one phrase of the reader's language ("A, B и C"); ``style="or"`` for alternatives."""
    items = [str(item) for item in items]
    return format_list(items, style=style, locale=_locale()) if items else ""
