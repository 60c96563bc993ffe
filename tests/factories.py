"""Plain helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

from collections import deque

from caseflow.demo import SAMPLES, sample_application


def mobility_data(**overrides) -> dict:
    """Return valid mobility application data for the test call's partner "TH Wildau"."""
    return sample_data("mobility", **overrides)


def sample_data(case_type: str, **overrides) -> dict:
    """Return valid application data of ``case_type`` for the test calls (partner "TH Wildau")."""
    partner = {"partner": "TH Wildau", "country": "Germany"} if "partner" in SAMPLES[case_type] else {}
    return sample_application(case_type, **{**partner, **overrides})


def path_to(workflow, target: str) -> list:
    """Return the shortest list of transitions from the initial state to ``target``."""
    queue = deque([(workflow.initial, [])])
    seen = {workflow.initial}
    while queue:
        state, steps = queue.popleft()
        if state == target:
            return steps
        for transition in workflow.transitions_from(state):
            if transition.dest not in seen and not transition.auto:
                seen.add(transition.dest)
                queue.append((transition.dest, [*steps, transition]))
    raise ValueError(f"{target} is unreachable")
