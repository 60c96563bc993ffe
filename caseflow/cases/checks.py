"""The database facts the registry's checks may ask about (see workflow.registry)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from caseflow.cases.seats import pool_of
from caseflow.models.cases import Call, Case, CommissionMember
from caseflow.models.deadlines import CaseDeadline
from caseflow.workflow.registry import EarlierCase, FormLabels, run_check
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

    def earlier_case(self, same_call: bool, level_field: str = "") -> EarlierCase | None:
        # The applicant's own cases: those they submitted and those about them (a subject with an account).
        query = select(Case).where(
            or_(Case.applicant_id == self.applicant_id, Case.subject_id == self.applicant_id),
            Case.type == self.workflow.name,
            Case.state.not_in(self.workflow.closed_negative_states),
        )
        if same_call:
            query = query.where(Case.call_id == self.call_id)
        if self.case_id is not None:
            query = query.where(Case.id != self.case_id)
        if self.workflow.variant_field:  # a call's programme: the same programme only
            query = query.join(Call, Call.id == Case.call_id).where(
                Call.variant == self.data.get(self.workflow.variant_field))
        level = self.data.get(level_field) if level_field else None
        for case in self.session.scalars(query.order_by(Case.id.desc()).limit(50)):
            if level_field and (case.data or {}).get(level_field) != level:
                continue  # another level of study counts apart
            call = self.session.get(Call, case.call_id) if case.call_id else None
            return EarlierCase(case.reference, str(self.workflow.state_label(case.state)),
                               call.shown_name if call else "", case.state in self.workflow.open_states)
        return None

    @property
    def pool_id(self) -> int | None:
        """The id of the row this case's seat comes from (its partner or its call, as the workflow says)."""
        return pool_of(self.workflow).pool_id(self)

    def lock_seat_pool(self) -> None:
        """Lock the pool's row now, before inserting a case that references it.

        On PostgreSQL the insert takes a KEY SHARE lock on the call or partner
        row; two inserts that then ask for FOR UPDATE on it deadlock.  Taking
        FOR UPDATE first queues them instead.
        """
        pool_of(self.workflow).lock(self.session, self.pool_id)

    def seats_left(self) -> int | None:
        """Return the free seats of this case's pool, not counting the case itself (None: no limit).

        The pool's row is locked: two staff giving away the last seat at the
        same moment must not both see it free.
        """
        return pool_of(self.workflow).left(self.session, self.workflow, self.pool_id, excluding=self.case_id)

    def commission_size(self) -> int:
        return self.session.scalar(
            select(func.count()).select_from(CommissionMember).where(CommissionMember.call_id == self.call_id)
        ) if self.call_id is not None else 0

    def keeps_reserve_list(self) -> bool:
        return self.call_id is not None and bool(
            self.session.scalar(select(Call.reserve_list).where(Call.id == self.call_id)))

    def call_period(self) -> tuple[date, date] | None:
        if self.call_id is None:
            return None
        period = self.session.execute(select(Call.first_day, Call.last_day).where(Call.id == self.call_id)).one()
        return (period.first_day, period.last_day) if period.first_day and period.last_day else None

    def running_deadline(self, name: str) -> tuple[str, datetime] | None:
        spec = self.workflow.deadline(name)
        due = self.session.scalar(select(CaseDeadline.due_at).where(
            CaseDeadline.case_id == self.case_id, CaseDeadline.name == name, CaseDeadline.closed_at.is_(None),
        ).order_by(CaseDeadline.id.desc()).limit(1)) if self.case_id is not None and spec is not None else None
        return (spec.label, due) if due is not None else None

    def seat_pool_name(self) -> str:
        return pool_of(self.workflow).name(self.session, self.pool_id)


def failed(rules: tuple[Rule, ...], checks: CaseChecks) -> list[str]:
    """Run ``rules`` and return every reason they give."""
    reasons: list[str] = []
    for rule in rules:
        if not rule.applies_to(checks.data):
            continue  # e.g. another programme's rule
        reasons.extend(run_check(rule.name, checks, rule.params, rule.message))
    return reasons
