"""All of a case's documents as one ZIP, for the office."""

from __future__ import annotations

import tempfile
import zipfile
from typing import IO

from sqlalchemy import select

from caseflow.accounts.permissions import can_export, can_view
from caseflow.documents.inspection import EXTENSIONS
from caseflow.documents.operations import log_download, read_checked
from caseflow.errors import Conflict, Forbidden, NotFound
from caseflow.extensions import db
from caseflow.i18n import _
from caseflow.models.accounts import User
from caseflow.models.cases import Case
from caseflow.models.documents import Document

# Kept in memory up to this size, then in a temporary file: a case's documents may reach 100 MB.
SPOOL_BYTES = 16 * 1024 * 1024


def case_archive(case_id: int, actor: User) -> tuple[str, IO[bytes]]:
    """Return (download name, file positioned at its start) of the ZIP of the case's documents.

    Entry names are the checklist's kinds and the reference, never the
    uploaders' file names.  Refused: an invisible case (404), anyone but the
    office (403), a case without documents yet (409).
    """
    case = db.session.get(Case, case_id)
    if case is None or not can_view(actor, case):
        raise NotFound()
    if not can_export(actor):
        raise Forbidden(_("Only the international office downloads all documents of a case at once."))
    documents = db.session.scalars(select(Document).where(Document.case_id == case_id).order_by(Document.kind)).all()
    if not documents:
        raise Conflict(_("This case has no documents yet."))
    # Returned open: the response streams it and closes it.
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for document in documents:
                archive.writestr(f"{case.reference}-{document.kind}.{EXTENSIONS[document.file_type]}",
                                 read_checked(document, case))
    except BaseException:
        out.close()
        raise
    log_download(case, list(documents), actor)
    out.seek(0)
    return f"{case.reference}-documents.zip", out
