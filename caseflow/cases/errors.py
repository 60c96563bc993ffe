"""The one family of domain errors; views turn them into flashes or JSON."""

from __future__ import annotations

from caseflow.i18n import _


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
