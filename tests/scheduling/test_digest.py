"""Staff get one digest of their queue a working day, nearest deadline first, overdue marked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from caseflow.extensions import db
from caseflow.models.deadlines import CaseDeadline
from caseflow.models.outbox import OutboxMessage
from caseflow.notify.delivery import deliver_due
from caseflow.scheduling.digest import send_digests

TUESDAY_9_00 = datetime(2026, 12, 1, 3, 0)  # 9:00 in Bishkek (UTC+6), a working day
TUESDAY_7_59 = datetime(2026, 12, 1, 1, 59)
SUNDAY_9_00 = datetime(2026, 12, 6, 3, 0)
INDEPENDENCE_DAY_9_00 = datetime(2027, 8, 31, 3, 0)


def digests() -> list[OutboxMessage]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("digest:%"))
                                   .order_by(OutboxMessage.id)))


def make_overdue(case) -> None:
    db.session.execute(update(CaseDeadline).where(CaseDeadline.case_id == case.id)
                       .values(due_at=datetime(2026, 11, 20, 12, 0)))
    db.session.commit()


def test_a_screener_gets_one_digest_of_their_faculty_overdue_first(make_case, make_user, users, smtp):
    waiting = make_case(state="faculty_screening", applicant=make_user())
    late = make_case(state="faculty_screening", applicant=make_user())
    make_overdue(late)
    make_case(state="faculty_screening", applicant=make_user(), faculty="ECON")  # another faculty's
    report = send_digests(TUESDAY_9_00)
    assert send_digests(TUESDAY_9_00).sent == 0  # once a day
    deliver_due(TUESDAY_9_00)
    mine = [m for m in smtp.messages if m["To"] == users["screener"].email]
    assert report.sent >= 1 and len(mine) == 1
    assert mine[0]["Subject"] == "Your queue: 2 cases waiting, 1 overdue"
    body = mine[0].get_body(("plain",)).get_content()
    assert body.index(late.reference) < body.index(waiting.reference)
    assert "OVERDUE" in body.split(waiting.reference)[0]
    other = [m for m in smtp.messages if m["To"] == users["other_screener"].email]
    assert len(other) == 1 and late.reference not in other[0].get_body(("plain",)).get_content()


def test_office_staff_get_the_stages_where_the_office_acts(make_case, make_user, users):
    submitted = make_case()
    interview = make_case(state="office_interview", applicant=make_user())
    screening = make_case(state="faculty_screening", applicant=make_user(), faculty="EN")
    send_digests(TUESDAY_9_00)
    (office,) = [m for m in digests() if m.recipient == users["office"].email]
    listed = [case["reference"] for case in office.context["cases"]]
    assert interview.reference in listed and submitted.reference in listed and screening.reference not in listed
    assert listed[0] == interview.reference  # the one with a deadline comes first


def test_no_digest_before_eight_on_a_weekend_or_a_holiday_nor_for_applicants(make_case, users):
    make_case(state="faculty_screening")
    assert send_digests(TUESDAY_7_59).sent == 0
    assert send_digests(SUNDAY_9_00).skipped_day_off
    assert send_digests(INDEPENDENCE_DAY_9_00).skipped_day_off
    assert digests() == []
    send_digests(TUESDAY_9_00)
    assert users["applicant"].email not in {m.recipient for m in digests()}


def test_staff_with_nothing_waiting_get_no_digest(users):
    assert send_digests(TUESDAY_9_00).sent == 0 and digests() == []


def test_the_reminders_command_sends_the_days_digests(runner, make_case, users, smtp):
    make_case(state="faculty_screening")
    result = runner.invoke(args=["reminders", "--now", "2026-12-01T09:00"])
    assert result.exit_code == 0, result.output
    assert "Digests: " in result.output
    assert any(m["To"] == users["screener"].email for m in smtp.messages)
