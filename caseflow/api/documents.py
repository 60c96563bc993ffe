"""A case's documents (``caseflow.documents``): upload, read, review, remove, download all.

    POST   /cases/<id>/documents         upload a file (multipart/form-data: kind, file)
    GET    /cases/<id>/documents.zip     every document of the case in one ZIP (office)
    GET    /documents/<id>               one document, as JSON
    GET    /documents/<id>/content       its bytes
    PUT    /documents/<id>/review        accept it, or reject it with a reason (office)
    DELETE /documents/<id>               remove it

A case's documents and checklist are listed by ``GET /cases/<id>``.

The upload is the API's one body that is not JSON, and a cross-site HTML form
*can* send multipart/form-data with the victim's session cookie.  So an
upload authenticated by the session must carry the page's CSRF token in the
``X-CSRFToken`` header; one authenticated by a bearer token needs none (a
cross-site form can set neither header).
"""

from __future__ import annotations

from flask import current_app, jsonify, request, session, url_for
from flask_login import login_required
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from caseflow.api import inputs, serializers
from caseflow.api.blueprint import bp
from caseflow.api.inputs import UnsupportedMediaType
from caseflow.api.views import _user
from caseflow.catalog import catalog
from caseflow.documents import operations
from caseflow.documents.archive import case_archive
from caseflow.documents.serving import archive_response, document_response
from caseflow.errors import CaseError, Invalid
from caseflow.i18n import _


class CsrfRefused(CaseError):
    """A session-authenticated upload without a valid CSRF token: perhaps a form on another site."""

    status = 403


@bp.post(f"/cases/<int(max={inputs.MAX_ID}):case_id>/documents")
@login_required
def upload_document(case_id: int):
    _check_csrf_of_session_caller()
    document = operations.upload_document(case_id, _upload(), _user())
    return _document_json(document.id), 201, {"Location": url_for("api.get_document_content", document_id=document.id)}


@bp.get(f"/cases/<int(max={inputs.MAX_ID}):case_id>/documents.zip")
@login_required
def get_case_archive(case_id: int):
    return archive_response(*case_archive(case_id, _user()))


@bp.get(f"/documents/<int(max={inputs.MAX_ID}):document_id>")
@login_required
def get_document(document_id: int):
    return _document_json(document_id)


@bp.get(f"/documents/<int(max={inputs.MAX_ID}):document_id>/content")
@login_required
def get_document_content(document_id: int):
    user = _user()
    document, case = operations.visible_document(document_id, user)
    return document_response(document, case, operations.read_document(document, case, user), download=True)


@bp.put(f"/documents/<int(max={inputs.MAX_ID}):document_id>/review")
@login_required
def review_document(document_id: int):
    body = inputs.json_object()
    decision, reason = body.get("status"), body.get("reason")
    errors = {}
    if not isinstance(decision, str):
        errors["status"] = [_("Accept or reject the document.")]
    if reason is not None and not isinstance(reason, str):
        errors["reason"] = [_("A reason is text.")]
    inputs.refuse(errors)
    operations.review_document(document_id, decision, reason or "", _user())
    return _document_json(document_id)


@bp.delete(f"/documents/<int(max={inputs.MAX_ID}):document_id>")
@login_required
def delete_document(document_id: int):
    operations.delete_document(document_id, _user())
    return "", 204


def _document_json(document_id: int):
    document, case = operations.visible_document(document_id, _user())
    return jsonify(serializers.document(document, catalog().get(case.type)))


def _check_csrf_of_session_caller() -> None:
    """Refuse (403) a session-authenticated request without a valid CSRF token in a header."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    # Flask-Login prefers the session's user to the token's: only a request without one was
    # authenticated by its bearer token.
    if "_user_id" not in session and request.headers.get("Authorization", "").startswith("Bearer "):
        return
    headers = current_app.config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
    token = next((request.headers[name] for name in headers if request.headers.get(name)), None)
    try:
        validate_csrf(token)
    except ValidationError:
        raise CsrfRefused(_("A signed-in browser must send the page's CSRF token in the X-CSRFToken header "
                            "with an upload (or the client must use a bearer token). Reload the page and try "
                            "again.")) from None


def _upload() -> operations.Upload:
    """Read the multipart body's ``kind`` and ``file``; refuse (422) what is missing."""
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(_("Send the document as multipart/form-data, with the fields “kind” and "
                                     "“file”."))
    kind, file = request.form.get("kind", "").strip(), request.files.get("file")
    errors = {}
    if not kind:
        errors["kind"] = [_("Say which document of the checklist this is (“kind”).")]
    # A file input left empty is sent as a part without a file name and without content.
    content = file.read() if file is not None else b""
    if file is None or (not file.filename and not content):
        errors["file"] = [_("Choose the file to upload (the field “file”).")]
    if len(errors) == 1:  # say it in the message itself, not only "see errors"
        (messages,) = errors.values()
        raise Invalid(messages[0], errors)
    inputs.refuse(errors)
    return operations.Upload(kind, file.filename, content)
