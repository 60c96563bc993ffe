"""Validation of the workflow keys behind scholarship calls: variant_field, applies_when, [scoring]."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from caseflow.workflow.loader import parse_workflow
from caseflow.workflow.registry import run_check
from caseflow.workflow.spec import Workflow
from tests.engine.test_loader import problems_of

SCHOLARSHIP = Path(__file__).resolve().parents[2] / "workflows" / "scholarship.toml"


def scholarship() -> dict:
    return tomllib.loads(SCHOLARSHIP.read_text(encoding="utf-8"))


def test_scoring_must_name_a_state_and_transitions_out_of_it():
    raw = scholarship()
    raw["scoring"] |= {"select": "award", "reject": "nowhere", "min": 10, "max": 10}
    problems = problems_of(raw)
    assert "[scoring]: 'award' must be a transition out of 'commission_scoring' that people fire" in problems
    assert "[scoring]: 'nowhere' must be a transition out of 'commission_scoring' that people fire" in problems
    assert "[scoring]: min must be below max" in problems
    raw["scoring"]["state"] = "limbo"
    assert "[scoring]: unknown state 'limbo'" in problems_of(raw)


def test_tie_breaks_are_known_keys_or_number_fields():
    raw = scholarship()
    raw["scoring"]["tie_break"] = ["coin_toss", "field:motivation", "field:gpa"]
    problems = problems_of(raw)
    assert "tie_break 'coin_toss' is neither" in problems
    assert "tie_break 'field:motivation' is neither" in problems
    assert "field:gpa" not in problems


def test_a_ranking_needs_the_calls_places():
    raw = scholarship()
    raw["seats"] = ""
    for state in raw["states"]:
        state.pop("holds_seat", None)
    for transition in raw["transitions"]:
        transition["guards"] = [g for g in transition.get("guards", []) if g["name"] != "seats_available"]
    assert "a ranking awards the call's places" in problems_of(raw)


def test_variant_field_must_be_a_choice_field():
    raw = scholarship()
    raw["variant_field"] = "motivation"
    assert "variant_field 'motivation' must name a choice field of this workflow" in problems_of(raw)


def test_applies_when_is_checked():
    raw = scholarship()
    raw["rules"][1]["applies_when"] = {"field": "nope", "equals": "x"}
    assert "applies_when names an unknown field 'nope'" in problems_of(raw)
    raw["rules"][2]["applies_when"] = {"field": "programme"}
    assert "rules[2]: applies_when is { field = ..., in = [...] } or { field = ..., equals = ... }" in problems_of(raw)


def test_a_rule_applies_only_to_its_programme():
    workflow: Workflow = parse_workflow("scholarship", scholarship())
    chinese = {r.name for r in workflow.rules_for_call("chinese_semester")}
    postdoc = {r.name for r in workflow.rules_for_call("jsps_postdoc")}
    assert "within_years" in postdoc and "within_years" not in chinese
    assert len(workflow.rules_for_call(None)) < len(workflow.rules)
    assert workflow.form_fields == tuple(f for f in workflow.fields if f.name != "programme")


class Data:
    def __init__(self, **data):
        self.data = data

    def field_label(self, name):
        return name


@pytest.mark.parametrize(("start", "end", "ok"), [
    ("2027-01-31", "2027-11-30", True),   # 10 months on: the last day of a shorter month
    ("2027-01-31", "2027-12-01", False),
    ("2027-05-15", "2028-03-15", True),
    ("2027-05-15", "2028-03-16", False),
])
def test_max_months_between_counts_calendar_months(start, end, ok):
    reasons = run_check("max_months_between", Data(a=start, b=end), {"start": "a", "end": "b", "max": 10})
    assert (reasons == []) is ok


def test_within_years_refuses_a_day_in_the_future():
    today = datetime.now(UTC).date()
    future = date(today.year + 1, 1, 1).isoformat()
    assert run_check("within_years", Data(d=future), {"field": "d", "years": 6}) == ["d is in the future."]
