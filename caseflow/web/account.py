"""``/account``: a person's own account: their password, where they are logged in, their API tokens."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import login_required

from caseflow.accounts import sessions
from caseflow.accounts.auth import me
from caseflow.accounts.operations import create_token, revoke_token, tokens_of
from caseflow.i18n import _, ngettext
from caseflow.timeutil import utcnow
from caseflow.web.forms.accounts import ChangePasswordForm, TokenForm
from caseflow.web.forms.base import PageForm


@login_required
def account_page(password_form: ChangePasswordForm | None = None, token_form: TokenForm | None = None,
                 new_secret: str | None = None, status: int = 200):
    user = me()
    logins = [(login, sessions.is_current(user, login)) for login in sessions.of(user)]
    return render_template("accounts/account.html", logins=logins, form=PageForm(),
                           password_form=password_form or ChangePasswordForm(formdata=None),
                           token_form=token_form or TokenForm(formdata=None), tokens=tokens_of(user.id),
                           new_secret=new_secret, now=utcnow()), status


@login_required
def create_own_token():
    """Create an API token and show its secret on the page, once (it is stored only as a hash)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return account_page(token_form=form, status=422)
    secret = create_token(me(), form.name.data, int(form.days.data) if form.days.data else None)
    return account_page(new_secret=secret)


@login_required
def revoke_own_token(token_id: int):
    if not PageForm().validate():
        abort(400)
    tell_revoked(revoke_token(token_id, owner_id=me().id))  # another's token: 404, as for none
    return redirect(url_for("accounts.account_page", _anchor="tokens-title"), code=303)


def tell_revoked(token) -> None:
    """Say on the next page that a token no longer works (its owner's page and the admin's alike)."""
    flash(_("The token “%(name)s” is revoked; programs using it are refused from now on.",
            name=token.name or token.id), "success")


@login_required
def log_out_everywhere():
    """End every login session of the account, this browser's too (a lost phone, a shared computer)."""
    if not PageForm().validate():
        abort(400)
    user = me()
    ended = sessions.end_all(user)  # this browser's row with the others: only the cookie is left to drop
    sessions.forget_browser()
    flash(ngettext("You are logged out of %(num)d browser.", "You are logged out of %(num)d browsers.", ended),
          "success")
    return redirect(url_for("accounts.login"), code=303)


@login_required
def end_other_session(login_id: int):
    """Log out one other browser of the account (a computer in the library, an old phone)."""
    if not PageForm().validate():
        abort(400)
    if not sessions.end_other(me(), login_id):
        abort(404)
    flash(_("That browser is logged out."), "success")
    return redirect(url_for("accounts.account_page", _anchor="sessions-title"), code=303)
