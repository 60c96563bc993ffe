"""Calls for applications: the list (and the office's form for a new call), a call's page, editing it."""

from __future__ import annotations

import re

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from caseflow.accounts.permissions import can_apply, can_manage_calls, on_commission
from caseflow.cases import queries
from caseflow.cases.operations import create_call, update_call
from caseflow.catalog import catalog
from caseflow.errors import Invalid, NotFound
from caseflow.extensions import login_manager
from caseflow.formats import zone_name
from caseflow.i18n import LANGUAGES, _
from caseflow.models.cases import Call
from caseflow.timeutil import from_utc, to_utc, utcnow
from caseflow.web.access import forbidden, me
from caseflow.web.forms.cases import CallForm
from caseflow.workflow.spec import Workflow

BLANK_PARTNER_ROWS = 5
_PARTNER_KEY = re.compile(r"^partners-(\d+)-(\w+)$")  # a partner row's input, as the page posts it
_PARTNER_PATH = re.compile(r"^partners\[(\d+)\]\.(\w+)$")  # a refusal about one, as the operations name it
_TEXTS_PATH = re.compile(r"^translations\.(\w+)\.(\w+)$")  # one of the texts in another language


def calls():
    """The calls, for anyone (logged in or not, as each call's page); the office also creates calls here."""
    if request.method == "POST" and not current_user.is_authenticated:
        return login_manager.unauthorized()
    may_create = can_manage_calls(me())
    if request.method == "POST" and not may_create:
        return forbidden(_("Only the international office may create calls."))
    form = _call_form() if may_create else None
    if form is not None and request.method == "POST":
        call = _create_call(form)
        if call is not None:
            flash(_("Call created: %(name)s.", name=form.name.data), "success")
            return redirect(url_for("cases.calls"), code=303)
    if form is not None:
        _add_blank_partner_rows(form)
    all_calls = queries.calls()
    taken = queries.seats_taken([call.id for call in all_calls])
    earlier = queries.one_per_call_cases(me(), all_calls) if current_user.is_authenticated else {}
    status = 422 if form is not None and form.errors else 200
    return render_template("cases/calls.html", calls=all_calls, taken=taken, form=form, now=utcnow(),
                           earlier=earlier), status


def call_page(call_id: int):
    """Show one call to anyone, logged in or not: the programme, deadline, places and conditions."""
    found = queries.call_page(call_id)
    workflow = catalog().get(found[0].type) if found else None
    if workflow is None:
        abort(404)
    call, taken = found
    may_apply = not current_user.is_authenticated or can_apply(me(), workflow)
    # Their own case in this call, where the rules take one a call: shown instead of "Apply".
    earlier = queries.one_per_call_cases(me(), [call]).get(call.id) if current_user.is_authenticated \
        and may_apply else None
    may_rank = workflow.scoring is not None and (can_manage_calls(me()) or on_commission(me(), call.id))
    return render_template("cases/call.html", call=call, workflow=workflow, taken=taken, is_open=call.is_open(),
                           may_apply=may_apply and earlier is None, earlier=earlier, may_edit=can_manage_calls(me()),
                           may_rank=may_rank,
                           zone=zone_name())


@login_required
def edit_call(call_id: int):
    """Change a call: its name, deadline, places, description and partners; not its case type."""
    if not can_manage_calls(me()):
        return forbidden(_("Only the international office may change calls."))
    found = queries.call_page(call_id)
    if found is None:
        abort(404)
    call, taken = found
    zone = current_app.config["CASEFLOW_TIMEZONE"]
    form = _call_form(call.type, {
        "name": call.name, "deadline": from_utc(call.deadline_at, zone), "seats": call.seats,
        "description": call.description, "variant": call.variant or "", "commission": queries.commission_ids(call_id),
        "first_day": call.first_day, "last_day": call.last_day, "starts_at": call.starts_at, "ends_at": call.ends_at,
        "place": call.place, "contact": call.contact,
        "reserve_list": call.reserve_list,
        **{f"in_{code}": (call.translations or {}).get(code, {}) for code in LANGUAGES},
        "partners": [{"id": str(p.id), "name": p.name, "country": p.country, "seats": p.seats}
                     for p in call.partners],
    })
    del form.type  # shown, never taken from the form: a call keeps its case type
    form.deadline.description = _(
        "In the office's time zone (%(zone)s). A deadline in the past closes the call: "
        "applications are no longer accepted.", zone=zone_name())
    refused = False
    if form.validate_on_submit():
        try:
            update_call(call_id, form.name.data, to_utc(form.deadline.data, zone), form.partner_rows(),
                        form.seats.data, form.description.data or "", translations=form.translations(),
                        **_call_extras(form))
        except NotFound:
            abort(404)
        except Invalid as error:
            _show_call_errors(form, error)
            refused = True  # form.errors misses a partner row's: the FieldList keeps what validate() found
        else:
            flash(_("Call changed: %(name)s.", name=form.name.data), "success")
            return redirect(url_for("cases.call_page", call_id=call_id), code=303)
    _add_blank_partner_rows(form)
    status = 422 if refused or form.errors else 200
    return render_template("cases/call_edit.html", call=call, taken=taken, form=form), status


