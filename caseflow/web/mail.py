"""``/admin/mail``: the outbox for admins (what waits, what failed for good, retry) and, in
development, the mail the local catcher kept."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from caseflow.extensions import db
from caseflow.i18n import _
from caseflow.models.outbox import FAILED, OutboxMessage
from caseflow.notify import catcher
from caseflow.notify.delivery import outbox_counts, retry
from caseflow.web.access import mail_admin_only
from caseflow.web.forms.base import PageForm

SHOWN = 50


@mail_admin_only
def admin_mail():
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == FAILED)
                                .order_by(OutboxMessage.id.desc()).limit(SHOWN)).all()
    recent = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(SHOWN)).all()
    return render_template("notify/admin_mail.html", counts=outbox_counts(), failed=failed, recent=recent,
                           caught=catcher.caught(catcher.caught_mail_folder()), form=PageForm())


@mail_admin_only
def retry_message(message_id: int):
    if not PageForm().validate():
        abort(400)
    if retry(message_id):
        flash(_("The message is queued again; it goes out with the next delivery round."), "success")
    else:
        flash(_("That message is not (or no longer) a failed one; nothing was changed."), "error")
    return redirect(url_for("notify.admin_mail", _anchor=request.args.get("from", "")), code=303)
