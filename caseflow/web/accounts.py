"""Logging in and out, and signing up as an applicant."""

from __future__ import annotations

from functools import cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.security import check_password_hash, generate_password_hash

from caseflow.accounts import sessions
from caseflow.accounts.auth import me
from caseflow.accounts.language import remember
from caseflow.accounts.lifecycle import finish_signup, request_signup, signup_of
from caseflow.accounts.operations import find_user, record_failed_login
from caseflow.errors import Invalid
from caseflow.i18n import _
from caseflow.security_headers import private
from caseflow.web import throttle
from caseflow.web.access import is_safe_next
from caseflow.web.forms.accounts import LanguageForm, LoginForm, NewPasswordForm, SignupForm


def _home_or(target: str | None):
    return redirect(target if is_safe_next(target) else url_for("cases.home"), code=303)


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a password of anyone")


@throttle.logins
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated:
        return _home_or(form.next.data)
    error = None
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is None:
            check_password_hash(_dummy_hash(), form.password.data)  # answer as slowly as for a real account
            record_failed_login(form.email.data, "no such account")
        elif not user.check_password(form.password.data):
            record_failed_login(form.email.data, "wrong password", user)
        elif not user.active:
            record_failed_login(form.email.data, "account switched off", user)
            error = _("This account is switched off. Ask the international office.")
        else:
            sessions.start(user)
            flash(_("Welcome, %(name)s.", name=user.display_name), "success")
            return _home_or(form.next.data)
        error = error or _("Wrong e-mail or password.")
    elif form.is_submitted():
        error = form.refusal()
    status = 422 if error else 200
    return render_template("accounts/login.html", form=form, error=error), status


def choose_language():
    """Switch the pages' language and go back to the same page (no JavaScript needed)."""
    form = LanguageForm()
    if form.validate_on_submit():
        remember(form.lang.data)
    else:
        flash(_("Choose one of the languages offered."), "error")
    target = form.next.data if is_safe_next(form.next.data) else url_for("cases.home")
    return redirect(_without_lang(target), code=303)


def _without_lang(target: str) -> str:
    """The same page without a ``lang=`` of its address, which would outvote the choice just made."""
    parts = urlsplit(target)
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "lang"])
    return urlunsplit(("", "", parts.path, query, parts.fragment))


def logout():
    if current_user.is_authenticated:
        sessions.end_current(me())
    flash(_("You are logged out."), "success")
    return redirect(url_for("cases.home"), code=303)


def show_errors(form, error: Invalid, fields: dict[str, str]) -> list[str]:
    """Put an operation's field errors beside the form's fields; return the rest."""
    others = []
    for key, messages in error.errors.items():
        target = fields.get(key)
        if target is not None:
            form[target].errors = [*form[target].errors, *messages]
        else:
            others.extend(messages)
    return others or ([] if error.errors else [error.message])


@throttle.mailed_links
def signup():
    """Ask for the address and the name, and mail a link to choose the password (the same answer for any)."""
    if current_user.is_authenticated:
        return _home_or(request.args.get("next", ""))
    form = SignupForm()
    if form.validate_on_submit():
        request_signup(form.email.data, form.full_name.data)
        flash(_("We sent a message to %(email)s. Open the link in it to choose your password and finish "
                "creating your account.", email=form.email.data), "success")
        return redirect(url_for("accounts.login"), code=303)
    status = 422 if form.errors else 200
    return render_template("accounts/signup.html", form=form, problems=[]), status


def finish_signup_page(token: str):
    """The page a sign-up link opens: the address it was made for, and the password to choose."""
    asked = signup_of(token)
    form = NewPasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            user = finish_signup(token, form.password.data)
        except Invalid as error:
            problems = show_errors(form, error, {"password": "password"})
        else:
            sessions.start(user)
            flash(_("Your account is ready. Welcome, %(name)s.", name=user.display_name), "success")
            return redirect(url_for("cases.home"), code=303)
    status = 422 if form.errors or problems else 200
    return private(make_response(render_template("accounts/choose_password.html", form=form, problems=problems,
                                                 email=asked["email"], title=_("Choose your password")), status))
