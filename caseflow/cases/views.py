"""Case pages: home, apply, the case page and its actions, staff queues, calls.

Views parse input, call one operation or query, render.  Everything they
know about a case type comes from its workflow (``caseflow.catalog``): labels,
flags such as ``state.terminal``, who acts, which transitions a role may fire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from caseflow.accounts.models import User
from caseflow.accounts.permissions import can_apply, can_manage_calls, can_view, offered_transitions, on_commission
from caseflow.accounts.views import forbidden, page_number, requires
from caseflow.cases import queries
from caseflow.cases.errors import CaseError, Conflict, Invalid, NotFound
from caseflow.cases.forms import CallForm, TransitionForm, application_form_class, form_values
from caseflow.cases.models import Call, Case, CaseEvent
from caseflow.cases.operations import apply_transition, create_call, create_case, update_call
from caseflow.cases.selection import case_scores
from caseflow.catalog import catalog
from caseflow.documents.checklist import DocumentFailure, checklist
from caseflow.extensions import db
from caseflow.i18n import _
from caseflow.timeutil import from_utc, to_utc, utcnow
from caseflow.workflow.registry import routes_allow
from caseflow.workflow.spec import State, Transition, Workflow

bp = Blueprint("cases", __name__)

# Largest id the database column holds: larger ones are 404, not a driver error.
MAX_ID = 2**31 - 1
QUEUE_PAGE_SIZE = 25
MY_CASES_PAGE_SIZE = 50
BLANK_PARTNER_ROWS = 5

staff_only = requires(lambda user: user.is_staff, lambda: _("This page is for the university's staff."))


def _me() -> User:
    return current_user._get_current_object()


# ------------------------------------------------------------ template helpers


def state_label(workflow: Workflow, name: str | None) -> str:
    """Return a state's label; a name the file no longer declares is shown as it is."""
    if name is None:
        return ""
    try:
        return workflow.state(name).label
    except KeyError:
        return name


@bp.app_template_filter("state")
def state_of(case: Case) -> State:
    """Return the State a case is in (a bare one if its workflow no longer declares it)."""
    workflow = catalog().get(case.type)
    try:
        return workflow.state(case.state)
    except (AttributeError, KeyError):
        return State(name=case.state, label=case.state)


@bp.app_template_filter("type_label")
def type_label(item: Case | Call) -> str:
    workflow = catalog().get(item.type)
    return workflow.label if workflow else item.type


@bp.app_template_filter("paragraphs")
def paragraphs(text: str | None) -> list[list[str]]:
    """Split plain text into paragraphs (at blank lines), each a list of its lines.

    The template prints each line escaped, so a description is always shown
    as the text it is, never as markup.
    """
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return [[line.strip() for line in block.strip().split("\n")] for block in blocks if block.strip()]


@bp.app_template_filter("waited")
def waited(moment) -> str:
    """Say how long ago a naive-UTC moment was, e.g. "3 days"."""
    if moment is None:
        return ""
    return format_timedelta(utcnow() - moment, threshold=1.0)


# ------------------------------------------------------------------- home


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("cases/welcome.html", workflows=list(catalog()))
    if current_user.is_staff:
        return redirect(url_for("cases.queue"))
    my_cases = queries.visible_cases(_me(), page=page_number(), per_page=MY_CASES_PAGE_SIZE)
    return render_template("cases/home.html", cases=my_cases, offers=_open_offers())


def _open_offers() -> list[tuple[Workflow, Call | None]]:
    """List what an applicant may apply to now: each open call, or the type itself if it needs none."""
    offers: list[tuple[Workflow, Call | None]] = []
    for workflow in catalog():
        if workflow.needs_call:
            offers.extend((workflow, call) for call in queries.open_calls(workflow.name))
        else:
            offers.append((workflow, None))
    return offers


# ------------------------------------------------------------------ apply


def _chosen_call(open_calls: list[Call]) -> Call | None:
    raw = request.args.get("call", "")
    if raw.isdecimal():
        return next((call for call in open_calls if call.id == int(raw)), None)
    return open_calls[0] if len(open_calls) == 1 and not raw else None


def _prefill(workflow: Workflow, user: User) -> dict:
    return {spec.name: getattr(user, spec.prefill) for spec in workflow.fields if spec.prefill}


