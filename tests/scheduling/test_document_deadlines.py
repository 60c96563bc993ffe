"""The applicant's document deadlines: a new file after a rejection, and the documents before the call closes.

Issue 4: "an applicant's deadline to supply missing documents"; issue 5: "a
rejection asks the applicant for a new upload (and ... sets a deadline for it)".
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caseflow.cases.operations import apply_transition, update_call
from caseflow.documents.operations import Upload, delete_document, review_document, upload_document
from caseflow.documents.samples import sample_pdf
from caseflow.extensions import db
from caseflow.models.deadlines import CaseDeadline
from caseflow.models.outbox import OutboxMessage
from caseflow.notify.delivery import deliver_due
from caseflow.scheduling.scan import scan
from caseflow.timeutil import utcnow


def open_deadlines(case_id: int) -> dict[str, CaseDeadline]:
    db.session.rollback()
    rows = db.session.scalars(select(CaseDeadline).where(CaseDeadline.case_id == case_id,
                                                         CaseDeadline.closed_at.is_(None))
                              .execution_options(populate_existing=True))
    return {row.name: row for row in rows}


def passport() -> Upload:
    return Upload("passport", "passport.pdf", sample_pdf("Passport"))


def test_a_rejection_gives_the_applicant_14_days_and_mails_the_reason_and_the_day(make_case, users, smtp):
    case = make_case("mobility", documents=False)
    document = upload_document(case.id, passport(), users["applicant"])
    before = utcnow()
    review_document(document.id, "rejected", "The photo page is cut off.", users["office"])
    deadline = open_deadlines(case.id)["replace_rejected_documents"]
    assert before + timedelta(days=13) < deadline.due_at < before + timedelta(days=16)
    deliver_due()
    (mail,) = [m for m in smtp.messages if "Please upload a new" in m["Subject"]]
    assert mail["To"] == users["applicant"].email
    body = mail.get_body(("plain",)).get_content()
    assert "The photo page is cut off." in body and "Please upload a new file by" in body


def test_the_new_upload_closes_the_rejection_deadline_so_no_reminder_goes_out(make_case, users):
    case = make_case("mobility", documents=False)
    document = upload_document(case.id, passport(), users["applicant"])
    review_document(document.id, "rejected", "Unreadable.", users["office"])
    due = open_deadlines(case.id)["replace_rejected_documents"].due_at
    upload_document(case.id, passport(), users["applicant"])
    assert "replace_rejected_documents" not in open_deadlines(case.id)
    report = scan(due + timedelta(days=1))
    assert (report.reminders, report.escalations) == (0, 0)


def test_an_ignored_rejection_is_reminded_then_escalated_to_the_office(app, make_case, users):
    app.config["CASEFLOW_ESCALATION_TO"] = "head@example.org"
    case = make_case("mobility", documents=False)
    document = upload_document(case.id, passport(), users["applicant"])
    review_document(document.id, "rejected", "Unreadable.", users["office"])
    due = open_deadlines(case.id)["replace_rejected_documents"].due_at
    assert scan(due - timedelta(days=3)).reminders == 1  # 7 days before
    assert scan(due + timedelta(minutes=1)).escalations == 1
    recipients = set(db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.case_id == case.id)))
    assert {"head@example.org", users["applicant"].email} <= recipients


def test_a_second_rejection_keeps_the_first_deadline(make_case, users):
    case = make_case("admission", documents=False)
    first = upload_document(case.id, Upload("passport", "p.pdf", sample_pdf("P")), users["applicant"])
    second = upload_document(case.id, Upload("transcript", "t.pdf", sample_pdf("T")), users["applicant"])
    review_document(first.id, "rejected", "Expired passport.", users["office"])
    due = open_deadlines(case.id)["replace_rejected_documents"].due_at
    review_document(second.id, "rejected", "Not stamped.", users["office"])
    assert open_deadlines(case.id)["replace_rejected_documents"].due_at == due
    upload_document(case.id, Upload("passport", "p.pdf", sample_pdf("P2")), users["applicant"])
    assert "replace_rejected_documents" in open_deadlines(case.id)  # the transcript is still rejected
    delete_document(second.id, users["applicant"])
    assert "replace_rejected_documents" not in open_deadlines(case.id)


def test_applicants_missing_documents_are_reminded_before_the_call_closes(make_case, make_call, users):
    call = make_call("mobility")
    incomplete = make_case("mobility", call=call, documents=False)
    complete = make_case("mobility", call=call, applicant=users["other_applicant"])
    deadline = open_deadlines(incomplete.id)["documents_before_call_closes"]
    assert deadline.due_at == call.deadline_at
    assert "documents_before_call_closes" not in open_deadlines(complete.id)
    report = scan(call.deadline_at - timedelta(days=6))
    assert report.reminders == 1
    subjects = list(db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.case_id == incomplete.id)))
    assert any("Upload your documents before the call closes" in s for s in subjects)


def test_leaving_the_stage_closes_the_call_deadline(make_case, make_call, users):
    case = make_case("mobility", documents=False)
    assert "documents_before_call_closes" in open_deadlines(case.id)
    apply_transition(case.id, "withdraw", users["applicant"], case.version)
    assert open_deadlines(case.id) == {}


def _move_call(call, deadline_at):
    partners = [{"id": p.id, "name": p.name, "country": p.country, "seats": p.seats} for p in call.partners]
    return update_call(call.id, call.name, deadline_at, partners, call.seats, call.description,
                       variant=call.variant)


def test_extending_the_call_moves_the_reminders_to_the_new_closing_day(make_case, make_call, users):
    call = make_call("mobility")
    case = make_case("mobility", call=call, documents=False)
    first = open_deadlines(case.id)["documents_before_call_closes"]
    assert scan(first.due_at - timedelta(days=6)).reminders == 1  # the 7-day reminder of the old day
    later = call.deadline_at + timedelta(days=21)
    _move_call(call, later)
    moved = open_deadlines(case.id)["documents_before_call_closes"]
    assert (moved.due_at, moved.reminders_sent) == (later, 0)
    assert scan(later - timedelta(days=6)).reminders == 1  # reminded again before the new day


def test_closing_the_call_early_closes_the_reminder(make_case, make_call, users):
    call = make_call("mobility")
    case = make_case("mobility", call=call, documents=False)
    _move_call(call, utcnow())  # closes now (not before it was created)
    assert "documents_before_call_closes" not in open_deadlines(case.id)
