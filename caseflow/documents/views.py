"""Document pages: upload on the case page, see a file, review, remove, download all as a ZIP.

Thin views over ``caseflow.documents.operations``: a refusal is shown on the
case page again, beside the form it is about.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import login_required

from caseflow.cases.errors import CaseError, Invalid, NotFound
from caseflow.cases.models import Case
from caseflow.cases.views import MAX_ID, _me, _render_case, _visible_case
from caseflow.catalog import catalog
from caseflow.documents.archive import case_archive
from caseflow.documents.checklist import DocumentFailure
from caseflow.documents.forms import RemoveForm, ReviewForm, UploadForm
from caseflow.documents.inspection import human_size
from caseflow.documents.models import ACCEPTED, Document
from caseflow.documents.operations import (
    Upload,
    delete_document,
    read_document,
    review_document,
    upload_document,
    visible_document,
)
from caseflow.documents.serving import archive_response, document_response
from caseflow.i18n import _

bp = Blueprint("documents", __name__)

# What a file input offers to choose, per type a checklist entry accepts.
_FILE_INPUT_ACCEPT = {"pdf": ".pdf,application/pdf", "jpeg": ".jpg,.jpeg,image/jpeg", "png": ".png,image/png"}

bp.add_app_template_filter(human_size, "human_size")


@bp.app_template_filter("file_input_accept")
def file_input_accept(types: tuple[str, ...]) -> str:
    """Return a file input's ``accept`` attribute for the types a checklist entry accepts."""
    return ",".join(_FILE_INPUT_ACCEPT[t] for t in types if t in _FILE_INPUT_ACCEPT)


def _back_to(case_id: int, kind: str | None = None):
    anchor = f"document-{kind}" if kind else "documents-title"
    return redirect(url_for("cases.case_page", case_id=case_id, _anchor=anchor), code=303)


def _visible(document_id: int) -> tuple[Document, Case]:
    try:
        return visible_document(document_id, _me())
    except NotFound:
        abort(404)


@bp.route(f"/cases/<int(max={MAX_ID}):case_id>/documents", methods=["POST"])
@login_required
def upload(case_id: int):
    case = _visible_case(case_id)  # 404 before anything is read for a case the caller may not see
    form = UploadForm()
    kind = form.kind.data or ""
    if not form.validate():
        listed = any(spec.kind == kind for spec in catalog()[case.type].documents_for(case.data or {}))
        if not listed or not form.file.errors:  # no form on the page to show the message beside
            return _render_case(case_id, 422, alert=_("Nothing was uploaded."),
                                alerts=[m for messages in form.errors.values() for m in messages])
        return _render_case(case_id, 422, document_failure=DocumentFailure(kind, "upload", form.file.errors))
    sent = form.file.data
    try:
        upload_document(case_id, Upload(kind, sent.filename, sent.read()), _me())
    except NotFound:
        abort(404)
    except Invalid as error:
        if "kind" in error.errors:
            return _render_case(case_id, 422, alert=_("Nothing was uploaded."), alerts=[error.message])
        return _render_case(case_id, 422, document_failure=DocumentFailure(kind, "upload", [error.message]))
    except CaseError as error:  # a closed case, an accepted document (409), a role that may not (403)
        return _render_case(case_id, error.status, alert=error.message)
    flash(_("Uploaded “%(document)s”. The international office will check it.",
            document=catalog()[case.type].document_label(kind)), "success")
    return _back_to(case_id, kind)


@bp.route(f"/documents/<int(max={MAX_ID}):document_id>")
@login_required
def show(document_id: int):
    """Send a document's bytes: inline for the browser's viewer, or as a download (``?download=1``).

    Named after the case's reference and the checklist's kind, never the uploader's file name.
    """
    document, case = _visible(document_id)
    return document_response(document, case, read_document(document, case, _me()),
                             download=request.args.get("download") == "1")


@bp.route(f"/documents/<int(max={MAX_ID}):document_id>/review", methods=["POST"])
@login_required
def review(document_id: int):
    document, case = _visible(document_id)
    form = ReviewForm()
    reason = form.reason.data or ""
    if not form.validate():
        if form.reason.errors:
            return _render_case(case.id, 422, document_failure=DocumentFailure(
                document.kind, "review", form.reason.errors, reason))
        return _render_case(case.id, 400, alert=_("The form arrived incomplete or damaged, so nothing was done."))
    decision = form.decision.data or ""
    try:
        review_document(document.id, decision, reason, _me())
    except NotFound:
        abort(404)
    except Invalid as error:
        return _render_case(case.id, 422, document_failure=DocumentFailure(
            document.kind, "review", [error.message], reason))
    except CaseError as error:
        return _render_case(case.id, error.status, alert=error.message)
    label = catalog()[case.type].document_label(document.kind)
    if decision == ACCEPTED:
        flash(_("Accepted “%(document)s”.", document=label), "success")
    else:
        flash(_("Rejected “%(document)s”. The applicant is asked for a new file.", document=label), "success")
    return _back_to(case.id, document.kind)


@bp.route(f"/documents/<int(max={MAX_ID}):document_id>/delete", methods=["POST"])
@login_required
def remove(document_id: int):
    document, case = _visible(document_id)
    if not RemoveForm().validate():
        return _render_case(case.id, 400, alert=_("The form arrived incomplete or damaged, so nothing was done."))
    try:
        delete_document(document.id, _me())
    except NotFound:
        abort(404)
    except CaseError as error:
        return _render_case(case.id, error.status, alert=error.message)
    flash(_("Removed “%(document)s”.", document=catalog()[case.type].document_label(document.kind)), "success")
    return _back_to(case.id, document.kind)


@bp.route(f"/cases/<int(max={MAX_ID}):case_id>/documents.zip")
@login_required
def archive(case_id: int):
    """Send all of a case's documents as one ZIP (the office)."""
    try:
        return archive_response(*case_archive(case_id, _me()))
    except NotFound:
        abort(404)
