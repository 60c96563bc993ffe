"""Error pages: every refusal and every HTTP error as a page with a message a person can act on.

Requests under the API's prefix are answered by the API's own renderer
(registered in ``app.extensions[JSON_ERRORS]``) in its JSON error shape.
"""

from __future__ import annotations

from flask import Flask, g, render_template, request, url_for
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from caseflow.bodies import too_large
from caseflow.database import release
from caseflow.errors import CaseError, api_refusal, http_message
from caseflow.extensions import login_manager
from caseflow.i18n import _
from caseflow.web import throttle


def _respond(status: int, message: str, errors: dict | None = None, headers: dict | None = None):
    answer = api_refusal(status, message, errors, headers)
    if answer is not None:
        return answer
    # A refusal of something done on a case (an upload too large) leads back to that case.
    case_id = (request.view_args or {}).get("case_id") if request else None
    back = url_for("cases.case_page", case_id=case_id) if case_id and status != 404 else None
    return render_template("error.html", status=status, message=message, back=back), status, headers or {}


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
        headers = _headers(error)
        retry = throttle.retry_after() if isinstance(error, RateLimitExceeded) else None
        if retry:
            headers["Retry-After"] = retry
        return _respond(error.code, http_message(error), headers=headers)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error: DBAPIError):
        """The database went away or is too busy (a restart, a killed connection, a lock held too long).

        Whatever the request began was rolled back, so trying again is safe;
        a form or a client's Idempotency-Key makes even a retry after a lost
        answer safe (``cases.replay``).
        """
        if isinstance(error, InterfaceError) and not error.connection_invalidated:
            return unexpected(error)
        app.logger.warning("database unavailable: %s", error.orig)
        release()  # what the request began is rolled back; a dead connection is dropped
        # Answer without the database: as nobody (Flask-Login's per-request cache of the user), so that
        # choosing the page's language does not load an account again.
        g._login_user = login_manager.anonymous_user()
        return _respond(503, _("The database could not be reached for a moment, so nothing was done. Try "
                               "again in a few seconds."), headers={"Retry-After": "2"})

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unexpected error")
        return _respond(500, _("Something went wrong on our side. The office has been told; please try again "
                               "later."))
