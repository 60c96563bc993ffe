"""The API's routes, mounted at /api/v1.  Each parses its input, calls one
operation or query, and serializes the result.

    GET  /workflows                  case types: states, transitions, fields
    GET  /faculties                  faculty codes and names
    GET  /calls   POST /calls        calls for applications (creating: office)
    PUT  /calls/<id>                 change a call (office)
    GET  /cases   POST /cases        visible cases, paged; submit (applicants)
    GET  /cases/<id>                 one case with history, documents and allowed actions
    POST /cases/<id>/transitions     act on a case
    GET  /openapi.json               this contract (no login)

Errors are raised as ``CaseError``; ``caseflow.web`` renders them, and every
other HTTP error under /api/, as JSON with an ``error`` message.
"""

from __future__ import annotations

from flask import current_app, jsonify, url_for
from flask_login import current_user, login_required

from caseflow.accounts.permissions import can_manage_calls, can_view
from caseflow.api import bodies, inputs, openapi, serializers
from caseflow.api.blueprint import bp
from caseflow.cases import operations, queries
from caseflow.cases.seats import SeatsTaken
from caseflow.catalog import catalog
from caseflow.errors import Forbidden, NotFound
from caseflow.extensions import db
from caseflow.i18n import _
from caseflow.models.cases import Call

# Paging far beyond any real list is refused rather than sent to the database.
MAX_PAGE = 1_000_000


def _user():
    """Return the logged-in user itself (operations keep it beyond the proxy)."""
    return current_user._get_current_object()


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document(catalog()))


@bp.get("/workflows")
@login_required
def list_workflows():
    return jsonify([serializers.workflow(w) for w in catalog()])


@bp.get("/faculties")
@login_required
def list_faculties():
    return jsonify([{"code": f.code, "name": f.name} for f in queries.faculties()])


@bp.get("/calls")
@login_required
def list_calls():
    calls = queries.calls(inputs.type_argument())
    taken = queries.seats_taken([c.id for c in calls])
    # Who sits on a commission is the office's business.
    scored = [c.id for c in calls if (spec := catalog().get(c.type)) is not None and spec.scoring is not None]
    members = queries.commission_emails(scored) if can_manage_calls(_user()) else None
    return jsonify([serializers.call(c, taken, members) for c in calls])


@bp.post("/calls")
@login_required
def create_call():
    if not can_manage_calls(_user()):
        raise Forbidden(_("Only the international office may create calls."))
    new = bodies.new_call(inputs.json_object())
    call = operations.create_call(new.name, new.type, new.deadline_at, new.partners, new.seats, new.description,
                                  variant=new.variant, commission=new.commission)
    return jsonify(serializers.call(call, SeatsTaken(), queries.commission_emails([call.id]))), 201


@bp.put(f"/calls/<int(max={inputs.MAX_ID}):call_id>")
@login_required
def update_call(call_id: int):
    if not can_manage_calls(_user()):
        raise Forbidden(_("Only the international office may change calls."))
    call = db.session.get(Call, call_id)
    if call is None:
        raise NotFound(_("No such call."))
    changed = bodies.changed_call(inputs.json_object(), call.type)
    operations.update_call(call_id, changed.name, changed.deadline_at, changed.partners, changed.seats,
                           changed.description, variant=changed.variant, commission=changed.commission)
    call, taken = queries.call_page(call_id)
    return jsonify(serializers.call(call, taken, queries.commission_emails([call_id])))


@bp.get("/cases")
@login_required
def list_cases():
    case_type = inputs.type_argument()
    state = inputs.state_argument(case_type)
    config = current_app.config
    per_page = inputs.query_integer("per_page", config["CASEFLOW_API_PAGE_SIZE"], config["CASEFLOW_API_MAX_PAGE_SIZE"])
    page = inputs.query_integer("page", 1, MAX_PAGE)
    result = queries.visible_cases(_user(), case_type, state, page=page, per_page=per_page)
    return jsonify(
        items=[serializers.case(c) for c in result.items],
        page=result.page,
        per_page=result.per_page,
        total=result.total,
    )


@bp.post("/cases")
@login_required
def create_case():
    applicant = _user()
    submitted = bodies.application(inputs.json_object())
    case = operations.create_case(submitted.workflow, applicant, submitted.data, submitted.call, submitted.renews)
    return _case_response(case.id), 201, {"Location": url_for("api.get_case", case_id=case.id)}


@bp.get(f"/cases/<int(max={inputs.MAX_ID}):case_id>")
@login_required
def get_case(case_id: int):
    return _case_response(case_id)


@bp.post(f"/cases/<int(max={inputs.MAX_ID}):case_id>/transitions")
@login_required
def fire_transition(case_id: int):
    wanted = bodies.transition_request(inputs.json_object())
    operations.apply_transition(case_id, wanted.name, _user(), wanted.version, wanted.comment)
    return _case_response(case_id)


def _case_response(case_id: int):
    """Return a case as JSON in four queries, whatever its history's length; 404 if not visible."""
    user = _user()
    case = queries.load_case(case_id)
    if case is None or not can_view(user, case):
        raise NotFound()
    return jsonify(serializers.case_detail(case, queries.case_history(case_id), user, queries.case_deadlines(case_id),
                                           queries.case_documents(case_id)))
