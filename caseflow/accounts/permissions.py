"""Who may see and do what: predicates in one place, and the same logic in SQL.

Invisible means 404 everywhere, so references cannot be probed; a visible
case whose transition the caller's role may not fire means 403.
"""

from __future__ import annotations

from sqlalchemy import false, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.cases import Case, CommissionMember
from caseflow.workflow.registry import routes_allow
from caseflow.workflow.spec import STAFF_ROLES, Transition, Workflow

SEES_EVERY_CASE = ("office_staff", "admin")
MANAGES_CALLS = ("office_staff", "admin")
MANAGES_ACCOUNTS = ("admin",)


def owns(user: User, case: Case) -> bool:
    """Whether the case is ``user``'s own: they submitted it, or it is about them (its subject)."""
    return user.id in (case.applicant_id, case.subject_id)


def owns_clause(user: User) -> ColumnElement[bool]:
    """The SQL condition selecting exactly the cases ``owns`` says are the user's."""
    return or_(Case.applicant_id == user.id, Case.subject_id == user.id)


def can_view(user: User, case: Case) -> bool:
    """Return whether ``user`` may see ``case`` at all."""
    if not user.is_authenticated or not user.active:
        return False
    if user.role in SEES_EVERY_CASE:
        return True
    if user.role == "faculty_screener":
        return (user.faculty_code is not None and case.faculty_code == user.faculty_code) or (
            case.call_id is not None and on_commission(user, case.call_id))
    return owns(user, case)


def on_commission(user: User, call_id: int) -> bool:
    """Return whether ``user`` sits on the selection commission of call ``call_id``."""
    return user.is_authenticated and db.session.scalar(
        select(CommissionMember.user_id).where(CommissionMember.call_id == call_id,
                                               CommissionMember.user_id == user.id)
    ) is not None


def visible_cases_clause(user: User) -> ColumnElement[bool]:
    """Return the SQL condition selecting exactly the cases ``can_view`` allows."""
    if not user.is_authenticated or not user.active:
        return false()
    if user.role in SEES_EVERY_CASE:
        return true()
    if user.role == "faculty_screener":
        # Their faculty's cases, and the cases of calls whose selection commission they sit on.
        commission_calls = select(CommissionMember.call_id).where(CommissionMember.user_id == user.id)
        faculty = Case.faculty_code == user.faculty_code if user.faculty_code is not None else false()
        return or_(faculty, Case.call_id.in_(commission_calls))
    return owns_clause(user)


def can_fire(user: User, case: Case, transition: Transition) -> bool:
    """Return whether ``user``'s role may fire ``transition`` on a case they can see."""
    if user.role not in transition.roles:
        return False
    # The applicant role means the case's own applicant, never another applicant.
    return user.role != "applicant" or owns(user, case)


def offered_transitions(user: User, case: Case, workflow: Workflow) -> list[Transition]:
    """Return the transitions to offer ``user`` on ``case`` now: theirs to fire, and not ruled
    out by the case's own data (e.g. no "enrol" button for a course that starts as a group)."""
    return [
        t for t in workflow.transitions_from(case.state)
        if can_fire(user, case, t) and routes_allow(workflow, t, case.data or {}) and not workflow.is_collective(t)
    ]


def can_apply(user: User, workflow: Workflow) -> bool:
    """Return whether ``user`` may submit a case of ``workflow``.

    Applicants apply for themselves; a workflow may also let staff submit
    (``submitted_by``), e.g. the office filing a work permit for a new employee.
    """
    return user.is_authenticated and user.role in workflow.submitted_by


def can_export(user: User) -> bool:
    """Exports hold personal data of many people: office staff and admins only."""
    return user.is_authenticated and user.role in SEES_EVERY_CASE


def can_sit_on_commission(user: User) -> bool:
    """Commission members are staff accounts; external members get a faculty screener account."""
    return user.active and user.role in ("faculty_screener", "office_staff", "admin")


def can_manage_calls(user: User) -> bool:
    return user.is_authenticated and user.role in MANAGES_CALLS


def can_manage_accounts(user: User) -> bool:
    return user.is_authenticated and user.role in MANAGES_ACCOUNTS


REVIEWS_DOCUMENTS = ("office_staff", "admin")


def can_upload_documents(user: User, case: Case) -> bool:
    """The applicant uploads their own documents; the office may upload what arrived on paper or by e-mail."""
    return can_view(user, case) and (owns(user, case) or user.role in SEES_EVERY_CASE)


def can_invite(user: User, case: Case) -> bool:
    """The office invites a case's subject (a new employee it filed a permit for) to follow it."""
    return can_view(user, case) and user.role in SEES_EVERY_CASE


def can_note(user: User, case: Case) -> bool:
    """Staff who see a case may write a note on it for each other; its applicant never reads it."""
    return can_view(user, case) and user.role in STAFF_ROLES


def can_review_documents(user: User, case: Case) -> bool:
    """The international office accepts or rejects documents (the seed: it selects "on the basis of the
    submitted documents")."""
    return can_view(user, case) and user.role in REVIEWS_DOCUMENTS
