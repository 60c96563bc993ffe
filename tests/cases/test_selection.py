"""The selection commission: members score, the ranking orders, closing it awards the call's places.

Seed: the summer school's German students "had a hard competitive selection";
"64 German students applied for 12 seats ... The selection process proved very
difficult by the commission, which consisted of representatives of the German
universities and KSTU."
"""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date, format_time
from sqlalchemy import func, select

from caseflow.cases.operations import apply_transition, create_call
from caseflow.cases.queries import case_history
from caseflow.cases.selection import close_ranking, ranking, record_score
from caseflow.errors import Conflict, Forbidden, Invalid, NotFound
from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.cases import Call, Case, Score
from caseflow.timeutil import utcnow
from tests.cases.test_concurrency import run_at_once

TYPE = "scholarship"


@pytest.fixture
def call(make_call, members):
    return make_call(TYPE, variant="summer_school", seats=2, commission=members)


@pytest.fixture
def candidate(make_case, make_user, call):
    """A new applicant's case waiting for the commission, with ``data``."""

    def make(**data):
        return make_case(TYPE, state="commission_scoring", call=call, applicant=make_user("applicant"), **data)

    return make


def close_deadline(call) -> None:
    """As if the application period had ended."""
    db.session.execute(Call.__table__.update().where(Call.id == call.id).values(
        deadline_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()


def state_of(case) -> str:
    db.session.rollback()
    return db.session.scalar(select(Case.state).where(Case.id == case.id))


def score_all(members, case, *scores) -> None:
    for member, value in zip(members, scores, strict=True):
        record_score(case.id, member, value)


def test_eligible_cases_of_a_call_with_a_commission_go_to_scoring_not_straight_to_shortlist(make_case, call, users):
    case = make_case(TYPE, state="eligibility_check", call=call)
    with pytest.raises(Invalid, match="its ranking decides who is shortlisted"):
        apply_transition(case.id, "shortlist", users["office"], case.version)
    assert apply_transition(case.id, "to_commission", users["office"], case.version).state == "commission_scoring"


def test_a_member_scores_and_changes_the_score(candidate, members):
    case = candidate()
    record_score(case.id, members[0], "7.5", "Strong motivation.")
    record_score(case.id, members[0], 8)
    db.session.rollback()
    (score,) = db.session.scalars(select(Score).where(Score.case_id == case.id)).all()
    assert (score.score, score.comment) == (Decimal("8.00"), "")


@pytest.mark.parametrize("bad", [-1, 10.5, "11", "abc", None, True, "7.555", "NaN"])
def test_a_score_outside_the_bounds_is_refused_and_nothing_is_stored(candidate, members, bad):
    case = candidate()
    with pytest.raises(Invalid) as refused:
        record_score(case.id, members[0], bad)
    assert refused.value.errors == {"score": ["A score is a number from 0 to 10, with at most two decimals."]}
    assert db.session.scalar(select(func.count()).select_from(Score)) == 0


def test_only_members_score_and_only_while_the_case_waits_for_them(candidate, make_case, call, members, users):
    case = candidate()
    with pytest.raises(Forbidden, match="Only members of the call's selection commission"):
        record_score(case.id, users["office"], 5)  # sees every case, but is not on this commission
    with pytest.raises(NotFound):
        record_score(case.id, users["other_screener"], 5)  # another faculty's screener does not even see it
    early = make_case(TYPE, state="eligibility_check", call=call, applicant=users["other_applicant"])
    with pytest.raises(Conflict, match="not waiting for the commission's scores"):
        record_score(early.id, members[0], 5)


def test_a_commission_member_sees_the_calls_cases_and_no_others(candidate, make_case, members):
    from caseflow.accounts.permissions import can_view

    scored = candidate()
    elsewhere = make_case("mobility")  # faculty IT, like the member, so visible anyway
    other_faculty = make_case("staff_mobility", faculty="EN")
    member = members[0]
    assert can_view(member, scored) and can_view(member, elsewhere) and not can_view(member, other_faculty)


def test_the_ranking_orders_by_mean_and_breaks_ties_by_the_lowest_score_then_the_grade(candidate, members, call):
    # Stated in the workflow: equal means go first to the higher lowest score, then the higher grade
    # average, then the earlier application.
    steady = candidate(full_name="Steady", gpa=4.0)   # 7 and 7: mean 7, lowest 7
    uneven = candidate(full_name="Uneven", gpa=5.0)   # 9 and 5: mean 7, lowest 5
    best = candidate(full_name="Best", gpa=3.0)       # 9 and 9
    graded = candidate(full_name="Graded", gpa=4.9)  # 6 and 8: mean 7, lowest 6
    graded_less = candidate(full_name="Graded less", gpa=4.1)  # 8 and 6: the same, lower grade
    for case, scores in ((steady, (7, 7)), (uneven, (9, 5)), (best, (9, 9)), (graded, (6, 8)), (graded_less, (8, 6))):
        score_all(members, case, *scores)
    db.session.rollback()
    office = db.session.get(User, members[1].id)
    ordered = [row.case.data["full_name"] for row in ranking(db.session, call.id, office).rows]
    assert ordered == ["Best", "Steady", "Graded", "Graded less", "Uneven"]


def in_bishkek(moment) -> str:
    """A UTC moment as the office reads it (the office's zone, English)."""
    local = moment.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Bishkek"))
    return f"{format_date(local, 'medium', locale='en')}, {format_time(local, 'short', locale='en')}"  # to the minute


def test_closing_waits_for_the_deadline_every_case_and_every_score(candidate, make_case, members, call, users):
    first = candidate()
    record_score(first.id, members[0], 6)
    make_case(TYPE, state="eligibility_check", call=call, applicant=users["other_applicant"])
    with pytest.raises(Conflict) as refused:
        close_ranking(call.id, users["office"])
    assert refused.value.errors["ranking"] == [
        f"Applications are accepted until {in_bishkek(call.deadline_at)}; the ranking closes after the deadline.",
        "1 application is still on its way to the commission (Eligibility check and Submitted).",
        f"Boris Member has not scored {first.reference} yet.",
    ]
    assert state_of(first) == "commission_scoring"


def test_only_the_office_closes_a_ranking(candidate, members, call):
    with pytest.raises(Forbidden):
        close_ranking(call.id, members[0])


def test_closing_shortlists_the_best_for_the_places_and_tells_everyone_their_rank(candidate, members, call, users):
    cases = [candidate(full_name=name) for name in ("Third", "First", "Fourth", "Second")]
    for case, scores in zip(cases, ((6, 6), (9, 8), (5, 4), (8, 7)), strict=True):
        score_all(members, case, *scores)
    close_deadline(call)
    closed = close_ranking(call.id, users["office"])
    assert [(row.rank, row.case.data["full_name"], row.within_places) for row in closed.rows] == [
        (1, "First", True), (2, "Second", True), (3, "Third", False), (4, "Fourth", False)]
    assert [state_of(c) for c in cases] == ["rejected", "shortlisted", "rejected", "shortlisted"]
    last = case_history(cases[2].id)[-1]
    assert (last.transition, last.comment) == (
        "rank_below_places", "Rank 4 of 4, mean score 4.50; the call had 2 places left.")
    assert case_history(cases[1].id)[-1].comment == "Rank 1 of 4, mean score 8.50; the call had 2 places left."


def test_a_withdrawal_after_the_ranking_frees_the_place_for_the_office_to_give(candidate, members, call, users):
    first, second = candidate(), candidate()
    score_all(members, first, 9, 9)
    score_all(members, second, 8, 8)
    close_deadline(call)
    close_ranking(call.id, users["office"])
    shortlisted = db.session.get(Case, first.id)
    applicant = db.session.get(User, shortlisted.applicant_id)
    assert apply_transition(first.id, "withdraw", applicant, shortlisted.version).state == "withdrawn"
    assert state_of(second) == "shortlisted"


def test_a_case_cannot_be_ranked_on_its_own(candidate, users):
    case = candidate()
    with pytest.raises(Invalid, match="decided for all candidates at once"):
        apply_transition(case.id, "rank_within_places", users["office"], case.version)


def test_a_member_sees_only_their_own_scores(candidate, members, call):
    case = candidate()
    score_all(members, case, 3, 9)
    view = ranking(db.session, call.id, members[0])
    assert not view.full and [row.scores for row in view.rows] == [{members[0].id: Decimal("3.00")}]


def test_a_commission_of_applicants_or_for_a_type_without_ranking_is_refused(make_user, users):
    deadline = utcnow() + timedelta(days=10)
    with pytest.raises(Invalid) as refused:
        create_call("Summer 2030", TYPE, deadline, [], 3, variant="summer_school", commission=[users["applicant"].id])
    assert refused.value.errors == {"commission": [
        f"Only active staff accounts can sit on a commission: {users['applicant'].email}."]}
    with pytest.raises(Invalid) as refused:
        create_call("Event 2030", "conference_registration", deadline, [], 3, commission=[users["office"].id])
    assert refused.value.errors == {"commission": ["Calls of this kind have no selection commission."]}
    assert db.session.scalar(select(func.count()).select_from(Call)) == 0


def test_two_staff_closing_the_ranking_at_once_award_the_places_once(app, candidate, members, call, users, make_user):
    cases = [candidate() for _ in range(4)]
    for index, case in enumerate(cases):
        score_all(members, case, 9 - index, 9 - index)
    close_deadline(call)
    office_ids = [users["office"].id, make_user("office_staff").id]

    def close(user_id):
        return lambda: close_ranking(call.id, db.session.get(User, user_id))

    results = run_at_once(app, [close(i) for i in office_ids])
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Ranking"]
    db.session.rollback()
    held = db.session.scalar(select(func.count()).select_from(Case).where(Case.state == "shortlisted"))
    assert held == 2
    assert all(len(case_history(c.id)) == 4 for c in cases)  # created, check, commission, one ranking step


def test_a_score_sent_while_the_ranking_closes_is_either_counted_or_refused(app, candidate, members, call, users):
    case, other = candidate(), candidate()
    score_all(members, case, 5, 5)
    score_all(members, other, 6, 6)
    close_deadline(call)
    member_id, office_id = members[0].id, users["office"].id
    results = run_at_once(app, [
        lambda: record_score(case.id, db.session.get(User, member_id), 10),
        lambda: close_ranking(call.id, db.session.get(User, office_id)),
    ])
    closed = results[1]
    assert type(closed).__name__ == "Ranking"
    if isinstance(results[0], Conflict):  # the ranking came first: the case had moved on
        assert [row.case.id for row in closed.rows] == [other.id, case.id]
    else:  # the score came first and counted
        assert [row.case.id for row in closed.rows] == [case.id, other.id]
