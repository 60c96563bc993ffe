"""The database facts the registry's checks may ask about (see workflow.registry)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from caseflow.models.cases import Call, Case, CommissionMember, Partner
from caseflow.workflow.registry import FormLabels, run_check
from caseflow.workflow.spec import Rule, Workflow


@dataclass
class CaseChecks(FormLabels):
    """The CheckContext for one application, stored (``case_id``) or about to be."""

    session: Session
    workflow: Workflow
    data: dict[str, Any]
    applicant_id: int
    call_id: int | None
    partner_id: int | None
    case_id: int | None = None

    @classmethod
    def of(cls, session: Session, workflow: Workflow, case: Case) -> CaseChecks:
        return cls(session, workflow, case.data, case.applicant_id, case.call_id, case.partner_id, case.id)

    def open_cases_in_same_call(self) -> int:
        query = select(func.count()).select_from(Case).where(
            Case.applicant_id == self.applicant_id,
            Case.type == self.workflow.name,
            Case.call_id == self.call_id,
            Case.state.not_in(self.workflow.closed_negative_states),
        )
        if self.case_id is not None:
            query = query.where(Case.id != self.case_id)
        return self.session.scalar(query)

    def seat_pool(self) -> tuple[str, int] | None:
        """Return (name, id) of the pool this case's seat comes from: its partner or its call."""
        if self.workflow.seats == "partner" and self.partner_id is not None:
            return "partner", self.partner_id
        if self.workflow.seats == "call" and self.call_id is not None:
            return "call", self.call_id
        return None

    def lock_seat_pool(self) -> None:
        """Lock the pool's row now, before inserting a case that references it.

        On PostgreSQL the insert takes a KEY SHARE lock on the call or partner
        row; two inserts that then ask for FOR UPDATE on it deadlock.  Taking
        FOR UPDATE first queues them instead.
        """
        pool = self.seat_pool()
        if pool is not None:
            model = Partner if pool[0] == "partner" else Call
            self.session.execute(select(model.id).where(model.id == pool[1]).with_for_update(key_share=True))

    def seats_left(self) -> int | None:
        """Return the free seats of this case's pool, not counting the case itself (None: no pool).

        The pool's row is locked: two staff giving away the last seat at the
        same moment must not both see it free (PostgreSQL; SQLite's BEGIN
        IMMEDIATE already serialises writers).
        """
        pool = self.seat_pool()
        if pool is None:
            return None
        kind, pool_id = pool
        model, column = (Partner, Case.partner_id) if kind == "partner" else (Call, Case.call_id)
        seats = self.session.scalar(select(model.seats).where(model.id == pool_id).with_for_update(key_share=True))
        if seats is None:  # a call without a capacity has no limit
            return None
        taken = select(func.count()).select_from(Case).where(
            column == pool_id, Case.type == self.workflow.name, Case.state.in_(self.workflow.seat_states)
        )
        if self.case_id is not None:
            taken = taken.where(Case.id != self.case_id)
        return seats - self.session.scalar(taken)

    def commission_size(self) -> int:
        return self.session.scalar(
            select(func.count()).select_from(CommissionMember).where(CommissionMember.call_id == self.call_id)
        ) if self.call_id is not None else 0

    def seat_pool_name(self) -> str:
        pool = self.seat_pool()
        if pool is None:
            return ""
        model = Partner if pool[0] == "partner" else Call
        return self.session.scalar(select(model.name).where(model.id == pool[1])) or ""


def failed(rules: tuple[Rule, ...], checks: CaseChecks) -> list[str]:
    """Run ``rules`` and return every reason they give."""
    reasons: list[str] = []
    for rule in rules:
        if not rule.applies_to(checks.data):
            continue  # e.g. another programme's rule
        reasons.extend(run_check(rule.name, checks, rule.params, rule.message))
    return reasons
