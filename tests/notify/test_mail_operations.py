"""Operating the mail: the admin page, retrying a failed message, the CLI, the catcher, the scheduler."""

from __future__ import annotations

from sqlalchemy import select

from caseflow.extensions import db
from caseflow.models.outbox import OutboxMessage
from tests.notify.smtp_server import free_port
from tests.web.web_helpers import csrf_from, text


def failed_message(make_case, make_user, smtp):
    from caseflow.notify.delivery import deliver_due

    make_case(applicant=make_user(email="gone@example.org"))
    smtp.recorder.refuse.add("gone@example.org")
    deliver_due()
    db.session.rollback()
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "gone@example.org"))


def test_an_admin_sees_a_failed_message_and_queues_it_again(login, users, make_case, make_user, smtp):
    from caseflow.notify.delivery import deliver_due

    message = failed_message(make_case, make_user, smtp)
    admin = login(users["admin"])
    page = text(admin.get("/admin/mail"))
    assert "gone@example.org" in page and "550 5.1.1 No such mailbox" in page and "Failed for good 1" in page
    form = admin.get("/admin/mail").get_data(as_text=True)
    token = csrf_from(form)
    response = admin.post(f"/admin/mail/{message.id}/retry", data={"csrf_token": token})
    assert response.status_code == 303
    smtp.recorder.refuse.clear()
    assert deliver_due().sent == 1
    assert [m["To"] for m in smtp.messages] == ["gone@example.org"]


def test_retrying_a_message_that_did_not_fail_changes_nothing(login, users, make_case, smtp):
    make_case()
    db.session.rollback()
    message = db.session.scalar(select(OutboxMessage))
    admin = login(users["admin"])
    form = admin.get("/admin/mail").get_data(as_text=True)
    token = csrf_from(form)
    response = admin.post(f"/admin/mail/{message.id}/retry", data={"csrf_token": token}, follow_redirects=True)
    assert "That message is not (or no longer) a failed one" in text(response)


def test_only_admins_see_the_outbox(login, users):
    assert login(users["office"]).get("/admin/mail").status_code == 403
    assert login(users["applicant"]).post("/admin/mail/1/retry").status_code in (400, 403)


def test_deliver_mail_command_reports_what_it_did(runner, make_case, smtp):
    make_case()
    result = runner.invoke(args=["deliver-mail"])
    assert result.exit_code == 0, result.output
    assert "Outbox: 1 sent, 0 to retry, 0 failed." in result.output
    assert "Waiting: 0; failed for good: 0." in result.output


def test_the_development_catcher_keeps_mail_for_the_admin_page(app, login, users, make_case, tmp_path):
    from caseflow.notify import catcher
    from caseflow.notify.delivery import deliver_due

    port = free_port()
    folder = tmp_path / "instance" / "caught-mail"
    app.instance_path = str(tmp_path / "instance")
    controller = catcher.start(folder, "127.0.0.1", port)
    app.config.update(CASEFLOW_MAIL_SERVER="127.0.0.1", CASEFLOW_MAIL_PORT=port)
    try:
        case = make_case()
        assert deliver_due().sent == 1
    finally:
        controller.stop()
    page = text(login(users["admin"]).get("/admin/mail"))
    assert "Caught by the development mail catcher" in page and f"[{case.reference}] Submitted" in page


def test_the_scheduler_runs_the_outbox_late_rather_than_never(app, make_case, smtp):
    from apscheduler.schedulers.background import BackgroundScheduler

    from caseflow.scheduling.runner import build_scheduler

    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"deliver_outbox", "scan_deadlines", "send_digests"}
        job = jobs["deliver_outbox"]
        assert all((j.coalesce, j.misfire_grace_time, j.max_instances) == (True, 3600, 1) for j in jobs.values())
    finally:
        scheduler.shutdown(wait=False)
    make_case()
    job.func()
    assert len(smtp.messages) == 1
