"""The reads the pages and the API need; each a fixed number of queries.

Every list goes through ``visible_cases_clause`` so it shows exactly the cases
``can_view`` allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from caseflow import history
from caseflow.accounts.permissions import owns_clause, visible_cases_clause
from caseflow.cases import seats
from caseflow.cases.seats import SeatsTaken
from caseflow.catalog import catalog
from caseflow.extensions import db
from caseflow.models.accounts import Faculty, User
from caseflow.models.cases import Call, Case, CaseEvent, CommissionMember, ReferenceItem, Score
from caseflow.models.deadlines import CaseDeadline
from caseflow.models.documents import Document
from caseflow.timeutil import utcnow
from caseflow.workflow.registry import one_per_call
from caseflow.workflow.spec import STAFF_ROLES


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def visible_cases(user: User, case_type: str | None = None, state: str | None = None,
                  page: int = 1, per_page: int = 50) -> Page:
    """Return one page of the cases ``user`` may see, filtered by type and state, the latest changed first."""
    where = _visible_where(user, case_type, state)
    total = db.session.scalar(select(func.count()).select_from(Case).where(*where))
    items = db.session.scalars(
        _for_listing(select(Case)).where(*where)
        .order_by(Case.updated_at.desc(), Case.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(items, total, page, per_page)


@dataclass
class QueuedCase:
    """A case in a staff queue, with the due date of its earliest open deadline (None: it has none)."""

    case: Case
    due_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        """Return whether its deadline has passed at ``now``."""
        return self.due_at is not None and self.due_at < now


def stage_queue(user: User, case_type: str, state: str, page: int = 1, per_page: int = 50) -> Page:
    """Return one page of a stage's visible cases as ``QueuedCase``: those with an open deadline first,
    the soonest due (so the overdue) first; then the others, the longest waiting first.

    One query for the page (and one count): the earliest open deadline is a
    correlated subquery on the deadlines' ``case_id`` index, so a case with
    two open deadlines is listed once, and the cost follows the stage's cases,
    not the deadlines stored.
    """
    where = _visible_where(user, case_type, state)
    due_at = (
        select(func.min(CaseDeadline.due_at))
        .where(CaseDeadline.case_id == Case.id, CaseDeadline.closed_at.is_(None))
        .correlate(Case).scalar_subquery().label("due_at")
    )
    total = db.session.scalar(select(func.count()).select_from(Case).where(*where))
    rows = db.session.execute(
        _for_listing(select(Case, due_at)).where(*where)
        .order_by(due_at.asc().nulls_last(), Case.updated_at, Case.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page([QueuedCase(case, due) for case, due in rows], total, page, per_page)


def _visible_where(user: User, case_type: str | None, state: str | None) -> list:
    where = [visible_cases_clause(user)]
    if case_type:
        where.append(Case.type == case_type)
    if state:
        where.append(Case.state == state)
    return where


def _for_listing(query: Select) -> Select:
    """Load each case's applicant, call and partner, which a list shows, in the same query."""
    return (query.join(Case.applicant).outerjoin(Case.call).outerjoin(Case.partner)
            .options(contains_eager(Case.applicant), contains_eager(Case.call), contains_eager(Case.partner)))


def applied_calls(user: User) -> dict[int, Case]:
    """The user's own latest case in each call, where it still counts (not rejected or withdrawn)."""
    applied: dict[int, Case] = {}
    for case in db.session.scalars(select(Case).where(owns_clause(user), Case.call_id.is_not(None))
                                   .order_by(Case.id)):
        workflow = catalog().get(case.type)
        if workflow is not None and case.state not in workflow.closed_negative_states:
            applied[case.call_id] = case
    return applied


def one_per_call_cases(user: User, calls) -> dict[int, Case]:
    """The user's case in each of ``calls`` whose rules take one application a call: there "Apply" is not
    offered (it would be refused), and their case is named instead."""
    applied = applied_calls(user)
    return {call.id: applied[call.id] for call in calls
            if call.id in applied and (workflow := catalog().get(call.type)) and one_per_call(workflow)}


