"""Account changes: sign-up, staff accounts, API tokens, faculties."""

from __future__ import annotations

from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select, update

from caseflow import audit, limits
from caseflow.database import write_transaction
from caseflow.errors import Invalid, NotFound
from caseflow.extensions import db
from caseflow.fields.text import text_refusal
from caseflow.i18n import SOURCE_LANGUAGE, _, ngettext, reader_locale
from caseflow.models.accounts import ApiToken, Faculty, User
from caseflow.timeutil import iso_utc, utcnow
from caseflow.workflow.spec import ROLES

MIN_PASSWORD = 10


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(email: str, password: str, role: str, faculty_code: str | None = None,
                full_name: str = "") -> User:
    """Create an account; refuse a used e-mail, an unknown role or faculty, a short password, a name that is
    too long or holds control characters (the CLI's; the forms check theirs first)."""
    errors: dict[str, list[str]] = {}
    refused = text_refusal(full_name.strip(), limits.LINE, several_lines=False)
    if refused:
        errors["full_name"] = [refused]
    try:
        email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        errors["email"] = [_("This is not a valid e-mail address: %(reason)s", reason=str(error))]
        email = normalise_email(email)
    errors.update(role_problems(role, faculty_code))
    errors.update(password_problems(password))
    with write_transaction() as session:
        errors.update(unknown_faculty(session, faculty_code))
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            errors["email"] = [_("An account with this e-mail address exists already.")]
        if errors:
            raise Invalid(next(iter(errors.values()))[0], errors)
        user = User(email=email, role=role, faculty_code=faculty_code or None, full_name=full_name.strip())
        user.set_password(password)
        session.add(user)
        session.flush()
        audit.record(session, "account.created", f"user:{user.id}", after=account_snapshot(user))
    return user


def account_snapshot(user: User) -> dict:
    """What the audit log keeps of an account: who it is and what it may do (never its password)."""
    return {"email": user.email, "name": user.full_name, "role": user.role, "faculty": user.faculty_code,
            "active": user.active}


def record_failed_login(email: str, reason: str, user: User | None = None) -> None:
    """Keep a failed login in the audit log: the account (or the address asked for, if it has none) and why
    it failed, never the password."""
    target = f"user:{user.id}" if user is not None else f"account:{normalise_email(email)[:254]}"
    with write_transaction() as session:
        audit.record(session, "account.login_failed", target,
                     after={"reason": reason, "email": normalise_email(email)[:254]})


def role_problems(role: str, faculty_code: str | None) -> dict[str, list[str]]:
    """What is wrong with giving an account ``role`` in ``faculty_code`` (the faculty's existence aside)."""
    errors = {}
    if role not in ROLES:
        errors["role"] = [_("Unknown role %(role)s; one of: %(roles)s.", role=role, roles=", ".join(ROLES))]
    if role == "faculty_screener" and not faculty_code:
        errors["faculty"] = [_("A faculty screener needs a faculty.")]
    if role != "faculty_screener" and faculty_code:
        errors["faculty"] = [_("Only faculty screeners belong to a faculty.")]
    return errors


def unknown_faculty(session, faculty_code: str | None) -> dict[str, list[str]]:
    """A faculty code that names no faculty (read in the caller's transaction)."""
    if faculty_code and session.get(Faculty, faculty_code) is None:
        return {"faculty": [_("Unknown faculty code %(code)s.", code=faculty_code)]}
    return {}


def password_problems(password: str) -> dict[str, list[str]]:
    if len(password) < MIN_PASSWORD:
        return {"password": [ngettext("A password needs at least %(num)d character.",
                                      "A password needs at least %(num)d characters.", MIN_PASSWORD)]}
    return {}


# How long a token may last, in days, as its owner chooses (None: until revoked); the pages offer these.
TOKEN_LIFETIMES = (30, 90, 365, None)
# A token's last use is written at most this often: not one write per API request.
LAST_USE_PRECISION = timedelta(minutes=5)


def create_token(user: User, name: str = "", days: int | None = None) -> str:
    """Create an API token for ``user`` and return its secret (shown once, stored hashed)."""
    name = " ".join(name.split())[:limits.TOKEN_NAME]
    if days is not None and not 1 <= days <= 3650:
        message = _("A token lasts from 1 to 3650 days.")
        raise Invalid(message, {"days": [message]})
    secret = ApiToken.new_secret()
    expires_at = utcnow() + timedelta(days=days) if days is not None else None
    with write_transaction() as session:
        token = ApiToken(user_id=user.id, token_hash=ApiToken.hash(secret), name=name, expires_at=expires_at)
        session.add(token)
        session.flush()
        audit.record(session, "token.created", f"user:{user.id}",
                     after={"token": token.id, "name": name, "expires_at": iso_utc(expires_at)})
    return secret


def user_for_token(secret: str) -> User | None:
    """Return the active user a bearer token belongs to while it has not expired, or None."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(secret)))
    now = utcnow()
    if token is None or not token.user.active or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_PRECISION:
        with write_transaction() as session:
            session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
    token.user.session_key = None  # authenticated by the token, not by a login session (no CSRF token)
    return token.user


def tokens_of(user_id: int) -> list[ApiToken]:
    """An account's tokens, the newest first (expired ones too, until revoked)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)
                                   .order_by(ApiToken.id.desc())))


def revoke_token(token_id: int, owner_id: int | None = None) -> ApiToken:
    """Delete a token at once; with ``owner_id``, only one of that account's (else: 404, as for none)."""
    with write_transaction() as session:
        token = session.get(ApiToken, token_id)
        if token is None or (owner_id is not None and token.user_id != owner_id):
            raise NotFound(_("There is no such token."))
        session.delete(token)
        audit.record(session, "token.revoked", f"user:{token.user_id}",
                     before={"token": token.id, "name": token.name})
    return token


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def save_faculty(code: str, name: str, language: str | None = None, names: dict | None = None) -> Faculty:
    """Create a faculty or rename it, in ``language`` (default: the reader's); ``names`` gives several at once."""
    code, language = code.strip().upper(), language or reader_locale() or SOURCE_LANGUAGE
    given = {language: name.strip(), **{lang: text.strip() for lang, text in (names or {}).items()}}
    with write_transaction() as session:
        faculty = session.get(Faculty, code)
        action, before = "faculty.renamed", dict(faculty.names or {}) if faculty else {}
        if faculty is None:
            action, faculty = "faculty.created", Faculty(code=code, name=name.strip(), names={})
            session.add(faculty)
        faculty.names = {**(faculty.names or {}), **given}  # a new dict: SQLAlchemy sees the change
        was, now = audit.changes(before, faculty.names)
        if now or action == "faculty.created":
            audit.record(session, action, f"faculty:{code}", was, now)
    return faculty

