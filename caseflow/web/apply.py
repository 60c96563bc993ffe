"""Applying: the application form of a case type, for one of its open calls (or none)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from caseflow import limits
from caseflow.accounts.permissions import can_apply, can_view
from caseflow.cases import queries
from caseflow.cases.operations import create_case
from caseflow.catalog import catalog
from caseflow.errors import Invalid
from caseflow.fields import ChoiceSources
from caseflow.i18n import _
from caseflow.models.accounts import User
from caseflow.models.cases import Call, Case
from caseflow.web.access import forbidden, me
from caseflow.web.forms.base import submitted
from caseflow.web.forms.cases import application_form_class, form_values
from caseflow.web.partners import partner_choices
from caseflow.workflow.spec import Workflow


@login_required
def apply(case_type: str):
    workflow = catalog().get(case_type)
    if workflow is None:
        abort(404)
    if not can_apply(me(), workflow):
        return forbidden(_("Staff accounts cannot apply. To apply, log in with an applicant account."))
    call = None
    if workflow.needs_call:
        open_calls = queries.open_calls(workflow.name)
        call = _chosen_call(open_calls)
        if call is None:
            asked = bool(request.args.get("call"))
            return render_template("cases/choose_call.html", workflow=workflow, calls=open_calls,
                                   asked=asked), (422 if request.method == "POST" else 200)
    renews = _renewed_case(workflow)
    partners = partner_choices(call) if call else []
    form_class = application_form_class(workflow, ChoiceSources(faculties=queries.faculty_choices,
                                                                partners=lambda: partners),
                                        call.variant if call else None)
    if request.method == "POST":
        form = form_class()
    else:  # a renewal starts from the renewed case's answers
        form = form_class(data={**_prefill(workflow, me()), **form_values(workflow, renews.data if renews else {})})
    problems: list[str] = []
    eligibility: list[str] = []
    if form.validate_on_submit():
        try:
            case = create_case(workflow, me(), form.cleaned_data(workflow), call, renews.id if renews else None,
                               submitted(form))
        except Invalid as error:
            # Failed rules go in a list at the top, field-keyed errors beside their fields.
            eligibility = error.errors.get("eligibility", [])
            for key, messages in error.errors.items():
                target = form._fields.get(key.removeprefix("data.")) if key != "eligibility" else None
                if target is not None:
                    target.errors = [*target.errors, *messages]
                elif key != "eligibility":
                    problems.extend(messages)
            if not error.errors:
                problems.append(error.message)
        else:
            if case.replayed:  # this form was sent before (a double click): that sending made the case
                flash(_("This form was sent already; here is the application it submitted, %(reference)s.",
                        reference=case.reference), "success")
            elif case.subject_id == me().id:
                flash(_("Your application was submitted. Its reference is %(reference)s.",
                        reference=case.reference), "success")
            else:  # filed by the office for the person it is about
                flash(_("The application for %(person)s was submitted. Its reference is %(reference)s.",
                        person=case.subject_name, reference=case.reference), "success")
            return redirect(url_for("cases.case_page", case_id=case.id), code=303)
    status = 422 if form.errors or problems or eligibility else 200
    return render_template("cases/apply.html", workflow=workflow, call=call, form=form, renews=renews,
                           problems=problems, eligibility=eligibility), status


def _chosen_call(open_calls: list[Call]) -> Call | None:
    raw = request.args.get("call", "")
    if raw.isdecimal():
        return next((call for call in open_calls if call.id == int(raw)), None)
    return open_calls[0] if len(open_calls) == 1 and not raw else None


def _prefill(workflow: Workflow, user: User) -> dict:
    """An applicant's own name and address; staff file for someone else, whose fields start empty."""
    if user.role != "applicant":
        return {}
    return {spec.name: getattr(user, spec.prefill) for spec in workflow.fields if spec.prefill}


def _renewed_case(workflow: Workflow) -> Case | None:
    """Return the case named by ``?renews=`` if the user may see it and it is of this type; else 404."""
    raw = request.args.get("renews", "")
    if not raw:
        return None
    case = queries.load_case(int(raw)) if raw.isascii() and raw.isdigit() and int(raw) <= limits.MAX_ID else None
    if case is None or case.type != workflow.name or not can_view(me(), case):
        abort(404)
    return case
