"""How much one request may carry, and what a request told 413 reads.

The app reads a body up to ``MAX_CONTENT_LENGTH``: the upload limit and 1 MB
more, for the form around a document.  Only the views marked ``takes_upload``
need so much; any other request, a page's form or the API's JSON, is bounded
to ``limits.REQUEST_BYTES`` before anything reads it, and so is each text of
a multipart body (Flask's default for those is 500 KB).  A 413 then names the
limit the request went past: a document's, or a form's or body's.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request

from caseflow import limits
from caseflow.errors import is_api_request
from caseflow.formats import size
from caseflow.i18n import _

UPLOAD = "caseflow_takes_upload"  # the attribute that marks a view


def takes_upload(view: Callable) -> Callable:
    """Mark a view that reads a document from its body: its request may be as large as an upload."""
    setattr(view, UPLOAD, True)
    return view


def _takes_upload() -> bool:
    return getattr(current_app.view_functions.get(request.endpoint or ""), UPLOAD, False)


def bound_request() -> None:
    """Set the request's limits before anything reads its body (the CSRF check reads the form)."""
    request.max_form_memory_size = limits.REQUEST_BYTES
    if not _takes_upload():
        request.max_content_length = limits.REQUEST_BYTES


def too_large() -> str:
    """Say which limit a request answered 413 went past: a document's, or that of a form or a JSON body."""
    limit, sent = request.max_content_length, request.content_length
    if _takes_upload() and (sent is None or limit is None or sent > limit):
        return _("What you sent is too large: a document may be at most %(max)d MB. Scan it at a lower "
                 "resolution or save it smaller, and send it again.", max=current_app.config["CASEFLOW_MAX_UPLOAD_MB"])
    if is_api_request():
        return _("The request is too large: a body without a document may be at most %(max)s.",
                 max=size(limits.REQUEST_BYTES))
    return _("The form is too large: at most %(max)s of text can be sent at once. Shorten the longest text "
             "and send it again.", max=size(limits.REQUEST_BYTES))


def init_app(app: Flask) -> None:
    """Bound every request; call it before ``csrf.init_app``, whose check reads the form first."""
    app.before_request(bound_request)
