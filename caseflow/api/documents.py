"""A case's documents (``caseflow.documents``): upload, read, review, remove, download all."""

from __future__ import annotations

from flask import url_for

from caseflow.accounts.auth import me
from caseflow.api.contract import WithHeaders
from caseflow.api.schemas.documents import Document
from caseflow.catalog import catalog
from caseflow.documents import operations
from caseflow.documents.archive import case_archive
from caseflow.documents.serving import archive_response, document_response
from caseflow.errors import Invalid
from caseflow.i18n import _


def upload_document(case_id: int, body):
    """Upload a document of the case's checklist (the applicant; the office for them).

    The file is checked by its content (a PDF, JPEG or PNG the checklist entry accepts, readable, at most
    CASEFLOW_MAX_UPLOAD_MB); a refused file is not stored and the 422 says why (errors.file, errors.kind).
    An upload replaces the kind's document unless it was accepted (409); nothing changes on a closed case
    (409).
    """
    if not body.file and not body.file_name():  # a file input left empty: a part with no name and no content
        message = _("Choose the file to upload (the field “file”).")
        raise Invalid(message, {"file": [message]})
    upload = operations.Upload(body.kind, body.file_name(), body.file)
    document = operations.upload_document(case_id, upload, me())
    location = url_for("api.get_document_content", document_id=document.id)
    return WithHeaders(_document(document.id), {"Location": location})


def get_case_archive(case_id: int):
    """Download every document of a case as one ZIP (office staff and admins).

    Entries are named reference-kind.extension; 409 when the case has no documents yet.
    """
    return archive_response(*case_archive(case_id, me()))


def get_document(document_id: int) -> Document:
    """Show a document of a case the caller may see."""
    return _document(document_id)


def get_document_content(document_id: int):
    """Download a document's file.

    Sent as an attachment named reference-kind.extension (never the uploader's file name), with the media
    type detected at upload, X-Content-Type-Options: nosniff and Cache-Control: private, no-store.  A view
    by staff joins the case's history.  500 when the stored file is missing or changed (its SHA-256).
    """
    user = me()
    document, case = operations.visible_document(document_id, user)
    return document_response(document, case, operations.read_document(document, case, user), download=True)


def review_document(document_id: int, body) -> Document:
    """Accept a document, or reject it with a reason the applicant reads (office staff and admins).

    409 when it is so decided already, rejected and not replaced yet, or the case is closed.
    """
    operations.review_document(document_id, body.status, body.reason or "", me())
    return _document(document_id)


def delete_document(document_id: int) -> None:
    """Remove a document and its file (the applicant until it is accepted; the office).

    The case's history keeps a line saying who removed it; 409 on a closed case.
    """
    operations.delete_document(document_id, me())


def _document(document_id: int) -> Document:
    document, case = operations.visible_document(document_id, me())
    return Document.of(document, catalog().get(case.type))
