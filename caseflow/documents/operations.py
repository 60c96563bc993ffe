"""The only code that adds, reviews, shows and removes documents; each change is one write transaction
that also writes the case's history line.

The case row is locked first, as a transition locks it: the checklist guard
reads the documents inside a transition, so an upload, a review or a deletion
and a transition of the same case happen one after the other, never across.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow import history, limits
from caseflow.accounts.permissions import can_review_documents, can_upload_documents, can_view, owns
from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.documents.checklist import status_label
from caseflow.documents.inspection import Refused, check_upload
from caseflow.documents.storage import Damaged, new_key, sha256, storage
from caseflow.errors import CaseError, Conflict, Forbidden, Invalid, NotFound
from caseflow.extensions import db
from caseflow.fields.text import text_refusal
from caseflow.i18n import _
from caseflow.models.accounts import User
from caseflow.models.cases import Case, CaseEvent
from caseflow.models.documents import ACCEPTED, REJECTED, UPLOADED, Document
from caseflow.notify import outbox
from caseflow.scheduling import deadlines
from caseflow.timeutil import utcnow

# A member of staff who opens the same document again within this time adds no new history line
# (a browser's PDF viewer may fetch a file several times).
VIEW_LOG_WINDOW = timedelta(minutes=30)


class StorageDamaged(CaseError):
    """A stored file is missing or no longer matches its checksum: the server's fault, not the caller's."""

    status = 500


def _no_document() -> NotFound:
    return NotFound(_("No such document."))


@dataclass(frozen=True)
class Upload:
    kind: str
    file_name: str | None
    content: bytes


def upload_document(case_id: int, upload: Upload, actor: User) -> Document:
    """Store a checked file as the case's document of ``upload.kind``, replacing one not yet accepted.

    Refused (422) with the reason and nothing stored: a kind not on the case's
    checklist, a file that fails the content checks.  Refused: another
    person's case (404), a role that may not upload (403), a closed case or an
    accepted document (409).
    """
    case = db.session.get(Case, case_id)
    if case is None or not can_view(actor, case):
        raise NotFound()
    workflow = catalog()[case.type]
    spec = next((d for d in workflow.documents_for(case.data or {}) if d.kind == upload.kind), None)
    if spec is None:
        message = _("Choose one of the documents this application asks for.")
        raise Invalid(message, {"kind": [message]})
    if not can_upload_documents(actor, case):
        raise Forbidden(_("Only the applicant and the international office upload documents."))
    try:
        checked = check_upload(upload.file_name, upload.content, spec.accept,
                               current_app.config["CASEFLOW_MAX_UPLOAD_MB"] * 1024 * 1024)
    except Refused as refused:
        raise Invalid(refused.message, {"file": [refused.message]}) from None
    files = storage()
    key = new_key()
    files.before(key, checked.content)
    actor_id = actor.id
    try:
        with write_transaction() as session:
            case = _lock_open_case(session, case_id, actor)
            document = session.scalar(select(Document).where(Document.case_id == case_id, Document.kind == spec.kind)
                                      .with_for_update(key_share=True))
            if document is not None and document.status == ACCEPTED:
                raise Conflict(_("“%(document)s” was accepted already; it can no longer be replaced.",
                                 document=spec.label))
            replaced = document.storage_key if document is not None else None
            now = utcnow()
            if document is None:
                document = Document(case_id=case_id, kind=spec.kind)
                session.add(document)
            document.status, document.reason = UPLOADED, ""
            document.file_name, document.file_type = checked.file_name, checked.file_type
            document.size, document.sha256, document.storage_key = len(checked.content), sha256(checked.content), key
            document.uploaded_by, document.uploaded_at = actor_id, now
            document.reviewed_by = document.reviewed_at = None
            files.within(session, key, checked.content)
            if replaced is not None:
                files.remove_within(session, replaced)
            session.flush()
            history_line(session, case, actor_id, history.DOCUMENT_REPLACED if replaced else history.DOCUMENT_UPLOADED,
                         now, document, file=checked.file_name, size=document.size, sha256=document.sha256)
            deadlines.documents_changed(session, workflow, case, now)
    except BaseException:
        files.remove_after(key)
        raise
    if replaced is not None:
        files.remove_after(replaced)
    return document


def review_document(document_id: int, decision: str, reason: str, actor: User) -> Document:
    """Accept a document, or reject it with the reason the applicant reads (and is e-mailed).

    Refused: no reason for a rejection (422), a document already so decided or
    rejected and not replaced yet, a closed case (409), a role that does not
    review documents (403).
    """
    reason = (reason or "").strip()
    if decision not in (ACCEPTED, REJECTED):
        message = _("Accept or reject the document.")
        raise Invalid(message, {"status": [message]})
    if decision == REJECTED and not reason:
        message = _("Say why the document is rejected: the applicant reads it and uploads a new one.")
        raise Invalid(message, {"reason": [message]})
    refused = text_refusal(reason, limits.REASON)
    if refused:
        raise Invalid(refused, {"reason": [refused]})
    actor_id = actor.id
    with write_transaction() as session:
        document, case = _locked_document(session, document_id, actor)
        if not can_review_documents(actor, case):
            raise Forbidden(_("Only the international office accepts or rejects documents."))
        workflow = catalog()[case.type]
        label = workflow.document_label(document.kind)
        if document.status == decision:
            raise Conflict(_("“%(document)s” is %(status)s already.", document=label,
                             status=status_label(decision).lower()))
        if document.status == REJECTED:
            raise Conflict(_("“%(document)s” was rejected; it can be reviewed again once a new file is "
                             "uploaded.", document=label))
        now = utcnow()
        document.status, document.reason = decision, reason if decision == REJECTED else ""
        document.reviewed_by, document.reviewed_at = actor_id, now
        kind = history.DOCUMENT_REJECTED if decision == REJECTED else history.DOCUMENT_ACCEPTED
        event_id = history_line(session, case, actor_id, kind, now, document, comment=reason)
        if decision == REJECTED:
            due = deadlines.documents_changed(session, workflow, case, now)
            def compose():
                return _("[%(reference)s] Please upload a new “%(document)s”", reference=case.reference,
                         document=label), {
                    "reference": case.reference, "programme": workflow.label, "document": label, "reason": reason,
                    "link": outbox.case_link(case.id), "due_at": due.isoformat() if due else None}

            outbox.to_people(session, workflow, case, f"case-event:{event_id}", "document_rejected", now, compose)
    return document


def delete_document(document_id: int, actor: User) -> None:
    """Remove a document and its bytes; its history stays, with a line saying who removed it.

    The applicant may remove their own document until it is accepted; the
    office may remove any.  Refused on a closed case (409).
    """
    files = storage()
    with write_transaction() as session:
        document, case = _locked_document(session, document_id, actor)
        if not can_upload_documents(actor, case):
            raise Forbidden(_("Only the applicant and the international office remove documents."))
        workflow = catalog()[case.type]
        label = workflow.document_label(document.kind)
        if not can_review_documents(actor, case):
            if document.status == ACCEPTED:
                raise Conflict(_("“%(document)s” was accepted; only the international office can remove it now.",
                                 document=label))
            if not workflow.applicant_may_remove(workflow.document(document.kind), case.state):
                raise Conflict(_("“%(document)s” is required and its check is over; upload a new file to "
                                 "replace it instead.", document=label))
        key = document.storage_key
        history_line(session, case, actor.id, history.DOCUMENT_DELETED, utcnow(), document, file=document.file_name)
        files.remove_within(session, key)
        session.delete(document)
        session.flush()
        deadlines.documents_changed(session, workflow, case, utcnow())
    files.remove_after(key)


def visible_document(document_id: int, actor: User) -> tuple[Document, Case]:
    """Return a document and its case if ``actor`` may see the case (404 otherwise, like the case)."""
    document = db.session.get(Document, document_id)
    case = db.session.get(Case, document.case_id) if document is not None else None
    if case is None or not can_view(actor, case):
        raise _no_document()
    return document, case


def read_document(document: Document, case: Case, actor: User) -> bytes:
    """Return the document's bytes, checked against their SHA-256; a view by staff joins the history."""
    content = read_checked(document, case)
    if not owns(actor, case):
        _log_view(document.id, case.id, actor.id)
    return content


