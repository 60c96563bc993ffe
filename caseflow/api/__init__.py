"""The JSON API, version 1, mounted at ``/api/v1`` (its contract is described by openapi.py)."""

from __future__ import annotations

from flask import Flask, jsonify

from caseflow.api import documents, exports, ranking, views  # noqa: F401  (their routes join ``bp``)
from caseflow.api.blueprint import bp
from caseflow.errors import JSON_ERRORS
from caseflow.extensions import csrf

PREFIX = "/api/v1"


def _error_response(status: int, message: str, errors: dict, headers: dict):
    return jsonify(error=message, errors=errors), status, headers


def init_app(app: Flask) -> None:
    # The API authenticates with bearer tokens or the session and accepts only
    # JSON bodies, which a cross-site form cannot send: no CSRF token there.
    csrf.exempt(bp)
    app.register_blueprint(bp, url_prefix=PREFIX)
    app.extensions[JSON_ERRORS] = (PREFIX + "/", _error_response)
