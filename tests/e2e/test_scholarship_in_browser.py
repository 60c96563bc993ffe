"""A summer-school ranking in a real Chromium: two members score, the office closes it, the best is shortlisted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from caseflow.extensions import db
from caseflow.models.cases import Call
from caseflow.timeutil import utcnow
from tests.conftest import PASSWORD

TYPE = "scholarship"


def log_in(page, email):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def give_score(page, case, value):
    page.goto(f"/cases/{case.id}")
    page.get_by_label("Your score", exact=True).fill(value)
    page.get_by_role("button", name="Record my score").click()
    page.get_by_text("Your score is recorded.").wait_for()


def test_office_closes_the_ranking_after_two_members_scored(new_page, users, make_user, make_call, make_case):
    members = [make_user("faculty_screener", "IT", name="Anna Member"),
               make_user("faculty_screener", "ECON", name="Boris Member")]
    call = make_call(TYPE, name="Summer school WEWEK 2027", variant="summer_school", seats=1, commission=members)
    best = make_case(TYPE, state="commission_scoring", call=call, applicant=users["applicant"], full_name="Asel Best")
    other = make_case(TYPE, state="commission_scoring", call=call, applicant=users["other_applicant"],
                      full_name="Omar Other")

    for member, (for_best, for_other) in zip(members, (("9", "6"), ("8.5", "7")), strict=True):
        page = new_page()
        log_in(page, member.email)
        page.get_by_role("link", name="Summer school WEWEK 2027").click()  # "Your selection commissions" on the queue
        assert "You see your own scores only" in page.content()
        give_score(page, best, for_best)
        give_score(page, other, for_other)

    db.session.execute(update(Call).where(Call.id == call.id).values(deadline_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()  # as if the deadline had passed

    office = new_page()
    log_in(office, users["office"].email)
    office.goto(f"/calls/{call.id}")
    office.get_by_role("link", name="The commission's scores and ranking").click()
    office.get_by_role("button", name="Close the ranking and award the places").click()
    office.get_by_text("Ranking closed: 1 candidate shortlisted, 1 not selected.").wait_for()

    applicant = new_page()
    log_in(applicant, users["applicant"].email)
    applicant.goto(f"/cases/{best.id}")
    assert "Shortlisted" in applicant.locator("[aria-current=step]").inner_text()
    assert "Rank 1 of 2, mean score 8.75" in applicant.locator("ol.history").inner_text()
