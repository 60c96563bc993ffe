"""What an endpoint checks before it reads the request: the caller's role, the CSRF token of a browser."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from caseflow.accounts.auth import me
from caseflow.errors import CaseError, Forbidden, NotFound
from caseflow.extensions import db
from caseflow.i18n import _
from caseflow.models.accounts import User
from caseflow.models.cases import Call


class CsrfRefused(CaseError):
    """A change asked with a session cookie but no valid CSRF token: perhaps another site's form."""

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
    """Refuse (403) a change asked by a logged-in browser without its CSRF token in a header.

    Another site's form or script can make the browser send its session
    cookie, whatever the body; it can set neither the token's header nor a
    bearer token, so a bearer-token client needs no CSRF token.
    """
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if not current_user.is_authenticated or me().session_key is None:
        return  # nobody, or a bearer token: no cookie speaks for the caller
    headers = current_app.config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
    token = next((request.headers[name] for name in headers if request.headers.get(name)), None)
    try:
        validate_csrf(token)
    except ValidationError:
        raise CsrfRefused(_("A logged-in browser must send the page's CSRF token in the X-CSRFToken header "
                            "with every change (a program should use a bearer token instead). Reload the page "
                            "and try again.")) from None
