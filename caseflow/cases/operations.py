"""The only code that creates cases, changes their state and creates or changes calls.

Every change is one short write transaction: check, write the row, append the
history event, commit; the signal goes out after the commit.  Web views, the
API and the CLI all call these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask import current_app, g
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseflow import audit, countries, history, limits, signals
from caseflow.accounts.permissions import can_apply, can_fire, can_view
from caseflow.cases import rooms
from caseflow.cases.checks import CaseChecks, failed
from caseflow.cases.derived import derive, normalise
from caseflow.cases.moves import after_move, announce, blockers, move, promote_waiting_for_call, told
from caseflow.cases.replay import RequestKey, earlier_case, earlier_move
from caseflow.cases.seats import SeatsTaken, pool_of, seats_taken
from caseflow.cases.selection import commission_problems, replace_commission
from caseflow.cases.subject import linked_case, subject_columns
from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion, json_path
from caseflow.fields.text import text_refusal
from caseflow.formats import listing, office_time
from caseflow.i18n import LANGUAGES, SOURCE_LANGUAGE, _, ngettext, reader_locale
from caseflow.models.accounts import User
from caseflow.models.cases import Call, Case, Partner, ReferenceItem
from caseflow.scheduling import deadlines
from caseflow.scheduling.deadlines import DATE_LISTS
from caseflow.timeutil import utcnow
from caseflow.workflow.spec import ReferenceList, Workflow


def create_case(
    workflow: Workflow, applicant: User, data: dict[str, Any], call: Call | None = None, renews: int | None = None,
    request: RequestKey | None = None,
) -> Case:
    """Submit an application: check the call and every eligibility rule, then store it.

    ``data`` is already validated field by field (its field types, by the page's form or the API's schema).  An
    ineligible application raises Invalid naming every failed rule, and
    nothing is stored.  A ``request`` sent before returns the case it made,
    marked ``replayed``, and stores nothing.
    """
    if not can_apply(applicant, workflow):
        raise Forbidden(_("Only applicants submit applications, each for themselves."))
    applicant_id = applicant.id
    call_id = call.id if call is not None else None
    with write_transaction() as session:
        # Lock the applicant: two simultaneous submissions must not both pass
        # the one-application-per-call rule (PostgreSQL).
        session.execute(select(User.id).where(User.id == applicant_id).with_for_update(key_share=True))
        earlier = earlier_case(session, applicant_id, request)  # after the lock: copies queue behind it
        if earlier is not None:
            earlier.replayed = True
            return earlier
        if workflow.needs_call:
            call = session.get(Call, call_id) if call_id is not None else None
            if call is None or call.type != workflow.name:
                raise Invalid(_("Choose an open call for this kind of application."),
                              {"call": [_("Choose an open call for this kind of application.")]})
            if not call.is_open():
                message = _("This call closed on %(deadline)s; applications are no longer accepted.",
                            deadline=office_time(call.deadline_at))
                raise Invalid(message, {"call": [message]})
        if workflow.variant_field:  # e.g. the programme: the call's, never the applicant's choice
            data = _programme_fields({**data, workflow.variant_field: call.variant}, workflow)
        partner_id = _partner_id(session, workflow, call_id, data)
        checks = CaseChecks(session, workflow, data, applicant_id, call_id, partner_id)
        checks.lock_seat_pool()
        reasons = failed(workflow.rules, checks)
        if reasons:
            raise Invalid(_("The application does not meet the programme's conditions."),
                          {"eligibility": reasons})
        if renews is not None:
            _check_renewal(session, workflow, applicant, renews)
        data = {**data, **derive(session, workflow, data)}  # e.g. the state duty, fixed at submission
        now = utcnow()
        faculty_field = workflow.faculty_field
        subject = subject_columns(session, workflow, data, applicant)
        case = Case(
            type=workflow.name,
            state=workflow.initial,
            version=1,
            applicant_id=applicant_id,
            call_id=call_id,
            partner_id=partner_id,
            renews_id=renews,
            faculty_code=data.get(faculty_field.name) if faculty_field else None,
            data=data,
            **subject,
            linked_id=linked_case(session, workflow, applicant, subject),
            created_at=now,
            updated_at=now,
            request_key=request.key if request else None,
            request_digest=request.digest if request else None,
        )
        session.add(case)
        session.flush()
        case.reference = f"{workflow.reference_prefix}-{now.year}-{case.id:05d}"
        session.flush()
        event_id = history.record(session, case.id, history.CREATED, applicant_id, now, to_state=workflow.initial,
                                  changes={"data": data})
        deadlines.follow_move(session, workflow, case, workflow.initial, now, leaving=False)
        # E.g. an exempt work permit closes at once; a full event puts the registration on its waiting list:
        # the submission's one mail says where it ended up.
        moves = told(session, workflow, case, after_move(session, workflow, case, [], now), now, created=event_id)
        case_id = case.id
    signals.case_created.send(current_app._get_current_object(), case_id=case_id, actor_id=applicant_id)
    announce(moves)
    return case


def _programme_fields(data: dict[str, Any], workflow: Workflow) -> dict[str, Any]:
    """Keep the fields the call's programme asks (``applies_when``), each required one given; the answers
    to another programme's fields are not kept (the pages never ask them; the API says it ignores them)."""
    asked = {spec.name for spec in workflow.form_fields_for(data)}
    errors = {f"data.{spec.name}": [_("This field is required.")] for spec in workflow.form_fields_for(data)
              if spec.required and spec.when is not None and data.get(spec.name) in (None, "")}
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    return {name: value for name, value in data.items()
            if name in asked or workflow.field(name) is None or workflow.field(name) not in workflow.form_fields}


