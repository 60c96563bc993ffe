"""Calls for applications: as the API shows them, a new call, a changed call, and the list's filter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from flask import current_app
from pydantic import AfterValidator, BeforeValidator, Field, create_model

from caseflow import limits
from caseflow.api.schemas.base import Body, ClockTime, Id, Query, Reply, Setting, Timestamp, built
from caseflow.cases.seats import SeatsTaken
from caseflow.errors import OUTSIDE_CALENDAR
from caseflow.fields.base import refusal
from caseflow.fields.choices import COUNTRY_CODE
from caseflow.fields.text import email, line, lines
from caseflow.i18n import LANGUAGES
from caseflow.i18n import lazy_gettext as _l
from caseflow.models.cases import Call as CallRow
from caseflow.models.cases import Partner as PartnerRow
from caseflow.timeutil import to_utc


class Partner(Reply):
    id: Id
    name: str
    country: str = Field(description="Its ISO 3166-1 alpha-2 code")
    seats: int = Field(ge=1)
    seats_left: int = Field(ge=0, description="Seats not held by a case in a seat-holding state")

    @classmethod
    def of(cls, partner: PartnerRow, taken: SeatsTaken) -> Partner:
        return cls(id=partner.id, name=partner.name, country=partner.country, seats=partner.seats,
                   seats_left=taken.partner_left(partner))


Language = Literal[tuple(LANGUAGES)]


class CallTexts(Body):
    """A call's name and description in one more language; left out or empty: readers see them as written."""

    name: line(limits.LINE, required=False) = ""
    description: lines(limits.DESCRIPTION) = ""


class Call(Reply):
    """A call for applications of one case type, with its places and partners.

    ``name`` and ``description`` are in the caller's language (Accept-Language) where the office gave
    them in it, else as written (``language``); ``translations`` holds every language given.
    """

    id: Id
    name: str
    type: str
    deadline: Timestamp
    open: bool = Field(description="Whether the deadline is still ahead")
    seats: int | None = Field(ge=1, description="The call's own places (an event's capacity); null: no limit")
    seats_left: int | None = Field(ge=0, description="Places not held by a case; null: no limit")
    description: str = Field(description="The programme, as plain text")
    language: Language = Field(description="The language the name and description were written in")
    translations: dict[Language, CallTexts] = Field(description="The name and description in other languages")
    partners: list[Partner]
    variant: str | None = Field(description="The programme, for kinds with several (scholarship)")
    first_day: date | None = Field(description="Its period's first day (an event's days, the stays')")
    last_day: date | None
    starts_at: ClockTime | None = Field(description="The time of day it starts on its first day")
    ends_at: ClockTime | None = Field(description="The time of day it ends on its last day")
    place: str
    contact: str
    reserve_list: bool
    commission: list[str] = Field(default_factory=list, description=(
        "The commission members' e-mail addresses: shown to the office, for kinds decided by a ranking"))

    @classmethod
    def of(cls, call: CallRow, taken: SeatsTaken, commission: list[str] | None = None) -> Call:
        shown = {} if commission is None else {"commission": commission}
        return cls(id=call.id, name=call.shown_name, type=call.type, deadline=call.deadline_at, open=call.is_open(),
                   seats=call.seats, seats_left=taken.call_left(call), description=call.shown_description,
                   language=call.language, translations=call.translations or {},
                   partners=[Partner.of(p, taken) for p in call.partners], variant=call.variant,
                   first_day=call.first_day, last_day=call.last_day, starts_at=call.starts_at, ends_at=call.ends_at,
                   place=call.place, contact=call.contact,
                   reserve_list=call.reserve_list, **shown)


