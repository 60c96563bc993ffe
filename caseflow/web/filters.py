"""Template filters and globals: how a page shows times, states, roles, sizes and plain text."""

from __future__ import annotations

import re

from flask import Flask
from flask_babel import format_timedelta, get_locale

from caseflow import countries
from caseflow.accounts import permissions
from caseflow.catalog import catalog
from caseflow.formats import clock, day, money, number, office_day, office_time, size
from caseflow.i18n import LANGUAGES
from caseflow.models.cases import Call, Case
from caseflow.timeutil import utcnow
from caseflow.web.forms.accounts import ROLE_LABELS
from caseflow.workflow.spec import State

# What a file input offers to choose, per type a checklist entry accepts.
_FILE_INPUT_ACCEPT = {"pdf": ".pdf,application/pdf", "jpeg": ".jpg,.jpeg,image/jpeg", "png": ".png,image/png"}


def state_of(case: Case) -> State:
    """Return the State a case is in (a bare one if its workflow no longer declares it)."""
    workflow = catalog().get(case.type)
    try:
        return workflow.state(case.state)
    except (AttributeError, KeyError):
        return State(name=case.state, label=case.state)


def type_label(item: Case | Call) -> str:
    workflow = catalog().get(item.type)
    return workflow.label if workflow else item.type


def paragraphs(text: str | None) -> list[list[str]]:
    """Split plain text into paragraphs (at blank lines), each a list of its lines.

    The template prints each line escaped, so a description is always shown
    as the text it is, never as markup.
    """
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return [[line.strip() for line in block.strip().split("\n")] for block in blocks if block.strip()]


def waited(moment) -> str:
    """Say how long ago a naive-UTC moment was, e.g. "3 days"."""
    if moment is None:
        return ""
    return format_timedelta(utcnow() - moment, threshold=1.0)


def role_label(role: str | None) -> str:
    """Show a role key the way people call it."""
    return str(ROLE_LABELS.get(role, role or ""))


def file_input_accept(types: tuple[str, ...]) -> str:
    """Return a file input's ``accept`` attribute for the types a checklist entry accepts."""
    return ",".join(_FILE_INPUT_ACCEPT[t] for t in types if t in _FILE_INPUT_ACCEPT)


FILTERS = {
    "office_time": office_time,
    "office_day": office_day,
    "state": state_of,
    "type_label": type_label,
    "paragraphs": paragraphs,
    "waited": waited,
    "role_label": role_label,
    "human_size": size,
    "day": day,
    "clock": clock,
    "money": money,
    "number": number,
    "file_input_accept": file_input_accept,
    "country": countries.name,  # a stored ISO code by its name in the reader's language
}


def init_app(app: Flask) -> None:
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)

    @app.context_processor
    def template_globals():
        return {"catalog": catalog(), "permissions": permissions, "current_locale": str(get_locale()),
                "languages": LANGUAGES}
