"""The ``id`` in every address (``/cases/<id:case_id>``): digits of an id the database can hold.

The range is in the pattern itself, so a larger number or one with leading
zeros matches no address at all (404 whatever the method).  A range checked
after matching would leave a method the address also has to answer 405.
"""

from __future__ import annotations

from flask import Flask, current_app
from werkzeug.routing import BaseConverter

from caseflow import limits


def _up_to(maximum: int) -> str:
    """A regular expression of the whole numbers from 1 to ``maximum``, without leading zeros."""
    digits = str(maximum)
    branches = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        head, rest = digits[:position], len(digits) - position - 1
        low = "1" if position == 0 else "0"
        if int(digit) > int(low):
            branches.append(f"{head}[{low}-{int(digit) - 1}][0-9]{{{rest}}}")
    branches.append(digits)
    return "(?:" + "|".join(branches) + ")"


def site_url(path: str) -> str:
    """An address on the site as people open it (CASEFLOW_BASE_URL), for links read outside a request:
    mails, the calendar feed."""
    return f"{current_app.config['CASEFLOW_BASE_URL'].rstrip('/')}{path}"


ID_PATTERN = _up_to(limits.MAX_ID)  # an id as text, for the addresses and for the lists of ids in a query


class IdConverter(BaseConverter):
    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
