"""Pages of a selection commission: a member scores a case; the office sees and closes the ranking.

The logic is ``caseflow.cases.selection``'s; these views parse, call it and render.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from caseflow.cases import selection
from caseflow.errors import CaseError, NotFound
from caseflow.extensions import db
from caseflow.i18n import _, ngettext
from caseflow.web.access import me
from caseflow.web.case_page import render_case
from caseflow.web.forms.base import PageForm


@login_required
def score(case_id: int):
    form = PageForm()  # the CSRF token; the score itself is checked by selection.parse_score
    if not form.validate():
        return render_case(case_id, 400, alert=_("The form arrived incomplete or damaged, so nothing was done."))
    try:
        selection.record_score(case_id, me(), request.form.get("score", ""), request.form.get("comment", ""))
    except NotFound:
        abort(404)
    except CaseError as error:
        return render_case(case_id, error.status, alert=_("Nothing was done."),
                           alerts=[m for messages in error.errors.values() for m in messages] or [error.message],
                           score_errors=error.errors)
    flash(_("Your score is recorded. You can change it until the office closes the ranking."), "success")
    return redirect(url_for("cases.case_page", case_id=case_id), code=303)


@login_required
def ranking_page(call_id: int):
    try:
        ranking = selection.ranking(db.session, call_id, me())
    except NotFound:
        abort(404)
    form = PageForm()
    if request.method == "POST":
        if not form.validate():
            return render_template("cases/ranking.html", ranking=ranking, form=form,
                                   alert=_("The form arrived incomplete or damaged, so nothing was done.")), 400
        try:
            closed = selection.close_ranking(call_id, me())
        except CaseError as error:
            return render_template("cases/ranking.html", ranking=ranking, form=form, alert=error.message,
                                   alerts=error.errors.get("ranking", [])), error.status
        chosen = sum(row.within_places for row in closed.rows)
        flash(ngettext("Ranking closed: %(num)d candidate shortlisted, %(others)d not selected.",
                       "Ranking closed: %(num)d candidates shortlisted, %(others)d not selected.",
                       chosen, others=len(closed.rows) - chosen), "success")
        return redirect(url_for("cases.call_page", call_id=call_id), code=303)
    return render_template("cases/ranking.html", ranking=ranking, form=form)