def waiting_position(workflow, case: Case) -> int | None:
    """The case's place on its pool's waiting list (1: the next to move up), in the order seats are freed
    to (the oldest first); None when it is not waiting."""
    if case.state not in workflow.waiting_states:
        return None
    column = seats.pool_of(workflow).case_column
    pool_id = getattr(case, column.key)
    ahead = db.session.scalar(select(func.count()).select_from(Case).where(
        column == pool_id, Case.type == case.type, Case.state.in_(workflow.waiting_states),
        or_(Case.created_at < case.created_at, and_(Case.created_at == case.created_at, Case.id < case.id))))
    return ahead + 1


def queue_counts(user: User) -> dict[tuple[str, str], int]:
    """Count the visible open cases per (type, state), in one query."""
    rows = db.session.execute(
        select(Case.type, Case.state, func.count())
        .where(visible_cases_clause(user))
        .group_by(Case.type, Case.state)
    ).all()
    return {(case_type, state): count for case_type, state, count in rows}


def load_case(case_id: int) -> Case | None:
    """Load a case with its call, partner and applicant (one query)."""
    return db.session.scalar(
        select(Case)
        .options(joinedload(Case.call), joinedload(Case.partner), joinedload(Case.applicant))
        .where(Case.id == case_id)
    )


def case_deadlines(case_id: int) -> list[CaseDeadline]:
    """Return a case's deadlines, the running ones first, then the closed, each by due date (one query)."""
    return list(db.session.scalars(
        select(CaseDeadline).where(CaseDeadline.case_id == case_id)
        .order_by(CaseDeadline.closed_at.is_not(None), CaseDeadline.due_at, CaseDeadline.id)
    ))


def case_documents(case_id: int) -> list[Document]:
    """Return a case's documents, in the order they were first uploaded (one query)."""
    return list(db.session.scalars(select(Document).where(Document.case_id == case_id).order_by(Document.id)))


def case_history(case_id: int, internal: bool = True) -> list[CaseEvent]:
    """Return a case's events, oldest first, with their actors (one query); without the staff's internal
    lines (their notes) unless ``internal``."""
    query = select(CaseEvent).options(joinedload(CaseEvent.actor)).where(CaseEvent.case_id == case_id)
    if not internal:
        query = query.where(CaseEvent.action.not_in(history.INTERNAL))
    return list(db.session.scalars(query.order_by(CaseEvent.id)))


def calls(case_type: str | None = None) -> list[Call]:
    """Return the calls, newest deadline first, with partners loaded."""
    query = select(Call).options(joinedload(Call.partners)).order_by(Call.deadline_at.desc(), Call.id)
    if case_type:
        query = query.where(Call.type == case_type)
    return list(db.session.scalars(query).unique())


def seats_taken(call_ids: list[int]) -> SeatsTaken:
    """Count the seats held in the given calls, per partner and per call (one query)."""
    return seats.seats_taken(db.session, catalog(), call_ids)


def call_page(call_id: int) -> tuple[Call, SeatsTaken] | None:
    """Load a call with its partners and the seats held in it (two queries); None if there is none."""
    call = db.session.scalars(
        select(Call).options(joinedload(Call.partners)).where(Call.id == call_id)
    ).unique().first()
    if call is None:
        return None
    return call, seats_taken([call.id])


def faculties() -> list[Faculty]:
    """The faculties, in the order of their names in the reader's language."""
    return sorted(db.session.scalars(select(Faculty)), key=lambda faculty: faculty.label.casefold())


def faculty_choices() -> list[tuple[str, str]]:
    return [(f.code, f.label) for f in faculties()]


def open_calls(case_type: str) -> list[Call]:
    return [c for c in calls(case_type) if c.is_open(utcnow())]


