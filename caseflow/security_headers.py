"""The security headers of every response, the pages' and the API's alike, set in one ``after_request``.

A view that sends something other than a page (a document, the calendar
feed) may set its own ``Content-Security-Policy`` or ``Cache-Control``; the
hook keeps a header a view set and only fills in what is missing.  Our own
hook rather than Flask-Talisman: Talisman also redirects to HTTPS and sets
the session cookie's flags, which the TLS proxy in front and ``config`` do
already, and a second place for them would be a second truth.
"""

from __future__ import annotations

from flask import Flask, Response
from flask_login import current_user

# The pages load one style sheet and nothing else: no script at all, and no inline style (the templates
# have no <script>, <style>, style= or on...= attribute; tests/web/test_web_markup.py keeps it so).
PAGE_POLICY = "; ".join((
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    # A form injected into a page cannot send what a person types to another site.
    "form-action 'self'",
    # No other site may show our pages in a frame (clickjacking).
    "frame-ancestors 'none'",
    # An injected <base> cannot send the page's relative links elsewhere.
    "base-uri 'none'",
))

HEADERS = {
    "Content-Security-Policy": PAGE_POLICY,
    # Browsers older than frame-ancestors know only this.
    "X-Frame-Options": "DENY",
    # An address names a case (/cases/12): other sites learn nothing of it.  Not ``no-referrer``: over
    # HTTPS Flask-WTF refuses a form whose request carries no Referer of our own.
    "Referrer-Policy": "same-origin",
    # Every response says its type; a browser must not guess another one (a text run as a script).
    "X-Content-Type-Options": "nosniff",
}

# Production is served over HTTPS only, so a browser that has seen it once never tries plain HTTP for a
# year.  Sent whatever the request's scheme: behind the TLS proxy a request may look like HTTP.  Not in
# development, where http://127.0.0.1 must keep working.
HSTS = "max-age=31536000; includeSubDomains"

# Kept by no shared cache and by the browser only while shown (the back button after logging out asks
# the server again, which answers the login page).
NO_STORE = "private, no-store"


def private(response: Response) -> Response:
    """Keep an anonymous page out of every cache: one a mailed link opens (its address is the secret)."""
    response.headers["Cache-Control"] = NO_STORE
    return response


def _personal() -> bool:
    """Tell whether the response is for someone signed in (a session or an API token): then it is personal.

    Anonymous pages (the start page, the public calls, the login form) and
    Flask's static files, which set their own caching, may be kept.
    """
    return current_user.is_authenticated


def init_app(app: Flask) -> None:
    production = app.config["CASEFLOW_ENV"] == "production"

    @app.after_request
    def secure(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if production:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        # Last, since it may read the user: the headers above are set even if that fails.
        if "Cache-Control" not in response.headers and _personal():
            response.headers["Cache-Control"] = NO_STORE
        return response
