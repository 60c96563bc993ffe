"""A stage's queue sorts and flags by deadline: the soonest due (the overdue) first, then the longest waiting."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert, select, update
from web_helpers import statements, visible

from caseflow.extensions import db
from caseflow.models.cases import Case
from caseflow.models.deadlines import CaseDeadline
from caseflow.timeutil import utcnow

STAGE = "/queue/mobility/faculty_screening"
ROW = re.compile(r"<tr( class=\"overdue\")?>(.*?)</tr>", re.S)


def listed(response) -> list[tuple[str, bool]]:
    """Return the rows of the stage's table as (visible text, marked overdue), top to bottom."""
    body = response.get_data(as_text=True).split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [(visible(cells), bool(overdue)) for overdue, cells in ROW.findall(body)]


def row_of(rows: list[tuple[str, bool]], case: Case) -> tuple[str, bool]:
    [row] = [row for row in rows if row[0].startswith(f"{case.reference} ")]
    return row


def set_due(case: Case, due_at) -> None:
    db.session.execute(update(CaseDeadline).where(CaseDeadline.case_id == case.id).values(due_at=due_at))
    db.session.commit()


def close_deadlines(case: Case, closed_at) -> None:
    db.session.execute(update(CaseDeadline).where(CaseDeadline.case_id == case.id)
                       .values(closed_at=closed_at, remind_at=None))
    db.session.commit()


def waiting_since(case: Case, moment) -> None:
    db.session.execute(update(Case).where(Case.id == case.id).values(updated_at=moment))
    db.session.commit()


def office_day(app, moment) -> str:
    with app.test_request_context():
        return app.jinja_env.filters["office_day"](moment)


@pytest.fixture
def stage(make_case, make_user):
    """Cases in faculty screening: overdue, due soon, due later, and two without an open deadline."""
    now = utcnow()

    def screening(name: str) -> Case:
        return make_case(state="faculty_screening", applicant=make_user(name=name))

    cases = {name: screening(name) for name in ("Later Due", "Overdue", "Soon Due", "Old Closed", "New Closed")}
    set_due(cases["Overdue"], now - timedelta(days=2))
    set_due(cases["Soon Due"], now + timedelta(days=1))
    set_due(cases["Later Due"], now + timedelta(days=9))
    # A deadline that was met (closed) is not a deadline any more, even though its date has passed.
    close_deadlines(cases["Old Closed"], now - timedelta(days=5))
    set_due(cases["Old Closed"], now - timedelta(days=4))
    close_deadlines(cases["New Closed"], now)
    waiting_since(cases["Old Closed"], now - timedelta(days=30))  # waiting longest, yet listed after every deadline
    waiting_since(cases["New Closed"], now - timedelta(days=3))
    return cases


def test_cases_with_a_deadline_come_first_soonest_due_then_the_others_oldest_first(login, users, stage):
    rows = listed(login(users["office"]).get(STAGE))
    order = ["Overdue", "Soon Due", "Later Due", "Old Closed", "New Closed"]
    assert [row[0].split()[0] for row in rows] == [stage[name].reference for name in order]


def test_only_the_overdue_case_is_flagged(login, users, stage):
    rows = listed(login(users["office"]).get(STAGE))
    flagged = {name for name, case in stage.items() if row_of(rows, case)[1]}
    assert flagged == {"Overdue"}
    assert "overdue" in row_of(rows, stage["Overdue"])[0]
    for name in ("Soon Due", "Later Due", "Old Closed", "New Closed"):
        assert "overdue" not in row_of(rows, stage[name])[0]


def test_each_row_shows_the_due_day_in_office_time_or_a_dash(app, login, users, stage):
    rows = listed(login(users["office"]).get(STAGE))
    for name in ("Overdue", "Soon Due", "Later Due"):
        due_at = db.session.scalar(select(CaseDeadline.due_at).where(CaseDeadline.case_id == stage[name].id))
        assert office_day(app, due_at) in row_of(rows, stage[name])[0]
    old_closed = row_of(rows, stage["Old Closed"])[0]
    assert old_closed.endswith("—")
    assert office_day(app, utcnow() - timedelta(days=4)) not in old_closed


def test_the_due_day_is_the_office_day_not_the_utc_day(app, login, users, make_case):
    case = make_case(state="faculty_screening")
    set_due(case, datetime(2031, 3, 1, 20, 0))  # 20:00 UTC on 1 March is 2 March in Bishkek (UTC+6)
    [(row, _overdue)] = listed(login(users["office"]).get(STAGE))
    assert "March 2, 2031" in row and "March 1" not in row


def test_a_case_with_two_open_deadlines_is_listed_once_by_the_earlier(app, login, users, stage):
    now = utcnow()
    db.session.execute(insert(CaseDeadline).values(
        case_id=stage["Later Due"].id, name="interview", state="faculty_screening", due_at=now - timedelta(days=3),
        created_at=now))
    db.session.commit()
    rows = listed(login(users["office"]).get(STAGE))
    assert len(rows) == 5
    assert rows[0][0].startswith(stage["Later Due"].reference) and rows[0][1]
    assert rows[1][0].startswith(stage["Overdue"].reference)
    assert office_day(app, now - timedelta(days=3)) in rows[0][0]


def test_the_stage_page_reads_its_deadlines_in_the_same_query_whatever_the_number_of_cases(
        login, users, stage, make_case, make_user):
    client = login(users["office"])
    client.get(STAGE)
    with statements() as few:
        client.get(STAGE)
    for number in range(4):
        make_case(state="faculty_screening", applicant=make_user(name=f"More {number}"))
    with statements() as many:
        page = client.get(STAGE)
    assert len(listed(page)) == 9
    selects = [[s for s in seen if s.lstrip().upper().startswith("SELECT")] for seen in (few, many)]
    assert len(selects[0]) == len(selects[1])
    assert sum("deadlines" in statement for statement in selects[1]) == 1
