"""The case page: what each viewer sees, the actions they may take, and refusals."""

from __future__ import annotations

import pytest
from web_helpers import (
    count_events,
    csrf_from,
    current_step,
    error_beside,
    statements,
    text,
    transitions_offered,
)

from caseflow.catalog import catalog
from caseflow.extensions import db
from caseflow.models.cases import Case
from tests.factories import state_history


@pytest.fixture
def workflow(app):
    return catalog()["mobility"]


def reload(case: Case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def fire(client, case, transition: str, comment: str = "", version=None, confirmed: bool = True):
    """Post an action as its form on the case page would (its box ticked, where it asks to confirm)."""
    page = client.get(f"/cases/{case.id}")
    data = {"transition": transition, "comment": comment, "csrf_token": csrf_from(page.get_data(as_text=True)),
            "version": str(case.version if version is None else version), **({"confirmed": "y"} if confirmed else {})}
    return client.post(f"/cases/{case.id}/transitions", data=data)


def test_withdrawing_asks_to_confirm_first_and_does_nothing_without(login, users, make_case):
    case = make_case()
    applicant = login(users["applicant"])
    assert "Yes: this closes the case, and it cannot be undone." in text(applicant.get(f"/cases/{case.id}"))
    refused = fire(applicant, case, "withdraw", confirmed=False)
    assert refused.status_code == 422
    assert "Tick the box to confirm: “Withdraw my application” closes the case for good." in text(refused)
    assert reload(case).state == "submitted"
    assert fire(applicant, case, "withdraw").status_code == 303 and reload(case).state == "withdrawn"


# ------------------------------------------------------------ what is shown


def test_status_page_shows_timeline_next_step_and_who_acts(login, users, make_case, workflow):
    case = make_case(state="faculty_screening")
    page = login(users["applicant"]).get(f"/cases/{case.id}")
    assert page.status_code == 200
    state = workflow.state("faculty_screening")
    assert current_step(page) == f"● {state.label} the case is here"
    body = page.get_data(as_text=True)
    first = workflow.state(workflow.initial)
    assert f'<span class="step-label">{first.label}</span>\n      <span class="visually-hidden">(done)</span>' in body
    assert str(state.next_step) in text(page)
    assert "Who acts now: Faculty screener" in text(page)
    assert "Erasmus+ student mobility" in text(page)
    assert "TH Wildau (Germany)" in text(page)
    # Application data with labels, choice labels and the faculty's name.
    assert "Kind of specialty Technical" in text(page)
    assert "Faculty / institute Faculty of Information Technology" in text(page)


def test_rejected_case_shows_where_it_ended_and_the_reason(login, users, make_case, workflow):
    case = make_case(state="rejected")  # through fail_screening, with a required comment
    page = login(users["applicant"]).get(f"/cases/{case.id}")
    rejected = workflow.state("rejected")
    assert current_step(page) == f"● {rejected.label} the case ended here"
    assert rejected.label == "Not selected"
    assert "Reason given by staff." in text(page)  # the rejection's comment, visible to the applicant
    assert "Failed faculty screening — from “Faculty screening” to “Not selected”" in text(page)
    assert "This case is closed." in text(page)
    assert transitions_offered(page) == set()
    # The stages after the one it left are not drawn as still to come.
    still_to_come = text(page).split("Progress")[1].split("What happens")[0]
    assert str(workflow.state("partner_nomination").label) not in still_to_come


def test_accepted_case_reaches_the_end_of_the_main_path(login, users, make_case, workflow):
    case = make_case(state="accepted")
    page = login(users["applicant"]).get(f"/cases/{case.id}")
    path = workflow.main_path()
    assert path[-1].name == "accepted"
    assert current_step(page) == f"● {path[-1].label} the case ended here"
    assert page.get_data(as_text=True).count("(done)") == len(path) - 1


def test_history_lists_each_event_with_time_actor_and_labels(login, users, make_case):
    case = make_case(state="office_interview")
    page = text(login(users["office"]).get(f"/cases/{case.id}"))
    history = page.split("History")[1]
    assert "Application submitted — now “Submitted”" in history
    assert "Olga Office" in history and "Sent to faculty screening" in history
    assert "Sergey Screener" in history and "Passed faculty screening" in history


def test_applicant_sees_only_own_cases(login, users, make_case, make_user):
    mine = make_case()
    theirs = make_case(applicant=users["other_applicant"])
    client = login(users["applicant"])
    assert client.get(f"/cases/{mine.id}").status_code == 200
    response = client.get(f"/cases/{theirs.id}")
    assert response.status_code == 404
    assert "This page does not exist, or you may not see it." in text(response)
    home = text(client.get("/"))
    assert mine.reference in home and theirs.reference not in home


def test_screener_of_other_faculty_gets_404(login, users, make_case):
    case = make_case(state="faculty_screening")  # an IT case
    assert login(users["other_screener"]).get(f"/cases/{case.id}").status_code == 404
    assert login(users["screener"]).get(f"/cases/{case.id}").status_code == 200


@pytest.mark.parametrize("url", ["/cases/999999", "/cases/0", "/cases/abc", "/cases/-1",
                                 "/cases/99999999999999999999999", "/cases/2147483648"])
def test_nonexistent_case_is_404_never_500(login, users, url):
    assert login(users["office"]).get(url).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, make_case):
    case = make_case()
    response = client.get(f"/cases/{case.id}")
    assert response.headers["Location"] == f"/login?next=/cases/{case.id}"


