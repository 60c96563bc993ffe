"""What every shape of the API shares: strict bodies, complete replies, ids, times, the error body."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from caseflow import limits
from caseflow.fields.base import refusal
from caseflow.i18n import lazy_gettext as _l
from caseflow.i18n import words
from caseflow.timeutil import iso_utc


class Body(BaseModel):
    """A request body: JSON types exactly as declared ("3" is no integer) and no key it does not declare."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Reply(BaseModel):
    """A response.  A property without a default is always there (null when it has no value); one with a
    default is left out unless it was given (``exclude_unset``), e.g. what only the office sees."""

    model_config = ConfigDict(extra="forbid")


class Query(BaseModel):
    """Query parameters; unknown ones are ignored, as browsers and proxies add their own."""

    model_config = ConfigDict(strict=True, extra="ignore")


Id = Annotated[int, Field(ge=1, le=limits.MAX_ID)]
# Words a person reads (a label, a state's name, a reason): in the caller's language (Accept-Language), while
# the machine names beside them stay.  A workflow file's label is a lazy text, made words here.
Words = Annotated[str, BeforeValidator(words)]
Timestamp = Annotated[
    datetime,
    PlainSerializer(iso_utc, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "description": "UTC, ISO 8601 with Z"}),
]

CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _clock(value: Any) -> time:
    """A time of day as "HH:MM": office time, so never with an offset (nor the seconds nobody gives).  A reply
    is built from the stored time itself."""
    if isinstance(value, time):
        return value
    if isinstance(value, str) and re.fullmatch(CLOCK, value):
        return time.fromisoformat(value)
    raise refusal(_l("Give a time of day as HH:MM, e.g. 10:00."))


# A time of day in office time (an event's opening hour), both ways "HH:MM".
ClockTime = Annotated[
    time,
    BeforeValidator(_clock),
    PlainSerializer(lambda value: value.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": CLOCK, "examples": ["10:00"],
                    "description": "A time of day in office time, HH:MM"}),
]


class Error(Reply):
    """Every refusal: a message for a person, and messages per field of the request (JSON paths such as
    ``data.study_year`` or ``partners[0].seats``; ``eligibility``, ``guards`` and ``ranking`` list the rules
    that failed)."""

    error: Words = Field(description="What went wrong, for a person to read")
    errors: dict[str, list[Words]] = Field(description="Messages per field; empty when the refusal is not about one")


class Named(Reply):
    id: Id
    name: str


@dataclass(frozen=True)
class Setting:
    """What an app's shapes are built from: its workflows and its page sizes."""

    catalog: Any
    page_size: int
    max_page_size: int

    @property
    def key(self) -> tuple:
        return (self.catalog.workflows_key, self.page_size, self.max_page_size)


_BUILT: dict[tuple, Any] = {}


def built(build: Callable[[Setting], Any]) -> Callable[[Setting], Any]:
    """Mark ``build(setting) -> shape`` as a shape of the app's workflows and settings, built once.

    Each app keeps what it built; apps that load the same files with the same
    settings (the tests, several workers) share it.
    """

    def shape(setting: Setting) -> Any:
        memo, key = setting.catalog.memo, (build, setting.page_size, setting.max_page_size)
        if key not in memo:
            shared = (build, setting.key)
            if shared not in _BUILT:
                _BUILT[shared] = build(setting)
            memo[key] = _BUILT[shared]
        return memo[key]

    shape.__name__ = build.__name__
    shape.__doc__ = build.__doc__
    shape.built = True
    return shape
