"""Plain helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

from caseflow.demo import SAMPLES, sample_application


def mobility_data(**overrides) -> dict:
    """Return valid mobility application data for the test call's partner "TH Wildau"."""
    return sample_data("mobility", **overrides)


def sample_data(case_type: str, **overrides) -> dict:
    """Return valid application data of ``case_type`` for the test calls (partner "TH Wildau")."""
    partner = {"partner": "TH Wildau", "country": "Germany"} if "partner" in SAMPLES[case_type] else {}
    return sample_application(case_type, **{**partner, **overrides})


def path_to(workflow, target: str) -> tuple:
    """Return the transitions people fire to bring a new case to ``target``."""
    return workflow.path_to(target)