def _moment(value):
    """Read an ISO 8601 moment; one without an offset (or a day alone) is office time."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            raise refusal(_l("Give the deadline in ISO 8601, e.g. 2027-03-01T12:00:00+06:00.")) from None
    return value


def _within_calendar(value: datetime) -> datetime:
    try:
        to_utc(value, current_app.config["CASEFLOW_TIMEZONE"])
    except ValueError:
        raise refusal(OUTSIDE_CALENDAR) from None
    return value


DeadlineInput = Annotated[datetime, BeforeValidator(_moment), AfterValidator(_within_calendar), Field(
    json_schema_extra={"format": "date-time", "examples": ["2027-03-01T12:00:00Z", "2027-03-01T12:00:00+06:00"]},
    description="ISO 8601; without an offset (e.g. 2027-03-01T12:00) it is office time (CASEFLOW_TIMEZONE)")]


class PartnerIn(Body):
    name: line(limits.LINE)
    country: COUNTRY_CODE = Field(description="The partner's country: its ISO 3166-1 alpha-2 code, e.g. DE")
    seats: Annotated[int, Field(ge=1, le=limits.PARTNER_SEATS)]


class PartnerChange(PartnerIn):
    id: Id | None = Field(None, description="An existing partner of the call; leave it out for a new partner")


@built
def call_create(setting: Setting) -> type[Body]:
    return _call_bodies(setting)[0]


@built
def call_update(setting: Setting) -> type[Body]:
    return _call_bodies(setting)[1]


@built
def _call_bodies(setting: Setting) -> tuple[type[Body], type[Body]]:
    """A new call, and a changed one (its type, if sent, is the call's own; partners with an id are kept)."""
    types = tuple(w.name for w in setting.catalog if w.needs_call)
    common = {
        "name": (line(limits.LINE), ...),
        "deadline": (DeadlineInput, ...),
        "seats": (Annotated[int, Field(ge=1, le=limits.CALL_SEATS)] | None, Field(None, description=(
            "The call's own places; required for case types whose places are the call's"))),
        "description": (lines(limits.DESCRIPTION), Field("", description="The programme, plain text")),
        "variant": (Annotated[str, Field(max_length=limits.CHOICE)] | None, Field(None, description=(
            "For kinds with several programmes (scholarship): which one, a value of the workflow's variant field"))),
        "commission": (Annotated[list[email()], Field(max_length=limits.COMMISSION)] | None, Field(None, description=(
            "For kinds decided by a ranking: the e-mail addresses of the staff who score; on a change, left out "
            "keeps the commission"))),
        "first_day": (date | None, Field(None, description=(
            "The first day of its period, for kinds whose workflow has one (an event's days, the stays')"))),
        "last_day": (date | None, Field(None, description="The last day of its period")),
        "starts_at": (ClockTime | None, Field(None, description=(
            "The time of day it starts on its first day (an event's opening)"))),
        "ends_at": (ClockTime | None, Field(None, description="The time of day it ends on its last day")),
        "place": (line(limits.LINE, required=False), Field("", description="Where it happens")),
        "contact": (line(limits.LINE, required=False), Field("", description="Whom to ask: a person, an address")),
        "reserve_list": (bool, Field(False, description=(
            "Applicants may choose a partner with no seat left, as reserves; otherwise a full partner is refused"))),
        "translations": (dict[Language, CallTexts] | None, Field(None, description=(
            "The name and description in other languages (ru, ky, en); name and description are written in the "
            "caller's language (Accept-Language); on a change, left out keeps them"))),
    }
    partners = Field(default_factory=list, max_length=limits.PARTNERS)
    create = create_model("CallCreate", __base__=Body, __doc__="A new call for applications.",
                          type=(Literal[types], ...), partners=(list[PartnerIn], partners), **common)
    change = create_model("CallUpdate", __base__=Body, __doc__=(
        "A call as it is to be: partners listed with their id are kept, those left out removed, those without an "
        "id added."), type=(Literal[types] | None, Field(None, description="If sent, the call's own type")),
        partners=(list[PartnerChange], partners), **common)
    for shape in (create, change):
        shape.__messages__ = {"commission": _l("“commission” lists the members' e-mail addresses."),
                              "variant": _l("“variant” is the programme's value, text.")}
    return create, change


@built
def call_query(setting: Setting) -> type[Query]:
    types = tuple(w.name for w in setting.catalog)
    return create_model("CallQuery", __base__=Query,
                        type=(Literal[types] | None, Field(None, description="Only calls of this case type")))
