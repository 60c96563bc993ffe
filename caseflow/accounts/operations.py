"""Account changes: sign-up, staff accounts, API tokens, faculties."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from caseflow import audit, limits
from caseflow.database import write_transaction
from caseflow.errors import Invalid
from caseflow.extensions import db
from caseflow.fields.text import text_refusal
from caseflow.i18n import SOURCE_LANGUAGE, _, ngettext, reader_locale
from caseflow.models.accounts import ApiToken, Faculty, User
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
    if role not in ROLES:
        errors["role"] = [_("Unknown role %(role)s; one of: %(roles)s.", role=role, roles=", ".join(ROLES))]
    if role == "faculty_screener" and not faculty_code:
        errors["faculty"] = [_("A faculty screener needs a faculty.")]
    if role != "faculty_screener" and faculty_code:
        errors["faculty"] = [_("Only faculty screeners belong to a faculty.")]
    if len(password) < MIN_PASSWORD:
        errors["password"] = [ngettext("A password needs at least %(num)d character.",
                                        "A password needs at least %(num)d characters.", MIN_PASSWORD)]
    with write_transaction() as session:
        if faculty_code and session.get(Faculty, faculty_code) is None:
            errors["faculty"] = [_("Unknown faculty code %(code)s.", code=faculty_code)]
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


def record_failed_login(email: str, reason: str) -> None:
    """Keep a failed login in the audit log: the address asked for and why it failed (never the password)."""
    with write_transaction() as session:
        audit.record(session, "account.login_failed", f"account:{normalise_email(email)[:254]}",
                     after={"reason": reason})


def create_token(user: User) -> str:
    """Create an API token for ``user`` and return its secret (shown once, stored hashed)."""
    secret = ApiToken.new_secret()
    with write_transaction() as session:
        token = ApiToken(user_id=user.id, token_hash=ApiToken.hash(secret))
        session.add(token)
        session.flush()
        audit.record(session, "token.created", f"user:{user.id}", after={"token": token.id})
    return secret


def user_for_token(secret: str) -> User | None:
    """Return the active user a bearer token belongs to, or None."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(secret)))
    if token is None or not token.user.active:
        return None
    return token.user


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

