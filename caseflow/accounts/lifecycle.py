"""An account's life: signing up through a mailed link, resetting and changing a password, and what admins
change (role, faculty, switched on or off).

Sign-up and the reset request answer the same whether the address has an
account or not, and write no row before the mailbox's owner opens the link:
so neither tells a stranger which addresses exist, and nobody can claim an
address that is not theirs.
"""

from __future__ import annotations

import secrets

from sqlalchemy import delete, select, update

from caseflow import audit, limits
from caseflow.accounts import links, sessions
from caseflow.accounts.operations import (
    account_snapshot,
    create_user,
    normalise_email,
    password_problems,
    role_problems,
    unknown_faculty,
)
from caseflow.database import write_transaction
from caseflow.errors import Forbidden, Invalid, NotFound
from caseflow.extensions import db
from caseflow.i18n import _, ngettext, reader_locale
from caseflow.models.accounts import ApiToken, User
from caseflow.models.cases import Case
from caseflow.notify.outbox import Recipient, enqueue
from caseflow.routing import site_url
from caseflow.timeutil import utcnow

TEMPLATE = "account_link"  # templates/email/account_link.txt and .html: paragraphs and one link


def _mail(session, recipient: Recipient, compose) -> None:
    enqueue(session, f"account:{secrets.token_hex(16)}", recipient, TEMPLATE, utcnow(), compose)


def request_signup(email: str, full_name: str) -> None:
    """Mail the address a link to finish signing up, or, if it has an account, a reminder of that."""
    email, name = normalise_email(email), full_name.strip()
    locale = reader_locale()
    with write_transaction() as session:
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            link = site_url(f"/signup/{links.make(links.SIGNUP, {'e': email, 'n': name})}")
            hours = links.lifetime_hours(links.SIGNUP)
            # Greeted by the address, not by the name typed: nobody has shown yet that it is theirs, and a
            # stranger's "name" must not speak to them in the office's voice.
            _mail(session, Recipient(email, email, locale), lambda: (_("Finish creating your account"), {
                "paragraphs": [_("Someone, probably you, asked to create an account of the international office "
                                 "with this e-mail address."),
                               ngettext("Open this link within %(num)d hour to choose your password:",
                                        "Open this link within %(num)d hours to choose your password:", hours)],
                "link": link, "after": [_("If it was not you, ignore this message; no account is created.")]}))
        else:
            link = site_url("/password/forgot")
            _mail(session, Recipient.of_account(user.email, user.full_name, user.locale), lambda: (
                _("You already have an account"), {
                    "paragraphs": [_("Someone, probably you, asked to create an account with this e-mail address, "
                                     "but it has one already. Log in with it, or choose a new password here:")],
                    "link": link, "after": [_("If it was not you, ignore this message; nothing has changed.")]}))


def signup_of(token: str) -> dict:
    """The address and name a sign-up link was made for; refuse an expired, altered or used link."""
    payload = links.read(links.SIGNUP, token)
    if payload is None or not isinstance(payload.get("e"), str) or not isinstance(payload.get("n", ""), str):
        raise NotFound(_("This link has expired or is not complete. Sign up again to get a new one."))
    return {"email": payload["e"], "name": payload.get("n", "")}


def finish_signup(token: str, password: str) -> User:
    """Create the applicant account a sign-up link was made for, with the password its owner chose."""
    asked = signup_of(token)
    try:
        user = create_user(asked["email"], password, "applicant", None, asked["name"])
    except Invalid as error:
        if "email" in error.errors:  # the link was used already, or the address got an account since
            raise Invalid(_("This address has an account already: log in, or reset its password."),
                          {"link": [_("This address has an account already: log in, or reset its password.")]}) \
                from None
        raise
    with write_transaction() as session:
        # The cases others filed for this address (a work permit the office filed for its new employee)
        # are the new account's to follow: opening the link proved the address is its owner's.
        session.execute(update(Case).where(Case.subject_email == user.email, Case.subject_id.is_(None))
                        .values(subject_id=user.id))
    return user