def _check_renewal(session: Session, workflow: Workflow, applicant: User, renews: int) -> None:
    """Refuse to renew a case the submitter cannot see, of another type, not renewable now, or renewed already."""
    previous = session.scalar(select(Case).where(Case.id == renews).with_for_update(key_share=True))
    if previous is None or previous.type != workflow.name or not can_view(applicant, previous):
        message = _("There is no such case to renew.")
        raise Invalid(message, {"renews": [message]})
    if previous.state not in workflow.renewable_from:
        labels = listing((workflow.state(s).label for s in workflow.renewable_from), "or") or "—"
        message = _("Only a case that is %(states)s can be renewed.", states=labels)
        raise Invalid(message, {"renews": [message]})
    other = session.scalar(select(Case.reference).where(
        Case.renews_id == renews, Case.state.not_in(workflow.closed_negative_states)))
    if other is not None:
        message = _("%(reference)s renews this case already.", reference=other)
        raise Invalid(message, {"renews": [message]})


def _partner_id(session: Session, workflow: Workflow, call_id: int | None, data: dict) -> int | None:
    partner_field = workflow.partner_field
    if partner_field is None or call_id is None or not data.get(partner_field.name):
        return None
    # FOR UPDATE: a partner that update_call is removing or renaming meanwhile is then not found.
    partner = session.scalar(
        select(Partner).where(Partner.call_id == call_id, Partner.name == data[partner_field.name])
        .with_for_update(key_share=True)
    )
    if partner is None:
        message = _("Choose one of the partners of this call.")
        raise Invalid(message, {json_path(["data", partner_field.name]): [message]})
    return partner.id


