"""Upload a case's documents through the real operation, as the tests' cases need them."""

from __future__ import annotations

from caseflow.catalog import catalog
from caseflow.documents.operations import Upload, upload_document
from caseflow.documents.samples import sample_for


def supply_documents(case, actor, required_only: bool = True) -> list:
    """Upload a valid sample for each document the case's checklist asks for; return the documents."""
    workflow = catalog()[case.type]
    if workflow.state(case.state).terminal:
        return []
    return [
        upload_document(case.id, Upload(spec.kind, *sample_for(spec.accept, spec.label)), actor)
        for spec in workflow.documents_for(case.data or {}) if spec.required or not required_only
    ]
