"""The only code that creates cases, changes their state and creates calls.

Every change is one short write transaction: check, write the row, append the
history event, commit; the signal goes out after the commit.  Web views, the
API and the CLI all call these functions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow import signals
from caseflow.accounts.models import User
from caseflow.accounts.permissions import can_apply, can_fire, can_view
from caseflow.cases.checks import CaseChecks, failed
from caseflow.cases.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion
from caseflow.cases.models import Call, Case, CaseEvent, Partner
from caseflow.cases.moves import after_move, announce, move
from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.i18n import _
from caseflow.timeutil import utcnow
from caseflow.workflow.spec import Workflow

MAX_COMMENT = 5000


def create_case(
    workflow: Workflow, applicant: User, data: dict[str, Any], call: Call | None = None
) -> Case:
    """Submit an application: check the call and every eligibility rule, then store it.

    ``data`` is already validated field by field (``cases.forms``).  An
    ineligible application raises Invalid naming every failed rule, and
    nothing is stored.
    """
    if not can_apply(applicant):
        raise Forbidden(_("Only applicants submit applications, each for themselves."))
    applicant_id = applicant.id
    call_id = call.id if call is not None else None
    with write_transaction() as session:
        # Lock the applicant: two simultaneous submissions must not both pass
        # the one-application-per-call rule (PostgreSQL).
        session.execute(select(User.id).where(User.id == applicant_id).with_for_update())
        if workflow.needs_call:
            call = session.get(Call, call_id) if call_id is not None else None
            if call is None or call.type != workflow.name:
                raise Invalid(_("Choose an open call for this kind of application."),
                              {"call": [_("Choose an open call for this kind of application.")]})
            if not call.is_open():
                message = _("This call closed on %(deadline)s; applications are no longer accepted.",
                            deadline=call.deadline_at.strftime("%Y-%m-%d %H:%M UTC"))
                raise Invalid(message, {"call": [message]})
        partner_id = _partner_id(session, workflow, call_id, data)
        checks = CaseChecks(session, workflow, data, applicant_id, call_id, partner_id)
        checks.lock_seat_pool()
        reasons = failed(workflow.rules, checks)
        if reasons:
            raise Invalid(_("The application does not meet the programme's conditions."),
                          {"eligibility": reasons})
        now = utcnow()
        faculty_fields = workflow.fields_of_type("faculty")
        case = Case(
            type=workflow.name,
            state=workflow.initial,
            version=1,
            applicant_id=applicant_id,
            call_id=call_id,
            partner_id=partner_id,
            faculty_code=data.get(faculty_fields[0].name) if faculty_fields else None,
            data=data,
            created_at=now,
            updated_at=now,
        )
        session.add(case)
        session.flush()
        case.reference = f"{workflow.reference_prefix}-{now.year}-{case.id:05d}"
        session.add(CaseEvent(case_id=case.id, at=now, actor_id=applicant_id, action="case.created",
                              to_state=workflow.initial, changes={"data": data}))
        session.flush()
        # E.g. an exempt work permit closes at once; a full event puts the registration on its waiting list.
        moves = after_move(session, workflow, case, [], now)
        case_id = case.id
    signals.case_created.send(current_app._get_current_object(), case_id=case_id, actor_id=applicant_id)
    announce(moves)
    return case


def _partner_id(session: Session, workflow: Workflow, call_id: int | None, data: dict) -> int | None:
    partner_fields = workflow.fields_of_type("partner")
    if not partner_fields or call_id is None or not data.get(partner_fields[0].name):
        return None
    partner = session.scalar(
        select(Partner).where(Partner.call_id == call_id, Partner.name == data[partner_fields[0].name])
    )
    if partner is None:
        message = _("Choose one of the partners of this call.")
        raise Invalid(message, {partner_fields[0].name: [message]})
    return partner.id


def apply_transition(
    case_id: int, name: str, actor: User, version: int | None, comment: str = ""
) -> Case:
    """Fire transition ``name`` on a case for ``actor``, who saw ``version`` of it.

    Raises NotFound (invisible), Invalid (unknown transition, missing
    comment, failed guard: 422), StaleVersion or Conflict (409), Forbidden
    (role may not fire it: 403).  On success the case, its new state and one
    history event are committed together.
    """
    comment = (comment or "").strip()
    with write_transaction() as session:
        # FOR UPDATE serialises concurrent transitions of one case on
        # PostgreSQL, so the loser sees the new version and gets a clean 409.
        # populate_existing: a case already in this session is refreshed from the locked row.
        case = session.scalar(
            select(Case).where(Case.id == case_id).with_for_update().execution_options(populate_existing=True)
        )
        if case is None or not can_view(actor, case):
            raise NotFound()
        actor_id = actor.id
        workflow = catalog()[case.type]
        transition = workflow.transition(name)
        if transition is None:
            message = _("%(name)s is not an action of this kind of case.", name=name)
            raise Invalid(message, {"transition": [message]})
        if version is None:
            message = _("The version of the case you saw is missing.")
            raise Invalid(message, {"version": [message]})
        if transition.auto:
            message = _("“%(action)s” happens by itself; nobody fires it.", action=transition.label)
            raise Invalid(message, {"transition": [message]})
        if not can_fire(actor, case, transition):
            raise Forbidden(_("Your role may not %(action)s.", action=transition.label.lower()))
        if version != case.version:
            raise StaleVersion()
        if case.state not in transition.sources:
            raise Conflict(_("“%(action)s” is not possible while the case is “%(state)s”.",
                             action=transition.label, state=workflow.state(case.state).label))
        if transition.comment_required and not comment:
            message = _("A comment is required: the applicant reads it.")
            raise Invalid(message, {"comment": [message]})
        if len(comment) > MAX_COMMENT:
            message = _("A comment may be at most %(max)d characters.", max=MAX_COMMENT)
            raise Invalid(message, {"comment": [message]})
        if transition.comment == "none":
            comment = ""
        reasons = failed(transition.guards, CaseChecks.of(session, workflow, case))
        if reasons:
            raise Invalid(" ".join(reasons), {"guards": reasons})
        now = utcnow()
        moves = after_move(session, workflow, case, [move(session, case, transition, actor_id, comment, version, now)],
                           now)
    announce(moves)
    return case


def create_call(name: str, case_type: str, deadline_at: datetime, partners: list[dict],
                seats: int | None = None, description: str = "") -> Call:
    """Create a call with its partners, refusing what would make it unusable.

    Refused: an unknown type or one whose applications need no call, a
    deadline already past, no partner where applicants must choose one, and
    a name already used.  Every problem found is reported at once.
    """
    workflow = catalog().get(case_type)
    errors: dict[str, list[str]] = {}
    if workflow is None:
        errors["type"] = [_("Unknown case type %(type)s.", type=case_type)]
    elif not workflow.needs_call:
        errors["type"] = [_("Applications of this kind are not made to a call.")]
    elif workflow.fields_of_type("partner") and not partners:
        errors["partners"] = [_("This kind of application needs at least one partner.")]
    elif workflow.seats == "call" and not seats:
        errors["seats"] = [_("Say how many places this call offers.")]
    elif workflow.seats != "call" and seats:
        errors["seats"] = [_("Applications of this kind do not take places of the call; leave Places empty.")]
    if deadline_at <= utcnow():
        errors["deadline"] = [_("The deadline must be in the future.")]
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    with write_transaction() as session:
        if session.scalar(select(Call.id).where(Call.name == name)) is not None:
            message = _("A call with this name exists already.")
            raise Invalid(message, {"name": [message]})
        call = Call(name=name, type=case_type, deadline_at=deadline_at, seats=seats, description=description)
        call.partners = [Partner(name=p["name"], country=p["country"], seats=p["seats"]) for p in partners]
        session.add(call)
    return call
