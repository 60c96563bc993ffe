"""Every state change that concerns the applicant e-mails them, through the outbox, exactly once.

Seed (Erasmus+): "All students who apply to participate in the selection will
be informed about the results by e-mail."
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseflow.cases.operations import apply_transition
from caseflow.catalog import catalog
from caseflow.errors import Invalid
from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.outbox import OutboxMessage
from caseflow.notify.delivery import deliver_due


def outbox(case_id: int | None = None) -> list[OutboxMessage]:
    db.session.rollback()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if case_id is not None:
        query = query.where(OutboxMessage.case_id == case_id)
    return list(db.session.scalars(query))


def test_a_submitted_application_is_confirmed_by_mail(make_case, users, smtp):
    case = make_case()
    report = deliver_due()
    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    (mail,) = smtp.messages
    assert mail["To"] == users["applicant"].email
    assert mail["Subject"] == f"[{case.reference}] Submitted"
    assert mail["Message-ID"] == outbox(case.id)[0].message_id
    parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in mail.walk()
             if not part.is_multipart()}
    assert "We have received your application." in parts["text/plain"] and f"/cases/{case.id}" in parts["text/plain"]
    assert f'href="http://127.0.0.1:5000/cases/{case.id}"' in parts["text/html"]


def test_each_decision_mails_the_applicant_with_the_comment(make_case, users, smtp):
    case = make_case(state="faculty_screening")
    apply_transition(case.id, "fail_screening", users["screener"], case.version, "Your GPA is below 4.5.")
    deliver_due()
    subjects = [m["Subject"] for m in smtp.messages]
    assert subjects == [f"[{case.reference}] {s}" for s in ("Submitted", "Faculty screening", "Not selected")]
    last = smtp.messages[-1].get_body(("plain",)).get_content()
    assert "Your faculty has not approved your application." in last and "Your GPA is below 4.5." in last
    assert "Fail faculty screening" not in last  # the screener's button is not what the applicant reads
    assert "from “Faculty screening” to “Not selected”" in last


def test_the_applicant_reads_what_happened_in_their_language_not_the_staff_button(make_case, users, smtp):
    """The trial's mail read "Your application MOB-…: Record: partner accepts."."""
    case = make_case(state="partner_nomination")
    db.session.get(User, users["applicant"].id).locale = "ru"
    db.session.commit()
    apply_transition(case.id, "partner_accepts", users["office"], case.version)
    deliver_due()
    body = smtp.messages[-1].get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert f"Ваша заявка {case.reference} (Академическая мобильность студентов Erasmus+):\n" \
           "Университет-партнёр принял вас.\n" in body
    assert "Отметить" not in body and "Record" not in body


def test_a_refused_transition_queues_no_mail(make_case, users):
    case = make_case(state="faculty_screening")
    before = len(outbox())
    with pytest.raises(Invalid):
        apply_transition(case.id, "fail_screening", users["screener"], case.version, "")  # comment required
    assert len(outbox()) == before


def test_delivering_twice_sends_nothing_new(make_case, smtp):
    make_case()
    assert deliver_due().sent == 1
    assert deliver_due().sent == 0
    assert len(smtp.messages) == 1


def test_the_engine_s_moves_after_a_person_s_go_in_that_one_mail(make_call, make_case, make_user, smtp):
    # The trial: one click sent four mails in the same second. One change the applicant can see,
    # one mail, saying where the case ended up.
    event = make_call("conference_registration", seats=1)
    make_case("conference_registration", call=event, applicant=make_user())
    waiting = make_case("conference_registration", call=event, applicant=make_user())
    deliver_due()
    mails = [m for m in smtp.messages if m["To"] == db.session.get(User, waiting.applicant_id).email]
    assert [m["Subject"] for m in mails] == [f"[{waiting.reference}] On the waiting list"]


def test_accepting_an_admission_offer_sends_one_mail(make_case, users, smtp):
    from caseflow.cases.operations import apply_transition

    case = make_case("admission", state="offer")
    deliver_due()
    before = len(smtp.messages)
    moved = apply_transition(case.id, "accept_offer", users["applicant"], case.version)
    deliver_due()
    assert len(smtp.messages) == before + 1
    assert smtp.messages[-1]["Subject"] == f"[{case.reference}] {catalog()['admission'].state_label(moved.state)}"


