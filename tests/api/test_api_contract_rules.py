"""What the API's contract promises besides each endpoint's own rules: strict JSON, errors in JSON paths,
405 with Allow, ids within the database's range, and the query arguments as declared."""

from __future__ import annotations

import io

import pytest
from api_helpers import ApiClient, application_data, assert_error, count_cases

from caseflow.documents.samples import sample_pdf
from tests.factories import sample_data


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
            "partners": [{"name": "TU Graz", "country": "AT", "seats": 1},
                         {"name": "TU Wien", "country": "AT", "seats": "two"}]}
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


def test_the_summary_is_the_one_message_or_says_to_see_the_errors(applicant, make_case):
    case = make_case()
    one = assert_error(applicant.post(f"/cases/{case.id}/transitions", {"transition": "withdraw"}), 422)
    assert one["error"] == one["errors"]["version"][0]
    many = assert_error(applicant.post(f"/cases/{case.id}/transitions", {"x": 1}), 422)
    assert many["error"] == "Some values need attention; see errors." and len(many["errors"]) == 3


def test_a_shapes_own_words_are_for_a_wrong_type_not_for_a_broken_limit(applicant, make_case):
    case = make_case()
    wrong = applicant.post(f"/cases/{case.id}/transitions", {"transition": "withdraw", "version": 1, "comment": 5})
    assert wrong.get_json()["errors"] == {"comment": ["A comment is text."]}
    long = applicant.post(f"/cases/{case.id}/transitions",
                          {"transition": "withdraw", "version": 1, "comment": "x" * 5001})
    assert long.get_json()["errors"] == {"comment": ["At most 5000 characters."]}


@pytest.mark.parametrize("deadline", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00+14:00", "0001-01-01T00:00"])
def test_a_deadline_outside_the_calendar_is_refused(client, token, users, deadline):
    office = ApiClient(client, token(users["office"]))
    body = {"name": "Edge", "type": "hostel", "deadline": deadline, "seats": 4}
    assert "outside the calendar" in assert_error(office.post("/calls", body), 422, "deadline")["error"]


@pytest.mark.parametrize(("phone", "status"), [("+996 555 123 456", 201), ("+996 555 123 456\n", 422),
                                               (" +996 555 123 456", 422), ("", 422)])
def test_a_phone_is_taken_as_sent(client, token, users, make_call, phone, status):
    call = make_call("staff_mobility")
    response = ApiClient(client, token(users["applicant"])).post(
        "/cases", {"type": "staff_mobility", "call": call.id, "data": sample_data("staff_mobility", phone=phone)})
    assert response.status_code == status, response.get_json()


def test_an_upload_with_a_part_it_does_not_declare_is_refused(applicant, make_case):
    case = make_case(documents=False)
    response = applicant.post(f"/cases/{case.id}/documents", data={
        "kind": "passport", "file": (io.BytesIO(sample_pdf()), "passport.pdf"), "colour": "blue"},
        content_type="multipart/form-data")
    assert set(assert_error(response, 422)["errors"]) == {"colour"}


@pytest.mark.parametrize(("ids", "status"), [("2147483647", 200), ("1,2", 200), ("0", 422), ("01", 422),
                                             ("2147483648", 422), ("1,,2", 422)])
def test_export_ids_are_ids(client, token, users, ids, status):
    office = ApiClient(client, token(users["office"]))
    assert office.get(f"/exports/work-permits.csv?ids={ids}").status_code == status


def test_the_csv_says_its_charset_once(client, token, users):
    response = ApiClient(client, token(users["office"])).get("/exports/work-permits.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_list_field_says_where_its_values_come_from(applicant):
    fields = {f["name"]: f for w in applicant.get("/workflows").get_json() if w["name"] == "mobility"
              for f in w["fields"]}
    assert (fields["faculty"]["choices_from"], fields["partner"]["choices_from"]) == ("faculties", "partners")
    assert fields["specialty_kind"]["choices_from"] is None and fields["specialty_kind"]["choices"]
