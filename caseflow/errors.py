"""The one family of domain errors, imported by every layer; views turn them into pages or JSON."""

from __future__ import annotations

from flask import current_app, request
from werkzeug.exceptions import HTTPException

from caseflow.i18n import _, lazy_gettext


class CaseError(Exception):
    """A refused operation with a message a person can read and an HTTP status."""

    status = 400

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class NotFound(CaseError):
    status = 404

    def __init__(self, message: str | None = None):
        super().__init__(message or _("No such case."))


class Forbidden(CaseError):
    status = 403


class Conflict(CaseError):
    status = 409


class Invalid(CaseError):
    status = 422


class StaleVersion(Conflict):
    def __init__(self):
        super().__init__(
            _("This case changed since you opened it. Reload it and check what changed before acting.")
        )


def http_message(error: HTTPException) -> str:
    """Say what an HTTP error means for the person who caused it (pages and API alike; 413: ``bodies``)."""
    messages = {
        400: _("The request could not be understood."),
        401: _("Please log in."),
        403: _("You may not do this."),
        404: _("This page does not exist, or you may not see it."),
        405: _("This address does not accept this method."),
    }
    return messages.get(error.code, error.description or "")


# A moment that cannot be turned into UTC (the first or last hours of the calendar), refused by the pages
# and the API alike.
OUTSIDE_CALENDAR = lazy_gettext("This moment is outside the calendar; give a deadline such as 2027-03-01T12:00.")


# Where the API registers how it answers errors under its prefix: (prefix, render(status, message, errors,
# headers)).  The pages' error handlers hand such requests over, so neither package imports the other.
JSON_ERRORS = "caseflow.json_errors"


def is_api_request() -> bool:
    """Whether the request is one of the API's (under the prefix it registered), not a page's."""
    json_errors = current_app.extensions.get(JSON_ERRORS)
    return json_errors is not None and request.path.startswith(json_errors[0])


def api_refusal(status: int, message: str, errors: dict | None = None, headers: dict | None = None):
    """Return the API's answer to a refusal if the request is the API's; None for a page's request."""
    if not is_api_request():
        return None
    return current_app.extensions[JSON_ERRORS][1](status, message, errors or {}, headers or {})


def json_path(location) -> str:
    """Write a place in a JSON body as clients read it, e.g. ``data.study_year`` or ``partners[0].seats``.

    Every refusal that is about one value names it this way, the API's and the operations' alike.
    """
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path
