"""Hostel rooms: their places taken, a room with a free place chosen, and never one over-filled.

Seed: "There are special rooms for foreigners in hostel №1. 1 room seats 4
students."  A case holds a place in its room (``room_id``) while it is open;
moving out or cancelling frees it.  The room's row is locked while its places
are counted, so two assignments at once cannot both take the last place.
"""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from caseflow import audit, limits
from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.errors import Invalid
from caseflow.extensions import db
from caseflow.fields.text import text_refusal
from caseflow.i18n import _, ngettext
from caseflow.models.cases import Case, Room
from caseflow.workflow.spec import Workflow

# Seed: "special rooms for foreigners in hostel №1. 1 room seats 4 students."
HOSTEL = "Hostel No. 1"
ROOM_PLACES = 4


def _holding():
    """The open cases that hold a place in a room, of every type with a room field; None if no type has one."""
    types = [and_(Case.type == w.name, Case.state.in_(w.open_states))
             for w in catalog() if w.bound_field("room") is not None]
    return or_(*types) if types else None


def taken(session: Session, room_ids: list[int] | None = None, excluding: int | None = None) -> dict[int, int]:
    """The places taken in each room: by the open cases whose place is in it (one query)."""
    holding = _holding()
    if holding is None:
        return {}
    query = select(Case.room_id, func.count()).where(Case.room_id.is_not(None), holding).group_by(Case.room_id)
    if room_ids is not None:
        query = query.where(Case.room_id.in_(room_ids))
    if excluding is not None:
        query = query.where(Case.id != excluding)
    return dict(session.execute(query).all())


def names() -> list[tuple[str, str]]:
    """Every room by its id and name, as a page shows a case's room."""
    return [(str(room.id), room.name) for room in db.session.scalars(select(Room).order_by(Room.id))]


def shared_by(session: Session, room_ids: list[int], excluding: int | None = None) -> dict[int, set[str]]:
    """The answers to its ``shared_by`` field (women, men) of the cases holding a place in each room."""
    holding = _holding()
    if holding is None:
        return {}
    rows = session.execute(select(Case.room_id, Case.type, Case.data).where(
        Case.room_id.in_(room_ids), holding, Case.id != (excluding or 0))).all()
    found: dict[int, set[str]] = {}
    for room_id, case_type, data in rows:
        field = catalog()[case_type].bound_field("room")
        if field.shared_by and (data or {}).get(field.shared_by):
            found.setdefault(room_id, set()).add(str(data[field.shared_by]))
    return found


def _other_groups(session: Session, workflow: Workflow, case: Case, room_ids: list[int]) -> dict[int, str]:
    """Each room held by another group than the case's (a man's, for a woman's request), with that group's
    name(s) as people read them; empty if the workflow's rooms are not shared by groups."""
    field = workflow.bound_field("room")
    own = str((case.data or {}).get(field.shared_by, "")) if field.shared_by else ""
    if not own:
        return {}
    group = workflow.field(field.shared_by)
    return {room_id: ", ".join(str(group.choice_label(value)) for value in sorted(values - {own}))
            for room_id, values in shared_by(session, room_ids, excluding=case.id).items() if values - {own}}


def choices(case: Case | None = None) -> list[tuple]:
    """The rooms as a form offers them: each with its free places (and whom it is shared by); a full one
    disabled, and one shared by the other group (men, for a woman's request) too."""
    rooms = db.session.scalars(select(Room).order_by(Room.building, Room.number)).all()
    ids = [room.id for room in rooms]
    held = taken(db.session, ids)
    others = _other_groups(db.session, catalog()[case.type], case, ids) if case is not None else {}
    options = []
    for room in rooms:
        free = room.places - held.get(room.id, 0)
        label = ngettext("%(room)s: %(num)d place free of %(places)d", "%(room)s: %(num)d places free of %(places)d",
                         max(free, 0), room=room.name, places=room.places)
        if room.id in others:
            label = _("%(room)s — shared by: %(group)s", room=label, group=others[room.id])
        options.append((str(room.id), label, {} if free > 0 and room.id not in others else {"disabled": True}))
    return options


def take_place(session: Session, workflow: Workflow, case: Case, value: object) -> int:
    """Lock the room ``value`` names and return its id if it has a free place for ``case``; refuse otherwise."""
    field = workflow.bound_field("room")
    try:
        room_id = int(str(value))
    except ValueError:
        room_id = 0
    room = session.scalar(select(Room).where(Room.id == room_id).with_for_update())
    if room is None:
        message = _("Choose one of the listed rooms.")
        raise Invalid(message, {field.name: [message]})
    if taken(session, [room.id], excluding=case.id).get(room.id, 0) >= room.places:
        message = ngettext("%(room)s is full: its %(num)d place is taken. Choose another room.",
                           "%(room)s is full: its %(num)d places are taken. Choose another room.",
                           room.places, room=room.name)
        raise Invalid(message, {field.name: [message]})
    others = _other_groups(session, workflow, case, [room.id])
    if others:  # under the room's lock: two assignments at once cannot mix the groups either
        message = _("%(room)s is shared by %(group)s. Choose a room of “%(own)s” or an empty one.",
                    room=room.name, group=others[room.id],
                    own=workflow.field(field.shared_by).choice_label(case.data.get(field.shared_by)))
        raise Invalid(message, {field.name: [message]})
    return room.id


def all_rooms() -> list[tuple[Room, int]]:
    """Every room with its places taken, by building and number (two queries)."""
    listed = db.session.scalars(select(Room).order_by(Room.building, Room.number)).all()
    held = taken(db.session, [room.id for room in listed])
    return [(room, held.get(room.id, 0)) for room in listed]


def add_room(building: str, number: str, places: int) -> Room:
    """Add a hostel room; refuse an empty or doubled one, or places outside 1 to ``limits.ROOM_PLACES``."""
    building, number = " ".join(building.split()), " ".join(number.split())
    errors: dict[str, list[str]] = {}
    for key, value, limit in (("building", building, limits.LINE), ("number", number, limits.CHOICE)):
        refused = text_refusal(value, limit, several_lines=False) or (None if value else _("This field is required."))
        if refused:
            errors[key] = [refused]
    if not 1 <= places <= limits.ROOM_PLACES:
        errors["places"] = [ngettext("A room has 1 to %(num)d place.", "A room has 1 to %(num)d places.",
                                     limits.ROOM_PLACES)]
    with write_transaction() as session:
        if not errors and session.scalar(select(Room.id).where(Room.building == building, Room.number == number)):
            errors["number"] = [_("This building has a room with this number already.")]
        if errors:
            raise Invalid(next(iter(errors.values()))[0], errors)
        room = Room(building=building, number=number, places=places)
        session.add(room)
        session.flush()
        audit.record(session, "room.added", f"room:{room.id}", after={"room": room.name, "places": places})
    return room
