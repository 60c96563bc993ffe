"""What an endpoint checks before it reads the request: the caller's role, the CSRF token of a browser."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request, session
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from caseflow.accounts.auth import me
from caseflow.errors import CaseError, Forbidden, NotFound
from caseflow.extensions import db
from caseflow.i18n import _
from caseflow.models.accounts import User
from caseflow.models.cases import Call


class CsrfRefused(CaseError):
    """A session-authenticated upload without a valid CSRF token: perhaps a form on another site."""

    status = 403


def role(may: Callable[[User], bool], refusal: Callable[[], str]) -> Callable[..., None]:
    """Refuse (403, saying ``refusal()``) a caller for whom ``may`` does not hold."""

    def check(**_path) -> None:
        if not may(me()):
            raise Forbidden(refusal())

    return check


def call_exists(call_id: int, **_path) -> None:
    """Refuse (404) what concerns a call that does not exist."""
    if db.session.get(Call, call_id) is None:
        raise NotFound(_("No such call."))


def csrf_of_session_caller(**_path) -> None:
    """Refuse (403) a session-authenticated request without a valid CSRF token in a header.

    A cross-site HTML form can send multipart/form-data with the victim's
    session cookie; it can set neither the token's header nor a bearer token.
    """
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    # Flask-Login prefers the session's user to the token's: only a request without one was
    # authenticated by its bearer token.
    if "_user_id" not in session and request.headers.get("Authorization", "").startswith("Bearer "):
        return
    headers = current_app.config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
    token = next((request.headers[name] for name in headers if request.headers.get(name)), None)
    try:
        validate_csrf(token)
    except ValidationError:
        raise CsrfRefused(_("A signed-in browser must send the page's CSRF token in the X-CSRFToken header "
                            "with an upload (or the client must use a bearer token). Reload the page and try "
                            "again.")) from None
