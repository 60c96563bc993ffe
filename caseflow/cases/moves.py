"""Moving a case along a transition inside an open write transaction.

``apply_transition`` (a person's action) and the engine's automatic
transitions (``auto = true`` in a workflow file) both move a case here: the
shared machine fires, one ``UPDATE … WHERE version = <seen>`` writes the
state, one history event is inserted.  The caller commits, then calls
``announce`` so signals go out only for what was committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from caseflow import history, signals
from caseflow.cases.checks import CaseChecks, failed
from caseflow.cases.seats import pool_of
from caseflow.catalog import catalog
from caseflow.documents.guard import document_problems
from caseflow.errors import Conflict, StaleVersion
from caseflow.i18n import _
from caseflow.models.cases import Call, Case
from caseflow.notify import outbox
from caseflow.scheduling import deadlines
from caseflow.workflow.machines import IllegalMove
from caseflow.workflow.spec import Transition, Workflow

# A workflow whose automatic transitions loop would otherwise never stop.
MAX_AUTOMATIC_STEPS = 20
# How many waiting cases one freed seat may look at before giving up.
MAX_PROMOTIONS = 50


@dataclass(frozen=True)
class Move:
    case_id: int
    transition: str
    from_state: str
    to_state: str
    actor_id: int | None
    comment: str
    event_id: int = 0  # its history line


def move(session: Session, case: Case, transition: Transition, actor_id: int | None, comment: str,
         seen_version: int, now: datetime, request=None, recorded: dict | None = None,
         columns: dict | None = None, mail: bool = True) -> Move:
    """Fire ``transition`` on ``case`` and write the change; raise StaleVersion if it changed meanwhile.

    ``recorded``: the values of the fields the transition records, added to the case's data (and named in
    its history line); ``columns``: the case's columns they change (the partner a new answer names).
    ``mail`` false: the case's people hear of it in the mail of the move that set it off (``told``).
    """
    from_state = case.state
    # The machine moves a stand-in: the case's own state is written below, with the row (see models.cases).
    position = SimpleNamespace(state=from_state)
    try:
        to_state = catalog().machine(case.type).fire(position, transition.name)
    except IllegalMove:  # callers check the source state; this means the file and machine disagree
        raise Conflict(_("This action is not possible now.")) from None
    # Core statements on the session's connection: the ORM's bulk-update and
    # flush machinery cost more than the statements themselves here.
    connection = session.connection()
    written = {"state": to_state, "version": seen_version + 1, "updated_at": now}
    if recorded:
        written["data"] = {**(case.data or {}), **recorded}
        written.update(columns or {})
    result = connection.execute(
        update(Case.__table__).where(Case.id == case.id, Case.version == seen_version).values(**written))
    if result.rowcount != 1:
        raise StaleVersion()
    for attribute, value in written.items():
        set_committed_value(case, attribute, value)
    changes = {"state": [from_state, to_state], **({"data": recorded} if recorded else {})}
    event_id = history.record(session, case.id, history.TRANSITIONED, actor_id, now, transition=transition.name,
                              from_state=from_state, to_state=to_state, comment=comment, changes=changes,
                              request_key=request.key if request is not None else None)
    workflow = catalog()[case.type]
    # The applicant's e-mail and the stage's deadlines, in this transaction: they exist if and only if
    # the move is committed.
    if mail:
        outbox.case_update(session, workflow, case, event_id, now, transition=transition.name,
                           from_state=from_state, comment=comment)
    deadlines.follow_move(session, workflow, case, to_state, now)
    return Move(case.id, transition.name, from_state, to_state, actor_id, comment, event_id)


def told(session: Session, workflow: Workflow, case: Case, moves: list[Move], now: datetime,
         first: Move | None = None, created: int | None = None) -> list[Move]:
    """Tell the case's people, in one mail, of a person's move (``first``) or of the submission (``created``,
    its history line), and of the engine's moves of the same case that followed it: one change they can
    see, one mail, which says where the case ended up (and the engine's comment, e.g. an exemption ground,
    if the person gave none)."""
    own = [m for m in moves if m.case_id == case.id and m is not first]
    comment = (first.comment if first is not None else "") or next((m.comment for m in reversed(own) if m.comment), "")
    if first is None:
        outbox.case_update(session, workflow, case, created, now, from_state=None, comment=comment)
    else:
        outbox.case_update(session, workflow, case, first.event_id, now, transition=first.transition,
                           from_state=first.from_state, comment=comment)
    return moves


def blockers(session: Session, workflow: Workflow, case: Case, transition: Transition) -> list[str]:
    """Return every reason ``transition`` cannot fire on ``case`` now: its guards', then the documents'."""
    return failed(transition.guards, CaseChecks.of(session, workflow, case)) + document_problems(
        session, workflow, case, transition)


def run_automatic(session: Session, workflow: Workflow, case: Case, now: datetime, mail: bool = True) -> list[Move]:
    """Fire the automatic transitions whose guards pass, from the case's state on, as the system (each
    mailed, unless ``mail`` is false: the move that set them off tells them)."""
    moves: list[Move] = []
    for _step in range(MAX_AUTOMATIC_STEPS):
        ready = next(
            (t for t in workflow.transitions_from(case.state)
             if t.auto and not t.batch and not blockers(session, workflow, case, t)),
            None,
        )
        if ready is None:
            break
        comment = ""
        if ready.comment_from:  # e.g. the exemption ground that closed the case
            comment = str(workflow.field(ready.comment_from).choice_label(case.data.get(ready.comment_from)))
        moves.append(move(session, case, ready, None, comment, case.version, now, mail=mail))
    return moves


def after_move(session: Session, workflow: Workflow, case: Case, moves: list[Move], now: datetime) -> list[Move]:
    """Run what a move sets off: the case's own automatic transitions, then waiting cases' turn.

    When the case gave up a seat, the cases waiting for its pool (in states
    with an automatic way out, oldest first) get their automatic transitions
    run, so e.g. a waiting list moves up in order.
    """
    moves = moves + run_automatic(session, workflow, case, now, mail=False)  # told with the move itself
    seats = set(workflow.seat_states)
    if any(m.from_state in seats and m.to_state not in seats for m in moves):
        moves += _promote_waiting(session, workflow, pool_of(workflow).pool_id(case), now, freed_by=case.id)
    moves += _start_batch(session, workflow, case, now)
    return moves


def _start_batch(session: Session, workflow: Workflow, arrived: Case, now: datetime) -> list[Move]:
    """When ``batch`` cases of a call wait in a state with a batch transition, move them on together.

    E.g. the preparatory course: accepted applicants wait until the sixth
    arrives, then all six start as one group, each with its own event.
    """
    batch = next((t for t in workflow.transitions_from(arrived.state) if t.auto and t.batch), None)
    if batch is None:
        return []
    # Lock the call first: two cases arriving as the 5th and 6th at the same
    # moment must not both count five (PostgreSQL; SQLite serialises writers).
    session.execute(select(Call.id).where(Call.id == arrived.call_id).with_for_update(key_share=True))
    group = session.scalars(
        select(Case)
        .where(Case.type == workflow.name, Case.call_id == arrived.call_id, Case.state == arrived.state)
        .order_by(Case.created_at, Case.id)
        .limit(batch.batch)
        .with_for_update(key_share=True)
    ).all()
    if len(group) < batch.batch:
        return []
    # The arrived case's people hear of it in the mail of the move that brought it; the others' get theirs.
    moves = [move(session, member, batch, None, "", member.version, now, mail=member.id != arrived.id)
             for member in group]
    for member in group:
        moves += run_automatic(session, workflow, member, now, mail=member.id != arrived.id)
    return moves


def promote_waiting_for_call(session: Session, workflow: Workflow, call_id: int, now: datetime) -> list[Move]:
    """Let the waiting cases of a call take the seats free in its pools, oldest first, e.g. after
    the office raised its places; one pool after the other (the call, or each of its partners)."""
    pools = pool_of(workflow).pools_of_call(session, call_id)
    return [m for pool_id in pools for m in _promote_waiting(session, workflow, pool_id, now)]


def _promote_waiting(session: Session, workflow: Workflow, pool_id: int | None, now: datetime,
                     freed_by: int | None = None) -> list[Move]:
    """Run the automatic transitions of the cases waiting for a seat of pool ``pool_id``, oldest first."""
    waiting = workflow.waiting_states
    if not waiting or pool_id is None:
        return []
    pool = pool_of(workflow)
    # The pool's row before the waiting cases' rows, the order update_call takes them in: the other
    # order deadlocks against it on PostgreSQL (each holding what the other waits for).
    pool.lock(session, pool_id)
    query = select(Case).where(pool.case_column == pool_id, Case.type == workflow.name, Case.state.in_(waiting))
    if freed_by is not None:
        query = query.where(Case.id != freed_by)
    candidates = session.scalars(
        query.order_by(Case.created_at, Case.id).limit(MAX_PROMOTIONS).with_for_update(key_share=True)
    ).all()
    moves: list[Move] = []
    for candidate in candidates:
        promoted = run_automatic(session, workflow, candidate, now)
        if not promoted:
            break  # the oldest waiting case could not move: no seat is left for the younger ones
        moves += promoted
    return moves


def announce(moves: list[Move]) -> None:
    """Send ``case_transitioned`` for each committed move."""
    app = current_app._get_current_object()
    for m in moves:
        signals.case_transitioned.send(app, case_id=m.case_id, transition=m.transition, from_state=m.from_state,
                                       to_state=m.to_state, actor_id=m.actor_id, comment=m.comment)
