"""Deadlines follow the case, reminders and escalations go out once, and never for a deadline already met.

Seed (work permits): "A work permit for a foreign specialist is issued for one
year, with the right to annual renewal."
"""

from __future__ import annotations

from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from caseflow.cases.operations import apply_transition
from caseflow.catalog import catalog
from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.cases import Case
from caseflow.models.deadlines import CaseDeadline
from caseflow.models.outbox import OutboxMessage
from caseflow.notify.delivery import deliver_due
from caseflow.scheduling.deadlines import reminder_times
from caseflow.scheduling.scan import scan
from caseflow.scheduling.workdays import WorkCalendar
from caseflow.timeutil import iso_utc, utcnow, years_after


def stage_deadlines_of(case_id: int) -> list[CaseDeadline]:
    """Return the deadlines of the stages a case went through, not those that follow its documents."""
    db.session.rollback()
    workflow = catalog()[db.session.get(Case, case_id).type]
    of_documents = [d.name for d in workflow.deadlines if d.opens == "document_rejected" or d.until]
    return list(db.session.scalars(select(CaseDeadline).where(CaseDeadline.case_id == case_id,
                                                              CaseDeadline.name.not_in(of_documents))
                                   .order_by(CaseDeadline.id).execution_options(populate_existing=True)))


def outbox_subjects() -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMessage.subject).order_by(OutboxMessage.id)))


def test_entering_a_stage_opens_its_deadline_in_working_days_and_leaving_closes_it(make_case, users):
    case = make_case(state="faculty_screening")
    (deadline,) = stage_deadlines_of(case.id)
    opened = deadline.created_at.replace(tzinfo=UTC)
    expected = WorkCalendar("KG").due_at(opened, 7, "Asia/Bishkek").replace(tzinfo=None)
    assert (deadline.name, deadline.state, deadline.due_at, deadline.closed_at) == (
        "screening", "faculty_screening", expected, None)
    case = apply_transition(case.id, "pass_screening", users["screener"], case.version)
    screening, interview = stage_deadlines_of(case.id)
    assert screening.closed_at is not None and screening.remind_at is None
    assert (interview.name, interview.closed_at) == ("interview", None)


def test_an_overdue_stage_is_escalated_to_the_head_of_the_office_once(make_case, users, smtp):
    case = make_case(state="faculty_screening")
    (deadline,) = stage_deadlines_of(case.id)
    assert scan(deadline.due_at - timedelta(minutes=1)).escalations == 0
    late = deadline.due_at + timedelta(minutes=1)
    assert scan(late).escalations == 1
    assert scan(late).escalations == 0 and scan(late + timedelta(days=3)).escalations == 0
    deliver_due(late)
    (mail,) = [m for m in smtp.messages if m["Subject"].startswith(f"[{case.reference}] Overdue")]
    assert mail["To"] == users["admin"].email
    assert "Faculty screening" in mail["Subject"]


def test_escalations_go_to_the_configured_head_of_the_office(app, make_case):
    app.config["CASEFLOW_ESCALATION_TO"] = "head@example.org, deputy@example.org"
    case = make_case(state="faculty_screening")
    (deadline,) = stage_deadlines_of(case.id)
    scan(deadline.due_at + timedelta(hours=1))
    db.session.rollback()
    recipients = db.session.scalars(select(OutboxMessage.recipient).where(
        OutboxMessage.subject.like("%Overdue%"))).all()
    assert sorted(recipients) == ["deputy@example.org", "head@example.org"]


def test_a_deadline_met_before_the_scan_is_never_escalated(make_case, users):
    case = make_case(state="faculty_screening")
    (deadline,) = stage_deadlines_of(case.id)
    apply_transition(case.id, "pass_screening", users["screener"], case.version)
    assert scan(deadline.due_at + timedelta(days=1)).escalations == 0
    assert not any("Overdue" in s for s in outbox_subjects())


def issued_permit(make_case):
    case = make_case("work_permit", state="issued")
    (expiry,) = [d for d in stage_deadlines_of(case.id) if d.name == "permit_expiry"]
    return case, expiry


def test_an_issued_permit_expires_after_a_year_and_its_holder_is_reminded_30_and_7_days_before(
        make_case, runner, smtp):
    case, expiry = issued_permit(make_case)
    issued_on = date.fromisoformat(db.session.get(Case, case.id).data["issued_on"])
    # "issued for one year": until the day before the anniversary of the day of issue, at its end.
    assert expiry.due_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Bishkek")).date() == (
        years_after(issued_on, 1) - timedelta(days=1))
    spec = catalog()["work_permit"].deadline("permit_expiry")
    first, second = reminder_times(spec, expiry.due_at)
    assert timedelta(days=30) <= expiry.due_at - first < timedelta(days=34)  # on the working day before, if off
    # Run as an operator would, each moment twice: the second run sends nothing new.
    for moment, reminded in ((first - timedelta(minutes=1), 0), (first, 1), (first, 1), (second, 2), (second, 2)):
        result = runner.invoke(args=["reminders", "--now", moment.replace(tzinfo=UTC).isoformat()])
        assert result.exit_code == 0, result.output
        reminders = [m for m in smtp.messages if "The work permit expires" in m["Subject"]]
        assert len(reminders) == reminded, (moment, result.output)
    holder = db.session.get(User, case.applicant_id).email
    assert [m["To"] for m in reminders] == [holder, holder]
    body = reminders[0].get_body(("plain",)).get_content()
    assert "The work permit expires — due on" in body and str(expiry.due_at.year) in body


