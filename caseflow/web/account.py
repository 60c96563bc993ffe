"""``/account``: a person's own account: where they are logged in, and logging out everywhere."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import login_required

from caseflow.accounts import sessions
from caseflow.accounts.auth import me
from caseflow.i18n import ngettext
from caseflow.web.forms.accounts import ChangePasswordForm
from caseflow.web.forms.base import PageForm


@login_required
def account_page(password_form: ChangePasswordForm | None = None, status: int = 200):
    user = me()
    logins = [(login, sessions.is_current(user, login)) for login in sessions.of(user)]
    return render_template("accounts/account.html", logins=logins, form=PageForm(),
                           password_form=password_form or ChangePasswordForm(formdata=None)), status


@login_required
def log_out_everywhere():
    """End every login session of the account, this browser's too (a lost phone, a shared computer)."""
    if not PageForm().validate():
        abort(400)
    user = me()
    ended = sessions.end_all(user)
    sessions.end_current(user)
    flash(ngettext("You are logged out of %(num)d browser.", "You are logged out of %(num)d browsers.", ended),
          "success")
    return redirect(url_for("accounts.login"), code=303)
