"""Scholarship calls on the web pages: the programme a call fixes, its selection commission, scores and ranking.

What each person notices: the office's call form (programme, commission), the
apply page (the programme's conditions only), a member's scoring form and
queue, the ranking page (full for the office, own scores for a member), and
the rank an applicant reads on their status page after the ranking closed.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select, update
from web_helpers import (
    CSRF_INPUT,
    count_cases,
    csrf_from,
    current_step,
    error_beside,
    submit,
    text,
    transitions_offered,
    visible,
)

from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.cases import Call, Case, CommissionMember, Score
from caseflow.timeutil import from_utc, utcnow
from tests.factories import sample_data

TYPE = "scholarship"
SCORE_RULE = "A score is a number from 0 to 10, with at most two decimals."
TIE_BREAK = ("The applications are ranked by their mean score. Equal means are ordered by these rules, in turn: "
             "The higher lowest score first The higher “Average grade of all sessions” first "
             "The earlier application first")


# ------------------------------------------------------------------ helpers


def call_form(**overrides) -> dict:
    """The office's "Create a call" form for a scholarship call, as a browser posts it."""
    return {"name": "Summer school WEWEK 2030", "type": TYPE, "deadline": "2030-01-15T17:00", "seats": "2",
            "description": "Three weeks at hydropower plants.", "variant": "summer_school", **overrides}


def edit_form(call: Call, **overrides) -> dict:
    """A scholarship call's edit form posted unchanged, then changed by ``overrides``."""
    db.session.rollback()
    call = db.session.get(Call, call.id)
    deadline = from_utc(call.deadline_at, current_app.config["CASEFLOW_TIMEZONE"])
    members = [str(i) for i in db.session.scalars(
        select(CommissionMember.user_id).where(CommissionMember.call_id == call.id))]
    return {"name": call.name, "deadline": deadline.strftime("%Y-%m-%dT%H:%M"), "seats": str(call.seats),
            "description": call.description, "variant": call.variant, "commission": members, **overrides}


def as_posted(**overrides) -> dict[str, str]:
    """A scholarship application (the demo's sample) as the apply form posts it."""
    return {key: "" if value is None else str(value) for key, value in sample_data(TYPE, **overrides).items()}


def count_calls() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Call))


def stored_call(call_id: int) -> tuple:
    db.session.rollback()
    call = db.session.get(Call, call_id)
    members = sorted(db.session.scalars(select(CommissionMember.user_id).where(CommissionMember.call_id == call_id)))
    return call.name, call.variant, call.seats, members


def state_of(case_id: int) -> str:
    db.session.rollback()
    return db.session.scalar(select(Case.state).where(Case.id == case_id))


def states(*cases: Case) -> list[str]:
    return [state_of(case.id) for case in cases]


def scores() -> dict[tuple[int, int], str]:
    """Every stored score: (case id, member id) → its value as text."""
    db.session.rollback()
    return {(s.case_id, s.member_id): f"{s.score:.2f}" for s in db.session.scalars(select(Score))}


