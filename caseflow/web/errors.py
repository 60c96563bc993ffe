"""Error pages: every refusal and every HTTP error as a page with a message a person can act on.

Requests under the API's prefix are answered by the API's own renderer
(registered in ``app.extensions[JSON_ERRORS]``) in its JSON error shape.
"""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from caseflow.bodies import too_large
from caseflow.errors import CaseError, api_refusal, http_message
from caseflow.i18n import _


def _respond(status: int, message: str, errors: dict | None = None, headers: dict | None = None):
    answer = api_refusal(status, message, errors, headers)
    if answer is not None:
        return answer
    return render_template("error.html", status=status, message=message), status, headers or {}


def _headers(error: HTTPException) -> dict:
    # E.g. the Allow of a 405; the body is ours, so not its content type.
    return {name: value for name, value in error.get_headers() if name.lower() != "content-type"}


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _respond(400, _("The form expired or was sent from elsewhere. Go back, reload the page and send "
                               "it again."))

    @app.errorhandler(CaseError)
    def case_error(error: CaseError):
        return _respond(error.status, error.message, error.errors)

    @app.errorhandler(RequestEntityTooLarge)
    def request_too_large(error: RequestEntityTooLarge):
        return _respond(413, too_large())

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _respond(error.code, http_message(error), headers=_headers(error))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unexpected error")
        return _respond(500, _("Something went wrong on our side. The office has been told; please try again "
                               "later."))