def request_reset(email: str) -> None:
    """Mail an active account a link to choose a new password; an unknown address gets nothing, silently."""
    with write_transaction() as session:
        user = session.scalar(select(User).where(User.email == normalise_email(email)))
        audit.record(session, "account.password_reset_requested", f"account:{normalise_email(email)[:254]}",
                     after={"account": user is not None and user.active})
        if user is None or not user.active:
            return
        token = links.make(links.RESET, {"u": user.id, "p": links.fingerprint(user.password_hash)})
        link = site_url(f"/password/reset/{token}")
        hours = links.lifetime_hours(links.RESET)
        _mail(session, Recipient.of_account(user.email, user.full_name, user.locale), lambda: (
            _("Choose a new password"), {
                "paragraphs": [_("Someone, probably you, asked to reset the password of your account."),
                               ngettext("Open this link within %(num)d hour to choose a new password:",
                                        "Open this link within %(num)d hours to choose a new password:", hours)],
                "link": link,
                "after": [_("The link works once. If it was not you, ignore this message; your password stays.")]}))


def reset_account(token: str) -> User:
    """The account a reset link is for, while the link is fresh and unused; refuse any other link."""
    return _reset_account(links.read(links.RESET, token))


def _reset_account(payload: dict | None, session=None) -> User:
    user = _reset_target(payload, session)
    if user is None:
        raise NotFound(_("This link has expired or was used already. Ask for a new one."))
    return user


def _reset_target(payload: dict | None, session=None) -> User | None:
    """The active account a reset link's payload names while its password is the one the link was made for."""
    if payload is None or type(payload.get("u")) is not int or not 1 <= payload["u"] <= limits.MAX_ID:
        return None
    query = select(User).where(User.id == payload["u"])
    if session is not None:  # under the lock, as the row is now (not as this request loaded it before)
        query = query.with_for_update(of=User).execution_options(populate_existing=True)  # not its faculty
    user = (session or db.session).scalar(query)
    if user is None or not user.active or links.fingerprint(user.password_hash) != payload.get("p"):
        return None
    return user


def finish_reset(token: str, password: str) -> User:
    """Set the password a reset link's owner chose; every session of the account ends.

    The link is checked again under the account's lock, in the transaction that changes the password: two
    copies sent at once cannot both use it.
    """
    link = links.read(links.RESET, token)
    user = _reset_account(link)
    _set_password(user, password, "account.password_reset", link)
    sessions.end_all(user)
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password; the other browsers logged in to the account are logged out."""
    if not user.check_password(current):
        message = _("This is not your current password.")
        raise Invalid(message, {"current": [message]})
    _set_password(user, new, "account.password_changed")
    sessions.end_all(user, keep_current=True)


def _set_password(user: User, password: str, action: str, link: dict | None = None) -> None:
    errors = password_problems(password)
    if errors:
        raise Invalid(errors["password"][0], errors)
    with write_transaction() as session:
        account = _reset_account(link, session) if link is not None else session.get(User, user.id)
        account.set_password(password)
        audit.record(session, action, f"user:{user.id}")
    user.password_hash = account.password_hash


def change_account(admin: User, user_id: int, role: str, faculty_code: str | None, active: bool) -> User:
    """An admin changes an account's role, faculty, or switches it off or on (which ends its sessions)."""
    if user_id == admin.id:
        raise Forbidden(_("You cannot change your own role or switch off your own account; ask another "
                          "administrator."))
    errors = role_problems(role, faculty_code)
    with write_transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(_("There is no such account."))
        errors.update(unknown_faculty(session, faculty_code))
        if errors:
            raise Invalid(next(iter(errors.values()))[0], errors)
        before = account_snapshot(user)
        user.role, user.faculty_code, user.active = role, faculty_code or None, active
        was, now = audit.changes(before, account_snapshot(user))
        if not active:  # its programs stop for good: switched on again, it needs new tokens
            revoked = session.execute(delete(ApiToken).where(ApiToken.user_id == user.id)).rowcount
            if revoked:
                now["tokens_revoked"] = revoked
        if now:
            audit.record(session, "account.changed", f"user:{user.id}", was, now)
    if not active:
        sessions.end_all(user)
    return user
