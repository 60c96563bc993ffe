"""Query parameters: text in the address, read strictly (a page is digits, nothing else)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from caseflow import limits
from caseflow.fields.base import refusal
from caseflow.i18n import lazy_gettext as _l


def _digits(value):
    # A query argument is text; the whole number it stands for is digits only (no sign, space or decimals).
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise refusal(_l("A whole number, e.g. 2."))


def whole_number(minimum: int, maximum: int, description: str) -> Any:
    """A whole number from ``minimum`` to ``maximum`` in the query (its constraints before the reading, or
    pydantic cannot put them in the schema)."""
    return Annotated[int, Field(ge=minimum, le=maximum, description=description), BeforeValidator(_digits)]


Page = whole_number(1, limits.MAX_PAGE, "Page number")
