"""Each user's open deadlines as an iCalendar feed at a secret address, for their calendar app."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import event, select, update

from caseflow.cases.operations import apply_transition
from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.deadlines import CalendarToken, CaseDeadline
from caseflow.scheduling.calendar_feed import issue_token
from tests.web.web_helpers import csrf_from

FEED_ADDRESS = re.compile(r'value="http://127\.0\.0\.1:5000(/calendar/[A-Za-z0-9_-]+\.ics)"')


def feed_path(user: User) -> str:
    return f"/calendar/{issue_token(user)}.ics"


def events(client, path: str) -> dict[str, dict]:
    """Fetch a feed and return its events by SUMMARY."""
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {str(item["SUMMARY"]): item for item in calendar.walk("VEVENT")}


def open_deadline(case_id: int, name: str) -> CaseDeadline:
    db.session.rollback()
    return db.session.scalar(select(CaseDeadline).where(CaseDeadline.case_id == case_id, CaseDeadline.name == name,
                                                        CaseDeadline.closed_at.is_(None)))


def make_address(client) -> str:
    """Make a new feed address on the calendar page as a browser does; return its path."""
    page = client.get("/calendar").get_data(as_text=True)
    response = client.post("/calendar", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 200
    return FEED_ADDRESS.search(response.get_data(as_text=True)).group(1)


def test_a_screener_sees_their_faculty_screening_deadline_as_an_all_day_event(client, make_case, make_user,
                                                                             users):
    case = make_case(state="faculty_screening")
    make_case(state="faculty_screening", applicant=make_user(), faculty="ECON")  # another faculty's
    path = feed_path(users["screener"])
    assert client.get(path).headers["Cache-Control"] == "private, max-age=300"
    (item,) = events(client, path).values()
    deadline = open_deadline(case.id, "screening")
    due_day = deadline.due_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Bishkek")).date()
    assert str(item["SUMMARY"]) == f"{case.reference}: Faculty screening"
    assert str(item["UID"]) == f"deadline-{deadline.id}@caseflow"
    assert item.decoded("DTSTART") == due_day and not hasattr(item.decoded("DTSTART"), "hour")
    assert item.decoded("DTEND") == due_day + timedelta(days=1)
    assert str(item["URL"]) == f"http://127.0.0.1:5000/cases/{case.id}"
    description = str(item["DESCRIPTION"])
    assert "Erasmus+" in description and "Faculty screening" in description
    assert f"http://127.0.0.1:5000/cases/{case.id}" in description


def test_the_other_faculty_screener_sees_only_their_own_faculty(client, make_case, make_user, users):
    make_case(state="faculty_screening")
    econ = make_case(state="faculty_screening", applicant=make_user(), faculty="ECON")
    assert list(events(client, feed_path(users["other_screener"]))) == [f"{econ.reference}: Faculty screening"]


def test_office_staff_see_the_interview_deadline_not_the_faculty_screening(client, make_case, make_user, users):
    interview = make_case(state="office_interview")
    make_case(state="faculty_screening", applicant=make_user())
    assert list(events(client, feed_path(users["office"]))) == [f"{interview.reference}: Office interview"]


def test_an_applicant_sees_their_own_deadlines_and_no_one_else_s(client, make_case, make_user, users):
    mine = make_case(state="faculty_screening")
    make_case(state="office_interview", applicant=users["other_applicant"])
    assert list(events(client, feed_path(users["applicant"]))) == [f"{mine.reference}: Faculty screening"]


def test_a_met_deadline_leaves_the_feed(client, make_case, users):
    case = make_case(state="faculty_screening")
    screener_feed, office_feed = feed_path(users["screener"]), feed_path(users["office"])
    assert list(events(client, screener_feed)) == [f"{case.reference}: Faculty screening"]
    apply_transition(case.id, "pass_screening", users["screener"], case.version)
    assert events(client, screener_feed) == {}
    assert list(events(client, office_feed)) == [f"{case.reference}: Office interview"]


def test_a_closed_deadline_is_absent_even_if_its_case_still_waits(client, make_case, users):
    case = make_case(state="faculty_screening")
    db.session.execute(update(CaseDeadline).where(CaseDeadline.case_id == case.id)
                       .values(closed_at=CaseDeadline.created_at))
    db.session.commit()
    assert events(client, feed_path(users["screener"])) == {}


def test_an_unknown_token_is_404(client, make_case, users):
    make_case(state="faculty_screening")
    issue_token(users["screener"])
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get(f"/calendar/{'x' * 500}.ics").status_code == 404


def test_the_feed_of_a_switched_off_account_is_404(client, make_case, users):
    make_case(state="faculty_screening")
    path = feed_path(users["screener"])
    db.session.execute(update(User).where(User.id == users["screener"].id).values(active=False))
    db.session.commit()
    assert client.get(path).status_code == 404


def test_the_page_shows_a_new_address_once_and_regenerating_switches_the_old_one_off(
        client, login, make_case, users):
    case = make_case(state="faculty_screening")
    staff = login(users["screener"])
    page = staff.get("/calendar")
    assert page.status_code == 200 and "You have no calendar address yet." in page.get_data(as_text=True)
    old = make_address(staff)
    assert list(events(client, old)) == [f"{case.reference}: Faculty screening"]
    later = staff.get("/calendar")
    assert "no-store" in later.headers["Cache-Control"]
    assert old not in later.get_data(as_text=True)  # only its hash is kept
    new = make_address(staff)
    assert new != old
    assert client.get(old).status_code == 404
    assert list(events(client, new)) == [f"{case.reference}: Faculty screening"]
    db.session.rollback()
    (stored,) = db.session.scalars(select(CalendarToken.token_hash)
                                   .where(CalendarToken.user_id == users["screener"].id)).all()
    assert stored == CalendarToken.hash(new.removeprefix("/calendar/").removesuffix(".ics"))


def test_the_queue_and_the_home_page_link_to_the_calendar_page(login, users):
    assert 'href="/calendar"' in login(users["office"]).get("/queue").get_data(as_text=True)
    assert 'href="/calendar"' in login(users["applicant"]).get("/").get_data(as_text=True)


def test_the_calendar_page_needs_a_login_and_its_form_a_csrf_token(client, login, users):
    assert client.get("/calendar").status_code == 302
    assert login(users["applicant"]).post("/calendar", data={}).status_code == 400
    db.session.rollback()
    assert db.session.scalar(select(CalendarToken.id)) is None


def test_the_feed_costs_the_same_few_queries_for_one_case_or_many(client, make_case, make_user, users):
    path = feed_path(users["office"])

    def selects() -> tuple[int, int]:
        statements: list[str] = []

        def record(_connection, _cursor, statement, *_args):
            statements.append(statement)

        db.session.remove()
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            found = len(events(client, path))
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return found, sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))

    make_case(state="office_interview")
    one = selects()
    for _ in range(4):
        make_case(state="office_interview", applicant=make_user())
    many = selects()
    assert (one[0], many[0]) == (1, 5)
    assert one[1] == many[1] <= 2  # the token's owner, then the deadlines with their cases


def test_an_unchanged_feed_answers_304_to_a_calendar_app_that_has_it(client, make_case, users):
    make_case(state="faculty_screening")
    path = feed_path(users["screener"])
    first = client.get(path)
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_an_event_falls_on_the_office_s_due_day(client, make_case, users):
    """A deadline ending at 23:59:59 in Bishkek (17:59:59 UTC) falls on the Bishkek day."""
    case = make_case(state="faculty_screening")
    db.session.execute(update(CaseDeadline).where(CaseDeadline.case_id == case.id)
                       .values(due_at=datetime(2027, 3, 10, 17, 59, 59, 999999)))
    db.session.commit()
    (item,) = events(client, feed_path(users["screener"])).values()
    assert item.decoded("DTSTART") == date(2027, 3, 10)
