"""Submitting an application through POST /api/v1/cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_helpers import ApiClient, application_data, assert_error, count_cases

from caseflow.timeutil import office_today, utcnow


@pytest.fixture
def call(make_call):
    return make_call()


@pytest.fixture
def applicant(client, token, users):
    return ApiClient(client, token(users["applicant"]))


def test_applicant_submits_an_application(applicant, call):
    response = applicant.apply(call.id)
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/cases/{case['id']}")
    assert case["type"] == "mobility"
    assert case["state"] == "submitted"
    assert case["state_label"] == "Submitted"
    assert case["version"] == 1
    assert case["reference"].startswith("MOB-")
    assert case["call"] == {"id": call.id, "name": call.name}
    assert case["partner"]["name"] == "TH Wildau"
    assert case["faculty"] == "IT"
    assert case["data"]["gpa"] == 4.6 and case["data"]["study_year"] == 3
    assert case["created_at"].endswith("Z")
    assert [e["action"] for e in case["history"]] == ["case.created"]
    assert [t["name"] for t in case["allowed_transitions"]] == ["withdraw"]
    assert applicant.get(f"/cases/{case['id']}").get_json() == case


@pytest.mark.parametrize("role", ["screener", "office", "admin"])
def test_staff_may_not_submit_applications(client, token, users, call, role):
    body = assert_error(ApiClient(client, token(users[role])).apply(call.id), 403)
    assert "applicant" in body["error"]
    assert count_cases() == 0


def test_field_errors_are_listed_per_field(applicant, call):
    response = applicant.apply(
        call.id, gpa=7, study_year="three", email="not-an-email", faculty="NOPE", partner="Nowhere",
        language_level="Z9", full_name=None,
    )
    body = assert_error(response, 422, "data.gpa", "data.study_year", "data.email", "data.faculty", "data.partner",
                        "data.language_level", "data.full_name")
    assert "call" not in body["errors"]
    assert count_cases() == 0


def test_unknown_field_is_refused_not_dropped(applicant, call):
    data = application_data(gpa_average=4.9)
    body = assert_error(applicant.post("/cases", {"type": "mobility", "call": call.id, "data": data}), 422,
                        "data.gpa_average")
    assert set(body["errors"]) == {"data.gpa_average"}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"gpa": 4.4, "specialty_kind": "technical"}, ["Average grade"]),
        ({"gpa": 4.6, "specialty_kind": "economic"}, ["Average grade"]),
        ({"enrolled_in": office_today().year}, ["at least 2 years"]),
        ({"language_level": "B1"}, ["Language level"]),
        (
            {"gpa": 4.4, "enrolled_in": office_today().year, "language_level": "B1"},
            ["at least 2 years", "Average grade", "Language level"],
        ),
    ],
)
def test_ineligible_application_lists_every_failed_rule_and_stores_nothing(applicant, call, changes, expected):
    body = assert_error(applicant.apply(call.id, **changes), 422, "eligibility")
    reasons = body["errors"]["eligibility"]
    assert len(reasons) == len(expected)
    for reason, words in zip(reasons, expected, strict=True):
        assert words in reason
    assert count_cases() == 0


@pytest.mark.parametrize(("kind", "gpa"), [("technical", 4.5), ("economic", 4.7)])
def test_gpa_at_the_threshold_is_eligible(applicant, call, kind, gpa):
    assert applicant.apply(call.id, specialty_kind=kind, gpa=gpa).status_code == 201


def test_second_application_to_a_call_waits_for_withdrawal(applicant, call):
    first = applicant.apply(call.id).get_json()
    body = assert_error(applicant.apply(call.id, partner="TH Köln"), 422, "eligibility")
    assert "already have an application" in body["errors"]["eligibility"][0]
    assert count_cases() == 1

    assert applicant.fire(first["id"], "withdraw", first["version"]).status_code == 200
    second = applicant.apply(call.id, partner="TH Köln")
    assert second.status_code == 201
    assert count_cases() == 2


def test_other_applicants_apply_to_the_same_call(client, token, users, applicant, call):
    assert applicant.apply(call.id).status_code == 201
    assert ApiClient(client, token(users["other_applicant"])).apply(call.id).status_code == 201


def test_call_after_its_deadline_is_refused(applicant, make_call):
    closed = make_call(deadline=utcnow() - timedelta(minutes=1))
    body = assert_error(applicant.apply(closed.id), 422, "call")
    assert "closed" in body["errors"]["call"][0]
    assert count_cases() == 0


@pytest.mark.parametrize("call_value", [None, 999999, "1", True, 2**40, [1]])
def test_missing_or_unknown_call_is_refused(applicant, call, call_value):
    body = {"type": "mobility", "data": application_data()}
    if call_value is not None:
        body["call"] = call_value
    response = assert_error(applicant.post("/cases", body), 422, "call")
    # Without a call there are no partners, so the partner is not blamed as well.
    assert "partner" not in response["errors"]


def test_partner_of_another_call_is_refused(applicant, make_call):
    call = make_call()
    make_call(partners=[{"name": "Far Away University", "country": "JP", "seats": 3}])
    assert_error(applicant.apply(call.id, partner="Far Away University"), 422, "data.partner")


@pytest.mark.parametrize("gpa", ["NaN", "sNaN", "Infinity", "-Infinity", "1e999999", "4,6"])
def test_gpa_that_is_no_number_is_refused(applicant, call, gpa):
    assert_error(applicant.apply(call.id, gpa=gpa), 422, "data.gpa")
    assert count_cases() == 0


@pytest.mark.parametrize("case_type", [None, "", "nope", 3])
def test_unknown_type_is_refused(applicant, call, case_type):
    body = assert_error(applicant.post("/cases", {"type": case_type, "call": call.id, "data": application_data()}),
                        422, "type")
    assert "mobility" in body["errors"]["type"][0]


@pytest.mark.parametrize("data", [None, [], "x", 5])
def test_data_must_be_an_object(applicant, call, data):
    assert_error(applicant.post("/cases", {"type": "mobility", "call": call.id, "data": data}), 422, "data")


@pytest.mark.parametrize("value", [{"x": 1}, [1, 2], [{"a": 1}]])
def test_nested_value_where_text_is_expected_is_refused(applicant, call, value):
    response = applicant.post("/cases", {"type": "mobility", "call": call.id, "data": application_data(gpa=value)})
    body = assert_error(response, 422, "data.gpa")
    assert body["errors"]["data.gpa"] == ["A number, e.g. 4.5."]
    assert count_cases() == 0


@pytest.mark.parametrize("body", ["[]", '"text"', "42", "null"])
def test_body_must_be_a_json_object(applicant, body):
    response = applicant.post("/cases", data=body, content_type="application/json")
    body = assert_error(response, 422)
    assert "object" in body["error"]


@pytest.mark.parametrize("text", ["{type: mobility", "", '{"type": "mobility",}'])
def test_malformed_json_is_a_400(applicant, text):
    body = assert_error(applicant.post("/cases", data=text, content_type="application/json"), 400)
    assert "JSON" in body["error"]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_body_must_be_sent_as_json(applicant, call, content_type):
    kwargs = {"content_type": content_type} if content_type else {}
    response = applicant.post("/cases", data='{"type": "mobility"}', **kwargs)
    body = assert_error(response, 415)
    assert "application/json" in body["error"]
    assert count_cases() == 0
