"""How often a person may try: failed logins, and mailed links (sign-up, reset), per account and per address.

Flask-Limiter counts in memory (one count per worker process) unless
CASEFLOW_RATELIMIT_STORAGE_URI names a shared store such as Redis, which
several workers or hosts need for one count.  A limited request is refused
before the view runs, so a guessing client no longer costs a password hash
(scrypt, about 0.1 s of a worker) per attempt.  Only failed logins count: an
office behind one address does not lock itself out by working.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from caseflow.accounts.operations import normalise_email
from caseflow.extensions import limiter
from caseflow.formats import office_time
from caseflow.i18n import _


def _failed(response) -> bool:
    """A login or sign-up that did not go through (a success answers 303 to the next page)."""
    return response.status_code != 303


def _account() -> str:
    """The account a request tries: the address a form names, else the logged-in one (a password change)."""
    email = request.form.get("email") or (current_user.email if current_user.is_authenticated else "")
    return "account:" + normalise_email(email)[:254]


def retry_after() -> str | None:
    """Seconds until the limit just reached lets the person try again (the 429's Retry-After)."""
    reached = limiter.current_limit
    return str(max(1, int(reached.reset_at - time.time()))) if reached else None


def _retry_at() -> str:
    """When the limit just reached lets the person try again, in the office's time."""
    reached = limiter.current_limit
    at = reached.reset_at if reached else time.time()
    # Shown to the minute: the next whole minute, never one before the limit ends.
    return office_time(datetime.fromtimestamp(at + 59, UTC).replace(tzinfo=None))


def _limit(setting: str, key, message, count_every: bool = False):
    # Shared: one count for every view the limit guards (a sign-up and a reset mail the same address).
    return limiter.shared_limit(lambda: current_app.config[f"CASEFLOW_{setting}"], setting.lower(), key_func=key,
                                methods=["POST"], deduct_when=None if count_every else _failed,
                                error_message=lambda: message(_retry_at()))


def passwords(view):
    """Limit wrong current passwords: they count with the account's failed logins (one guesser, two doors)."""
    return _limit("LOGIN_LIMIT_ACCOUNT", _account, _account_paused)(view)


def _account_paused(at: str) -> str:
    return _("Too many failed logins to this account. For its safety, logging in to it is paused until %(time)s; "
             "try again then.", time=at)


def logins(view):
    """Limit failed logins to one account, and from one address (a guesser trying many accounts)."""
    for limit in (
        _limit("LOGIN_LIMIT_ACCOUNT", _account, _account_paused),
        _limit("LOGIN_LIMIT_ADDRESS", get_remote_address, lambda at: _(
            "Too many failed logins from your network. Try again after %(time)s.", time=at)),
    ):
        view = limit(view)
    return view


def mailed_links(view):
    """Limit what mails a link (a sign-up, a password reset): per address asked for, and from one address."""
    for limit in (
        _limit("MAIL_LINK_LIMIT_ACCOUNT", _account, lambda at: _(
            "We sent several messages to this e-mail address already; look for them (also among spam). You may "
            "ask again after %(time)s.", time=at), count_every=True),
        _limit("MAIL_LINK_LIMIT_ADDRESS", get_remote_address, lambda at: _(
            "Too many requests from your network. Try again after %(time)s.", time=at), count_every=True),
    ):
        view = limit(view)
    return view
