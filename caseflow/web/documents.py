"""Document pages: upload on the case page, see a file, review, remove, download all as a ZIP.

Thin views over ``caseflow.documents.operations``: a refusal is shown on the
case page again, beside the form it is about.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import login_required

from caseflow.bodies import takes_upload
from caseflow.catalog import catalog
from caseflow.documents.archive import case_archive
from caseflow.documents.checklist import DocumentFailure
from caseflow.documents.operations import (
    Upload,
    delete_document,
    read_document,
    review_document,
    upload_document,
    visible_document,
)
from caseflow.documents.serving import archive_response, document_response
from caseflow.errors import CaseError, Invalid, NotFound
from caseflow.i18n import _
from caseflow.models.cases import Case
from caseflow.models.documents import ACCEPTED, Document
from caseflow.web.access import me, visible_case
from caseflow.web.case_page import render_case
from caseflow.web.forms.documents import RemoveForm, ReviewForm, UploadForm


def _back_to(case_id: int, kind: str | None = None):
    anchor = f"document-{kind}" if kind else "documents-title"
    return redirect(url_for("cases.case_page", case_id=case_id, _anchor=anchor), code=303)


def _visible(document_id: int) -> tuple[Document, Case]:
    try:
        return visible_document(document_id, me())
    except NotFound:
        abort(404)


@takes_upload
@login_required
def upload(case_id: int):
    case = visible_case(case_id)  # 404 before anything is read for a case the caller may not see
    form = UploadForm()
    kind = form.kind.data or ""
    if not form.validate():
        listed = any(spec.kind == kind for spec in catalog()[case.type].documents_for(case.data or {}))
        if not listed or not form.file.errors:  # no form on the page to show the message beside
            return render_case(case_id, 422, alert=_("Nothing was uploaded."),
                               alerts=[m for messages in form.errors.values() for m in messages])
        return render_case(case_id, 422, alert=_("Nothing was uploaded."), alerts=list(form.file.errors),
                           document_failure=DocumentFailure(kind, "upload", form.file.errors))
    sent = form.file.data
    try:
        upload_document(case_id, Upload(kind, sent.filename, sent.read()), me())
    except NotFound:
        abort(404)
    except Invalid as error:
        if "kind" in error.errors:
            return render_case(case_id, 422, alert=_("Nothing was uploaded."), alerts=[error.message])
        # At the top of the page, where the eye is after sending, and beside the document's row.
        return render_case(case_id, 422, alert=_("Nothing was uploaded."), alerts=[error.message],
                           document_failure=DocumentFailure(kind, "upload", [error.message]))
    except CaseError as error:  # a closed case, an accepted document (409), a role that may not (403)
        return render_case(case_id, error.status, alert=error.message)
    flash(_("Uploaded “%(document)s”. The international office will check it.",
            document=catalog()[case.type].document_label(kind)), "success")
    return _back_to(case_id, kind)


@login_required
def show(document_id: int):
    """Send a document's bytes: inline for the browser's viewer, or as a download (``?download=1``).

    Named after the case's reference and the checklist's kind, never the uploader's file name.
    """
    document, case = _visible(document_id)
    return document_response(document, case, read_document(document, case, me()),
                             download=request.args.get("download") == "1")


@login_required
def review(document_id: int):
    document, case = _visible(document_id)
    form = ReviewForm()
    reason = form.reason.data or ""
    if not form.validate():
        if form.reason.errors:
            return render_case(case.id, 422, document_failure=DocumentFailure(
                document.kind, "review", form.reason.errors, reason))
        return render_case(case.id, 400, alert=_("The form arrived incomplete or damaged, so nothing was done."))
    decision = form.decision.data or ""
    try:
        review_document(document.id, decision, reason, me())
    except NotFound:
        abort(404)
    except Invalid as error:
        return render_case(case.id, 422, document_failure=DocumentFailure(
            document.kind, "review", [error.message], reason))
    except CaseError as error:
        return render_case(case.id, error.status, alert=error.message)
    label = catalog()[case.type].document_label(document.kind)
    if decision == ACCEPTED:
        flash(_("Accepted “%(document)s”.", document=label), "success")
    else:
        flash(_("Rejected “%(document)s”. The applicant is asked for a new file.", document=label), "success")
    return _back_to(case.id, document.kind)


@login_required
def remove(document_id: int):
    document, case = _visible(document_id)
    if not RemoveForm().validate():
        return render_case(case.id, 400, alert=_("The form arrived incomplete or damaged, so nothing was done."))
    try:
        delete_document(document.id, me())
    except NotFound:
        abort(404)
    except CaseError as error:
        return render_case(case.id, error.status, alert=error.message)
    flash(_("Removed “%(document)s”.", document=catalog()[case.type].document_label(document.kind)), "success")
    return _back_to(case.id, document.kind)


@login_required
def archive(case_id: int):
    """Send all of a case's documents as one ZIP (the office)."""
    try:
        return archive_response(*case_archive(case_id, me()))
    except NotFound:
        abort(404)