def apply_transition(
    case_id: int, name: str, actor: User, version: int | None, comment: str = "", request: RequestKey | None = None,
    recorded: dict[str, Any] | None = None,
) -> Case:
    """Fire transition ``name`` on a case for ``actor``, who saw ``version`` of it.

    Raises NotFound (invisible), Invalid (unknown transition, missing
    comment, failed guard: 422), StaleVersion or Conflict (409), Forbidden
    (role may not fire it: 403).  On success the case, its new state and one
    history event are committed together.  A ``request`` that fired it
    before returns the case as it is, marked ``replayed``, and changes nothing.  ``recorded`` holds the
    values of the fields the transition records (``recorded_at``: a permit's number), checked by their
    types already; each required one must be there.
    """
    comment = (comment or "").strip()
    with write_transaction() as session:
        # FOR UPDATE serialises concurrent transitions of one case on
        # PostgreSQL, so the loser sees the new version and gets a clean 409.
        # populate_existing: a case already in this session is refreshed from the locked row.
        case = session.scalar(
            select(Case)
            .where(Case.id == case_id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
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
        if workflow.is_collective(transition):
            message = _("“%(action)s” is decided for all candidates at once, by closing the ranking on the "
                        "call's page.", action=transition.label)
            raise Invalid(message, {"transition": [message]})
        if not can_fire(actor, case, transition):
            raise Forbidden(_("Your role may not %(action)s.", action=transition.label.lower()))
        if earlier_move(session, case.id, actor_id, name, request):
            case.replayed = True
            return case
        if version != case.version:
            raise StaleVersion()
        if case.state not in transition.sources:
            raise Conflict(_("“%(action)s” is not possible while the case is “%(state)s”.",
                             action=transition.label, state=workflow.state(case.state).label))
        if transition.comment_required and not comment:
            message = _("A comment is required: the applicant reads it.")
            raise Invalid(message, {"comment": [message]})
        refused = text_refusal(comment, limits.TEXT)
        if refused:
            raise Invalid(refused, {"comment": [refused]})
        if transition.comment == "none":
            comment = ""
        recorded = _recorded(workflow, transition, recorded or {})
        columns = {}
        if workflow.partner_field is not None and workflow.partner_field.name in recorded:
            # Another partner (the chosen one is full): the case holds its seat from now on.
            columns["partner_id"] = _partner_id(session, workflow, case.call_id, recorded)
            pool = pool_of(workflow)
            if case.state in workflow.seat_states and columns["partner_id"] != case.partner_id and (
                    pool.left(session, workflow, columns["partner_id"], excluding=case.id) or 0) <= 0:
                message = _("%(pool)s has no seat left in this call; choose another.",
                            pool=pool.name(session, columns["partner_id"]))
                raise Invalid(message, {workflow.partner_field.name: [message]})
        room_field = workflow.bound_field("room")
        if room_field is not None and room_field.name in recorded:  # a place in a room with one free
            columns["room_id"] = rooms.take_place(session, workflow, case, recorded[room_field.name])
        reasons = blockers(session, workflow, case, transition)
        if reasons:
            raise Invalid(" ".join(map(str, reasons)), {"guards": reasons})
        now = utcnow()
        first = move(session, case, transition, actor_id, comment, version, now, request, recorded, columns,
                     mail=False)
        moves = told(session, workflow, case, after_move(session, workflow, case, [first], now), now, first)
    announce(moves)
    return case


def _recorded(workflow: Workflow, transition, given: dict[str, Any]) -> dict[str, Any]:
    """The values of the fields ``transition`` records, refusing a missing required one (each named)."""
    fields = workflow.recorded_fields(transition.name)
    missing = {spec.name: [_("This field is required.")] for spec in fields
               if spec.required and given.get(spec.name) in (None, "")}
    if missing:
        raise Invalid(_("“%(action)s” records %(fields)s.", action=transition.label,
                        fields=listing(workflow.field(name).label for name in missing)), missing)
    return {spec.name: given[spec.name] for spec in fields if given.get(spec.name) not in (None, "")}


@dataclass(frozen=True)
class Schedule:
    """When and where a call's programme happens: its period (an event's days, the stays'), place and contact;
    and whether it keeps a reserve list."""

    first_day: date | None = None
    last_day: date | None = None
    place: str = ""
    contact: str = ""
    reserve_list: bool = False  # applicants may choose a full partner, as reserves
    starts_at: time | None = None  # the time of day it starts on its first day (an event's opening)
    ends_at: time | None = None  # and ends on its last

    def problems(self, workflow: Workflow | None) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        if (self.first_day is None) != (self.last_day is None):
            errors["last_day" if self.last_day is None else "first_day"] = [
                _("Give the first and the last day, or neither.")]
        elif self.first_day is not None and self.last_day < self.first_day:
            errors["last_day"] = [_("The last day is before the first day.")]
        elif self.first_day is not None and workflow is not None and not workflow.period_label:
            errors["first_day"] = [_("Calls of this kind have no period; leave the days empty.")]
        elif self.first_day is None and (self.starts_at or self.ends_at):
            errors["starts_at" if self.starts_at else "ends_at"] = [
                _("A time of day needs the first and the last day.")]
        elif (self.first_day == self.last_day and self.starts_at and self.ends_at
              and self.ends_at <= self.starts_at):
            errors["ends_at"] = [_("On a single day, it must end after it starts.")]
        for key in ("place", "contact"):
            refused = text_refusal(getattr(self, key), limits.LINE, several_lines=False)
            if refused:
                errors[key] = [refused]
        return errors

    def write(self, call: Call) -> None:
        call.first_day, call.last_day = self.first_day, self.last_day
        call.starts_at, call.ends_at = self.starts_at, self.ends_at
        call.place, call.contact = self.place.strip(), self.contact.strip()
        call.reserve_list = self.reserve_list


def create_call(name: str, case_type: str, deadline_at: datetime, partners: list[dict],
                seats: int | None = None, description: str = "", *, variant: str | None = None,
                commission: list[int] = (), translations: dict | None = None, language: str | None = None,
                schedule: Schedule = Schedule()) -> Call:
    """Create a call with its partners, refusing what would make it unusable.

    Refused: an unknown type or one whose applications need no call, a
    deadline already past, no partner where applicants must choose one, a
    missing or unknown variant (e.g. programme), a commission where the type
    has no ranking or of non-staff accounts, and a name already used.  Every
    problem found is reported at once.  The name and description are written
    in ``language`` (default: the reader's); ``translations`` gives them in
    others ({"ky": {"name": ..., "description": ...}}).
    """
    workflow = catalog().get(case_type)
    errors = {**_call_problems(workflow, case_type, partners, seats), **_variant_problems(workflow, variant),
              **_translation_problems(translations), **schedule.problems(workflow)}
    if deadline_at <= utcnow():
        errors["deadline"] = [_("The deadline must be in the future.")]
    _refuse(errors)
    with write_transaction() as session:
        _refuse({**_name_problems(session, name), **commission_problems(session, workflow, list(commission))})
        call = Call(name=name, type=case_type, deadline_at=deadline_at, seats=seats, description=description,
                    variant=variant or None, language=language or reader_locale() or SOURCE_LANGUAGE,
                    translations=_given_translations(translations))
        call.partners = [Partner(name=p["name"], country=p["country"], seats=p["seats"]) for p in partners]
        schedule.write(call)
        session.add(call)
        session.flush()
        replace_commission(session, call.id, list(commission))
        audit.record(session, "call.created", f"call:{call.id}", after=_call_snapshot(call))
    return call


def _call_snapshot(call: Call) -> dict:
    """What the audit log keeps of a call: what decides who may apply, until when, and for how many places."""
    return {"name": call.name, "deadline_at": call.deadline_at.isoformat(timespec="minutes"), "seats": call.seats,
            "variant": call.variant, "description_length": len(call.description or ""),
            "partners": sorted(f"{p.name} ({p.country}): {p.seats}" for p in call.partners),
            "period": _period(call)}


def _period(call: Call) -> str | None:
    """The call's period as an ISO 8601 interval, with its times of day if given ("2027-06-01T10:00/…")."""
    if call.first_day is None:
        return None
    start, end = call.first_day.isoformat(), call.last_day.isoformat()
    start += f"T{call.starts_at:%H:%M}" if call.starts_at else ""
    end += f"T{call.ends_at:%H:%M}" if call.ends_at else ""
    return f"{start}/{end}"


def _translation_problems(translations: dict | None) -> dict[str, list[str]]:
    """Check a call's texts in other languages: languages we speak, their lengths and characters."""
    errors: dict[str, list[str]] = {}
    for language, texts in (translations or {}).items():
        if language not in LANGUAGES:
            errors[json_path(["translations", language])] = [
                _("Give texts in one of these languages: %(languages)s.", languages=listing(LANGUAGES))]
            continue
        for key, limit in (("name", limits.LINE), ("description", limits.DESCRIPTION)):
            refused = text_refusal((texts or {}).get(key) or "", limit, several_lines=key == "description")
            if refused:
                errors[json_path(["translations", language, key])] = [refused]
    return errors


def _given_translations(translations: dict | None) -> dict:
    """The texts given in other languages, without the empty ones (a reader then sees the written text)."""
    given = {}
    for language, texts in (translations or {}).items():
        kept = {key: value.strip() for key, value in (texts or {}).items() if (value or "").strip()}
        if kept:
            given[language] = kept
    return given


def _variant_problems(workflow: Workflow | None, variant: str | None) -> dict[str, list[str]]:
    """Check the call's value of the workflow's variant field (e.g. which scholarship programme)."""
    spec = workflow.variant if workflow is not None else None
    if spec is None:
        return {"variant": [_("Calls of this kind have no variant; leave it empty.")]} if variant else {}
    if variant not in {c.value for c in spec.choices}:
        return {"variant": [_("Choose one of the values of “%(field)s” for this call.", field=spec.label)]}
    return {}


def update_call(call_id: int, name: str, deadline_at: datetime, partners: list[dict],
                seats: int | None = None, description: str = "", *, variant: str | None = None,
                commission: list[int] | None = None, translations: dict | None = None,
                schedule: Schedule = Schedule()) -> Call:
    """Change a call's name, deadline, places, description and partners; its case type stays.

    ``partners`` is the whole new list: a row with an ``id`` keeps that
    partner, one without adds a partner, a partner left out is removed.
    Besides create_call's rules, refused: a deadline before the call was
    created (a past one closes the call), fewer places than are taken (for
    the call or a partner), removing or renaming a partner applications
    chose, and changing the variant once applications were made.
    ``commission`` None keeps the commission, ``translations`` None the texts in
    other languages.  Waiting cases move up into places the change frees.
    """
    with write_transaction() as session:
        # Partners first, then the call: the order in which create_case and
        # the seat checks take them (its insert locks the call after the
        # partner), so a simultaneous application queues instead of deadlocking.
        kept = {p.id: p for p in session.scalars(
            select(Partner).where(Partner.call_id == call_id).order_by(Partner.id).with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )}
        call = session.scalar(
            select(Call)
            .where(Call.id == call_id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
        if call is None:
            raise NotFound(_("No such call."))
        workflow = catalog().get(call.type)
        errors = _call_problems(workflow, call.type, partners, seats)
        if workflow is None:  # its workflow file is gone: nothing here can be checked
            _refuse(errors)
        errors.update(_name_problems(session, name, call_id))
        errors.update(_translation_problems(translations))
        errors.update(schedule.problems(workflow))
        if deadline_at < call.created_at:
            errors["deadline"] = [_("The deadline cannot be before the call was created (%(created)s).",
                                    created=office_time(call.created_at))]
        taken = seats_taken(session, [workflow], [call_id])
        if seats is not None and seats < taken.of(call):
            errors["seats"] = [ngettext("%(num)d place is taken; the call cannot offer fewer.",
                                        "%(num)d places are taken; the call cannot offer fewer.", taken.of(call))]
        chosen = dict(session.execute(
            select(Case.partner_id, func.count()).where(Case.partner_id.in_(list(kept))).group_by(Case.partner_id)
        ).all())
        errors.update(_partner_problems(partners, kept, taken, chosen))
        errors.update(_variant_problems(workflow, variant))
        # "" and None both mean no variant (a kind without programmes sends either).
        if workflow.variant is not None and (variant or None) != call.variant and "variant" not in errors \
                and session.scalar(select(Case.id).where(Case.call_id == call_id).limit(1)) is not None:
            errors["variant"] = [_("Applications were made to this call; its “%(field)s” cannot change.",
                                   field=workflow.variant.label)]
        if commission is not None:
            errors.update(commission_problems(session, workflow, commission))
        _refuse(errors)
        raised = seats is not None and (call.seats is None or seats > call.seats)
        before = _call_snapshot(call)
        if deadline_at != call.deadline_at:  # e.g. the office extends the call: its reminders follow
            deadlines.call_deadline_moved(session, workflow, call_id, deadline_at, utcnow())
        call.name, call.deadline_at, call.seats, call.description = name, deadline_at, seats, description
        schedule.write(call)
        call.variant = variant or None
        if translations is not None:
            call.translations = _given_translations(translations)
        if commission is not None:
            replace_commission(session, call_id, commission)
        wanted = {row["id"]: row for row in partners if row.get("id") is not None}
        for partner in kept.values():
            if partner.id not in wanted:
                session.delete(partner)
        session.flush()
        renamed = {partner_id for partner_id, row in wanted.items() if row["name"] != kept[partner_id].name}
        if {wanted[i]["name"] for i in renamed} & {kept[i].name for i in wanted}:
            # Names swap between partners: free them first (one name per partner and call).
            for partner_id in renamed:
                kept[partner_id].name = f"(renaming #{partner_id})"
            session.flush()
        for partner_id, row in wanted.items():
            partner = kept[partner_id]
            raised = raised or row["seats"] > partner.seats
            partner.name, partner.country, partner.seats = row["name"], row["country"], row["seats"]
        session.add_all(Partner(call_id=call_id, name=row["name"], country=row["country"], seats=row["seats"])
                        for row in partners if row.get("id") is None)
        session.flush()
        session.expire(call, ["partners"])
        was, now = audit.changes(before, _call_snapshot(call))
        if now:
            audit.record(session, "call.changed", f"call:{call_id}", was, now)
        moves = promote_waiting_for_call(session, workflow, call_id, utcnow()) if raised else []
    announce(moves)
    return call


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)


def _call_problems(workflow: Workflow | None, case_type: str, partners: list[dict],
                   seats: int | None) -> dict[str, list[str]]:
    """Return what makes a call of ``case_type`` with these partners and places unusable."""
    errors: dict[str, list[str]] = {}
    places_of_call = workflow is not None and pool_of(workflow).kind.places_of_call
    if workflow is None:
        errors["type"] = [_("Unknown case type %(type)s.", type=case_type)]
    elif not workflow.needs_call:
        errors["type"] = [_("Applications of this kind are not made to a call.")]
    elif workflow.partner_field is not None and not partners:
        errors["partners"] = [_("This kind of application needs at least one partner.")]
    elif places_of_call and not seats:
        errors["seats"] = [_("Say how many places this call offers.")]
    elif not places_of_call and seats:
        errors["seats"] = [_("Applications of this kind do not take places of the call; leave Places empty.")]
    names = [p["name"] for p in partners]
    if len(names) != len(set(names)):
        errors.setdefault("partners", []).append(_("Each partner may be listed once."))
    for row in partners:
        if not countries.is_code(row.get("country")):
            errors.setdefault("partners", []).append(_("“%(value)s” is not a country's ISO 3166 code (e.g. DE); "
                                                       "choose the country from the list.", value=row.get("country")))
    return errors


def _name_problems(session: Session, name: str, call_id: int | None = None) -> dict[str, list[str]]:
    query = select(Call.id).where(Call.name == name)
    if call_id is not None:
        query = query.where(Call.id != call_id)
    if session.scalar(query) is not None:
        return {"name": [_("A call with this name exists already.")]}
    return {}


def _partner_problems(partners: list[dict], kept: dict[int, Partner], taken: SeatsTaken,
                      chosen: dict[int, int]) -> dict[str, list[str]]:
    """Check the new partner list against the call's partners, keyed as the rows are posted."""
    errors: dict[str, list[str]] = {}
    listed = set()
    for index, row in enumerate(partners):
        partner_id = row.get("id")
        if partner_id is None:
            continue
        partner = kept.get(partner_id)
        if partner is None or partner_id in listed:
            errors[json_path(["partners", index, "id"])] = [
                _("This partner is not (or not once) a partner of this call.")]
            continue
        listed.add(partner_id)
        if row["name"] != partner.name and chosen.get(partner_id):
            errors[json_path(["partners", index, "name"])] = [ngettext(
                "%(partner)s cannot be renamed: %(num)d application chose it.",
                "%(partner)s cannot be renamed: %(num)d applications chose it.",
                chosen[partner_id], partner=partner.name)]
        if row["seats"] < taken.of(partner):
            errors[json_path(["partners", index, "seats"])] = [ngettext(
                "%(num)d seat of %(partner)s is taken; it cannot offer fewer.",
                "%(num)d seats of %(partner)s are taken; it cannot offer fewer.",
                taken.of(partner), partner=partner.name)]
    removed = [
        ngettext("%(partner)s cannot be removed: %(num)d application chose it.",
                 "%(partner)s cannot be removed: %(num)d applications chose it.", chosen[p.id], partner=p.name)
        for p in kept.values() if p.id not in listed and chosen.get(p.id)
    ]
    if removed:
        errors.setdefault("partners", []).extend(removed)
    return errors


def declared_lists() -> dict[str, ReferenceList]:
    """Every reference list, by name: the workflows' and the office calendar's."""
    return {item.name: item for workflow in catalog() for item in workflow.lists} | DATE_LISTS


def add_list_item(list_name: str, value: str) -> None:
    """Add ``value`` to a reference list; an empty or listed value, or one not of the list's kind, is refused."""
    value = " ".join(value.split())
    spec = declared_lists().get(list_name)
    if spec is not None and spec.values == "date":
        try:
            value = date.fromisoformat(value).isoformat()
        except ValueError:
            message = _("Give a day as YYYY-MM-DD, e.g. 2027-03-09.")
            raise Invalid(message, {"value": [message]}) from None
    elif spec is not None and spec.values == "country" and value and not countries.is_code(value):
        message = _("Choose a country from the list.")
        raise Invalid(message, {"value": [message]})
    with write_transaction() as session:
        listed = {normalise(v) for v in session.scalars(
            select(ReferenceItem.value).where(ReferenceItem.list_name == list_name))}
        if not value or normalise(value) in listed:
            message = _("Give a value that is not in the list yet.")
            raise Invalid(message, {"value": [message]})
        session.add(ReferenceItem(list_name=list_name, value=value))
        audit.record(session, "list.value_added", f"list:{list_name}", after={"value": value})
    g.pop("caseflow_calendar", None)  # the office's working days changed


def remove_list_item(list_name: str, value: str) -> None:
    """Remove ``value`` from a reference list (cases keep the values derived from it)."""
    with write_transaction() as session:
        item = session.get(ReferenceItem, (list_name, value))
        if item is None:
            message = _("This value is not in the list.")
            raise Invalid(message, {"value": [message]})
        session.delete(item)
        audit.record(session, "list.value_removed", f"list:{list_name}", before={"value": value})
    g.pop("caseflow_calendar", None)
