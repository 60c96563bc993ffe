"""Scores and rankings of calls decided by a selection commission (``caseflow.cases.selection``).

    PUT  /cases/<id>/score           a commission member scores a case
    GET  /calls/<id>/ranking         the ranking as it stands (office; members see their own scores)
    POST /calls/<id>/ranking         close it: the best get the places, the others their rank
"""

from __future__ import annotations

from flask import jsonify
from flask_login import login_required

from caseflow.api import inputs
from caseflow.api.blueprint import bp
from caseflow.api.views import _user
from caseflow.cases import selection
from caseflow.errors import Invalid
from caseflow.extensions import db
from caseflow.fields.numbers import as_number
from caseflow.i18n import _
from caseflow.timeutil import iso_utc


@bp.put(f"/cases/<int(max={inputs.MAX_ID}):case_id>/score")
@login_required
def put_score(case_id: int):
    body = inputs.json_object()
    comment = body.get("comment")
    if comment is not None and not isinstance(comment, str):
        raise Invalid(_("A comment is text."), {"comment": [_("A comment is text.")]})
    if isinstance(body.get("score"), str):  # a number in JSON, not text that looks like one
        message = _("A score is a number.")
        raise Invalid(message, {"score": [message]})
    user = _user()
    score = selection.record_score(case_id, user, body.get("score"), comment or "")
    return jsonify({"case": case_id, "member": user.email, "score": as_number(score.score),
                    "comment": score.comment, "scored_at": iso_utc(score.scored_at)})


@bp.get(f"/calls/<int(max={inputs.MAX_ID}):call_id>/ranking")
@login_required
def get_ranking(call_id: int):
    return jsonify(_ranking(selection.ranking(db.session, call_id, _user())))


@bp.post(f"/calls/<int(max={inputs.MAX_ID}):call_id>/ranking")
@login_required
def close_ranking(call_id: int):
    return jsonify(_ranking(selection.close_ranking(call_id, _user())))


def _ranking(ranking: selection.Ranking) -> dict:
    emails = {m.id: m.email for m in ranking.members}
    return {
        "call": {"id": ranking.call.id, "name": ranking.call.name},
        "places_left": ranking.places_left,
        "tie_break": ranking.tie_break,
        "members": [m.email for m in ranking.members] if ranking.full else [],
        "rows": [{
            "rank": row.rank if ranking.full else None,
            "case": row.case.id,
            "reference": row.case.reference,
            "applicant": (row.case.data or {}).get("full_name") or "",
            "mean": as_number(row.mean) if ranking.full else None,
            "lowest": as_number(row.lowest) if ranking.full else None,
            "scores": {emails[m]: as_number(s) for m, s in row.scores.items()},
            "within_places": row.within_places,
        } for row in ranking.rows],
        "blockers": ranking.blockers if ranking.full else [],
    }
