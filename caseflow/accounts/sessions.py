"""Login sessions the server can end: logging out, "log out everywhere", a password change.

Flask keeps its session in a signed cookie, which the server cannot take
back: a copy made before logging out would stay valid for its whole
lifetime.  So each login gets a row (``LoginSession``) with a random key,
the cookie names the account and that key (``User.get_id``, Flask-Login's
alternative token), and a cookie whose row is gone authenticates nobody.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, request, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, select

from caseflow import audit
from caseflow.accounts.language import SESSION_KEY as LANGUAGE_KEY
from caseflow.database import write_transaction
from caseflow.errors import is_api_request
from caseflow.extensions import db
from caseflow.models.accounts import LoginSession, User
from caseflow.timeutil import utcnow


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _oldest_valid():
    return utcnow() - current_app.permanent_session_lifetime


def start(user: User) -> None:
    """Log ``user`` in: a new session with a new CSRF token, valid for CASEFLOW_SESSION_HOURS.

    Whatever the browser's session held before (a CSRF token an attacker may
    have planted or read) is dropped; only the language chosen is kept.
    """
    language = session.get(LANGUAGE_KEY)
    session.clear()
    if language:
        session[LANGUAGE_KEY] = language
    opened(user, request.remote_addr or "", request.user_agent.string)
    login_user(user)
    session.permanent = True  # lasts CASEFLOW_SESSION_HOURS, not until the browser closes


def opened(user: User, address: str = "", user_agent: str = "") -> User:
    """Store a new login session of ``user`` (and drop its expired ones); ``user.get_id()`` then names it."""
    key = secrets.token_urlsafe(32)
    with write_transaction() as transaction:
        transaction.execute(delete(LoginSession).where(LoginSession.user_id == user.id,
                                                       LoginSession.created_at < _oldest_valid()))
        transaction.add(LoginSession(user_id=user.id, key_hash=_hash(key), address=address,
                                     user_agent=user_agent[:200]))
        audit.record(transaction, "account.login", f"user:{user.id}", actor=user)
    user.session_key = key
    return user


def load(cookie_id: str) -> User | None:
    """Return the active account a cookie's ``<user id>:<key>`` names while its session lasts, or None."""
    if is_api_request() and request.headers.get("Authorization", "").startswith("Bearer "):
        return None  # a request that names its credential is judged by it alone (a wrong token: 401)
    user_id, _, key = cookie_id.partition(":")
    if not user_id.isdigit() or not key:
        return None  # a cookie from before sessions were stored, or a forged one
    user = db.session.scalar(
        select(User).join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == int(user_id), LoginSession.key_hash == _hash(key),
               LoginSession.created_at >= _oldest_valid()))
    if user is None or not user.active:
        return None
    user.session_key = key
    return user


def end_current(user: User) -> None:
    """Log out of this browser: its session ends on the server, so a copy of the cookie is worthless."""
    if user.session_key:
        with write_transaction() as transaction:
            transaction.execute(delete(LoginSession).where(LoginSession.key_hash == _hash(user.session_key)))
            audit.record(transaction, "account.logout", f"user:{user.id}", actor=user)
    forget_browser()


def forget_browser() -> None:
    """Drop this browser's login and its session's contents (its server-side row is ended by the caller)."""
    logout_user()
    session.clear()


def end_all(user: User, keep_current: bool = False) -> int:
    """End every session of ``user`` (all but this browser's with ``keep_current``); return how many."""
    query = delete(LoginSession).where(LoginSession.user_id == user.id)
    return _end(user, _others(user, query) if keep_current else query, record_none=True)


def end_other(user: User, login_id: int) -> bool:
    """End one other login of ``user`` (a browser left logged in elsewhere); False if there is none such."""
    query = delete(LoginSession).where(LoginSession.id == login_id, LoginSession.user_id == user.id)
    return bool(_end(user, _others(user, query), record_none=False))


def _others(user: User, query):
    """``query`` limited to the sessions other than this browser's."""
    return query.where(LoginSession.key_hash != _hash(user.session_key)) if user.session_key else query


def _end(user: User, query, record_none: bool) -> int:
    """Delete the sessions ``query`` selects, with its audit entry (also for none, with ``record_none``)."""
    with write_transaction() as transaction:
        ended = transaction.execute(query).rowcount
        if ended or record_none:
            audit.record(transaction, "account.sessions_ended", f"user:{user.id}", after={"sessions": ended})
    return ended


def of(user: User) -> list[LoginSession]:
    """The sessions ``user`` is logged in with, newest first."""
    return list(db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.created_at >= _oldest_valid())
        .order_by(LoginSession.created_at.desc(), LoginSession.id.desc())))


def is_current(user: User, login: LoginSession) -> bool:
    return bool(user.session_key) and login.key_hash == _hash(user.session_key)
