"""Calls for applications: listing them with free seats, and creating them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from api_helpers import assert_error, selects_to_get

from caseflow.timeutil import utcnow

PARTNERS = [{"name": "TH Wildau", "country": "DE", "seats": 2}]


def call_body(**overrides) -> dict:
    body = {"name": "Erasmus+ 2030", "type": "mobility", "deadline": "2030-03-01T12:00:00Z", "partners": PARTNERS}
    body.update(overrides)
    return body


def test_calls_list_partners_and_free_seats(as_user, make_call, make_case, users):
    call = make_call(deadline=datetime(2031, 1, 15, 6, 0))
    make_case(state="partner_nomination", call=call)  # holds a TH Wildau seat
    make_case(call=call, applicant=users["other_applicant"])  # submitted: holds none
    (listed,) = as_user("applicant").get("/calls").get_json()
    assert {key: value for key, value in listed.items() if key != "partners"} == {
        "id": call.id, "name": call.name, "type": "mobility", "deadline": "2031-01-15T06:00:00Z", "open": True,
        "seats": None, "seats_left": None, "description": "", "variant": None, "language": "en", "translations": {},
        "first_day": None, "last_day": None, "starts_at": None, "ends_at": None, "place": "", "contact": "",
        "reserve_list": False,
    }
    assert sorted((p["name"], p["country"], p["seats"], p["seats_left"]) for p in listed["partners"]) == [
        ("TH Köln", "DE", 1, 1),
        ("TH Wildau", "DE", 2, 1),
    ]


def test_calls_list_runs_the_same_queries_for_one_call_or_many(as_user, make_call, make_case, make_user):
    office = as_user("office")
    make_case(state="partner_nomination", call=make_call())
    one = selects_to_get(office, "/calls")
    for _ in range(3):  # a student each: the programme takes each once
        make_case(state="partner_nomination", call=make_call(), applicant=make_user())
    assert len(office.get("/calls").get_json()) == 4
    assert selects_to_get(office, "/calls") == one <= 3  # token and user, calls with partners, seats taken


def test_closed_call_is_listed_as_not_open(as_user, make_call):
    make_call(deadline=utcnow() - timedelta(days=1))
    assert [c["open"] for c in as_user("applicant").get("/calls").get_json()] == [False]


def test_calls_filter_by_type(as_user, make_call):
    make_call()
    office = as_user("office")
    assert len(office.get("/calls?type=mobility").get_json()) == 1
    assert_error(office.get("/calls?type=nope"), 422, "type")


@pytest.mark.parametrize("role", ["office", "admin"])
def test_office_creates_a_call(as_user, role):
    response = as_user(role).post("/calls", call_body())
    assert response.status_code == 201, response.get_json()
    call = response.get_json()
    assert call["name"] == "Erasmus+ 2030"
    assert call["deadline"] == "2030-03-01T12:00:00Z"
    assert call["open"] is True
    assert [(p["name"], p["seats"], p["seats_left"]) for p in call["partners"]] == [("TH Wildau", 2, 2)]
    assert as_user("applicant").get("/calls").get_json() == [call]


@pytest.mark.parametrize("role", ["applicant", "screener"])
def test_others_may_not_create_calls(as_user, role):
    body = assert_error(as_user(role).post("/calls", call_body()), 403)
    assert "office" in body["error"]
    assert as_user("office").get("/calls").get_json() == []


@pytest.mark.parametrize(
    ("deadline", "utc"),
    [
        ("2027-03-01T12:00:00Z", "2027-03-01T12:00:00Z"),
        ("2027-03-01T12:00:00+06:00", "2027-03-01T06:00:00Z"),
        ("2027-03-01T12:00", "2027-03-01T06:00:00Z"),  # office time, Asia/Bishkek (UTC+6)
        ("2027-03-01T12:00:00", "2027-03-01T06:00:00Z"),
        ("2027-03-01T12:00:00.000Z", "2027-03-01T12:00:00Z"),  # JavaScript's toISOString()
        ("2027-03-01T12:00:00-03:00", "2027-03-01T15:00:00Z"),
    ],
)
def test_deadline_offsets_and_office_time(as_user, deadline, utc):
    response = as_user("office").post("/calls", call_body(deadline=deadline))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["deadline"] == utc


@pytest.mark.parametrize("deadline", ["garbage", "2027-13-01T12:00", "", None, 1767225600, "01.03.2027 12:00"])
def test_unreadable_deadline_is_refused(as_user, deadline):
    assert_error(as_user("office").post("/calls", call_body(deadline=deadline)), 422, "deadline")


def test_duplicate_call_name_is_refused(as_user):
    office = as_user("office")
    assert office.post("/calls", call_body()).status_code == 201
    assert_error(office.post("/calls", call_body()), 422, "name")
    assert len(office.get("/calls").get_json()) == 1


def test_call_whose_applicants_choose_a_partner_needs_partners(as_user):
    for partners in ([], None):
        assert_error(as_user("office").post("/calls", call_body(partners=partners)), 422, "partners")


def test_partner_errors_name_the_row_and_field(as_user):
    partners = [PARTNERS[0], {"name": "", "country": "DE", "seats": 0}]
    body = assert_error(as_user("office").post("/calls", call_body(partners=partners)), 422,
                        "partners[1].name", "partners[1].seats")
    assert "partners[0].name" not in body["errors"]


def test_partner_listed_twice_is_refused(as_user):
    assert_error(as_user("office").post("/calls", call_body(partners=PARTNERS * 2)), 422, "partners")


@pytest.mark.parametrize("partners", ["TH Wildau", [1, 2], [{"name": {"de": "TH Wildau"}}]])
def test_malformed_partners_are_refused(as_user, partners):
    assert_error(as_user("office").post("/calls", call_body(partners=partners)), 422)


@pytest.mark.parametrize(("field", "value"), [("type", "nope"), ("type", None), ("name", ""), ("name", "x" * 201)])
def test_call_fields_are_checked(as_user, field, value):
    assert_error(as_user("office").post("/calls", call_body(**{field: value})), 422, field)
