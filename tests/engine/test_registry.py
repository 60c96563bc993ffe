"""The named checks, run against plain data (no database)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from caseflow.workflow import load_workflow
from caseflow.workflow.registry import EarlierCase, run_check

WORKFLOW = load_workflow(Path(__file__).resolve().parents[2] / "workflows" / "mobility.toml")


class Ctx:
    def __init__(self, earlier=None, seats_left=None, period=None, **data):
        self.data = data
        self._period = period
        self._earlier = earlier  # (in this call, the case) or None
        self._seats = seats_left

    def field_label(self, name):
        field = WORKFLOW.field(name)
        return field.label if field else name

    def choice_label(self, name, value):
        field = WORKFLOW.field(name)
        return field.choice_label(value) if field else str(value)

    def missing_required_fields(self):
        return [f.label for f in WORKFLOW.fields if f.required and self.data.get(f.name) in (None, "")]

    def earlier_case(self, same_call, level_field=""):
        if self._earlier is None or (same_call and not self._earlier[0]):
            return None
        return self._earlier[1]

    def seats_left(self):
        return self._seats

    def call_period(self):
        return self._period

    def seat_pool_name(self):
        return "TH Wildau"


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


OPEN_HERE = (True, EarlierCase("MOB-2027-00001", "Faculty screening", "Erasmus+ 2027", True))
ACCEPTED_HERE = (True, EarlierCase("MOB-2027-00001", "Accepted", "Erasmus+ 2027", False))
ACCEPTED_BEFORE = (False, EarlierCase("MOB-2026-00007", "Accepted", "Erasmus+ 2026", False))


@pytest.mark.parametrize(("starts", "passes"), [(date(2026, 9, 1), True), (date(2026, 8, 31), False),
                                               (date(2026, 2, 1), False), (date(2027, 2, 1), True)])
def test_two_years_at_the_university_by_the_start_of_the_mobility(starts, passes):
    # Seed: "Be a student for at least 2 years at KSTU" (enrolled in September 2024).
    reasons = run_check("years_since", Ctx(period=(starts, starts), enrolled_in=2024),
                        {"field": "enrolled_in", "min": 2})
    assert (reasons == []) is passes
    if not passes:
        assert "enrolled in 2024, you will have from September 1, 2026" in reasons[0]


def test_one_application_per_call():
    assert run_check("one_application_per_call", Ctx(), {}) == []
    assert run_check("one_application_per_call", Ctx(OPEN_HERE), {}) == [
        "You already have an application in this call, MOB-2027-00001 (“Faculty screening”). Withdraw it first "
        "to apply again."]


def test_once_per_programme_names_the_earlier_case_and_why():
    # Seed: "Participation in the program is possible only 1 time for an educational program."
    assert run_check("once_per_programme", Ctx(), {"level": "level"}) == []
    for earlier in (ACCEPTED_HERE, ACCEPTED_BEFORE):
        (reason,) = run_check("once_per_programme", Ctx(earlier), {"level": "level"})
        assert earlier[1].reference in reason and "only once for an educational programme" in reason
        assert "Withdraw" not in reason
    assert "Withdraw it first" in run_check("once_per_programme", Ctx(OPEN_HERE), {"level": "level"})[0]


def test_seats_available_names_the_pool():
    assert run_check("seats_available", Ctx(seats_left=1), {}) == []
    assert run_check("seats_available", Ctx(seats_left=None), {}) == []
    assert run_check("seats_available", Ctx(seats_left=0), {}) == ["TH Wildau has no seat left."]


@pytest.mark.parametrize(("left", "full"), [(0, True), (-1, True), (1, False), (None, False)])
def test_seats_full_passes_only_when_no_seat_is_left(left, full):
    assert (run_check("seats_full", Ctx(seats_left=left), {}) == []) is full


def test_field_in_and_not_in():
    params = {"field": "language_level", "values": ["C1", "C2"]}
    assert run_check("field_in", Ctx(language_level="C1"), params) == []
    assert run_check("field_in", Ctx(language_level="B2"), params) != []
    assert run_check("field_not_in", Ctx(language_level="B2"), params) == []
    assert "C1" in run_check("field_not_in", Ctx(language_level="C1"), params)[0]


def test_required_when():
    params = {"field": "group", "when": "specialty_kind", "equals": "economic"}
    assert run_check("required_when", Ctx(specialty_kind="technical"), params) == []
    assert run_check("required_when", Ctx(specialty_kind="economic", group="E-1"), params) == []
    assert run_check("required_when", Ctx(specialty_kind="economic"), params) == [
        "Group is required when Kind of specialty is Economic."]


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [("2027-03-01", "2027-03-05", None), ("2027-03-01", "2027-03-04", "at least 5 days (given: 4)"),
     ("2027-03-05", "2027-03-01", "is before"), (None, "2027-03-01", "are required")],
)
def test_min_days_between_counts_both_days(start, end, reason):
    # Seed: staff "have the opportunity to go to the partner university for a period of 5 days or more"
    reasons = run_check("min_days_between", Ctx(start=start, end=end), {"start": "start", "end": "end", "min": 5})
    assert reasons == [] if reason is None else reason in reasons[0]


def test_fields_complete_names_missing_fields():
    reasons = run_check("fields_complete", Ctx(full_name="A"), {})
    assert "E-mail address" in reasons[0] and "Full name" not in reasons[0]
