"""The JSON API, version 1, mounted at ``/api/v1``: its URL table (``urls``) serves the requests and writes
the OpenAPI document (``openapi``)."""

from __future__ import annotations

from flask import Blueprint, Flask, Response

from caseflow.api.contract import JSON, adapter, handler
from caseflow.api.openapi import ENDPOINTS
from caseflow.api.schemas.base import Error
from caseflow.api.urls import ENDPOINTS as TABLE
from caseflow.bodies import takes_upload
from caseflow.errors import JSON_ERRORS
from caseflow.extensions import csrf

PREFIX = "/api/v1"


def error_response(status: int, message: str, errors: dict, headers: dict) -> Response:
    """Answer a refusal in the API's one error shape."""
    body = adapter(Error).dump_json(Error(error=str(message), errors=errors))
    return Response(body, status=status, headers=headers, mimetype=JSON)


def init_app(app: Flask) -> None:
    bp = Blueprint("api", __name__)
    for endpoint in TABLE:
        view = takes_upload(handler(endpoint)) if endpoint.multipart else handler(endpoint)
        bp.add_url_rule(endpoint.rule, endpoint.name, view, methods=[endpoint.method])
    # The API authenticates with bearer tokens or the session and reads JSON bodies, which a cross-site
    # form cannot send; the one multipart body (an upload) checks the CSRF token of a session itself.
    csrf.exempt(bp)
    app.register_blueprint(bp, url_prefix=PREFIX)
    app.extensions[ENDPOINTS] = TABLE
    app.extensions[JSON_ERRORS] = (PREFIX + "/", error_response)
