"""Who is asking, and the guards of pages that are not case pages.

Pages that are not case pages answer 403 with a message to a logged-in user
whose role may not use them (a case page answers 404: invisible means absent).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urljoin, urlsplit

from flask import abort, render_template, request
from flask_login import current_user

from caseflow.accounts.auth import me
from caseflow.accounts.permissions import can_manage_accounts, can_view
from caseflow.cases import queries
from caseflow.extensions import login_manager
from caseflow.i18n import _
from caseflow.models.accounts import User
from caseflow.models.cases import Case

# Any fixed origin will do: a target is safe when joining it to an origin leaves that origin unchanged.
_ORIGIN = "https://caseflow.invalid/"


def forbidden(message: str):
    """Render the 403 page with a message saying why."""
    return render_template("error.html", status=403, message=message), 403


def requires(predicate: Callable[[User], bool], message: Callable[[], str]):
    """Let a view run only for logged-in users for whom ``predicate`` holds; 403 otherwise."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_user):
                return forbidden(message())
            return view(*args, **kwargs)

        return guarded

    return decorate


staff_only = requires(lambda user: user.is_staff, lambda: _("This page is for the university's staff."))
admin_only = requires(can_manage_accounts, lambda: _("Only administrators may manage accounts and reference data."))
mail_admin_only = requires(can_manage_accounts, lambda: _("Only administrators see the outbox."))


def visible_case(case_id: int) -> Case:
    """Return the case with its call, partner and applicant if the user may see it; 404 otherwise."""
    case = queries.load_case(case_id)
    if case is None or not can_view(me(), case):
        abort(404)
    return case


def page_number() -> int:
    """Return the ``?page=`` asked for; anything but a sensible positive number is page 1."""
    value = request.args.get("page", "")
    return min(int(value), 100_000) if value.isdecimal() and int(value) > 0 else 1


def is_safe_next(target: str | None) -> bool:
    """Return whether ``target`` is a path on this site, safe to redirect to after login.

    Refused: absolute URLs, scheme-relative ``//host``, backslashes (browsers
    read ``/\\host`` as ``//host``), control characters (browsers drop tabs
    and newlines, so ``/\\t/host`` becomes ``//host``), and anything that has
    a scheme or a host once joined to our origin.
    """
    if not target or len(target) > 2000:
        return False
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return False
    joined, origin = urlsplit(urljoin(_ORIGIN, target)), urlsplit(_ORIGIN)
    return (joined.scheme, joined.netloc) == (origin.scheme, origin.netloc)
