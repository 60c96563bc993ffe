"""Cases: list the visible ones, submit an application, show one, act on it."""

from __future__ import annotations

from flask import url_for
from pydantic import ValidationError
from pydantic_core import from_json, to_json

from caseflow import limits
from caseflow.accounts.auth import me
from caseflow.accounts.permissions import can_view
from caseflow.api.contract import WithHeaders
from caseflow.api.refusals import refusal_of
from caseflow.api.schemas.cases import Case, CaseDetail, CasePage
from caseflow.api.schemas.workflows import recorded_data
from caseflow.cases import notes, operations, queries, rooms, subject
from caseflow.catalog import catalog
from caseflow.errors import Invalid, NotFound
from caseflow.extensions import db
from caseflow.fields import ChoiceSources
from caseflow.models.cases import Call
from caseflow.models.cases import Case as CaseRow


def list_cases(query) -> CasePage:
    """List the cases the caller may see, the most recently changed first."""
    result = queries.visible_cases(me(), query.type, query.state, page=query.page, per_page=query.per_page)
    return CasePage(items=[Case.of(c, catalog().get(c.type)) for c in result.items], page=result.page,
                    per_page=result.per_page, total=result.total)


def application_choices(raw: bytes) -> dict:
    """The lists an application's fields are checked against: today's faculties, and the partners of the
    call it names (unknown, so not checked, while that call is not one of the type's)."""
    try:
        body = from_json(raw)
    except ValueError:
        body = {}
    call_id, case_type = (body.get("call"), body.get("type")) if isinstance(body, dict) else (None, None)
    call = db.session.get(Call, call_id) if type(call_id) is int and 1 <= call_id <= limits.MAX_ID else None
    partners = None
    if call is not None and call.type == case_type:
        partners = [(p.name, p.name) for p in call.partners]
    return {"choices": ChoiceSources(faculties=queries.faculty_choices,
                                     partners=(lambda: partners) if partners is not None else None)}


def create_case(body, request) -> WithHeaders:
    """Submit an application (applicants, for themselves; the office for the kinds it may file).

    The fields are checked first, then the call and every eligibility rule; an ineligible application is
    refused with errors.eligibility and not stored.  Sent again with the same Idempotency-Key and body (a
    retry after a lost answer), it answers with the case the first one made and makes no other; the same key
    with another body is refused (422).
    """
    workflow = catalog()[body.type]
    data = {spec.name: spec.kind.to_json(spec, getattr(body.data, spec.name)) for spec in workflow.form_fields}
    call = db.session.get(Call, body.call) if body.call is not None else None
    case = operations.create_case(workflow, me(), data, call, body.renews, request)
    return WithHeaders(_detail(case.id), {"Location": url_for("api.get_case", case_id=case.id)})


def get_case(case_id: int) -> CaseDetail:
    """Show a case with its history, deadlines, documents and the caller's allowed transitions."""
    return _detail(case_id)


def fire_transition(case_id: int, body, request) -> CaseDetail:
    """Fire a transition on a case.

    422 also when a guard fails (errors.guards) or a required comment is missing; 409 when the case changed
    since the caller saw it (``version``) or the transition is not possible in its state.  Sent again with
    the same Idempotency-Key (a retry after a lost answer), it answers with the case as it is and fires
    nothing: no 409 for the version the first one moved on.
    """
    operations.apply_transition(case_id, body.transition, me(), body.version, body.comment or "", request,
                                _recorded(case_id, body.transition, body.data or {}))
    return _detail(case_id)


def _recorded(case_id: int, transition: str, data: dict) -> dict:
    """The values the transition records, checked by their fields' types (422 under data.<field>)."""
    case = db.session.get(CaseRow, case_id)
    workflow = catalog().get(case.type) if case is not None and can_view(me(), case) else None
    if workflow is None:
        return {}  # the operation answers 404
    shape = recorded_data(workflow, transition)
    call = db.session.get(Call, case.call_id) if case.call_id else None
    partners = [(p.name, p.name) for p in call.partners] if call is not None else []
    try:  # as JSON: a day is its ISO text; a partner is one of the case's call
        values = shape.model_validate_json(to_json(data), context={"choices": ChoiceSources(
            faculties=queries.faculty_choices, partners=lambda: partners, rooms=rooms.choices)})
    except ValidationError as error:
        refused = refusal_of(error, shape)
        raise Invalid(refused.message, {f"data.{path}": messages for path, messages in refused.errors.items()}) \
            from None
    return {spec.name: spec.kind.to_json(spec, getattr(values, spec.name))
            for spec in workflow.recorded_fields(transition)}


def invite_subject(case_id: int) -> CaseDetail:
    """Invite the person the case is about to follow it (office staff and admins).

    One without an account is mailed a link to create one for the address the application gives; one with
    an account is linked to the case and told to log in.  409 when they follow it already or no address is
    given.
    """
    subject.invite(case_id, me())
    return _detail(case_id)


def add_note(case_id: int, body) -> CaseDetail:
    """Add an internal note to the case's history (staff who see the case): nobody is mailed, and the
    applicant never sees it.  422 for an empty note or control characters."""
    notes.add_note(case_id, me(), body.note)
    return _detail(case_id)


def _detail(case_id: int) -> CaseDetail:
    """The case in four queries, whatever its history's length; 404 if the caller may not see it."""
    user = me()
    case = queries.load_case(case_id)
    if case is None or not can_view(user, case):
        raise NotFound()
    history = queries.case_history(case_id, internal=user.is_staff)
    return CaseDetail.of(case, catalog().get(case.type), user, history,
                         queries.case_deadlines(case_id), queries.case_documents(case_id))
