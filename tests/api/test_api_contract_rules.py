"""What the API's contract promises besides each endpoint's own rules: strict JSON, errors in JSON paths,
405 with Allow, ids within the database's range, and the query arguments as declared."""

from __future__ import annotations

import pytest
from api_helpers import ApiClient, application_data, assert_error, count_cases


@pytest.fixture
def applicant(client, token, users):
    return ApiClient(client, token(users["applicant"]))


def test_a_number_sent_as_text_is_refused_naming_the_field(applicant, make_call):
    call = make_call()
    body = assert_error(applicant.post("/cases", {"type": "mobility", "call": call.id,
                                                  "data": application_data(study_year="3")}), 422, "data.study_year")
    assert body["errors"] == {"data.study_year": ["A whole number, e.g. 3."]}
    assert count_cases() == 0


@pytest.mark.parametrize(("body", "path"), [
    ({"transition": "withdraw", "version": 1, "note": "x"}, "note"),
    ({"transition": "withdraw", "version": "1"}, "version"),
    ({"transition": "withdraw", "version": 1.0}, "version"),
    ({"transition": "", "version": 1}, "transition"),
    ({"transition": "withdraw", "version": 1, "comment": "bell\x07"}, "comment"),
])
def test_a_body_is_read_strictly(applicant, make_case, body, path):
    case = make_case()
    refused = assert_error(applicant.post(f"/cases/{case.id}/transitions", body), 422, path)
    assert set(refused["errors"]) == {path}


def test_a_nested_value_is_named_by_its_json_path(client, token, users):
    office = ApiClient(client, token(users["office"]))
    body = {"name": "Erasmus+ 2031", "type": "mobility", "deadline": "2031-01-01T00:00:00Z",
            "partners": [{"name": "TU Graz", "country": "Austria", "seats": 1},
                         {"name": "TU Wien", "country": "Austria", "seats": "two"}]}
    assert set(assert_error(office.post("/calls", body), 422)["errors"]) == {"partners[1].seats"}


@pytest.mark.parametrize("raw", ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000])
def test_a_deeply_nested_body_is_refused_not_a_server_error(applicant, raw):
    response = applicant.post("/cases", data=raw, content_type="application/json")
    assert response.status_code in (400, 422) and response.is_json


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("DELETE", "/cases", {"GET", "POST"}),
    ("PATCH", "/documents/1", {"GET", "DELETE"}),
    ("TRACE", "/workflows", {"GET"}),
])
def test_a_method_the_address_lacks_is_405_with_allow(applicant, method, path, allowed):
    response = applicant.open(path, method)
    assert response.status_code == 405 and response.is_json
    assert set(response.headers["Allow"].split(", ")) - {"HEAD", "OPTIONS"} == allowed


@pytest.mark.parametrize("case_id", ["2147483648", "99999999999", "0", "007"])
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_an_id_the_database_cannot_hold_is_404_whatever_the_method(applicant, case_id, method):
    assert applicant.open(f"/documents/{case_id}", method).status_code == 404
    assert applicant.open(f"/cases/{case_id}/transitions", method).status_code == 404


@pytest.mark.parametrize(("query", "name"), [
    ("type=", "type"), ("type=nope", "type"), ("state=nope", "state"), ("page=", "page"), ("page=+1", "page"),
    ("per_page=201", "per_page"), ("page=1.0", "page"),
])
def test_query_arguments_are_read_as_declared(applicant, query, name):
    assert set(assert_error(applicant.get(f"/cases?{query}"), 422)["errors"]) == {name}


def test_a_state_of_another_type_matches_no_case(client, token, users, make_case):
    make_case(state="submitted")
    office = ApiClient(client, token(users["office"]))
    assert office.get("/cases?type=mobility&state=submitted").get_json()["total"] == 1
    assert office.get("/cases?type=mobility&state=waitlisted").get_json()["total"] == 0


def test_every_refusal_has_the_one_error_shape(client, applicant):
    for response in (client.get("/api/v1/cases"), applicant.get("/cases/999999"), applicant.open("/cases", "PUT"),
                     applicant.post("/cases", data="{", content_type="application/json")):
        body = response.get_json()
        assert set(body) == {"error", "errors"} and body["error"], body


def test_the_document_lists_every_refusal_an_operation_may_answer(client):
    document = client.get("/api/v1/openapi.json").get_json()
    create = document["paths"]["/cases"]["post"]["responses"]
    assert {"201", "400", "401", "403", "413", "415", "422"} <= set(create)
    assert "Allow" in document["components"]["responses"]["E405"]["headers"]
    case_id = document["paths"]["/cases/{case_id}"]["get"]["parameters"][0]["schema"]
    assert case_id == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
