"""Uploads, reviews and transitions of one case at the same moment (threads; SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import func, select

from caseflow.cases.operations import apply_transition
from caseflow.documents.operations import Upload, delete_document, upload_document
from caseflow.documents.samples import sample_pdf
from caseflow.documents.storage import storage
from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.cases import Case
from caseflow.models.documents import Document, StoredFile
from tests.cases.test_concurrency import run_at_once


def stored_keys(app) -> set[str]:
    if app.config["CASEFLOW_STORAGE"] == "database":
        return set(db.session.scalars(select(StoredFile.key)))
    return {path.name for path in storage().root.glob("??/*")}


def test_eight_uploads_of_one_document_at_once_leave_one_document_and_one_file(app, make_case, users):
    case = make_case("mobility", documents=False)
    applicant_id = users["applicant"].id

    def upload(number):
        return lambda: upload_document(case.id, Upload("passport", f"scan-{number}.pdf", sample_pdf(f"Scan {number}")),
                                       db.session.get(User, applicant_id))

    results = run_at_once(app, [upload(n) for n in range(8)])
    assert all(isinstance(r, Document) for r in results), results
    db.session.rollback()
    (document,) = db.session.scalars(select(Document).where(Document.case_id == case.id)).all()
    assert stored_keys(app) == {document.storage_key}
    assert storage().read(document.storage_key, document.sha256)


def test_removing_the_passport_while_the_office_moves_the_case_never_leaves_a_case_past_intake_without_it(
        app, make_case, make_user, users):
    for _round in range(5):
        applicant = make_user("applicant")
        case = make_case("mobility", applicant=applicant, documents=False)
        document = upload_document(case.id, Upload("passport", "p.pdf", sample_pdf("P")), applicant)
        applicant_id, office_id, version = applicant.id, users["office"].id, case.version
        run_at_once(app, [
            lambda document_id=document.id, user_id=applicant_id: delete_document(
                document_id, db.session.get(User, user_id)),
            lambda case_id=case.id, user_id=office_id, seen=version: apply_transition(
                case_id, "send_to_faculty", db.session.get(User, user_id), seen),
        ])
        db.session.rollback()
        state = db.session.scalar(select(Case.state).where(Case.id == case.id))
        documents = db.session.scalar(select(func.count()).select_from(Document).where(Document.case_id == case.id))
        # Either the removal came first and the move was refused, or the case moved with its passport,
        # which its applicant can then no longer remove: never a case past intake without it.
        assert (state, documents) in {("submitted", 0), ("faculty_screening", 1)}
