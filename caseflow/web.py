"""Blueprints, error pages and template helpers shared by every page."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, jsonify, render_template, request
from flask_babel import format_date, format_datetime, get_timezone
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from caseflow.accounts import permissions
from caseflow.accounts.views import bp as accounts_bp
from caseflow.api import bp as api_bp
from caseflow.cases import ranking_views  # noqa: F401  (its routes join the cases blueprint)
from caseflow.cases.errors import CaseError
from caseflow.cases.views import bp as cases_bp
from caseflow.catalog import catalog
from caseflow.documents.views import bp as documents_bp
from caseflow.extensions import csrf
from caseflow.i18n import _
from caseflow.notify.views import bp as notify_bp
from caseflow.scheduling.views import bp as calendar_bp


def _as_datetime(moment: datetime | str | None) -> datetime | None:
    """Read a naive-UTC datetime, or the ISO text an e-mail's stored context holds."""
    return datetime.fromisoformat(moment) if isinstance(moment, str) else moment


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    app.register_blueprint(accounts_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(notify_bp)
    app.register_blueprint(calendar_bp)
    # The API authenticates with bearer tokens or the session and accepts only
    # JSON bodies, which a cross-site form cannot send: no CSRF token there.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = _("The form expired or was sent from elsewhere. Go back, reload the page and send it again.")
        return render_template("error.html", status=400, message=message), 400

    @app.errorhandler(CaseError)
    def case_error(error: CaseError):
        if _wants_json():
            return jsonify(error=error.message, errors=error.errors), error.status
        return render_template("error.html", status=error.status, message=error.message), error.status

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        messages = {
            400: _("The request could not be understood."),
            401: _("Please log in."),
            403: _("You may not do this."),
            404: _("This page does not exist, or you may not see it."),
            405: _("This address does not accept this method."),
            413: _("What you sent is too large: a document may be at most %(max)d MB. Scan it at a lower "
                   "resolution or save it smaller, and send it again.",
                   max=app.config["CASEFLOW_MAX_UPLOAD_MB"]),
        }
        message = messages.get(error.code, error.description)
        if _wants_json():
            return jsonify(error=message), error.code
        return render_template("error.html", status=error.code, message=message), error.code

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unexpected error")
        message = _("Something went wrong on our side. The office has been told; please try again later.")
        if _wants_json():
            return jsonify(error=message), 500
        return render_template("error.html", status=500, message=message), 500

    @app.template_filter("office_time")
    def office_time(moment, style: str = "medium"):
        """Show a naive-UTC datetime (or its ISO text, as e-mails keep it) in the office's time zone."""
        moment = _as_datetime(moment)
        return "" if moment is None else format_datetime(moment.replace(tzinfo=UTC), style)

    @app.template_filter("office_day")
    def office_day(moment):
        """Show the office-local day of a naive-UTC datetime (a deadline runs to the end of its day)."""
        moment = _as_datetime(moment)
        return "" if moment is None else format_date(moment.replace(tzinfo=UTC).astimezone(get_timezone()), "full")

    @app.context_processor
    def template_globals():
        return {"catalog": catalog(), "permissions": permissions}
