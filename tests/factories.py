"""Plain helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

from collections import deque


def mobility_data(**overrides) -> dict:
    """Valid mobility application data (as the form would clean it)."""
    data = {
        "full_name": "Asel Applicant",
        "email": "asel@example.org",
        "phone": "+996 555 000 111",
        "faculty": "IT",
        "department": "Computer Science",
        "specialty": "Software Engineering",
        "specialty_kind": "technical",
        "study_year": 3,
        "group": "PI-1-22",
        "gpa": 4.6,
        "language": "German",
        "language_level": "B2",
        "partner": "TH Wildau",
        "country": "Germany",
    }
    data.update(overrides)
    return data


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
