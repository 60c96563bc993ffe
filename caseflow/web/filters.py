"""Template filters and globals: how a page shows times, states, roles, sizes and plain text."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_timedelta, get_timezone

from caseflow.accounts import permissions
from caseflow.catalog import catalog
from caseflow.documents.inspection import human_size
from caseflow.models.cases import Call, Case
from caseflow.timeutil import utcnow
from caseflow.web.forms.accounts import ROLE_LABELS
from caseflow.workflow.spec import State, Workflow

# What a file input offers to choose, per type a checklist entry accepts.
_FILE_INPUT_ACCEPT = {"pdf": ".pdf,application/pdf", "jpeg": ".jpg,.jpeg,image/jpeg", "png": ".png,image/png"}


def _as_datetime(moment: datetime | str | None) -> datetime | None:
    """Read a naive-UTC datetime, or the ISO text an e-mail's stored context holds."""
    return datetime.fromisoformat(moment) if isinstance(moment, str) else moment


def office_time(moment, style: str = "medium") -> str:
    """Show a naive-UTC datetime (or its ISO text, as e-mails keep it) in the office's time zone."""
    moment = _as_datetime(moment)
    return "" if moment is None else format_datetime(moment.replace(tzinfo=UTC), style)


def office_day(moment) -> str:
    """Show the office-local day of a naive-UTC datetime (a deadline runs to the end of its day)."""
    moment = _as_datetime(moment)
    return "" if moment is None else format_date(moment.replace(tzinfo=UTC).astimezone(get_timezone()), "full")


def state_label(workflow: Workflow, name: str | None) -> str:
    """Return a state's label; a name the file no longer declares is shown as it is."""
    if name is None:
        return ""
    try:
        return workflow.state(name).label
    except KeyError:
        return name


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
    "human_size": human_size,
    "file_input_accept": file_input_accept,
}


def init_app(app: Flask) -> None:
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)

    @app.context_processor
    def template_globals():
        return {"catalog": catalog(), "permissions": permissions}
