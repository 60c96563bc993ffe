"""Competitive selection: a call's commission, its members' scores and the ranking that awards the places.

A workflow with a ``[scoring]`` table (e.g. the summer school) sends eligible
cases to a scoring state.  Each member of the call's commission scores each
case there; the office then closes the ranking: the cases are ordered by their
mean score (ties broken as the workflow states), the best get the call's
places left, the others are told their rank.  The ranking is one write
transaction: all cases move, or none.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from caseflow import limits
from caseflow.accounts.permissions import can_manage_calls, can_sit_on_commission, can_view, on_commission
from caseflow.cases.moves import Move, after_move, announce, move, told
from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.errors import Conflict, Forbidden, Invalid, NotFound
from caseflow.fields.text import text_refusal
from caseflow.formats import listing, office_time
from caseflow.i18n import _, ngettext
from caseflow.i18n import lazy_gettext as _l
from caseflow.models.accounts import User
from caseflow.models.cases import Call, Case, CommissionMember, Score
from caseflow.timeutil import utcnow
from caseflow.workflow.spec import TIE_BREAKS, Workflow

TIE_BREAK_WORDS = {
    "min_score": _l("The higher lowest score first"),
    "submitted_at": _l("The earlier application first"),
}
assert set(TIE_BREAK_WORDS) == set(TIE_BREAKS)
CENT = Decimal("0.01")


# ------------------------------------------------------------- commission


def commission_problems(session: Session, workflow: Workflow | None, user_ids: list[int]) -> dict[str, list[str]]:
    """Return why these accounts cannot form the commission of a call of ``workflow``."""
    if not user_ids:
        return {}
    if workflow is None or workflow.scoring is None:
        return {"commission": [_("Calls of this kind have no selection commission.")]}
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(user_ids)))}
    refused = [str(users[i].email) if i in users else f"#{i}" for i in user_ids
               if i not in users or not can_sit_on_commission(users[i])]
    if refused:
        return {"commission": [_("Only active staff accounts can sit on a commission: %(accounts)s.",
                                 accounts=listing(refused))]}
    return {}


def replace_commission(session: Session, call_id: int, user_ids: list[int]) -> None:
    """Make ``user_ids`` the call's commission (inside the caller's transaction)."""
    session.execute(delete(CommissionMember).where(CommissionMember.call_id == call_id))
    session.add_all(CommissionMember(call_id=call_id, user_id=i) for i in dict.fromkeys(user_ids))


def commission_of(session: Session, call_id: int) -> list[User]:
    return list(session.scalars(
        select(User).join(CommissionMember, CommissionMember.user_id == User.id)
        .where(CommissionMember.call_id == call_id).order_by(User.full_name, User.id)
    ))


# ----------------------------------------------------------------- scores


def parse_score(workflow: Workflow, raw: object) -> Decimal:
    """Read a score within the workflow's bounds, to two places; raise Invalid otherwise."""
    scoring = workflow.scoring
    try:
        value = Decimal(str(raw).strip().replace(",", ".")) if raw is not None and not isinstance(raw, bool) \
            else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not scoring.min <= value <= scoring.max \
            or value != value.quantize(CENT):
        message = _("A score is a number from %(min)s to %(max)s, with at most two decimals.",
                    min=scoring.min, max=scoring.max)
        raise Invalid(message, {"score": [message]})
    return value


def record_score(case_id: int, member: User, raw_score: object, comment: str = "") -> Score:
    """Record (or change) ``member``'s score of a case waiting for the commission."""
    comment = (comment or "").strip()
    with write_transaction() as session:
        # Locked: the ranking may not close between this check and the write.
        case = session.scalar(select(Case).where(Case.id == case_id).with_for_update(key_share=True)
                              .execution_options(populate_existing=True))
        if case is None or not can_view(member, case):
            raise NotFound()
        workflow = catalog()[case.type]
        if workflow.scoring is None or case.call_id is None or not on_commission(member, case.call_id):
            raise Forbidden(_("Only members of the call's selection commission score its applications."))
        if case.state != workflow.scoring.state:
            raise Conflict(_("This application is not waiting for the commission's scores now (it is “%(state)s”).",
                             state=workflow.state(case.state).label))
        value = parse_score(workflow, raw_score)
        refused = text_refusal(comment, limits.SCORE_COMMENT)
        if refused:
            raise Invalid(refused, {"comment": [refused]})
        score = session.get(Score, (case.id, member.id))
        if score is None:
            score = Score(case_id=case.id, member_id=member.id)
            session.add(score)
        score.score, score.comment, score.scored_at = value, comment, utcnow()
    return score