@bp.route("/apply/<case_type>", methods=["GET", "POST"])
@login_required
def apply(case_type: str):
    workflow = catalog().get(case_type)
    if workflow is None:
        abort(404)
    if not can_apply(_me(), workflow):
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
    partners = [(p.name, f"{p.name} ({p.country})") for p in call.partners] if call else []
    form_class = application_form_class(workflow, queries.faculty_choices(), partners)
    if request.method == "POST":
        form = form_class()
    else:  # a renewal starts from the renewed case's answers
        form = form_class(data={**_prefill(workflow, _me()), **form_values(workflow, renews.data if renews else {})})
    problems: list[str] = []
    eligibility: list[str] = []
    if form.validate_on_submit():
        try:
            case = create_case(workflow, _me(), form.cleaned_data(workflow), call, renews.id if renews else None)
        except Invalid as error:
            # Failed rules go in a list at the top, field-keyed errors beside their fields.
            eligibility = error.errors.get("eligibility", [])
            for key, messages in error.errors.items():
                target = form._fields.get(key) if key != "eligibility" else None
                if target is not None:
                    target.errors = [*target.errors, *messages]
                elif key != "eligibility":
                    problems.extend(messages)
            if not error.errors:
                problems.append(error.message)
        else:
            flash(_("Your application was submitted. Its reference is %(reference)s.",
                    reference=case.reference), "success")
            return redirect(url_for("cases.case_page", case_id=case.id), code=303)
    status = 422 if form.errors or problems or eligibility else 200
    return render_template("cases/apply.html", workflow=workflow, call=call, form=form, renews=renews,
                           problems=problems, eligibility=eligibility), status


def _renewed_case(workflow: Workflow) -> Case | None:
    """Return the case named by ``?renews=`` if the user may see it and it is of this type; else 404."""
    raw = request.args.get("renews", "")
    if not raw:
        return None
    case = queries.load_case(int(raw)) if raw.isascii() and raw.isdigit() and int(raw) <= MAX_ID else None
    if case is None or case.type != workflow.name or not can_view(_me(), case):
        abort(404)
    return case


# -------------------------------------------------------------- case page


@dataclass
class Step:
    state: State
    status: str  # "done", "current" or "todo"


@dataclass
class Failure:
    """A refused action, shown again beside its form."""

    transition: str
    comment: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)


def timeline(workflow: Workflow, case: Case, history: list[CaseEvent]) -> list[Step]:
    """Return the main path with the case's place on it.

    A case that left the main path (a rejection, a withdrawal) is shown on
    the path up to the last stage it reached, then where it is now.
    """
    path = list(workflow.main_path(lambda t: routes_allow(workflow, t, case.data or {})))
    names = [state.name for state in path]
    if case.state in names:
        here = names.index(case.state)
        return [Step(state, "done" if i < here else "current" if i == here else "todo")
                for i, state in enumerate(path)]
    reached = max((names.index(e.to_state) for e in history if e.to_state in names), default=0)
    current = state_of(case)
    steps = [Step(state, "done") for state in path[: reached + 1]]
    steps.append(Step(current, "current"))
    if not current.terminal:
        steps.extend(Step(state, "todo") for state in path[reached + 1:])
    return steps


def _field_rows(workflow: Workflow, data: dict) -> list[tuple[str, str]]:
    faculty_names = dict(queries.faculty_choices()) if workflow.fields_of_type("faculty") else {}
    rows = []
    for spec in workflow.fields:
        value = data.get(spec.name)
        if value is None or value == "":
            shown = "—"
        elif spec.type == "faculty":
            shown = faculty_names.get(value, value)
        else:
            shown = spec.choice_label(value)
        rows.append((spec.label, shown))
    for item in workflow.derived:  # worked out by the engine at submission, e.g. a state duty
        value = data.get(item.name)
        rows.append((item.label, "—" if value is None else f"{value} {item.unit}".strip()))
    return rows


def _document_action(workflow: Workflow, event: CaseEvent) -> str:
    """Say what a document event did, e.g. "Rejected “Copy of the passport”"."""
    if event.action == "document.downloaded":
        return _("Downloaded all documents")
    label = workflow.document_label((event.changes or {}).get("document", ""))
    wording = {
        "document.uploaded": _("Uploaded “%(document)s”", document=label),
        "document.replaced": _("Uploaded a new file for “%(document)s”", document=label),
        "document.accepted": _("Accepted “%(document)s”", document=label),
        "document.rejected": _("Rejected “%(document)s”", document=label),
        "document.deleted": _("Removed “%(document)s”", document=label),
        "document.viewed": _("Viewed “%(document)s”", document=label),
    }
    return wording.get(event.action, event.action)


