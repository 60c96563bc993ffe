"""Scores and rankings of calls decided by a selection commission (``caseflow.cases.selection``)."""

from __future__ import annotations

from caseflow.accounts.auth import me
from caseflow.api.schemas.ranking import Ranking, Score
from caseflow.cases import selection
from caseflow.extensions import db


def put_score(case_id: int, body) -> Score:
    """Record or change the caller's score of a case (members of the call's commission)."""
    user = me()
    score = selection.record_score(case_id, user, body.score, body.comment or "")
    return Score.of(case_id, user.email, score)


def get_ranking(call_id: int) -> Ranking:
    """The ranking of a call decided by a commission, as it stands (office staff; members see their own
    scores)."""
    return Ranking.of(selection.ranking(db.session, call_id, me()))


def close_ranking(call_id: int) -> Ranking:
    """Close the ranking: shortlist the best for the places left, reject the others.

    409 with errors.ranking listing what is missing (the deadline not passed, cases not yet at the
    commission, scores not given).
    """
    return Ranking.of(selection.close_ranking(call_id, me()))