def scores_by(session: Session, case_ids: list[int]) -> dict[int, dict[int, Score]]:
    """Return the scores of these cases: case id → member id → score."""
    result: dict[int, dict[int, Score]] = {i: {} for i in case_ids}
    for score in session.scalars(select(Score).where(Score.case_id.in_(case_ids))) if case_ids else ():
        result[score.case_id][score.member_id] = score
    return result


@dataclass
class CaseScores:
    """What a case page shows of the commission's scores to its viewer."""

    may_score: bool  # the viewer sits on the commission and the case waits for scores
    mine: Score | None
    all: list[tuple[User, Score | None]]  # every member's score, for the office; empty for others
    workflow: Workflow


def case_scores(session: Session, case: Case, workflow: Workflow, viewer: User) -> CaseScores | None:
    """Return the scores part of a case page, or None where the case is not scored at all."""
    if workflow.scoring is None or case.call_id is None or not viewer.is_authenticated:
        return None
    office, member = can_manage_calls(viewer), on_commission(viewer, case.call_id)
    if not (office or member):
        return None  # applicants never see scores, only the rank the ranking gives them
    scores = scores_by(session, [case.id])[case.id]
    everyone = [(m, scores.get(m.id)) for m in commission_of(session, case.call_id)] if office else []
    if not scores and not everyone and case.state != workflow.scoring.state:
        return None
    return CaseScores(member and case.state == workflow.scoring.state, scores.get(viewer.id), everyone, workflow)


# ---------------------------------------------------------------- ranking


@dataclass
class Row:
    case: Case
    scores: dict[int, Decimal]  # member id → score, current members only
    rank: int = 0
    within_places: bool = False

    @property
    def mean(self) -> Decimal | None:
        if not self.scores:
            return None
        return (sum(self.scores.values()) / len(self.scores)).quantize(CENT, ROUND_HALF_UP)

    @property
    def lowest(self) -> Decimal | None:
        return min(self.scores.values()) if self.scores else None


@dataclass
class Ranking:
    call: Call
    workflow: Workflow
    members: list[User]
    rows: list[Row]  # best first
    places_left: int
    blockers: list[str]  # why the ranking cannot close yet; empty when it can
    # False for a commission member: they see their own scores only, in case order, never
    # the others' scores, means or ranks (each member judges on their own).
    full: bool = True

    @property
    def tie_break(self) -> list[str]:
        """The tie-break rules in words, in the order they apply."""
        words = []
        for key in self.workflow.scoring.tie_break:
            if key.startswith("field:"):
                words.append(_("The higher “%(field)s” first", field=self.workflow.field(key[6:]).label))
            else:
                words.append(str(TIE_BREAK_WORDS[key]))
        return words


def _sort_key(workflow: Workflow, row: Row) -> tuple:
    """Best first: the higher mean, then the workflow's tie-breaks, then the case number (stable)."""
    key: list = [-(row.mean or Decimal(-1))]
    for rule in workflow.scoring.tie_break:
        if rule == "min_score":
            key.append(-(row.lowest or Decimal(-1)))
        elif rule == "submitted_at":
            key.append(row.case.created_at)
        else:  # field:<name>, higher first, missing last
            value = row.case.data.get(rule[6:])
            key.append(-Decimal(str(value)) if value is not None else Decimal("Infinity"))
    key.append(row.case.id)
    return tuple(key)


def states_before(workflow: Workflow, target: str) -> set[str]:
    """Return the open states from which a case can still arrive in ``target``."""
    before, queue = set(), deque([target])
    while queue:
        current = queue.popleft()
        for transition in workflow.transitions:
            if transition.dest == current:
                for source in transition.sources:
                    if source not in before and source != target:
                        before.add(source)
                        queue.append(source)
    return before