def read_checked(document: Document, case: Case) -> bytes:
    """Return the document's bytes, or raise StorageDamaged if they are gone or changed."""
    try:
        return storage().read(document.storage_key, document.sha256)
    except Damaged:
        current_app.logger.error("document %s of case %s: stored file missing or changed", document.id, case.id)
        raise StorageDamaged(_("The file of “%(document)s” is damaged in storage and cannot be shown. The "
                               "administrators have been told; ask the applicant to upload it again.",
                               document=catalog()[case.type].document_label(document.kind))) from None


def log_download(case: Case, documents: list[Document], actor: User) -> None:
    """Write the history line of an office download of all a case's documents at once."""
    with write_transaction() as session:
        now = utcnow()
        history.record(session, case.id, history.DOCUMENTS_DOWNLOADED, actor.id, now, to_state=case.state,
                       changes={"documents": [d.kind for d in documents]})


def _log_view(document_id: int, case_id: int, actor_id: int) -> None:
    now = utcnow()
    with write_transaction() as session:
        document = session.get(Document, document_id)
        case = session.get(Case, case_id)
        if document is None or case is None:
            return
        recent = session.scalars(
            select(CaseEvent.changes).where(CaseEvent.case_id == case_id, CaseEvent.actor_id == actor_id,
                                            CaseEvent.action == history.DOCUMENT_VIEWED.name,
                                            CaseEvent.at > now - VIEW_LOG_WINDOW)
        ).all()
        if any(changes.get("document_id") == document_id for changes in recent):
            return
        history_line(session, case, actor_id, history.DOCUMENT_VIEWED, now, document)


def _lock_open_case(session: Session, case_id: int, actor: User) -> Case:
    case = session.scalar(select(Case).where(Case.id == case_id).with_for_update(key_share=True)
                          .execution_options(populate_existing=True))
    if case is None or not can_view(actor, case):
        raise NotFound()
    workflow = catalog()[case.type]
    if workflow.state(case.state).terminal:
        raise Conflict(_("This case is closed (“%(state)s”); its documents can no longer change.",
                         state=workflow.state(case.state).label))
    return case


def _locked_document(session: Session, document_id: int, actor: User) -> tuple[Document, Case]:
    case_id = session.scalar(select(Document.case_id).where(Document.id == document_id))
    if case_id is None:
        raise _no_document()
    try:
        case = _lock_open_case(session, case_id, actor)
    except NotFound:
        raise _no_document() from None
    document = session.scalar(select(Document).where(Document.id == document_id).with_for_update(key_share=True)
                              .execution_options(populate_existing=True))
    if document is None:  # removed between the two reads
        raise _no_document()
    return document, case


def history_line(session: Session, case: Case, actor_id: int | None, kind: history.ActionKind, now: datetime,
                 document: Document, comment: str = "", **changes) -> int:
    """Append the case's history line about one of its documents and return its id."""
    return history.record(session, case.id, kind, actor_id, now, to_state=case.state, comment=comment,
                          changes={"document": document.kind, "document_id": document.id, **changes})
