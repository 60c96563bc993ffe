"""A commission member's score, and a call's ranking."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, create_model

from caseflow import limits
from caseflow.api.schemas.base import Body, Id, Named, Reply, Setting, Timestamp, built
from caseflow.cases.selection import Ranking as RankingResult
from caseflow.fields.numbers import as_number
from caseflow.fields.text import lines
from caseflow.i18n import lazy_gettext as _l
from caseflow.models.cases import Score as ScoreRow


@built
def score_request(setting: Setting) -> type[Body]:
    """A score: within the bounds of the scoring workflows, at most two decimals (the case's own workflow's
    bounds are checked when it is recorded)."""
    scorings = [w.scoring for w in setting.catalog if w.scoring is not None]
    low = min((s.min for s in scorings), default=0)
    high = max((s.max for s in scorings), default=10)
    # The bounds and the two decimals are the domain's to check (selection.parse_score, with its message):
    # the schema states them, and a JSON validator's float arithmetic would refuse 0.07 as no multiple of 0.01.
    score = Annotated[float, Field(allow_inf_nan=False, json_schema_extra={
        "minimum": as_number(low), "maximum": as_number(high), "multipleOf": 0.01}, description=(
        "Within the bounds of the case's workflow (GET /workflows), at most two decimals"))]
    shape = create_model("ScoreRequest", __base__=Body, score=(score, ...),
                         comment=(lines(limits.SCORE_COMMENT) | None, None))
    shape.__messages__ = {"score": _l("A score is a number."), "comment": _l("A comment is text.")}
    return shape


class Score(Reply):
    case: Id
    member: str
    score: float
    comment: str
    scored_at: Timestamp

    @classmethod
    def of(cls, case_id: int, member_email: str, score: ScoreRow) -> Score:
        return cls(case=case_id, member=member_email, score=as_number(score.score), comment=score.comment,
                   scored_at=score.scored_at)


class RankingRow(Reply):
    rank: int | None = Field(description="Null for a commission member")
    case: Id
    reference: str
    applicant: str
    mean: float | None
    lowest: float | None
    scores: dict[str, float] = Field(description="Member e-mail → score (the office sees all, a member their own)")
    within_places: bool


class Ranking(Reply):
    call: Named
    places_left: int
    tie_break: list[str] = Field(description="How equal mean scores are ordered, in this order")
    members: list[str]
    rows: list[RankingRow]
    blockers: list[str] = Field(description="Why the ranking cannot close yet; empty when it can")

    @classmethod
    def of(cls, ranking: RankingResult) -> Ranking:
        emails = {m.id: m.email for m in ranking.members}
        full = ranking.full
        return cls(
            call=Named(id=ranking.call.id, name=ranking.call.shown_name),
            places_left=ranking.places_left,
            tie_break=ranking.tie_break,
            members=[m.email for m in ranking.members] if full else [],
            rows=[RankingRow(
                rank=row.rank if full else None, case=row.case.id, reference=row.case.reference,
                applicant=(row.case.data or {}).get("full_name") or "",
                mean=as_number(row.mean) if full else None, lowest=as_number(row.lowest) if full else None,
                scores={emails[m]: as_number(s) for m, s in row.scores.items()}, within_places=row.within_places,
            ) for row in ranking.rows],
            blockers=ranking.blockers if full else [],
        )