def test_mail_waits_while_the_server_is_down_and_all_goes_once_it_is_back(app, make_case, make_user, smtp):
    smtp.stop()
    cases = [make_case(applicant=make_user()) for _ in range(3)]
    report = deliver_due()
    assert (report.sent, report.retried) == (0, 3)
    assert {m.status for m in outbox()} == {"pending"} and all(m.attempts == 1 for m in outbox())
    smtp.start()
    assert deliver_due().sent == 0  # not yet due again: the back-off holds
    from datetime import timedelta

    from caseflow.timeutil import utcnow

    report = deliver_due(utcnow() + timedelta(minutes=2))
    assert report.sent == 3
    assert sorted(m["Subject"] for m in smtp.messages) == sorted(f"[{c.reference}] Submitted" for c in cases)
    assert deliver_due(utcnow() + timedelta(days=1)).sent == 0


def test_a_refused_recipient_fails_that_message_only(app, make_case, make_user, smtp):
    refused = make_user(email="gone@example.org")
    make_case(applicant=refused)
    make_case(applicant=make_user(email="here@example.org"))
    smtp.recorder.refuse.add("gone@example.org")
    report = deliver_due()
    assert (report.sent, report.failed) == (1, 1)
    failed = [m for m in outbox() if m.recipient == "gone@example.org"][0]
    assert (failed.status, failed.last_error) == ("failed", "550 5.1.1 No such mailbox")
    assert [m["To"] for m in smtp.messages] == ["here@example.org"]


def test_an_address_no_mail_can_carry_fails_for_good_and_the_rest_of_the_batch_goes_out(app, make_case, make_user,
                                                                                        smtp):
    """The demo's "ayşe.expired@…" (a non-ASCII local part) made every round of delivery crash, so the 49
    other messages of its batch were never sent."""
    make_case(applicant=make_user(email="before@example.org"))
    make_case(applicant=make_user(email="ayşe@example.org"))
    make_case(applicant=make_user(email="after@example.org"))
    report = deliver_due()
    assert (report.sent, report.failed) == (2, 1)
    assert sorted(m["To"] for m in smtp.messages) == ["after@example.org", "before@example.org"]
    failed = [m for m in outbox() if m.recipient == "ayşe@example.org"][0]
    assert failed.status == "failed"
    assert failed.last_error.startswith("This address cannot be written in a mail")


def test_a_temporarily_refused_recipient_is_retried_with_the_same_message_id(app, make_case, make_user, smtp):
    from datetime import timedelta

    from caseflow.timeutil import utcnow

    user = make_user(email="busy@example.org")
    make_case(applicant=user)
    smtp.recorder.busy.add("busy@example.org")
    assert deliver_due().retried == 1
    smtp.recorder.busy.clear()
    assert deliver_due(utcnow() + timedelta(minutes=2)).sent == 1
    (message,) = outbox()
    assert (message.status, message.attempts, smtp.messages[0]["Message-ID"]) == ("sent", 2, message.message_id)


def test_a_server_that_never_answers_does_not_block_delivery(app, make_case):
    from tests.notify.smtp_server import SilentServer

    silent = SilentServer()
    app.config.update(CASEFLOW_MAIL_PORT=silent.port, CASEFLOW_MAIL_TIMEOUT_SECONDS=1)
    try:
        make_case()
        report = deliver_due()
    finally:
        silent.close()
    assert report.retried == 1 and report.errors == [f"{outbox()[0].recipient}: the mail server did not answer in time"]


def test_two_delivery_runs_at_once_send_each_message_once(app, make_case, make_user, smtp):
    from tests.cases.test_concurrency import run_at_once

    for _ in range(12):
        make_case(applicant=make_user())
    app.config["CASEFLOW_MAIL_BATCH_SIZE"] = 3
    reports = run_at_once(app, [deliver_due, deliver_due])
    assert sum(r.sent for r in reports) == 12
    assert len(smtp.messages) == 12 and len({m["Message-ID"] for m in smtp.messages}) == 12
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.status == "sent")) == 12