def _history_rows(workflow: Workflow, history: list[CaseEvent]) -> list[dict]:
    rows = []
    for event in history:
        about_document = event.action.startswith("document.")  # no change of state to tell
        if about_document:
            action = _document_action(workflow, event)
        elif event.transition:
            transition = workflow.transition(event.transition)
            action = transition.label if transition is not None else event.transition
        else:
            action = workflow.created_label or _("Application submitted")
        rows.append({
            "at": event.at,
            "actor": event.actor.display_name if event.actor else _("The system"),
            "action": action,
            "before": state_label(workflow, event.from_state),
            "after": state_label(workflow, event.to_state),
            "states": not about_document,
            "comment": event.comment,
        })
    return rows


def _visible_case(case_id: int) -> Case:
    case = queries.load_case(case_id)
    if case is None or not can_view(_me(), case):
        abort(404)
    return case


def _render_case(case_id: int, status: int = 200, alert: str | None = None, alerts: list[str] | None = None,
                 failure: Failure | None = None, score_errors: dict | None = None,
                 document_failure: DocumentFailure | None = None):
    case = _visible_case(case_id)
    workflow = catalog()[case.type]
    history = queries.case_history(case.id)
    actions: list[tuple[Transition, TransitionForm, dict]] = []
    for transition in offered_transitions(_me(), case, workflow):
        comment, errors = "", {}
        if failure is not None and failure.transition == transition.name:
            comment, errors = failure.comment, failure.errors
        form = TransitionForm(formdata=None, transition=transition.name, version=str(case.version),
                              comment=comment)
        actions.append((transition, form, errors))
    return render_template(
        "cases/case.html",
        case=case,
        renewals=queries.renewals_of(case.id),
        may_renew=case.state in workflow.renewable_from and can_apply(_me(), workflow),
        workflow=workflow,
        state=state_of(case),
        steps=timeline(workflow, case, history),
        fields=_field_rows(workflow, case.data or {}),
        history=_history_rows(workflow, history),
        deadlines=[(workflow.deadline(d.name), d) for d in queries.case_deadlines(case.id) if d.closed_at is None],
        now=utcnow(),
        actions=actions,
        scores=case_scores(db.session, case, workflow, _me()),
        documents=checklist(workflow, case, queries.case_documents(case.id), _me(), document_failure),
        max_upload_mb=current_app.config["CASEFLOW_MAX_UPLOAD_MB"],
        score_errors=score_errors or {},
        alert=alert,
        alerts=alerts or [],
    ), status


@bp.route(f"/cases/<int(max={MAX_ID}):case_id>")
@login_required
def case_page(case_id: int):
    return _render_case(case_id)


@bp.route(f"/cases/<int(max={MAX_ID}):case_id>/transitions", methods=["POST"])
@login_required
def fire(case_id: int):
    _visible_case(case_id)
    form = TransitionForm()
    name = form.transition.data or ""
    if not form.validate():
        if "comment" in form.errors and not {"transition", "version"} & set(form.errors):
            failure = Failure(name, form.comment.data or "", {"comment": form.comment.errors})
            return _render_case(case_id, 422, failure=failure)
        return _render_case(case_id, 400, alert=_(
            "The form arrived incomplete or damaged, so nothing was done. "
            "Here is the case as it is now; choose the action again."))
    comment = form.comment.data or ""
    try:
        case = apply_transition(case_id, name, _me(), int(form.version.data), comment)
    except NotFound:
        abort(404)
    except Conflict as error:  # StaleVersion included: show the fresh page
        return _render_case(case_id, error.status, alert=error.message,
                            alerts=[_("Nothing was done. Below is the case as it is now.")],
                            failure=Failure(name, comment))
    except Invalid as error:
        beside = {key: messages for key, messages in error.errors.items() if key == "comment"}
        reasons = [message for messages in error.errors.values() for message in messages] or [error.message]
        return _render_case(case_id, error.status, alert=_("Nothing was done."), alerts=reasons,
                            failure=Failure(name, comment, beside))
    except CaseError as error:  # Forbidden, and any refusal added later
        return _render_case(case_id, error.status, alert=error.message)
    workflow = catalog()[case.type]
    flash(_("Done: %(action)s. The case is now “%(state)s”.", action=workflow.transition(name).label,
            state=state_label(workflow, case.state)), "success")
    return redirect(url_for("cases.case_page", case_id=case_id), code=303)


# ----------------------------------------------------------------- queues


@bp.route("/queue")
@staff_only
def queue():
    counts = queries.queue_counts(_me())
    role = current_user.role
    groups = []
    for workflow in catalog():
        stages = []
        for state in workflow.states:
            acts = any(role in t.roles for t in workflow.transitions_from(state.name))
            stages.append((state, counts.get((workflow.name, state.name), 0), acts))
        groups.append((workflow, stages))
    return render_template("cases/queue.html", groups=groups, commissions=queries.commission_calls(_me()))


