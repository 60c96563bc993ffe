"""Reading cases: one case with its history, and paged lists of the visible ones."""

from __future__ import annotations

import pytest
from api_helpers import assert_error, selects_to_get

from caseflow.extensions import db
from caseflow.models.cases import CaseEvent
from caseflow.timeutil import utcnow


def test_case_shows_history_and_what_the_caller_may_do(as_user, make_case):
    case = make_case(state="faculty_screening")
    body = as_user("screener").get(f"/cases/{case.id}").get_json()
    assert body["id"] == case.id
    assert body["reference"] == case.reference
    assert body["state"] == "faculty_screening"
    assert body["state_label"] == "Faculty screening"
    assert body["version"] == 2
    assert body["updated_at"].endswith("Z")
    assert body["partner"] == {"id": case.partner_id, "name": "TH Wildau", "country": "DE"}
    assert [(e["action"], e["transition"], e["from"], e["to"]) for e in body["history"]] == [
        ("case.created", None, None, "submitted"),
        ("document.uploaded", None, None, "submitted"),
        ("case.transitioned", "send_to_faculty", "submitted", "faculty_screening"),
    ]
    assert body["history"][0]["actor"] == {"name": "Asel Applicant", "role": "applicant"}
    assert body["history"][2]["actor"] == {"name": "Olga Office", "role": "office_staff"}
    assert body["allowed_transitions"] == [
        {"name": "pass_screening", "label": "Pass faculty screening", "dest": "office_interview",
         "comment": "optional", "records": []},
        {"name": "fail_screening", "label": "Fail faculty screening", "dest": "rejected", "comment": "required",
         "records": []},
    ]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("applicant", ["withdraw"]), ("office", []), ("admin", []), ("screener", ["pass_screening", "fail_screening"])],
)
def test_allowed_transitions_depend_on_the_role(as_user, make_case, role, allowed):
    case = make_case(state="faculty_screening")
    body = as_user(role).get(f"/cases/{case.id}").get_json()
    assert [t["name"] for t in body["allowed_transitions"]] == allowed


def test_closed_case_allows_nothing(as_user, make_case):
    case = make_case(state="accepted")
    assert as_user("applicant").get(f"/cases/{case.id}").get_json()["allowed_transitions"] == []


@pytest.mark.parametrize("role", ["other_applicant", "other_screener"])
def test_case_of_someone_else_is_404_not_403(as_user, make_case, role):
    case = make_case(state="faculty_screening")
    body = assert_error(as_user(role).get(f"/cases/{case.id}"), 404)
    # The same answer as for a case that does not exist: references cannot be probed.
    assert body == as_user(role).get("/cases/999999").get_json()


def test_missing_case_is_404(as_user):
    assert_error(as_user("admin").get("/cases/424242"), 404)


def test_event_without_actor_shows_null(as_user, make_case):
    case = make_case()
    db.session.add(CaseEvent(case_id=case.id, at=utcnow(), actor_id=None, action="case.reminded",
                             to_state="submitted", comment="Reminder sent"))
    db.session.commit()
    last = as_user("office").get(f"/cases/{case.id}").get_json()["history"][-1]
    assert last["actor"] is None
    assert last["comment"] == "Reminder sent"


def test_case_page_runs_the_same_queries_whatever_the_history_length(as_user, make_case, users):
    office = as_user("office")
    short = make_case(state="faculty_screening")  # 3 lines: created, the passport's upload, 1 transition
    long = make_case(state="accepted", applicant=users["other_applicant"])  # 6 lines: 4 transitions
    db.session.add(CaseEvent(case_id=long.id, at=utcnow(), actor_id=None, action="case.reminded",
                             to_state="accepted"))
    db.session.commit()
    assert len(office.get(f"/cases/{long.id}").get_json()["history"]) == 7

    selects_short = selects_to_get(office, f"/cases/{short.id}")
    selects_long = selects_to_get(office, f"/cases/{long.id}")
    assert selects_short == selects_long
    assert selects_long <= 5  # token and user, case with call and partner, history with actors, deadlines, documents


def test_list_shows_only_visible_cases(as_user, make_case, users, make_call):
    mine = make_case()
    theirs = make_case(applicant=users["other_applicant"], faculty="ECON")
    assert [c["id"] for c in as_user("applicant").get("/cases").get_json()["items"]] == [mine.id]
    assert [c["id"] for c in as_user("other_screener").get("/cases").get_json()["items"]] == [theirs.id]
    assert [c["id"] for c in as_user("screener").get("/cases").get_json()["items"]] == [mine.id]
    office = as_user("office").get("/cases").get_json()
    assert office["total"] == 2
    item = office["items"][0]
    assert set(item) >= {"id", "reference", "type", "state", "state_label", "version", "call", "partner",
                         "faculty", "data", "created_at", "updated_at"}
    assert "history" not in item


def test_list_filters_by_type_and_state(as_user, make_case, users):
    make_case()
    screened = make_case(state="faculty_screening", applicant=users["other_applicant"])
    office = as_user("office")
    body = office.get("/cases?type=mobility&state=faculty_screening").get_json()
    assert [c["id"] for c in body["items"]] == [screened.id]
    assert body["total"] == 1
    assert office.get("/cases?state=accepted").get_json()["total"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [("type=nope", "type"), ("state=nope", "state"), ("type=mobility&state=nope", "state")],
)
def test_unknown_filters_are_refused(as_user, query, field):
    assert_error(as_user("office").get(f"/cases?{query}"), 422, field)


def test_list_is_paged(as_user, make_case, make_user, make_call):
    call = make_call()
    applicants = [make_user("applicant") for _ in range(5)]
    created = [make_case(applicant=a, call=call) for a in applicants]
    office = as_user("office")
    pages = [office.get(f"/cases?per_page=2&page={n}").get_json() for n in (1, 2, 3, 4)]
    assert [len(p["items"]) for p in pages] == [2, 2, 1, 0]
    assert {p["total"] for p in pages} == {5}
    assert [(p["page"], p["per_page"]) for p in pages] == [(1, 2), (2, 2), (3, 2), (4, 2)]
    seen = [c["id"] for p in pages for c in p["items"]]
    assert sorted(seen) == sorted(c.id for c in created)  # every case once


def test_list_uses_the_configured_page_size(app, as_user, make_case):
    make_case()
    body = as_user("office").get("/cases").get_json()
    assert body["page"] == 1
    assert body["per_page"] == app.config["CASEFLOW_API_PAGE_SIZE"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"), ("page=-1", "page"), ("page=abc", "page"), ("page=1.5", "page"),
        ("page=99999999999999999999", "page"), ("per_page=0", "per_page"), ("per_page=201", "per_page"),
        ("per_page=x", "per_page"),
    ],
)
def test_bad_page_numbers_are_refused(as_user, query, field):
    assert_error(as_user("office").get(f"/cases?{query}"), 422, field)
