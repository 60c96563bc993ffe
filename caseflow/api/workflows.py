"""The API's reference data: case types and faculties."""

from __future__ import annotations

from caseflow.api.schemas.workflows import Faculty, Workflow
from caseflow.cases import queries
from caseflow.catalog import catalog


def list_workflows() -> list[Workflow]:
    """List the case types with their states, transitions, fields, conditions and documents."""
    return [Workflow.of(w) for w in catalog()]


def list_faculties() -> list[Faculty]:
    """List the faculties (their codes are what a faculty field holds)."""
    return [Faculty(code=f.code, name=f.label) for f in queries.faculties()]