def test_case_page_statements_do_not_grow_with_history(login, users, make_case, make_user):
    short = make_case()
    long = make_case(state="accepted", applicant=make_user())
    client = login(users["office"])
    counts = []
    for case in (short, long):
        client.get(f"/cases/{case.id}")  # warm the session
        with statements() as seen:
            assert client.get(f"/cases/{case.id}").status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1]
    assert counts[1] <= 7  # the logged-in user with their login session is one of them


# ------------------------------------------------------------------ actions


@pytest.mark.parametrize(
    "viewer, state, expected",
    [
        ("applicant", "submitted", {"withdraw"}),
        ("applicant", "office_interview", {"withdraw"}),
        ("office", "submitted", {"send_to_faculty"}),
        ("admin", "submitted", {"send_to_faculty"}),
        ("screener", "submitted", set()),
        ("screener", "faculty_screening", {"pass_screening", "fail_screening"}),
        ("office", "faculty_screening", set()),
        ("office", "office_interview", {"nominate", "fail_interview", "change_partner"}),
        ("office", "partner_nomination", {"partner_accepts", "partner_declines"}),
        ("office", "withdrawn", set()),
    ],
)
def test_case_page_offers_exactly_the_viewers_actions(login, users, make_case, workflow, viewer, state, expected):
    case = make_case(state=state)
    page = login(users[viewer]).get(f"/cases/{case.id}")
    assert transitions_offered(page) == expected
    # The same set the workflow file gives the viewer's role.
    role = users[viewer].role
    assert expected == {t.name for t in workflow.transitions_from(state) if role in t.roles}
    for name in expected:
        assert str(workflow.transition(name).label) in text(page)


def test_required_comment_is_marked_required(login, users, make_case):
    case = make_case(state="faculty_screening")
    body = login(users["screener"]).get(f"/cases/{case.id}").get_data(as_text=True)
    fail_box = body.split('value="fail_screening"')[1].split("</form>")[0]
    pass_box = body.split('value="pass_screening"')[1].split("</form>")[0]
    assert "(required)" in fail_box and " required" in fail_box.split("<textarea")[1]
    assert "(optional)" in pass_box and " required" not in pass_box.split("<textarea")[1]


def test_firing_a_transition_from_the_page_moves_the_case(login, users, make_case, workflow):
    case = make_case()
    client = login(users["office"])
    response = fire(client, case, "send_to_faculty")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/cases/{case.id}"
    page = client.get(f"/cases/{case.id}")
    assert "Sent to faculty screening. The case is now “Faculty screening”." in text(page)
    assert reload(case).state == "faculty_screening"
    assert str(workflow.state("faculty_screening").label) in current_step(page)


def test_applicant_withdraws_with_a_comment(login, users, make_case):
    case = make_case()
    client = login(users["applicant"])
    assert fire(client, case, "withdraw", "I got a scholarship elsewhere.").status_code == 303
    assert reload(case).state == "withdrawn"
    page = text(client.get(f"/cases/{case.id}"))
    assert "I got a scholarship elsewhere." in page and "Withdrawn" in page


def test_rejection_without_comment_is_refused_beside_the_comment(login, users, make_case):
    case = make_case(state="faculty_screening")
    events = count_events()
    response = fire(login(users["screener"]), case, "fail_screening", "   ")
    assert response.status_code == 422
    assert "Nothing was done." in text(response)
    assert error_beside(response, "comment-fail_screening") == "Error: A comment is required: the applicant reads it."
    assert reload(case).state == "faculty_screening"
    assert count_events() == events


def test_stale_version_from_a_second_tab_changes_nothing(login, users, make_case):
    case = make_case()
    office, applicant = login(users["office"]), login(users["applicant"])
    seen_by_office = case.version
    assert fire(applicant, case, "withdraw").status_code == 303  # the other tab acts first
    events = count_events()
    response = fire(office, case, "send_to_faculty", "Complete.", version=seen_by_office)
    assert response.status_code == 409
    assert "This case changed since you opened it." in text(response)
    assert reload(case).state == "withdrawn"
    assert count_events() == events
    assert transitions_offered(response) == set()  # the fresh page: nothing left to do


