"""Accounts: users with one role, faculties (reference data) and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from caseflow import limits
from caseflow.extensions import db
from caseflow.i18n import in_reader_language
from caseflow.timeutil import utcnow


class Faculty(db.Model):
    """A faculty or institute; screeners belong to one, and cases are routed to one."""

    __tablename__ = "faculties"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # as first written
    # The name in each language it was given in ({"ru": ..., "ky": ...}); a reader sees theirs, else ``name``.
    names: Mapped[dict] = mapped_column(JSON, default=dict)

    @property
    def label(self) -> str:
        return in_reader_language(self.names, self.name)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(30))
    faculty_code: Mapped[str | None] = mapped_column(ForeignKey("faculties.code"), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    # The language the person chose (the switch on every page); None: not chosen, the browser's decides.
    locale: Mapped[str | None] = mapped_column(String(8), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    faculty: Mapped[Faculty | None] = relationship(lazy="joined")

    # The login session this request was authenticated by (``accounts.sessions``); not a column.
    session_key = None  # str | None; a plain class attribute: SQLAlchemy maps only annotated ones

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookie: the account and its login session (Flask-Login's
        alternative token), so that ending the session on the server ends the cookie too."""
        return f"{self.id}:{self.session_key}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role != "applicant"

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(
            password, method=current_app.config["CASEFLOW_PASSWORD_HASH_METHOD"]
        )

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class ApiToken(db.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(limits.TOKEN_NAME), default="")  # what its owner uses it for
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)  # to the few minutes
    expires_at: Mapped[datetime | None] = mapped_column(default=None)  # None: until revoked

    user: Mapped[User] = relationship(lazy="joined")

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "cf_" + secrets.token_urlsafe(32)


class LoginSession(db.Model):
    """One login of a person in one browser; the cookie is valid only while its row exists.

    Flask's session cookie is signed, not stored: without this row a cookie
    copied before logging out would stay valid until it expires.  Only the
    SHA-256 of the cookie's key is stored.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    address: Mapped[str] = mapped_column(String(45), default="")  # IPv6 at most
    user_agent: Mapped[str] = mapped_column(String(200), default="")
