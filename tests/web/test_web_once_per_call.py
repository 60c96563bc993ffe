"""Where a call takes one application a person, the pages offer no "Apply" once they applied: they show
the case instead (the rule would refuse a second)."""

from __future__ import annotations

from caseflow.cases.operations import apply_transition
from tests.web.web_helpers import text


def test_home_calls_list_and_call_page_show_the_case_instead_of_apply(login, users, make_case, make_call):
    case = make_case()
    other = make_call(name="Erasmus+ 2031")
    applicant = login(users["applicant"])
    home = applicant.get("/").get_data(as_text=True)
    assert f"You applied: <a href=\"/cases/{case.id}\">{case.reference}</a>" in home
    assert f"/apply/mobility?call={case.call_id}" not in home
    assert f"/apply/mobility?call={other.id}" in home  # the other call is offered
    page = text(applicant.get(f"/calls/{case.call_id}"))
    assert f"You applied: {case.reference}" in page and "Apply —" not in page
    listing = applicant.get("/calls").get_data(as_text=True)  # the trial found "Apply" still offered here
    assert f"/apply/mobility?call={case.call_id}" not in listing and f"/apply/mobility?call={other.id}" in listing
    assert f"You applied: <a href=\"/cases/{case.id}\">{case.reference}</a>" in listing


def test_a_withdrawn_application_makes_room_for_apply_again(login, users, make_case):
    case = make_case()
    apply_transition(case.id, "withdraw", users["applicant"], case.version)
    home = login(users["applicant"]).get("/").get_data(as_text=True)
    assert f"/apply/mobility?call={case.call_id}" in home and "You applied" not in home