def users(role: str | None = None, page: int = 1, per_page: int = 50) -> Page:
    """Return one page of accounts, optionally of one role, by role and name."""
    where = [User.role == role] if role else []
    total = db.session.scalar(select(func.count()).select_from(User).where(*where))
    items = db.session.scalars(
        select(User)
        .where(*where)
        .order_by(User.role, User.full_name, User.email, User.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(items), total, page, per_page)


def commission_candidates() -> list[User]:
    """The active staff accounts that may sit on a selection commission, by name."""
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.role.in_(STAFF_ROLES)).order_by(User.full_name, User.email)
    ))


def commission_calls(user: User) -> list[tuple[Call, int, int]]:
    """Return the calls whose commission ``user`` sits on: (call, cases to score, of those not scored by them)."""
    calls_ = list(db.session.scalars(
        select(Call).join(CommissionMember, CommissionMember.call_id == Call.id)
        .where(CommissionMember.user_id == user.id).order_by(Call.deadline_at.desc(), Call.id)
    ))
    stages = [and_(Case.type == w.name, Case.state == w.scoring.state) for w in catalog() if w.scoring is not None]
    # Per call: its cases in the scoring stage, and how many of them this member scored (one query).
    counts = {row.call_id: (row.total, row.scored) for row in db.session.execute(
        select(Case.call_id, func.count(Case.id).label("total"), func.count(Score.case_id).label("scored"))
        .join(CommissionMember, and_(CommissionMember.call_id == Case.call_id, CommissionMember.user_id == user.id))
        .outerjoin(Score, and_(Score.case_id == Case.id, Score.member_id == user.id))
        .where(or_(*stages)).group_by(Case.call_id)
    )} if stages else {}
    result = []
    for call in calls_:
        workflow = catalog().get(call.type)
        if workflow is None or workflow.scoring is None:
            continue
        total, scored = counts.get(call.id, (0, 0))
        result.append((call, total, total - scored))
    return result


def commission_emails(call_ids: list[int]) -> dict[int, list[str]]:
    """Return the members' e-mail addresses of each call's commission (call id → addresses)."""
    members: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(CommissionMember.call_id, User.email).join(User, User.id == CommissionMember.user_id)
        .where(CommissionMember.call_id.in_(call_ids)).order_by(User.email)
    ) if call_ids else ()
    for call_id, email in rows:
        members.setdefault(call_id, []).append(email)
    return members


def commission_ids(call_id: int) -> list[int]:
    return list(db.session.scalars(select(CommissionMember.user_id).where(CommissionMember.call_id == call_id)))


def reference_items(list_names: list[str]) -> dict[str, list[str]]:
    """Return the values of the named reference lists, sorted (one query)."""
    values: dict[str, list[str]] = {}
    rows = db.session.execute(
        select(ReferenceItem.list_name, ReferenceItem.value)
        .where(ReferenceItem.list_name.in_(list_names))
        .order_by(ReferenceItem.list_name, ReferenceItem.value)
    )
    for list_name, value in rows:
        values.setdefault(list_name, []).append(value)
    return values


def cases_for_export(user: User, case_type: str, states: list[str], ids: list[int], limit: int) -> list[Case]:
    """Return the visible cases of a type for an export, oldest first, filtered by states and ids."""
    query = select(Case).where(visible_cases_clause(user), Case.type == case_type)
    if states:
        query = query.where(Case.state.in_(states))
    if ids:
        query = query.where(Case.id.in_(ids))
    return list(db.session.scalars(query.order_by(Case.created_at, Case.id).limit(limit)))


def linked_with(case: Case) -> list[Case]:
    """The cases that go with ``case``: the one it links to (its ``linked_id``) and those linking to it
    (no query where no workflow links to its type)."""
    if case.linked_id is None and not any(w.links_to == case.type for w in catalog()):
        return []
    return list(db.session.scalars(select(Case).where(or_(Case.id == case.linked_id, Case.linked_id == case.id))
                                   .order_by(Case.id)))


def renewals_of(case_id: int) -> list[Case]:
    """Return the cases that renew ``case_id``, oldest first (one query)."""
    return list(db.session.scalars(select(Case).where(Case.renews_id == case_id).order_by(Case.id)))
