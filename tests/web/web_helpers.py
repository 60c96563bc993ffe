"""Helpers for the page tests: CSRF tokens taken from the pages, visible text.

Not a conftest.py, and nothing imported from one: pytest imports every
folder's conftest.py as the module ``conftest``, so ``from conftest import``
finds whichever folder's was collected last (tests/e2e's before tests/web's).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event, func, select

from caseflow.extensions import db
from caseflow.models.cases import Case, CaseEvent

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


def csrf_from(page: str) -> str:
    """Return the CSRF token of the first form on a page."""
    match = CSRF_INPUT.search(page)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def visible(markup: str) -> str:
    """Return the text a reader sees in a piece of HTML."""
    markup = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", markup, flags=re.S)
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", markup))).strip()


def text(response) -> str:
    """Return what a reader sees on a page: no tags, entities decoded, spaces collapsed."""
    return visible(response.get_data(as_text=True))


def error_beside(response, field_id: str) -> str:
    """Return the error shown beside a field; assert the field points to it (aria-describedby)."""
    page = response.get_data(as_text=True)
    errors = re.search(rf'<ul class="errors" id="{re.escape(field_id)}-error">(.*?)</ul>', page, re.S)
    assert errors, f"no error shown beside {field_id}"
    control = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    assert control, f"no control with id {field_id}"
    assert f"{field_id}-error" in control.group(0) and 'aria-invalid="true"' in control.group(0)
    return visible(errors.group(1))


def transitions_offered(response) -> set[str]:
    """Return the transitions the page offers as action forms."""
    return set(re.findall(r'name="transition" value="([a-z0-9_]+)"', response.get_data(as_text=True)))


def current_step(response) -> str:
    """Return the visible text of the timeline step marked aria-current="step"."""
    match = re.search(r'<li[^>]*aria-current="step"[^>]*>(.*?)</li>', response.get_data(as_text=True), re.S)
    assert match, "no step is marked current"
    return visible(match.group(1))


def application_form(**overrides: str) -> dict[str, str]:
    """Return a valid mobility application as a browser posts it.

    The e-mail is not a ``.test`` address: the form's Email validator refuses
    special-use domains.
    """
    return {
        "full_name": "Asel Applicant", "email": "asel@example.com", "phone": "+996 555 000 111",
        "faculty": "IT", "department": "Computer Science", "specialty": "Software Engineering",
        "specialty_kind": "technical", "level": "bachelor", "enrolled_in": str(date.today().year - 3),
        "study_year": "3", "group": "PI-1-22", "gpa": "4.6",
        "language": "German", "language_level": "B2", "partner": "TH Wildau", "country": "DE",
        **overrides,
    }


def count_cases() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def count_events() -> int:
    return db.session.scalar(select(func.count()).select_from(CaseEvent))


@contextmanager
def statements() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block."""
    seen: list[str] = []

    def record(_connection, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def submit(client, page: str, data: dict, action: str | None = None, follow_redirects: bool = False):
    """GET ``page`` for its CSRF token, then POST ``data`` to ``action`` (default: the page)."""
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(action or page, data={**data, "csrf_token": token}, follow_redirects=follow_redirects)