def _without_blank_partner_rows(formdata: MultiDict) -> MultiDict:
    """Drop the partner rows left empty: the page offers more rows than most calls need.

    A row is empty when nothing was typed into it; its hidden id does not
    count, so emptying an existing partner's row removes the partner.
    """
    filled = {
        match.group(1)
        for key, value in formdata.items(multi=True)
        if (match := _PARTNER_KEY.match(key)) and match.group(2) != "id" and value.strip()
    }
    return MultiDict([
        (key, value) for key, value in formdata.items(multi=True)
        if not (match := _PARTNER_KEY.match(key)) or match.group(1) in filled
    ])


def _call_form(case_type: str | None = None, data: dict | None = None) -> CallForm:
    """Return the call form: as posted, or showing ``data`` (a call being edited), or empty."""
    if request.method == "POST":
        form = CallForm(formdata=_without_blank_partner_rows(request.form))
    else:
        form = CallForm(data=data)
    form.type.choices = [SelectChoice(w.name, w.label) for w in catalog() if w.needs_call]
    _call_extras_choices(form, [w for w in catalog() if w.needs_call and case_type in (None, w.name)])
    form.deadline.description = _("In the office's time zone (%(zone)s).", zone=zone_name())
    return form


def _call_extras_choices(form: CallForm, workflows: list[Workflow]) -> None:
    """Offer the programmes of ``workflows`` that have them, and the staff who may sit on a commission.

    A form for kinds without either loses the field, so it is neither shown nor read.
    """
    variants = [SelectChoice(c.value, c.label if len(workflows) == 1 else f"{w.label}: {c.label}")
                for w in workflows if w.variant for c in w.variant.choices]
    if variants:
        form.variant.choices = [SelectChoice("", _("— none (kinds with one programme) —"))] + variants
        if len(workflows) == 1:
            form.variant.label.text = workflows[0].variant.label
    else:
        del form.variant
    if any(w.scoring for w in workflows):
        form.commission.choices = [SelectChoice(u.id, f"{u.display_name} <{u.email}>")
                                   for u in queries.commission_candidates()]
    else:
        del form.commission


def _call_extras(form: CallForm) -> dict:
    """The programme, commission and schedule the form gives, as create_call and update_call take them."""
    extras = {"variant": form.variant.data or None} if "variant" in form else {}
    extras["schedule"] = form.schedule()
    if "commission" in form:
        extras["commission"] = list(form.commission.data or [])
    return extras


def _create_call(form: CallForm) -> Call | None:
    """Create the call the form describes, or put the problems beside its fields."""
    if not form.validate_on_submit():
        return None
    deadline_at = to_utc(form.deadline.data, current_app.config["CASEFLOW_TIMEZONE"])
    try:
        return create_call(form.name.data, form.type.data, deadline_at, form.partner_rows(), form.seats.data,
                           form.description.data or "", translations=form.translations(), **_call_extras(form))
    except Invalid as error:
        _show_call_errors(form, error)
        return None


def _show_call_errors(form: CallForm, error: Invalid) -> None:
    """Put an operation's refusals beside the fields they are about (a partner row's by its position)."""
    for key, messages in error.errors.items():
        row, texts = _PARTNER_PATH.match(key), _TEXTS_PATH.match(key)
        if row and int(row.group(1)) < len(form.partners.entries):
            subform = form.partners.entries[int(row.group(1))].form
            target = subform._fields.get(row.group(2)) if row.group(2) != "id" else subform.name
        elif texts and f"in_{texts.group(1)}" in form:
            target = form[f"in_{texts.group(1)}"].form._fields.get(texts.group(2))
        else:
            target = form._fields.get(key)
        target = target or form.name
        target.errors = [*target.errors, *messages]


def _add_blank_partner_rows(form: CallForm) -> None:
    while len(form.partners.entries) < BLANK_PARTNER_ROWS or not _has_blank_row(form):
        form.partners.append_entry()


def _has_blank_row(form: CallForm) -> bool:
    return any(not row.form.name.data for row in form.partners.entries)