def test_stale_version_keeps_the_typed_comment(login, users, make_case):
    case = make_case(state="faculty_screening")
    response = fire(login(users["screener"]), case, "fail_screening", "Study plan does not match.",
                    version=case.version - 1)
    assert response.status_code == 409
    assert "Study plan does not match.</textarea>" in response.get_data(as_text=True)
    assert f'name="version" value="{case.version}"' in response.get_data(as_text=True)


@pytest.mark.parametrize("version", ["abc", "", "1.5", "-1", "1 OR 1=1"])
def test_damaged_version_gets_a_clear_message_and_changes_nothing(login, users, make_case, version):
    case = make_case()
    response = fire(login(users["office"]), case, "send_to_faculty", version=version)
    assert response.status_code == 400
    assert "The form arrived incomplete or damaged, so nothing was done." in text(response)
    assert reload(case).state == "submitted"


def test_unknown_or_foreign_transitions_are_refused_with_a_message(login, users, make_case):
    case = make_case()
    office = login(users["office"])
    response = fire(office, case, "explode")
    assert response.status_code == 422
    assert "explode is not an action of this kind of case." in text(response)
    response = fire(office, case, "")
    assert response.status_code == 400
    response = fire(login(users["applicant"]), case, "send_to_faculty")
    assert response.status_code == 403
    assert "Your role may not send to faculty screening." in text(response)
    assert reload(case).state == "submitted"


def test_transition_not_possible_in_this_state_is_a_conflict(login, users, make_case):
    case = make_case()
    for transition in ("nominate", "partner_accepts"):
        response = fire(login(users["office"]), case, transition)
        assert response.status_code == 409
        assert "is not possible while the case is “Submitted”" in text(response)
    assert reload(case).state == "submitted"


def test_too_long_comment_is_refused(login, users, make_case):
    case = make_case()
    response = fire(login(users["office"]), case, "send_to_faculty", "x" * 6000)
    assert response.status_code == 422
    assert "5000" in error_beside(response, "comment-send_to_faculty")
    assert reload(case).state == "submitted"


def test_invisible_or_missing_case_refuses_actions_with_404(login, users, make_case):
    case = make_case()
    other = login(users["other_applicant"])
    token = csrf_from(other.get("/").get_data(as_text=True))
    data = {"transition": "withdraw", "version": "1", "csrf_token": token}
    assert other.post(f"/cases/{case.id}/transitions", data=data).status_code == 404
    assert other.post("/cases/987654/transitions", data=data).status_code == 404
    assert reload(case).state == "submitted"


def test_post_without_csrf_token_is_refused_and_changes_nothing(login, users, make_case):
    case = make_case()
    events = count_events()
    response = login(users["office"]).post(
        f"/cases/{case.id}/transitions", data={"transition": "send_to_faculty", "version": str(case.version)})
    assert response.status_code == 400
    assert "The form expired or was sent from elsewhere. Go back, reload the page and send it again." in text(response)
    assert reload(case).state == "submitted"
    assert count_events() == events


@pytest.mark.parametrize("character", ["\x01", "\x00", "\x85", "\u202e", "\u2066"],
                         ids=["soh", "nul", "c1-nel", "right-to-left-override", "left-to-right-isolate"])
def test_a_comment_with_a_control_character_is_refused(login, users, make_case, character):
    case = make_case()
    events = count_events()
    response = fire(login(users["office"]), case, "send_to_faculty", f"Checked{character}.")
    assert response.status_code == 422
    assert error_beside(response, "comment-send_to_faculty") == (
        "Error: Remove the invisible control characters (such as a right-to-left override) from this text.")
    assert reload(case).state == "submitted"
    assert count_events() == events


def test_a_comment_keeps_its_tabs_and_lines_each_ended_by_one_line_break(login, users, make_case):
    case = make_case()
    comment = "Checked:\r\n\tpassport\r\n\ttranscript\rsigned"  # as a browser sends a textarea
    assert fire(login(users["office"]), case, "send_to_faculty", comment).status_code == 303
    assert state_history(case.id)[-1].comment == "Checked:\n\tpassport\n\ttranscript\nsigned"


def test_a_crafted_action_name_is_a_damaged_form_and_not_shown(login, users, make_case):
    case = make_case()
    response = fire(login(users["office"]), case, "send_to_faculty\u202e")
    assert response.status_code == 400
    assert "The form arrived incomplete or damaged, so nothing was done." in text(response)
    assert "\u202e" not in response.get_data(as_text=True)
    assert reload(case).state == "submitted"
