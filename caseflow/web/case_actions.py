"""A case's page and its action buttons: each button fires one transition through the one operation."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import login_required

from caseflow.cases import notes, subject
from caseflow.cases.operations import apply_transition
from caseflow.catalog import catalog
from caseflow.errors import CaseError, Conflict, Invalid, NotFound
from caseflow.i18n import _
from caseflow.web.access import me, visible_case
from caseflow.web.case_page import Failure, action_sources, render_case
from caseflow.web.forms.base import PageForm, submitted
from caseflow.web.forms.cases import NoteForm, transition_form_class


@login_required
def case_page(case_id: int):
    return render_case(case_id)


@login_required
def fire(case_id: int):
    case = visible_case(case_id)
    workflow = catalog()[case.type]
    form = transition_form_class(workflow, request.form.get("transition", ""), action_sources(case))()
    name = form.transition.data or ""
    if not form.validate():
        if not {"transition", "version", "csrf_token", "submission"} & set(form.errors):
            # The comment or a field the action records: shown again beside it, with what was typed.
            failure = Failure(name, form.comment.data or "", dict(form.errors), form)
            return render_case(case_id, 422, failure=failure)
        return render_case(case_id, 400, alert=_(
            "The form arrived incomplete or damaged, so nothing was done. "
            "Here is the case as it is now; choose the action again."))
    comment = form.comment.data or ""
    transition = workflow.transition(name)
    if transition is not None and workflow.asks_confirmation(transition) and not form.confirmed.data:
        message = _("Tick the box to confirm: “%(action)s” closes the case for good.", action=transition.label)
        return render_case(case_id, 422, alert=_("Nothing was done."), alerts=[message],
                           failure=Failure(name, comment, {"confirmed": [message]}, form))
    try:
        case = apply_transition(case_id, name, me(), int(form.version.data), comment, submitted(form),
                                form.recorded(workflow))
    except NotFound:
        abort(404)
    except Conflict as error:  # StaleVersion included: show the fresh page
        return render_case(case_id, error.status, alert=error.message,
                           alerts=[_("Nothing was done. Below is the case as it is now.")],
                           failure=Failure(name, comment))
    except Invalid as error:
        fields = {"comment", *(spec.name for spec in workflow.recorded_fields(name))}
        beside = {key: messages for key, messages in error.errors.items() if key in fields}
        reasons = [message for messages in error.errors.values() for message in messages] or [error.message]
        return render_case(case_id, error.status, alert=_("Nothing was done."), alerts=reasons,
                           failure=Failure(name, comment, beside, form))
    except CaseError as error:  # Forbidden, and any refusal added later
        return render_case(case_id, error.status, alert=error.message)
    flash(_("%(done)s. The case is now “%(state)s”.", done=workflow.transition(name).done,
            state=workflow.state_label(case.state)), "success")
    return redirect(url_for("cases.case_page", case_id=case_id), code=303)


@login_required
def invite(case_id: int):
    """The office invites the person a case is about to follow it (an employee it filed a permit for)."""
    case = visible_case(case_id)
    if not PageForm().validate():
        return render_case(case_id, 400, alert=_("The form arrived incomplete or damaged, so nothing was done."))
    try:
        had_account = subject.invite(case_id, me())
    except NotFound:
        abort(404)
    except CaseError as error:  # Forbidden, Conflict (invited already, no address)
        return render_case(case_id, error.status, alert=error.message)
    flash(_("%(name)s can follow the case with their account now; they were told by e-mail.", name=case.subject_name)
          if had_account else
          _("%(name)s was sent a link to create an account and follow the case.", name=case.subject_name), "success")
    return redirect(url_for("cases.case_page", case_id=case_id), code=303)


@login_required
def note(case_id: int):
    """Staff add an internal note to a case's history."""
    visible_case(case_id)
    form = NoteForm()
    if not form.validate():
        errors = form.errors.get("note")
        if errors and "csrf_token" not in form.errors:
            return render_case(case_id, 422, alert=_("Nothing was done."), alerts=list(errors))
        return render_case(case_id, 400, alert=_("The form arrived incomplete or damaged, so nothing was done."))
    try:
        notes.add_note(case_id, me(), form.note.data)
    except NotFound:
        abort(404)
    except CaseError as error:  # Forbidden; Invalid (a control character)
        return render_case(case_id, error.status, alert=error.message)
    flash(_("Note added. Only staff see it."), "success")
    return redirect(url_for("cases.case_page", case_id=case_id), code=303)