def test_a_reminder_due_on_a_day_off_goes_out_on_the_working_day_before(app):
    from datetime import datetime

    from caseflow.workflow.spec import Deadline

    spec = Deadline("x", "X", "issued", days=10, remind_before=(1,))
    due = datetime(2026, 8, 31, 17, 59)  # Monday 31 August, Independence Day; the day before is a Sunday
    (moment,) = reminder_times(spec, due)
    assert moment == datetime(2026, 8, 28, 3, 0)  # Friday 28 August, 9:00 in Bishkek


def test_two_scans_at_once_escalate_each_deadline_once(app, make_case, make_user):
    from tests.cases.test_concurrency import run_at_once

    cases = [make_case(state="faculty_screening", applicant=make_user()) for _ in range(6)]
    late = max(stage_deadlines_of(c.id)[0].due_at for c in cases) + timedelta(minutes=1)
    reports = run_at_once(app, [lambda: scan(late), lambda: scan(late)])
    assert sum(r.escalations for r in reports) == 6
    assert len([s for s in outbox_subjects() if "Overdue" in s]) == 6


def test_a_scan_that_dies_midway_leaves_nothing_half_done(app, make_case, make_user, monkeypatch):
    from caseflow.notify import outbox
    from caseflow.scheduling import scan as scan_module

    cases = [make_case(state="faculty_screening", applicant=make_user()) for _ in range(3)]
    late = max(stage_deadlines_of(c.id)[0].due_at for c in cases) + timedelta(minutes=1)
    real, calls = outbox.enqueue, []

    def dies_on_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt("the scheduler is killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(scan_module.outbox, "enqueue", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        scan(late)
    assert not any("Overdue" in s for s in outbox_subjects())  # the batch was rolled back whole
    monkeypatch.setattr(scan_module.outbox, "enqueue", real)
    assert scan(late).escalations == 3 and scan(late).escalations == 0
    assert len([s for s in outbox_subjects() if "Overdue" in s]) == 3


def test_the_case_page_and_the_api_show_the_running_deadline(login, token, client, make_case, users):
    case = make_case(state="faculty_screening")
    (deadline,) = stage_deadlines_of(case.id)
    page = login(users["applicant"]).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Deadlines" in page and "Faculty screening" in page
    body = client.get(f"/api/v1/cases/{case.id}", headers=token(users["applicant"])).get_json()
    assert [d for d in body["deadlines"] if d["open"]] == [{
        "name": "screening", "label": "Faculty screening", "state": "faculty_screening",
        "due_at": iso_utc(deadline.due_at), "open": True, "overdue": utcnow() > deadline.due_at,
        "closed_at": None,
    }]


def test_reminders_command_refuses_a_moment_it_cannot_read(runner):
    result = runner.invoke(args=["reminders", "--now", "next tuesday"])
    assert result.exit_code == 2 and "give a date and time like 2027-03-01T09:00" in result.output


def test_a_closed_stage_opens_no_deadline_for_a_workflow_without_them(make_case):
    case = make_case("conference_registration")
    assert stage_deadlines_of(case.id) == []
    assert db.session.get(User, case.applicant_id) is not None


def test_a_day_the_office_closes_moves_a_new_deadline_and_a_bad_day_is_refused(login, users, make_case):
    from caseflow.cases.operations import add_list_item
    from caseflow.scheduling.deadlines import calendar

    before = make_case(state="faculty_screening")
    (first,) = stage_deadlines_of(before.id)
    due_day = first.due_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Bishkek")).date()
    admin = login(users["admin"])
    page = admin.get("/admin/lists").get_data(as_text=True)
    from tests.web.web_helpers import csrf_from

    token = csrf_from(page)
    refused = admin.post("/admin/lists", data={"csrf_token": token, "list_name": "office_days_off",
                                               "value": "9 March"})
    assert refused.status_code == 422 and "Give a day as YYYY-MM-DD" in refused.get_data(as_text=True)
    add_list_item("office_days_off", due_day.isoformat())  # e.g. the rector closes the university that day
    assert not calendar().is_working_day(due_day)
    after = make_case(state="faculty_screening", applicant=users["other_applicant"])
    (second,) = stage_deadlines_of(after.id)
    moved_to = second.due_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Bishkek")).date()
    assert moved_to == calendar().add_working_days(due_day, 1)  # one working day later
    assert stage_deadlines_of(before.id)[0].due_at == first.due_at  # a running deadline keeps its day