@bp.route("/queue/<case_type>/<state>")
@staff_only
def stage(case_type: str, state: str):
    workflow = catalog().get(case_type)
    if workflow is None or state not in {s.name for s in workflow.states}:
        abort(404)
    page = queries.stage_queue(_me(), case_type, state, page=page_number(), per_page=QUEUE_PAGE_SIZE)
    return render_template("cases/stage.html", workflow=workflow, state=workflow.state(state), cases=page,
                           faculty_names=dict(queries.faculty_choices()), now=utcnow())


# ------------------------------------------------------------------ calls


_PARTNER_KEY = re.compile(r"^partners-(\d+)-(\w+)$")


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
    form.deadline.description = _("In the office's time zone (%(zone)s).", zone=current_app.config["CASEFLOW_TIMEZONE"])
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
    """The programme and commission the form gives, as create_call and update_call take them."""
    extras = {"variant": form.variant.data or None} if "variant" in form else {}
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
                           form.description.data or "", **_call_extras(form))
    except Invalid as error:
        _show_call_errors(form, error)
        return None


def _show_call_errors(form: CallForm, error: Invalid) -> None:
    """Put an operation's refusals beside the fields they are about (a partner row's by its position)."""
    for key, messages in error.errors.items():
        row = _PARTNER_KEY.match(key)
        if row and int(row.group(1)) < len(form.partners.entries):
            subform = form.partners.entries[int(row.group(1))].form
            target = subform._fields.get(row.group(2)) if row.group(2) != "id" else subform.name
        else:
            target = form._fields.get(key)
        target = target or form.name
        target.errors = [*target.errors, *messages]


def _add_blank_partner_rows(form: CallForm) -> None:
    while len(form.partners.entries) < BLANK_PARTNER_ROWS or not _has_blank_row(form):
        form.partners.append_entry()


@bp.route("/calls", methods=["GET", "POST"])
@login_required
def calls():
    may_create = can_manage_calls(_me())
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
    status = 422 if form is not None and form.errors else 200
    return render_template("cases/calls.html", calls=all_calls, taken=taken, form=form, now=utcnow()), status


@bp.route(f"/calls/<int(max={MAX_ID}):call_id>")
def call_page(call_id: int):
    """Show one call to anyone, logged in or not: the programme, deadline, places and conditions."""
    found = queries.call_page(call_id)
    workflow = catalog().get(found[0].type) if found else None
    if workflow is None:
        abort(404)
    call, taken = found
    may_apply = not current_user.is_authenticated or can_apply(_me(), workflow)
    may_rank = workflow.scoring is not None and (can_manage_calls(_me()) or on_commission(_me(), call.id))
    return render_template("cases/call.html", call=call, workflow=workflow, taken=taken, is_open=call.is_open(),
                           may_apply=may_apply, may_edit=can_manage_calls(_me()), may_rank=may_rank,
                           zone=current_app.config["CASEFLOW_TIMEZONE"])


@bp.route(f"/calls/<int(max={MAX_ID}):call_id>/edit", methods=["GET", "POST"])
@login_required
def edit_call(call_id: int):
    """Change a call: its name, deadline, places, description and partners; not its case type."""
    if not can_manage_calls(_me()):
        return forbidden(_("Only the international office may change calls."))
    found = queries.call_page(call_id)
    if found is None:
        abort(404)
    call, taken = found
    zone = current_app.config["CASEFLOW_TIMEZONE"]
    form = _call_form(call.type, {
        "name": call.name, "deadline": from_utc(call.deadline_at, zone), "seats": call.seats,
        "description": call.description, "variant": call.variant or "", "commission": queries.commission_ids(call_id),
        "partners": [{"id": str(p.id), "name": p.name, "country": p.country, "seats": p.seats}
                     for p in call.partners],
    })
    del form.type  # shown, never taken from the form: a call keeps its case type
    form.deadline.description = _(
        "In the office's time zone (%(zone)s). A deadline in the past closes the call: "
        "applications are no longer accepted.", zone=zone)
    refused = False
    if form.validate_on_submit():
        try:
            update_call(call_id, form.name.data, to_utc(form.deadline.data, zone), form.partner_rows(),
                        form.seats.data, form.description.data or "", **_call_extras(form))
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


def _has_blank_row(form: CallForm) -> bool:
    return any(not row.form.name.data for row in form.partners.entries)
