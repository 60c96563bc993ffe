"""Passwords: asking for a reset link, choosing a new password with it, changing one's own on /account."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_login import login_required

from caseflow.accounts import sessions
from caseflow.accounts.auth import me
from caseflow.accounts.lifecycle import change_password, finish_reset, request_reset, reset_account
from caseflow.errors import Invalid
from caseflow.i18n import _
from caseflow.security_headers import private
from caseflow.web import throttle
from caseflow.web.account import account_page
from caseflow.web.accounts import show_errors
from caseflow.web.forms.accounts import ChangePasswordForm, ForgotPasswordForm, NewPasswordForm


@throttle.mailed_links
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        request_reset(form.email.data)
        flash(_("If an account has the address %(email)s, we sent it a link to choose a new password. It works "
                "for one hour.", email=form.email.data), "success")
        return redirect(url_for("accounts.login"), code=303)
    return render_template("accounts/forgot_password.html", form=form), 422 if form.errors else 200


def reset_password(token: str):
    user = reset_account(token)  # an expired or used link: 404 with what to do
    form = NewPasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            finish_reset(token, form.password.data)
        except Invalid as error:
            problems = show_errors(form, error, {"password": "password"})
        else:
            sessions.start(user)
            flash(_("Your password is changed, and every other login to your account has ended."), "success")
            return redirect(url_for("cases.home"), code=303)
    status = 422 if form.errors or problems else 200
    return private(make_response(render_template("accounts/choose_password.html", form=form, problems=problems,
                                                 email=user.email, title=_("Choose a new password")), status))


@login_required
@throttle.passwords
def change_own_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(me(), form.current.data, form.password.data)
        except Invalid as error:
            show_errors(form, error, {"current": "current", "password": "password"})
        else:
            flash(_("Your password is changed. Your other browsers were logged out."), "success")
            return redirect(url_for("accounts.account_page"), code=303)
    return account_page(password_form=form, status=422)
