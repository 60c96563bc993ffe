"""Seat pools: where a case's seat comes from (a partner's seats, a call's places), locked and counted.

A workflow's ``seats`` names its pool (``SeatPoolKind``); the strategy here
is the only code that knows which row holds the seats, which column of a
case points at it, and how the seats held are counted.  A workflow without
``seats`` gets ``NO_POOL``, which holds nothing and limits nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseflow.models.cases import Call, Case, Partner
from caseflow.workflow.spec import SEAT_POOLS, SeatPoolKind, Workflow


class SeatPool:
    """The seats of one kind of pool; ``model`` is its table, ``case_column`` the case's reference to a row."""

    def __init__(self, kind: SeatPoolKind, model, case_column):
        self.kind, self.model, self.case_column = kind, model, case_column

    def pool_id(self, case) -> int | None:
        """Return the id of the row whose seat ``case`` (a case, or anything with its columns) holds."""
        return getattr(case, self.case_column.key)

    def lock(self, session: Session, pool_id: int | None) -> None:
        """Lock the pool's row, so two transactions counting its seats take turns (PostgreSQL; SQLite's
        BEGIN IMMEDIATE already serialises writers)."""
        if pool_id is not None:
            session.execute(select(self.model.id).where(self.model.id == pool_id).with_for_update(key_share=True))

    def left(self, session: Session, workflow: Workflow, pool_id: int | None,
             excluding: int | None = None) -> int | None:
        """Return the free seats of the pool, not counting case ``excluding``; None: no limit.  Locks the row."""
        if pool_id is None:
            return None
        seats = session.scalar(select(self.model.seats).where(self.model.id == pool_id).with_for_update(key_share=True))
        if seats is None:  # a call without a capacity has no limit
            return None
        held = select(func.count()).select_from(Case).where(
            self.case_column == pool_id, Case.type == workflow.name, Case.state.in_(workflow.seat_states))
        if excluding is not None:
            held = held.where(Case.id != excluding)
        return seats - session.scalar(held)

    def name(self, session: Session, pool_id: int | None) -> str:
        """Return the pool's name as people know it (the partner's, the call's)."""
        return (session.scalar(select(self.model.name).where(self.model.id == pool_id)) or "") if pool_id else ""

    def pools_of_call(self, session: Session, call_id: int) -> list[int]:
        """Return the ids of a call's pools, in the order they are given seats."""
        raise NotImplementedError

    def row_key(self, case) -> tuple[str, int] | None:
        """Return (table, id) of the row whose seat ``case`` holds (see ``SeatsTaken``)."""
        pool_id = self.pool_id(case)
        return None if pool_id is None else (self.model.__tablename__, pool_id)


class PartnerPool(SeatPool):
    """Each partner's seats: a case holds one of the partner it chose."""

    def pools_of_call(self, session: Session, call_id: int) -> list[int]:
        return list(session.scalars(select(Partner.id).where(Partner.call_id == call_id).order_by(Partner.id)))


class CallPool(SeatPool):
    """The call's own places (an event's capacity, a scholarship's awards)."""

    def pools_of_call(self, session: Session, call_id: int) -> list[int]:
        return [call_id]


class _NoPool(SeatPool):
    """The cases of a workflow without ``seats``: no case has a pool, so nothing is counted or locked (every
    method of a pool does nothing for a pool id of None)."""

    def __init__(self):
        super().__init__(SeatPoolKind("", places_of_call=False), None, None)

    def pool_id(self, case) -> None:
        return None

    def pools_of_call(self, session, call_id) -> list[int]:
        return []


NO_POOL = _NoPool()
POOLS = {
    "partner": PartnerPool(SEAT_POOLS["partner"], Partner, Case.partner_id),
    "call": CallPool(SEAT_POOLS["call"], Call, Case.call_id),
}
if set(POOLS) != set(SEAT_POOLS):  # a kind a workflow file may name must have its strategy
    raise RuntimeError(f"seat pools without a strategy: {sorted(set(SEAT_POOLS) - set(POOLS))}")


def pool_of(workflow: Workflow) -> SeatPool:
    """Return the seat pool of a workflow's cases (``NO_POOL`` when it names none)."""
    return POOLS[workflow.seats] if workflow.seats else NO_POOL


@dataclass
class SeatsTaken:
    """The seats held per row (a partner's, a call's), keyed by (table, id)."""

    held: dict[tuple[str, int], int] = field(default_factory=dict)

    def of(self, row: Partner | Call) -> int:
        """Return how many seats of ``row`` cases hold."""
        return self.held.get((row.__tablename__, row.id), 0)

    def partner_left(self, partner: Partner) -> int:
        """Return the partner's free seats (never below zero)."""
        return max(0, partner.seats - self.of(partner))

    def call_left(self, call: Call) -> int | None:
        """Return the call's free places; None when the call sets no limit."""
        return None if call.seats is None else max(0, call.seats - self.of(call))


def seats_taken(session: Session, workflows: Iterable[Workflow], call_ids: list[int]) -> SeatsTaken:
    """Count the seats held in the given calls, in every pool of theirs (one query).

    A case holds a seat when its workflow's state says ``holds_seat``; the
    seat comes from the pool its workflow names.
    """
    pools = {(w.name, state): pool_of(w) for w in workflows for state in w.seat_states}
    taken = SeatsTaken()
    if not call_ids or not pools:
        return taken
    rows = session.execute(
        select(Case.call_id, Case.partner_id, Case.type, Case.state, func.count().label("count"))
        .where(Case.call_id.in_(call_ids), Case.state.in_(sorted({state for _type, state in pools})))
        .group_by(Case.call_id, Case.partner_id, Case.type, Case.state)
    ).all()
    for row in rows:
        pool = pools.get((row.type, row.state))
        key = pool.row_key(row) if pool is not None else None
        if key is not None:
            taken.held[key] = taken.held.get(key, 0) + row.count
    return taken
