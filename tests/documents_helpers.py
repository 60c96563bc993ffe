"""Upload a case's documents through the real operation, as the tests' cases need them (the demo's samples)."""

from __future__ import annotations

from caseflow.demo import upload_sample_documents as supply_documents
from caseflow.extensions import db
from caseflow.models.cases import Case


def supply_documents_of(case_id: int, actor, required_only: bool = True) -> list:
    """Upload the samples for a case known by its id (one created through the API or the pages)."""
    return supply_documents(db.session.get(Case, case_id), actor, required_only)
