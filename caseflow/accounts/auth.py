"""Flask-Login wiring: sessions for pages, bearer tokens for the API."""

from __future__ import annotations

from flask import Flask, redirect, request, url_for
from flask_login import AnonymousUserMixin, current_user

from caseflow.accounts import sessions
from caseflow.accounts.operations import user_for_token
from caseflow.errors import api_refusal, is_api_request
from caseflow.extensions import login_manager
from caseflow.i18n import _, lazy_gettext
from caseflow.models.accounts import User


class Anonymous(AnonymousUserMixin):
    role = None
    faculty_code = None
    active = False
    is_staff = False


def me() -> User:
    """Return the logged-in user itself, not the proxy (operations keep it beyond the request)."""
    return current_user._get_current_object()


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    login_manager.anonymous_user = Anonymous

    # The cookie names an account and its login session; a session ended on the server authenticates nobody.
    login_manager.user_loader(sessions.load)

    @login_manager.request_loader
    def load_user_from_token(req) -> User | None:
        # Bearer tokens only authenticate the API, never the pages.
        header = req.headers.get("Authorization", "")
        if not is_api_request() or not header.startswith("Bearer "):
            return None
        return user_for_token(header.removeprefix("Bearer ").strip())

    @login_manager.unauthorized_handler
    def unauthorized():
        answer = api_refusal(401, _("Authentication required: send a bearer token or log in."))
        if answer is not None:
            return answer
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
