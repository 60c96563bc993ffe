"""Plain helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

from collections import deque

from caseflow.demo import sample_application


def mobility_data(**overrides) -> dict:
    """Return valid mobility application data for the test call's partner "TH Wildau"."""
    return sample_application(**{"partner": "TH Wildau", "country": "Germany", **overrides})


def path_to(workflow, target: str) -> list:
    """Return the shortest list of transitions from the initial state to ``target``."""
    queue = deque([(workflow.initial, [])])
    seen = {workflow.initial}
    while queue:
        state, steps = queue.popleft()
        if state == target:
            return steps
        for transition in workflow.transitions_from(state):
            if transition.dest not in seen:
                seen.add(transition.dest)
                queue.append((transition.dest, [*steps, transition]))
    raise ValueError(f"{target} is unreachable")
