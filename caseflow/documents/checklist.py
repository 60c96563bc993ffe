"""The documents section of a case page: one row per checklist entry, with what the viewer may do.

Built from the case's documents, loaded once (``queries.case_documents``), so
the page's queries do not grow with the checklist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from caseflow.accounts.permissions import can_export, can_review_documents, can_upload_documents
from caseflow.i18n import pgettext
from caseflow.models.accounts import User
from caseflow.models.cases import Case
from caseflow.models.documents import ACCEPTED, REJECTED, UPLOADED, Document, outstanding
from caseflow.workflow.spec import Document as DocumentKind
from caseflow.workflow.spec import Workflow

MISSING = "missing"


def status_label(status: str) -> str:
    """A document's status in words (the "document" context: "Accepted" differs from a case's in Russian)."""
    return {MISSING: pgettext("document", "Missing"), UPLOADED: pgettext("document", "Uploaded, not reviewed yet"),
            ACCEPTED: pgettext("document", "Accepted"), REJECTED: pgettext("document", "Rejected")}[status]


@dataclass
class DocumentFailure:
    """A refused upload or review, shown again beside the form of its checklist entry."""

    kind: str
    action: str  # "upload" or "review"
    errors: list[str]
    reason: str = ""  # the rejection reason typed, given back


@dataclass
class Row:
    spec: DocumentKind
    condition: str
    document: Document | None
    may_upload: bool
    may_accept: bool
    may_reject: bool
    may_delete: bool
    upload_errors: list[str] = field(default_factory=list)
    review_errors: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def status(self) -> str:
        return self.document.status if self.document is not None else MISSING

    @property
    def status_label(self) -> str:
        return status_label(self.status)


@dataclass
class Checklist:
    rows: list[Row]
    missing: list[str]  # labels of the required documents this stage still lacks
    rejected: list[str]  # labels of the required documents rejected and not yet replaced
    may_download_all: bool

    @property
    def has_files(self) -> bool:
        return any(row.document is not None for row in self.rows)


def checklist(workflow: Workflow, case: Case, documents: list[Document], user: User,
              failure: DocumentFailure | None = None) -> Checklist:
    """Return the rows of the case's checklist (and any document no longer on it) for ``user``."""
    data = case.data or {}
    by_kind = {document.kind: document for document in documents}
    open_case = not workflow.state(case.state).terminal
    uploads = open_case and can_upload_documents(user, case)
    reviews = open_case and can_review_documents(user, case)
    specs = list(workflow.documents_for(data))
    if not open_case:  # a closed case asks for nothing more: only what was handed in is listed
        specs = [spec for spec in specs if spec.kind in by_kind]
    listed = {spec.kind for spec in specs}
    # A document kept from an answer that no longer asks for it stays visible (to be removed).
    specs += [workflow.document(d.kind) or DocumentKind(kind=d.kind, label=d.kind, required=False)
              for d in documents if d.kind not in listed]
    rows = []
    for spec in specs:
        document = by_kind.get(spec.kind)
        status = document.status if document is not None else MISSING
        row = Row(
            spec=spec,
            condition=workflow.condition(spec),
            document=document,
            may_upload=uploads and status != ACCEPTED and spec.kind in listed,
            may_accept=reviews and status == UPLOADED,
            may_reject=reviews and status in (UPLOADED, ACCEPTED),
            may_delete=uploads and document is not None and (reviews or (
                status != ACCEPTED and workflow.applicant_may_remove(workflow.document(spec.kind), case.state))),
        )
        if failure is not None and failure.kind == spec.kind:
            if failure.action == "upload":
                row.upload_errors = failure.errors
            else:
                row.review_errors, row.reason = failure.errors, failure.reason
        rows.append(row)
    missing, rejected = outstanding(workflow.needed_to_leave(case.state, data) if open_case else (),
                                    {kind: document.status for kind, document in by_kind.items()})
    return Checklist(
        rows=rows,
        missing=[spec.label for spec in missing],
        rejected=[spec.label for spec in rejected],
        may_download_all=can_export(user),
    )