def _build(session: Session, call: Call, workflow: Workflow, lock: bool = False, blockers: bool = True) -> Ranking:
    members = commission_of(session, call.id)
    query = select(Case).where(Case.call_id == call.id, Case.type == workflow.name,
                               Case.state == workflow.scoring.state).order_by(Case.id)
    if lock:  # fresh rows: objects this session loaded earlier may be out of date
        query = query.with_for_update(key_share=True).execution_options(populate_existing=True)
    cases = list(session.scalars(query))
    scores = scores_by(session, [c.id for c in cases])
    member_ids = {m.id for m in members}
    rows = [Row(case, {m: s.score for m, s in scores[case.id].items() if m in member_ids}) for case in cases]
    rows.sort(key=lambda row: _sort_key(workflow, row))
    held = session.scalar(select(func.count()).select_from(Case).where(
        Case.call_id == call.id, Case.type == workflow.name, Case.state.in_(workflow.seat_states)))
    places_left = max((call.seats or 0) - held, 0)
    for index, row in enumerate(rows):
        row.rank, row.within_places = index + 1, index < places_left
    # What keeps the ranking from closing is the office's concern; a member's view skips its queries.
    return Ranking(call, workflow, members, rows, places_left,
                   _blockers(session, call, workflow, members, rows) if blockers else [])


def _blockers(session: Session, call: Call, workflow: Workflow, members: list[User], rows: list[Row]) -> list[str]:
    blockers = []
    if call.is_open():
        blockers.append(_("Applications are accepted until %(deadline)s; the ranking closes after the deadline.",
                          deadline=office_time(call.deadline_at)))
    earlier = states_before(workflow, workflow.scoring.state)
    pending = session.scalar(select(func.count()).select_from(Case).where(
        Case.call_id == call.id, Case.type == workflow.name, Case.state.in_(earlier)))
    if pending:
        blockers.append(ngettext(
            "%(num)d application is still on its way to the commission (%(states)s).",
            "%(num)d applications are still on their way to the commission (%(states)s).",
            pending, states=listing(workflow.state(s).label for s in sorted(earlier))))
    if not members:
        blockers.append(_("The call has no commission."))
    if not rows:
        blockers.append(_("No application waits for the ranking."))
    for member in members:
        missing = [row.case.reference for row in rows if member.id not in row.scores]
        if missing:
            blockers.append(_("%(member)s has not scored %(cases)s yet.", member=member.display_name,
                              cases=listing(missing)))
    return blockers


def _scoring_call(session: Session, call_id: int, lock: bool = False) -> tuple[Call, Workflow]:
    query = select(Call).where(Call.id == call_id)
    if lock:
        query = query.with_for_update(key_share=True).execution_options(populate_existing=True)
    call = session.scalar(query)
    workflow = catalog().get(call.type) if call is not None else None
    if workflow is None or workflow.scoring is None:
        raise NotFound(_("No such call with a selection commission."))
    return call, workflow


def ranking(session: Session, call_id: int, viewer: User) -> Ranking:
    """Return the call's ranking as it stands, for the office or a member of its commission."""
    call, workflow = _scoring_call(session, call_id)
    if can_manage_calls(viewer):
        return _build(session, call, workflow)
    if not on_commission(viewer, call_id):
        raise NotFound(_("No such call with a selection commission."))
    result = _build(session, call, workflow, blockers=False)
    result.full = False
    result.rows.sort(key=lambda row: row.case.id)
    for row in result.rows:
        row.scores = {m: s for m, s in row.scores.items() if m == viewer.id}
        row.rank, row.within_places = 0, False
    return result


def close_ranking(call_id: int, actor: User) -> Ranking:
    """Award the call's places to the best-ranked cases and tell the others their rank, all at once.

    Returns the ranking as it was decided; raises Conflict listing what is missing.
    """
    if not can_manage_calls(actor):
        raise Forbidden(_("Only the international office closes a ranking."))
    actor_id = actor.id
    with write_transaction() as session:
        # The call's row first (as the seat checks take it), then the cases: a score or a
        # withdrawal arriving meanwhile waits for this transaction, or comes after it.
        call, workflow = _scoring_call(session, call_id, lock=True)
        result = _build(session, call, workflow, lock=True)
        if result.blockers:
            raise Conflict(_("The ranking cannot close yet."), {"ranking": result.blockers})
        now, count = utcnow(), len(result.rows)
        select_t = workflow.transition(workflow.scoring.select)
        reject_t = workflow.transition(workflow.scoring.reject)
        moves: list[Move] = []
        for row in result.rows:
            comment = ngettext("Rank %(rank)d of %(count)d, mean score %(mean)s; the call had %(num)d place left.",
                               "Rank %(rank)d of %(count)d, mean score %(mean)s; the call had %(num)d places left.",
                               result.places_left, rank=row.rank, count=count, mean=row.mean)
            transition = select_t if row.within_places else reject_t
            moved = move(session, row.case, transition, actor_id, comment, row.case.version, now, mail=False)
            moves += told(session, workflow, row.case, after_move(session, workflow, row.case, [moved], now), now,
                          moved)
    announce(moves)
    return result
