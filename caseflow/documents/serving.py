"""Send a document's bytes to a browser or an API client, the same way for the pages and the API.

The media type is the one detected from the content at upload, never what
the uploader's browser claimed; the file name is made from the case's
reference and the checklist kind, never the uploader's name for it.
"""

from __future__ import annotations

import re
from typing import IO

from flask import Response, send_file

from caseflow.documents.inspection import EXTENSIONS, MEDIA_TYPES
from caseflow.models.cases import Case
from caseflow.models.documents import Document
from caseflow.security_headers import NO_STORE

# Kinds and references are ours, but a header is no place to find out otherwise.
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

# Either policy replaces the pages' one (caseflow.security_headers keeps a header a view set).  ``sandbox``
# makes the document an opaque origin that may run no script, submit no form and open no window, so even
# a file crafted to look like a page can neither act nor read anything of ours.
# An image is shown by the browser's own image page, which needs no script, style sheet or frame.
IMAGE_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
# A PDF is drawn by the browser's viewer (Chromium's as an embedded plugin: object-src 'self').  Both
# Chromium's (156; tests/e2e/test_documents_in_browser.py counts its pages) and Firefox's (153 ESR, seen
# by hand) draw a sandboxed PDF; Firefox's greys out its form filling and drawing tools.
PDF_POLICY = ("sandbox; default-src 'none'; object-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
              "form-action 'none'")


def download_name(document: Document, case: Case) -> str:
    """Return the file name a document is sent under, e.g. ``MOB-2026-00012-passport.pdf``."""
    stem = _UNSAFE.sub("_", f"{case.reference}-{document.kind}")
    return f"{stem}.{EXTENSIONS[document.file_type]}"


def document_response(document: Document, case: Case, content: bytes, download: bool) -> Response:
    """Return a response carrying ``content``: to save (``download``) or to show in the browser."""
    disposition = "attachment" if download else "inline"
    return Response(content, mimetype=MEDIA_TYPES[document.file_type], headers={
        "Content-Disposition": f'{disposition}; filename="{download_name(document, case)}"',
        # Personal whoever asks; the type was checked at upload, and nosniff (on every response) keeps it.
        "Cache-Control": NO_STORE,
        "Content-Security-Policy": PDF_POLICY if document.file_type == "pdf" else IMAGE_POLICY,
        "Cross-Origin-Resource-Policy": "same-origin",
    })


def archive_response(name: str, file: IO[bytes]) -> Response:
    """Return a response streaming a case's ZIP (from ``archive.case_archive``); it closes ``file`` when sent."""
    response = send_file(file, mimetype="application/zip", as_attachment=True, download_name=name,
                         conditional=False, etag=False, max_age=None)
    response.headers["Cache-Control"] = NO_STORE  # send_file's own would let the browser keep it
    return response
