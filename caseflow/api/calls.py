"""Calls for applications: list, create, change."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from caseflow.accounts.auth import me
from caseflow.accounts.permissions import can_manage_calls
from caseflow.api.schemas.calls import Call
from caseflow.cases import operations, queries
from caseflow.cases.seats import SeatsTaken
from caseflow.catalog import catalog
from caseflow.errors import Invalid
from caseflow.extensions import db
from caseflow.formats import listing
from caseflow.i18n import _
from caseflow.models.accounts import User
from caseflow.models.cases import Call as CallRow
from caseflow.timeutil import to_utc


def list_calls(query) -> list[Call]:
    """List the calls for applications, the newest deadline first."""
    calls = queries.calls(query.type)
    taken = queries.seats_taken([c.id for c in calls])
    # Who sits on a commission is the office's business.
    members = queries.commission_emails([c.id for c in calls if _ranked(c)]) if can_manage_calls(me()) else None
    return [Call.of(c, taken, _commission(c, members)) for c in calls]


def create_call(body) -> Call:
    """Create a call (office staff and admins).

    Refused (422) with every problem: a deadline already past, no partner where applicants choose one,
    places missing or not taken by this kind, a programme the kind does not have, a commission of unknown or
    non-staff accounts; a name another call has.
    """
    call = operations.create_call(body.name, body.type, _deadline(body), _partners(body), body.seats,
                                  body.description, variant=body.variant,
                                  commission=_member_ids(body.commission) or [], translations=_texts(body),
                                  schedule=_schedule(body))
    return Call.of(call, SeatsTaken(), _commission(call, queries.commission_emails([call.id])))


def update_call(call_id: int, body) -> Call:
    """Change a call (office staff and admins); its case type stays.

    The body is a new call's; partners listed with their id are kept, those left out removed, those
    without an id added.  Refused (422) besides a new call's problems: fewer places or seats than are taken,
    renaming or removing a partner applications chose, a deadline before the call was created.  A deadline
    in the past closes the call.
    """
    call = db.session.get(CallRow, call_id)
    if body.type is not None and body.type != call.type:
        message = _("The case type of a call cannot be changed.")
        raise Invalid(message, {"type": [message]})
    operations.update_call(call_id, body.name, _deadline(body), _partners(body), body.seats, body.description,
                           variant=body.variant, commission=_member_ids(body.commission), translations=_texts(body),
                           schedule=_schedule(body))
    call, taken = queries.call_page(call_id)
    return Call.of(call, taken, _commission(call, queries.commission_emails([call_id])))


def _texts(body) -> dict | None:
    """The body's texts in other languages, as the operations take them (None: not sent, kept)."""
    if body.translations is None:
        return None
    return {language: texts.model_dump() for language, texts in body.translations.items()}


def _ranked(call: CallRow) -> bool:
    workflow = catalog().get(call.type)
    return workflow is not None and workflow.scoring is not None


def _commission(call: CallRow, members: dict[int, list[str]] | None) -> list[str] | None:
    """The members shown with a call: to the office, for kinds decided by a ranking."""
    return members.get(call.id, []) if members is not None and _ranked(call) else None


def _schedule(body) -> operations.Schedule:
    return operations.Schedule(body.first_day, body.last_day, body.place, body.contact, body.reserve_list,
                               body.starts_at, body.ends_at)


def _deadline(body):
    return to_utc(body.deadline, current_app.config["CASEFLOW_TIMEZONE"])  # without an offset: office time


def _partners(body) -> list[dict]:
    return [{"id": getattr(p, "id", None), "name": p.name, "country": p.country, "seats": p.seats}
            for p in body.partners]


def _member_ids(emails: list[str] | None) -> list[int] | None:
    """The accounts of the members' addresses; refuse (422) addresses no account has."""
    if emails is None:
        return None
    found = dict(db.session.execute(
        select(func.lower(User.email), User.id).where(func.lower(User.email).in_([e.lower() for e in emails]))
    ).all())
    unknown = [e for e in emails if e.lower() not in found]
    if unknown:
        message = _("No account has these e-mail addresses: %(emails)s.", emails=listing(unknown))
        raise Invalid(message, {"commission": [message]})
    return [found[e.lower()] for e in emails]
