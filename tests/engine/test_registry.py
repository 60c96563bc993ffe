"""The named checks, run against plain data (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseflow.workflow import load_workflow
from caseflow.workflow.registry import run_check

WORKFLOW = load_workflow(Path(__file__).resolve().parents[2] / "workflows" / "mobility.toml")


class Ctx:
    def __init__(self, open_cases=0, seats_left=None, **data):
        self.data = data
        self._open = open_cases
        self._seats = seats_left

    def field_label(self, name):
        return WORKFLOW.field(name).label

    def choice_label(self, name, value):
        return WORKFLOW.field(name).choice_label(value)

    def missing_required_fields(self):
        return [f.label for f in WORKFLOW.fields if f.required and self.data.get(f.name) in (None, "")]

    def open_cases_in_same_call(self):
        return self._open

    def seats_left(self, field):
        return self._seats


GPA = {"field": "gpa", "by": "specialty_kind", "thresholds": {"technical": 4.5, "economic": 4.7}}


@pytest.mark.parametrize(
    ("kind", "gpa", "passes"),
    [("technical", 4.5, True), ("technical", 4.49, False), ("economic", 4.7, True),
     ("economic", 4.69, False), ("economic", 5.0, True)],
)
def test_gpa_threshold_depends_on_specialty_kind(kind, gpa, passes):
    # Seed: "technical specialties – from 4.5, for students of economic specialties – from 4.7"
    reasons = run_check("min_value_by_choice", Ctx(gpa=gpa, specialty_kind=kind), GPA)
    assert (reasons == []) is passes
    if not passes:
        assert "Average grade" in reasons[0] and ("4.5" in reasons[0] or "4.7" in reasons[0])


@pytest.mark.parametrize(("level", "passes"), [("A1", False), ("B1", False), ("B2", True), ("C2", True), (None, False)])
def test_language_level_from_b2(level, passes):
    # Seed: "foreign language – not lower than B2 – Upper-Intermediate"
    reasons = run_check("min_cefr_level", Ctx(language_level=level), {"field": "language_level", "min": "B2"})
    assert (reasons == []) is passes


@pytest.mark.parametrize(("year", "passes"), [(1, False), (2, True), (4, True)])
def test_at_least_two_years_of_study(year, passes):
    reasons = run_check("min_value", Ctx(study_year=year), {"field": "study_year", "min": 2}, "Two years needed.")
    assert reasons == ([] if passes else ["Two years needed."])


def test_one_application_per_call():
    assert run_check("one_application_per_call", Ctx(open_cases=0), {}) == []
    assert "already have an application" in run_check("one_application_per_call", Ctx(open_cases=1), {})[0]


def test_seats_available_names_the_partner():
    assert run_check("seats_available", Ctx(seats_left=1, partner="TH Wildau"), {"field": "partner"}) == []
    assert run_check("seats_available", Ctx(seats_left=None), {"field": "partner"}) == []
    reasons = run_check("seats_available", Ctx(seats_left=0, partner="TH Wildau"), {"field": "partner"})
    assert reasons == ["TH Wildau has no seat left in this call."]


def test_fields_complete_names_missing_fields():
    reasons = run_check("fields_complete", Ctx(full_name="A"), {})
    assert "E-mail address" in reasons[0] and "Full name" not in reasons[0]
