"""Uploading, reviewing and removing documents through the operations, and the checklist guard."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from caseflow.cases.operations import apply_transition
from caseflow.cases.queries import case_history
from caseflow.documents.operations import Upload, delete_document, review_document, upload_document
from caseflow.documents.samples import sample_image, sample_pdf
from caseflow.documents.storage import storage
from caseflow.errors import Conflict, Forbidden, Invalid, NotFound
from caseflow.extensions import db
from caseflow.models.documents import Document


def passport(content: bytes | None = None, name: str = "passport.pdf") -> Upload:
    return Upload("passport", name, sample_pdf("Passport") if content is None else content)


def test_applicant_uploads_a_pdf_and_the_history_says_so(make_case, users):
    case = make_case("mobility", documents=False)
    document = upload_document(case.id, passport(), users["applicant"])
    assert (document.status, document.file_type, document.file_name) == ("uploaded", "pdf", "passport.pdf")
    assert storage().read(document.storage_key, document.sha256) == sample_pdf("Passport")
    assert case_history(case.id)[-1].action == "document.uploaded"


def test_case_cannot_leave_intake_while_the_passport_is_missing(make_case, users):
    case = make_case("mobility", documents=False)
    with pytest.raises(Invalid) as refused:
        apply_transition(case.id, "send_to_faculty", users["office"], case.version)
    assert "Copy of the passport" in refused.value.message
    assert db.session.get(type(case), case.id).state == "submitted"


def test_rejected_document_blocks_until_replaced(make_case, users):
    case = make_case("mobility", documents=False)
    document = upload_document(case.id, passport(), users["applicant"])
    review_document(document.id, "rejected", "The scan is unreadable.", users["office"])
    with pytest.raises(Invalid, match="rejected and not yet replaced: Copy of the passport"):
        apply_transition(case.id, "send_to_faculty", users["office"], case.version)
    replaced = upload_document(case.id, passport(sample_image("Passport", "jpeg"), "scan.jpg"), users["applicant"])
    assert (replaced.status, replaced.reason, replaced.file_type) == ("uploaded", "", "jpeg")
    moved = apply_transition(case.id, "send_to_faculty", users["office"], case.version)
    assert moved.state == "faculty_screening"


def test_an_incomplete_case_can_still_be_turned_down(make_case, users):
    case = make_case("mobility", documents=False)
    moved = apply_transition(case.id, "withdraw", users["applicant"], case.version)
    assert moved.state == "withdrawn"


def test_rejection_needs_a_reason_and_changes_nothing_without_one(make_case, users):
    case = make_case("mobility", documents=False)
    document = upload_document(case.id, passport(), users["applicant"])
    with pytest.raises(Invalid, match="Say why"):
        review_document(document.id, "rejected", "  ", users["office"])
    assert db.session.get(Document, document.id).status == "uploaded"


def test_accepted_document_cannot_be_replaced_or_removed_by_the_applicant(make_case, users):
    case = make_case("mobility", documents=False)
    document = upload_document(case.id, passport(), users["applicant"])
    review_document(document.id, "accepted", "", users["office"])
    with pytest.raises(Conflict, match="accepted already"):
        upload_document(case.id, passport(), users["applicant"])
    with pytest.raises(Conflict):
        delete_document(document.id, users["applicant"])


def test_applicant_may_not_review_and_others_do_not_see_it(make_case, users):
    case = make_case("mobility", documents=False)
    document = upload_document(case.id, passport(), users["applicant"])
    with pytest.raises(Forbidden):
        review_document(document.id, "accepted", "", users["applicant"])
    for outsider in ("other_applicant", "other_screener"):
        with pytest.raises(NotFound):
            review_document(document.id, "accepted", "", users[outsider])
        with pytest.raises(NotFound):
            upload_document(case.id, passport(), users[outsider])


def test_deleting_removes_the_bytes_and_keeps_the_history(make_case, users):
    case = make_case("mobility", documents=False)
    document = upload_document(case.id, passport(), users["applicant"])
    key, digest = document.storage_key, document.sha256
    delete_document(document.id, users["applicant"])
    assert db.session.scalar(select(Document).where(Document.case_id == case.id)) is None
    assert storage().load(key) is None
    actions = [e.action for e in case_history(case.id)]
    assert actions[-2:] == ["document.uploaded", "document.deleted"]
    assert digest


def test_applicant_cannot_remove_a_required_document_once_its_stage_is_over(make_case, users):
    case = make_case("mobility", state="faculty_screening")
    document = db.session.scalar(select(Document).where(Document.case_id == case.id, Document.kind == "passport"))
    with pytest.raises(Conflict, match="replace it instead"):
        delete_document(document.id, users["applicant"])
    replaced = upload_document(case.id, passport(), users["applicant"])  # replacing stays possible
    assert replaced.status == "uploaded"
    delete_document(document.id, users["office"])  # the office may