def close_deadline(call: Call) -> None:
    """As if the call's deadline had passed a minute ago."""
    db.session.execute(update(Call).where(Call.id == call.id).values(deadline_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()


def give_score(client, case: Case, value: str, comment: str = ""):
    """Post a score with the form on the case page (its CSRF token taken from the page)."""
    page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    return client.post(f"/cases/{case.id}/score", data={"score": value, "comment": comment, "csrf_token": token})


def close(client, call: Call):
    """Press "Close the ranking" (the form's CSRF token taken from the ranking page)."""
    token = csrf_from(client.get(f"/calls/{call.id}/ranking").get_data(as_text=True))
    return client.post(f"/calls/{call.id}/ranking", data={"csrf_token": token})


def ranking_rows(response) -> list[str]:
    """The visible text of each row of the ranking table, top to bottom."""
    table = re.search(r'<table class="ranking">.*?<tbody>(.*?)</tbody>', response.get_data(as_text=True), re.S)
    assert table, "no ranking table"
    return [visible(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(1), re.S)]


def link_text(response, href: str) -> str:
    """The visible text of the page's link to ``href`` (empty when there is none)."""
    found = re.search(rf'<a href="{re.escape(href)}">(.*?)</a>', response.get_data(as_text=True), re.S)
    return visible(found.group(1)) if found else ""


def without_tokens(markup: str) -> str:
    """The page's HTML without its CSRF tokens (random text that could contain anything)."""
    return CSRF_INPUT.sub("", markup)


def applicant_of(case: Case) -> User:
    return db.session.get(User, case.applicant_id)


# ----------------------------------------------------------------- fixtures


@pytest.fixture
def office(login, users):
    return login(users["office"])


@pytest.fixture
def members(make_user):
    """Two commission members: screeners of faculties that have nothing to do with scholarships."""
    return [make_user("faculty_screener", "IT", name="Anna Member"),
            make_user("faculty_screener", "ECON", name="Boris Member")]


@pytest.fixture
def summer_school(make_call, members):
    return make_call(TYPE, name="Summer school WEWEK 2027", variant="summer_school", seats=2, commission=members)


@pytest.fixture
def candidate(make_case, make_user, summer_school):
    """Return a new applicant's case waiting for the commission (through the real operations)."""

    def make(name: str, gpa: float = 4.7, call: Call | None = None) -> Case:
        applicant = make_user("applicant", name=name)
        return make_case(TYPE, state="commission_scoring", call=call or summer_school, applicant=applicant,
                         full_name=name, gpa=gpa)

    return make


# --------------------------------------------------- the call: form and page


def test_office_creates_a_summer_school_call_with_a_two_member_commission(office, login, users, members):
    page = office.get("/calls").get_data(as_text=True)
    commission_select = re.search(r'<select[^>]*name="commission".*?</select>', page, re.S).group(0)
    assert "Anna Member" in commission_select and "Boris Member" in commission_select
    assert "Asel Applicant" not in commission_select  # only staff accounts are offered

    response = submit(office, "/calls", call_form(commission=[str(m.id) for m in members]),
                      follow_redirects=True)
    assert "Call created: Summer school WEWEK 2030." in text(response)
    call_id = db.session.scalar(select(Call.id).where(Call.name == "Summer school WEWEK 2030"))
    assert stored_call(call_id) == ("Summer school WEWEK 2030", "summer_school", 2, sorted(m.id for m in members))

    call_page = office.get(f"/calls/{call_id}")
    assert "Programme Summer school" in text(call_page)
    assert link_text(call_page, f"/calls/{call_id}/ranking") == "The commission's scores and ranking"
    assert "Summer school: for students." in text(call_page)
    # The applicant reads the programme, but the ranking is no business of theirs.
    seen_by_applicant = login(users["applicant"]).get(f"/calls/{call_id}")
    assert "Programme Summer school" in text(seen_by_applicant)
    assert f"/calls/{call_id}/ranking" not in seen_by_applicant.get_data(as_text=True)


def test_scholarship_call_without_a_programme_is_refused_beside_the_field(office, members):
    response = submit(office, "/calls", call_form(variant="", commission=[str(m.id) for m in members]))
    assert response.status_code == 422
    assert "Choose one of the values of “Programme” for this call." in error_beside(response, "variant")
    assert count_calls() == 0


def test_an_applicant_account_cannot_sit_on_a_commission(office, users, members):
    # The select offers staff only; a stale page or a crafted post naming an applicant is refused beside it.
    response = submit(office, "/calls", call_form(commission=[str(members[0].id), str(users["applicant"].id)]))
    assert response.status_code == 422
    assert error_beside(response, "commission")
    assert "Summer school WEWEK 2030" not in text(office.get("/calls"))
    assert count_calls() == 0


def test_a_calls_programme_cannot_change_once_someone_applied(office, make_call, make_case):
    applied_to = make_call(TYPE, name="Chinese semester 2027", variant="chinese_semester")
    make_case(TYPE, call=applied_to)
    before = stored_call(applied_to.id)
    response = submit(office, f"/calls/{applied_to.id}/edit", edit_form(applied_to, variant="jsps_postdoc"))
    assert response.status_code == 422
    assert "Applications were made to this call; its “Programme” cannot change." in error_beside(response, "variant")
    assert stored_call(applied_to.id) == before

    # Without applications the office may still correct a wrongly chosen programme.
    empty = make_call(TYPE, name="JSPS 2027", variant="jsps_invitation")
    response = submit(office, f"/calls/{empty.id}/edit", edit_form(empty, variant="jsps_postdoc"))
    assert response.status_code == 303
    assert stored_call(empty.id)[1] == "jsps_postdoc"
    assert "Programme JSPS postdoctoral fellowship" in text(office.get(f"/calls/{empty.id}"))


# ------------------------------------------------------------ the apply page


@pytest.mark.parametrize(("programme", "shown", "not_shown"), [
    ("jsps_postdoc", "JSPS postdoctoral fellowship: PhD awarded within the last 6 years.",
     ["Chinese-language semester: basic knowledge of Chinese is required.", "Summer school",
      "JSPS dissertation PhD programme"]),
    ("chinese_semester", "Chinese-language semester: basic knowledge of Chinese is required.",
     ["PhD awarded within the last 6 years", "Summer school", "JSPS dissertation PhD programme"]),
])
def test_apply_page_lists_the_conditions_of_the_calls_programme_only(login, users, make_call, programme, shown,
                                                                    not_shown):
    call = make_call(TYPE, name="The call", variant=programme)
    response = login(users["applicant"]).get(f"/apply/{TYPE}?call={call.id}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    conditions = visible(re.search(r'<section class="conditions".*?</section>', body, re.S).group(0))
    assert shown in conditions
    for other in not_shown:
        assert other not in conditions
    assert 'name="programme"' not in body and 'id="programme"' not in body  # the call fixes it
    label = {"jsps_postdoc": "JSPS postdoctoral fellowship", "chinese_semester": "Chinese-language semester"}
    assert f"Programme: {label[programme]}" in text(response)


def test_ineligible_application_is_refused_with_the_programmes_reason(login, users, make_call):
    call = make_call(TYPE, name="Chinese semester 2027", variant="chinese_semester")
    client = login(users["applicant"])
    response = submit(client, f"/apply/{TYPE}?call={call.id}", as_posted(chinese_level="none"))
    assert response.status_code == 422
    assert ("Your application does not meet these conditions: The Chinese-language semester requires basic "
            "knowledge of Chinese. Nothing was stored.") in text(response)
    assert count_cases() == 0


def test_a_programme_slipped_into_the_form_is_ignored(login, users, make_call):
    call = make_call(TYPE, name="Chinese semester 2027", variant="chinese_semester")
    client = login(users["applicant"])
    response = submit(client, f"/apply/{TYPE}?call={call.id}", as_posted(programme="summer_school"))
    assert response.status_code == 303, text(response)
    assert "Programme Chinese-language semester" in text(client.get(response.headers["Location"]))
    db.session.rollback()
    assert db.session.scalar(select(Case.data)).get("programme") == "chinese_semester"


# ------------------------------------------------------------------ scoring


def test_member_finds_the_commission_on_the_queue_scores_and_changes_the_score(login, members, summer_school,
                                                                               candidate):
    first, _second = candidate("Aidana First"), candidate("Bakyt Second")
    member = login(members[0])
    queue = text(member.get("/queue"))
    assert ("Your selection commissions Summer school WEWEK 2027 : 2 applications to score, "
            "2 not scored by you yet") in queue  # the call's name is the link
    assert f'href="/calls/{summer_school.id}/ranking"' in member.get("/queue").get_data(as_text=True)

    page = member.get(f"/cases/{first.id}")
    assert "Commission scoring" in current_step(page)
    assert "Selection commission The call's ranking Your score From 0 to 10" in text(page)
    assert ">Record my score</button>" in page.get_data(as_text=True)

    response = give_score(member, first, "7.5", "Clear plan.")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/cases/{first.id}")
    page = member.get(f"/cases/{first.id}")
    assert "Your score is recorded. You can change it until the office closes the ranking." in text(page)
    body = page.get_data(as_text=True)
    assert 'value="7.50"' in body and ">Clear plan.</textarea>" in body and ">Change my score</button>" in body
    assert scores() == {(first.id, members[0].id): "7.50"}
    assert "2 applications to score, 1 not scored by you yet" in text(member.get("/queue"))

    assert give_score(member, first, "8,25").status_code == 303  # a decimal comma is read too
    assert scores() == {(first.id, members[0].id): "8.25"}
    assert 'value="8.25"' in member.get(f"/cases/{first.id}").get_data(as_text=True)


@pytest.mark.parametrize("bad", ["11", "abc", "-1", "7.555", ""])
def test_out_of_range_score_is_refused_beside_the_field_and_changes_nothing(login, members, candidate, bad):
    case = candidate("Aidana First")
    member = login(members[0])
    assert give_score(member, case, "6").status_code == 303
    response = give_score(member, case, bad)
    assert response.status_code == 422
    assert "Nothing was done." in text(response)
    assert error_beside(response, "score") == SCORE_RULE
    assert scores() == {(case.id, members[0].id): "6.00"}


@pytest.mark.parametrize("comment", ["Clear plan.\x00", "Clear \u202enalp."], ids=["nul", "right-to-left-override"])
def test_a_score_comment_with_a_control_character_is_refused_and_changes_nothing(login, members, candidate, comment):
    case = candidate("Aidana First")
    member = login(members[0])
    response = give_score(member, case, "7", comment)
    assert response.status_code == 422
    assert ("Remove the invisible control characters (such as a right-to-left override) from this text."
            in text(response))
    assert scores() == {}


def test_a_screener_off_the_commission_neither_sees_nor_scores_the_case(login, users, members, candidate,
                                                                        summer_school):
    case = candidate("Aidana First")
    outsider = login(users["screener"])  # IT, like the first member, but not on this commission
    assert outsider.get(f"/cases/{case.id}").status_code == 404
    token = csrf_from(outsider.get("/queue").get_data(as_text=True))
    response = outsider.post(f"/cases/{case.id}/score", data={"score": "10", "csrf_token": token})
    assert response.status_code == 404
    assert outsider.get(f"/calls/{summer_school.id}/ranking").status_code == 404
    assert "Your selection commissions" not in text(outsider.get("/queue"))
    assert scores() == {}


def test_office_off_the_commission_sees_the_case_but_may_not_score(office, candidate):
    case = candidate("Aidana First")
    page = office.get(f"/cases/{case.id}")
    assert "Anna Member not scored yet" in text(page) and 'name="score"' not in page.get_data(as_text=True)
    response = give_score(office, case, "10")
    assert response.status_code == 403
    assert "Only members of the call's selection commission score its applications." in text(response)
    assert scores() == {}


def test_applicant_never_sees_the_scores(login, members, candidate, summer_school):
    case = candidate("Aidana First")
    assert give_score(login(members[0]), case, "3.25", "Weak motivation letter.").status_code == 303
    assert give_score(login(members[1]), case, "9.75", "Impressive.").status_code == 303
    applicant = login(applicant_of(case))
    page = applicant.get(f"/cases/{case.id}")
    assert page.status_code == 200 and "Commission scoring" in current_step(page)
    seen = text(page)
    for secret in ("3.25", "9.75", "Weak motivation letter.", "Impressive.", "Selection commission", "Your score"):
        assert secret not in seen
    assert f"/calls/{summer_school.id}/ranking" not in page.get_data(as_text=True)
    assert applicant.get(f"/calls/{summer_school.id}/ranking").status_code == 404
    token = csrf_from(page.get_data(as_text=True))
    refused = applicant.post(f"/cases/{case.id}/score", data={"score": "10", "csrf_token": token})
    assert refused.status_code == 403
    assert scores() == {(case.id, members[0].id): "3.25", (case.id, members[1].id): "9.75"}


def test_office_cannot_rank_one_case_alone_from_its_page(office, candidate):
    case = candidate("Aidana First")
    page = office.get(f"/cases/{case.id}")
    assert transitions_offered(page) == set()  # ranking decides, on the call's ranking page
    token = csrf_from(page.get_data(as_text=True))
    response = office.post(f"/cases/{case.id}/transitions", data={
        "transition": "rank_within_places", "version": str(case.version), "comment": "", "csrf_token": token})
    assert response.status_code == 422
    assert ("“Ranked within the places” is decided for all candidates at once, by closing the ranking on the "
            "call's page.") in text(response)
    assert state_of(case.id) == "commission_scoring"


# ------------------------------------------------------------------ ranking


@pytest.fixture
def three_scored(login, members, candidate):
    """Three candidates both members scored: Cholpon best, then Aidana, then Bakyt (the call has 2 places)."""
    first, second, third = candidate("Aidana First"), candidate("Bakyt Second"), candidate("Cholpon Third")
    anna, boris = login(members[0]), login(members[1])
    for case, (by_anna, by_boris) in ((first, ("9", "8")), (second, ("6", "7")), (third, ("10", "9.5"))):
        assert give_score(anna, case, by_anna).status_code == 303
        assert give_score(boris, case, by_boris).status_code == 303
    return first, second, third


def test_office_sees_every_members_scores_the_means_the_ranks_and_the_tie_break(office, summer_school,
                                                                                three_scored):
    first, second, third = three_scored
    page = office.get(f"/calls/{summer_school.id}/ranking")
    assert page.status_code == 200
    seen = text(page)
    assert "Places left 2 Commission Anna Member, Boris Member" in seen
    assert TIE_BREAK in seen
    assert "Rank Application Applicant Anna Member Boris Member Mean Lowest Result if closed now" in seen
    assert ranking_rows(page) == [
        f"1 {third.reference} Cholpon Third 10 9.5 9.75 9.5 shortlisted",
        f"2 {first.reference} Aidana First 9 8 8.5 8 shortlisted",
        f"3 {second.reference} Bakyt Second 6 7 6.5 6 not selected",
    ]
    # The case page shows the office each member's score too.
    assert "Member Score Note Anna Member 9.00 Boris Member 8.00" in text(office.get(f"/cases/{first.id}"))


def test_a_member_sees_only_their_own_scores(login, members, summer_school, candidate):
    first, second = candidate("Aidana First"), candidate("Bakyt Second")
    anna, boris = login(members[0]), login(members[1])
    assert give_score(anna, first, "3.25", "Thin motivation.").status_code == 303
    assert give_score(boris, first, "9.75", "Boris's secret note.").status_code == 303
    assert give_score(boris, second, "8.75").status_code == 303

    page = anna.get(f"/calls/{summer_school.id}/ranking")
    assert page.status_code == 200
    assert "You see your own scores only; the office sees the commission's and closes the ranking." in text(page)
    assert ranking_rows(page) == [f"{first.reference} Aidana First 3.25", f"{second.reference} Bakyt Second not "
                                                                          "scored yet"]
    case_page = anna.get(f"/cases/{first.id}")
    for markup in (page.get_data(as_text=True), case_page.get_data(as_text=True)):
        markup = without_tokens(markup)
        for secret in ("9.75", "8.75", "6.50", "Boris Member", "Boris's secret note", "Boris&#39;s secret note"):
            assert secret not in markup
    for hidden in ("Mean", "Lowest", "Rank", "Close the ranking"):
        assert hidden not in text(page)

    # Nor may a member close the ranking.
    refused = close(anna, summer_school)
    assert refused.status_code == 403
    assert "Only the international office closes a ranking." in text(refused)
    assert states(first, second) == ["commission_scoring"] * 2


def test_closing_too_early_or_with_scores_missing_lists_the_reasons_and_moves_nothing(
        office, login, make_user, make_case, members, summer_school, candidate):
    first, second = candidate("Aidana First"), candidate("Bakyt Second")
    make_case(TYPE, state="eligibility_check", call=summer_school, applicant=make_user(), full_name="Dana Late")
    anna, boris = login(members[0]), login(members[1])
    for case in (first, second):
        assert give_score(anna, case, "8").status_code == 303
    assert give_score(boris, first, "9").status_code == 303

    page = text(office.get(f"/calls/{summer_school.id}/ranking"))
    assert "The ranking cannot close yet:" in page and "Close the ranking and award the places" not in page
    response = close(office, summer_school)
    assert response.status_code == 409
    seen = text(response)
    assert "The ranking cannot close yet." in seen
    assert "; the ranking closes after the deadline." in seen
    assert "1 application is still on its way to the commission (Eligibility check and Submitted)." in seen
    assert f"Boris Member has not scored {second.reference} yet." in seen
    assert states(first, second) == ["commission_scoring"] * 2

    close_deadline(summer_school)  # the deadline passed: the other reasons remain
    response = close(office, summer_school)
    assert response.status_code == 409
    seen = text(response)
    assert "the ranking closes after the deadline" not in seen
    assert f"Boris Member has not scored {second.reference} yet." in seen
    assert states(first, second) == ["commission_scoring"] * 2


def test_closing_after_the_deadline_shortlists_the_places_and_tells_each_applicant_their_rank(
        office, login, summer_school, three_scored):
    first, second, third = three_scored
    close_deadline(summer_school)
    assert ("Closing shortlists the best 2 and tells every other candidate their rank. This cannot be undone."
            in text(office.get(f"/calls/{summer_school.id}/ranking")))

    response = close(office, summer_school)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/calls/{summer_school.id}")
    assert "Ranking closed: 2 candidates shortlisted, 1 not selected." in text(office.get(response.headers["Location"]))
    assert states(third, first, second) == ["shortlisted", "shortlisted", "rejected"]
    for case, step, rank in ((third, "Shortlisted", "Rank 1 of 3, mean score 9.75"),
                             (first, "Shortlisted", "Rank 2 of 3, mean score 8.50"),
                             (second, "Not selected", "Rank 3 of 3, mean score 6.50")):
        status = login(applicant_of(case)).get(f"/cases/{case.id}")
        assert step in current_step(status)
        assert f"{rank}; the call had 2 places left." in text(status)

    again = close(office, summer_school)  # nothing is left to rank
    assert again.status_code == 409 and "No application waits for the ranking." in text(again)
    assert states(third, first, second) == ["shortlisted", "shortlisted", "rejected"]


def test_equal_means_go_to_the_candidate_with_the_higher_lowest_score(office, login, make_call, members,
                                                                      candidate):
    call = make_call(TYPE, name="Summer school 2028", variant="summer_school", seats=1, commission=members)
    # The earlier application with the better grades: the later tie-breaks would favour it.
    uneven = candidate("Aidana Uneven", gpa=5.0, call=call)
    steady = candidate("Bakyt Steady", gpa=4.0, call=call)
    anna, boris = login(members[0]), login(members[1])
    for case, (by_anna, by_boris) in ((uneven, ("10", "4")), (steady, ("7", "7"))):
        assert give_score(anna, case, by_anna).status_code == 303
        assert give_score(boris, case, by_boris).status_code == 303

    assert ranking_rows(office.get(f"/calls/{call.id}/ranking")) == [
        f"1 {steady.reference} Bakyt Steady 7 7 7 7 shortlisted",
        f"2 {uneven.reference} Aidana Uneven 10 4 7 4 not selected",
    ]
    close_deadline(call)
    assert close(office, call).status_code == 303
    assert states(steady, uneven) == ["shortlisted", "rejected"]
    assert "Rank 2 of 2, mean score 7.00;" in text(login(applicant_of(uneven)).get(f"/cases/{uneven.id}"))
