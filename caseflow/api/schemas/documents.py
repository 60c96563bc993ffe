"""A case's documents, its checklist, an upload and a review."""

from __future__ import annotations

from typing import Annotated, Literal

from flask import url_for
from pydantic import Field, PrivateAttr

from caseflow import limits
from caseflow.api.schemas.base import Body, Id, Reply, Timestamp, Words
from caseflow.api.schemas.workflows import ChecklistKind, FileType
from caseflow.documents.checklist import status_label
from caseflow.fields.text import lines
from caseflow.i18n import lazy_gettext as _l
from caseflow.models.cases import Case
from caseflow.models.documents import ACCEPTED, REJECTED, STATUSES
from caseflow.models.documents import Document as DocumentRow
from caseflow.workflow.spec import Workflow as WorkflowSpec

MISSING = "missing"


class Document(Reply):
    """A document of a case: the current file of one checklist entry, and its review."""

    id: Id
    case: Id = Field(description="The id of its case")
    kind: str = Field(description="Its checklist entry")
    label: Words
    status: Literal[STATUSES]
    status_label: Words
    reason: str = Field(description="Why it was rejected; empty otherwise")
    file_name: str = Field(description="The uploader's name for the file, for display only")
    file_type: FileType = Field(description="What its content is, detected at upload")
    size: int = Field(ge=0, description="In bytes, as stored (an image is stored re-encoded)")
    sha256: str = Field(pattern="^[0-9a-f]{64}$")
    uploaded_at: Timestamp
    reviewed_at: Timestamp | None
    content_url: str = Field(description="Where to download the file")

    @classmethod
    def of(cls, item: DocumentRow, workflow: WorkflowSpec | None) -> Document:
        return cls(
            id=item.id, case=item.case_id, kind=item.kind,
            label=workflow.document_label(item.kind) if workflow is not None else item.kind,
            status=item.status, status_label=status_label(item.status), reason=item.reason,
            file_name=item.file_name, file_type=item.file_type, size=item.size, sha256=item.sha256,
            uploaded_at=item.uploaded_at, reviewed_at=item.reviewed_at,
            content_url=url_for("api.get_document_content", document_id=item.id),
        )


class ChecklistEntry(ChecklistKind):
    """A document the case's application asks for, with where it stands."""

    status: Literal[(*STATUSES, MISSING)]
    document: Id | None = Field(description="The id of its document")

    @classmethod
    def all_of(cls, case: Case, workflow: WorkflowSpec | None, documents: list[DocumentRow]) -> list[ChecklistEntry]:
        if workflow is None:
            return []
        uploaded = {d.kind: d for d in documents}
        return [cls(**ChecklistKind.fields_of(workflow, entry),
                    status=uploaded[entry.kind].status if entry.kind in uploaded else MISSING,
                    document=uploaded[entry.kind].id if entry.kind in uploaded else None)
                for entry in workflow.documents_for(case.data or {})]


class DocumentUpload(Body):
    """A multipart/form-data body: which checklist entry, and the file (a PDF, JPEG or PNG it accepts)."""

    kind: Annotated[str, Field(min_length=1, max_length=limits.CHOICE, description="A kind of the case's checklist")]
    file: Annotated[bytes, Field(json_schema_extra={"contentMediaType": "application/octet-stream"},
                                 description="The file, at most CASEFLOW_MAX_UPLOAD_MB")]
    _file_names: dict[str, str] = PrivateAttr(default_factory=dict)

    __messages__ = {"kind": _l("Say which document of the checklist this is (“kind”)."),
                    "file": _l("Choose the file to upload (the field “file”).")}

    def file_name(self, name: str = "file") -> str | None:
        """The name the client gave the file (shown, never used as a path)."""
        return self._file_names.get(name)


class Accept(Body):
    status: Literal[ACCEPTED]
    reason: Annotated[Literal[""] | None, Field(description="An accepted document has no reason: empty or null")] = (
        None)


class Reject(Body):
    status: Literal[REJECTED]
    reason: Annotated[lines(limits.REASON, required=True), Field(
        description="Why: the applicant reads it and uploads a new file")]


DocumentReview = Annotated[Accept | Reject, Field(discriminator="status")]
