"""Read the request bodies of the API's writes into what the operations take.

Field by field, the same WTForms classes as the web pages validate them (via
``caseflow.formdata``), so a rule and its message exist once; this module
adds only what a JSON body can get wrong that a posted HTML form cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from caseflow.api import inputs
from caseflow.cases import queries
from caseflow.catalog import catalog
from caseflow.extensions import db
from caseflow.fields import ChoiceSources
from caseflow.i18n import _
from caseflow.models.accounts import User
from caseflow.models.cases import Call
from caseflow.timeutil import to_utc
from caseflow.web.forms.cases import CallForm, application_form_class
from caseflow.workflow import Workflow


@dataclass
class Application:
    """A checked application, ready for ``operations.create_case``."""

    workflow: Workflow
    call: Call | None
    data: dict[str, Any]
    renews: int | None = None


@dataclass
class NewCall:
    """A checked call, its deadline in UTC, ready for ``operations.create_call``."""

    name: str
    type: str
    deadline_at: datetime
    partners: list[dict]
    seats: int | None = None
    description: str = ""
    variant: str | None = None
    commission: list[int] | None = None  # None: keep the call's commission (an update without the key)


@dataclass
class TransitionRequest:
    """What the caller wants to fire, and the version of the case they saw."""

    name: str
    version: int
    comment: str


def application(body: dict) -> Application:
    """Read ``{"type", "call", "data"}``; refuse it (422) listing every problem found."""
    workflow = inputs.workflow_named(body.get("type"))
    data = body.get("data")
    if not isinstance(data, dict):
        inputs.refuse({"data": [_("“data” must be an object holding the application's fields.")]})
    errors: dict[str, list[str]] = {}
    call = _call_for(workflow, body.get("call"), errors)
    partners = [(p.name, p.name) for p in call.partners] if call else []
    form_class = application_form_class(workflow, ChoiceSources(faculties=queries.faculty_choices,
                                                                partners=lambda: partners))
    form = form_class(formdata=inputs.formdata(data), meta={"csrf": False})
    if not form.validate():
        field_errors = inputs.form_errors(form)
        if "call" in errors and workflow.partner_field is not None:  # without a call there are no partners
            field_errors.pop(workflow.partner_field.name, None)
        errors.update(field_errors)
    for name in sorted(set(data) - {f.name for f in workflow.form_fields}):
        # An optional field with a misspelt name would otherwise vanish unnoticed.
        errors[name] = ([_("The call decides this, not the application.")] if name == workflow.variant_field
                        else [_("This application has no such field.")])
    renews = body.get("renews")
    if renews is not None and not inputs.is_id(renews):
        errors["renews"] = [_("“renews” is the id of the case this one renews.")]
    inputs.refuse(errors)
    return Application(workflow, call, form.cleaned_data(workflow), renews)


def _call_for(workflow: Workflow, call_id: object, errors: dict[str, list[str]]) -> Call | None:
    """Return the call the application is made to; add to ``errors`` when there is none."""
    if not workflow.needs_call:
        if call_id is not None:
            errors["call"] = [_("Applications of this kind are not made to a call.")]
        return None
    # The deadline is checked by create_case, in the same transaction as the insert.
    call = db.session.get(Call, call_id) if inputs.is_id(call_id) else None
    if call is None or call.type != workflow.name:
        errors["call"] = [_("Choose an open call for this kind of application.")]
        return None
    return call


def new_call(body: dict) -> NewCall:
    """Read ``{"name", "type", "deadline", "partners", ...}``; refuse it (422) listing every problem."""
    errors: dict[str, list[str]] = {}
    extras = _call_extras(body, errors)
    form = CallForm(formdata=inputs.formdata(_with_form_deadline(body)), meta={"csrf": False})
    form.type.choices = [(w.name, w.label) for w in catalog()]
    return _call_from(form, errors, extras, default_commission=[])


def changed_call(body: dict, case_type: str) -> NewCall:
    """Read the body of a call's update: a new call's, whose ``type``, if sent, must be the call's own."""
    errors: dict[str, list[str]] = {}
    if body.get("type", case_type) != case_type:
        errors["type"] = [_("The case type of a call cannot be changed.")]
    extras = _call_extras(body, errors)
    form = CallForm(formdata=inputs.formdata({**_with_form_deadline(body), "type": case_type}), meta={"csrf": False})
    form.type.choices = [(case_type, case_type)]
    return _call_from(form, errors, extras, default_commission=None)


def _call_extras(body: dict, errors: dict[str, list[str]]) -> dict:
    """Take ``variant`` and ``commission`` (the members' e-mail addresses) out of a call's body."""
    variant, emails = body.pop("variant", None), body.pop("commission", None)
    extras: dict = {"variant": variant}
    if variant is not None and not isinstance(variant, str):
        errors["variant"] = [_("“variant” is the programme's value, text.")]
    if emails is None:
        return extras
    if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
        errors["commission"] = [_("“commission” lists the members' e-mail addresses.")]
        return extras
    found = dict(db.session.execute(
        select(func.lower(User.email), User.id).where(func.lower(User.email).in_([e.lower() for e in emails]))
    ).all())
    unknown = [e for e in emails if e.lower() not in found]
    if unknown:
        errors["commission"] = [_("No account has these e-mail addresses: %(emails)s.", emails=", ".join(unknown))]
    extras["commission"] = [found[e.lower()] for e in emails if e.lower() in found]
    return extras


def _call_from(form: CallForm, errors: dict[str, list[str]], extras: dict,
               default_commission: list[int] | None) -> NewCall:
    # The rules of a usable call (future deadline, partners, places taken...) are the operations'.
    del form.variant, form.commission  # read from the body as JSON values by _call_extras
    inputs.refuse({**errors, **({} if form.validate() else inputs.form_errors(form))})
    return NewCall(
        variant=extras["variant"] or None,
        commission=extras.get("commission", default_commission),
        name=form.name.data,
        type=form.type.data,
        # A deadline without an offset is office time.
        deadline_at=to_utc(form.deadline.data, current_app.config["CASEFLOW_TIMEZONE"]),
        partners=form.partner_rows(),
        seats=form.seats.data,
        description=form.description.data or "",
    )


def _with_form_deadline(body: dict) -> dict:
    """Rewrite an ISO 8601 deadline in a format CallForm reads.

    Clients send what their language prints (JavaScript's ``toISOString()``
    adds milliseconds); the form knows only a few fixed formats.  Anything
    that is not ISO 8601 is left for the form to refuse.
    """
    deadline = body.get("deadline")
    if not isinstance(deadline, str):
        return body
    try:
        moment = datetime.fromisoformat(deadline.strip())
    except ValueError:
        return body
    return {**body, "deadline": moment.strftime("%Y-%m-%dT%H:%M:%S%z")}


def transition_request(body: dict) -> TransitionRequest:
    """Read ``{"transition", "version", "comment"}``; refuse wrong types (422).

    Whether the transition exists, the version is current and a comment is
    needed is for ``apply_transition`` to say.
    """
    name, version, comment = body.get("transition"), body.get("version"), body.get("comment")
    errors = {}
    if not isinstance(name, str) or not name:
        errors["transition"] = [_("Name the transition to fire.")]
    if not inputs.is_integer(version):
        errors["version"] = [_("Give the version of the case you saw, a whole number.")]
    if comment is not None and not isinstance(comment, str):
        errors["comment"] = [_("A comment is text.")]
    inputs.refuse(errors)
    return TransitionRequest(name, version, comment or "")
