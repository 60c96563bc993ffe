"""Reference data and the contract: workflows, faculties, and the OpenAPI document."""

from __future__ import annotations

import re

import pytest
from api_helpers import ApiClient, application_data
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from caseflow.catalog import catalog
from caseflow.reference_data import FACULTIES


@pytest.fixture
def office(client, token, users):
    return ApiClient(client, token(users["office"]))


def test_workflows_describe_every_loaded_case_type(office):
    body = office.get("/workflows").get_json()
    assert [w["name"] for w in body] == [w.name for w in catalog()]
    for described, workflow in zip(body, catalog(), strict=True):
        assert described["label"] == workflow.label
        assert described["description"] == workflow.description
        assert [(s["name"], s["label"], s["terminal"]) for s in described["states"]] == [
            (s.name, s.label, s.terminal) for s in workflow.states
        ]
        assert [(t["name"], t["label"], t["sources"], t["dest"], t["roles"]) for t in described["transitions"]] == [
            (t.name, t.label, list(t.sources), t.dest, list(t.roles)) for t in workflow.transitions
        ]
        assert [(f["name"], f["label"], f["type"], f["required"]) for f in described["fields"]] == [
            (f.name, f.label, f.type, f.required) for f in workflow.fields
        ]


def test_workflow_fields_carry_choices_and_limits(office):
    (mobility,) = [w for w in office.get("/workflows").get_json() if w["name"] == "mobility"]
    fields = {f["name"]: f for f in mobility["fields"]}
    assert fields["specialty_kind"]["choices"] == [
        {"value": "technical", "label": "Technical"}, {"value": "economic", "label": "Economic"},
    ]
    assert (fields["study_year"]["min"], fields["study_year"]["max"]) == (1, 7)
    assert fields["gpa"]["max"] == 5
    assert fields["full_name"]["choices"] == []


def test_workflow_lists_its_eligibility_conditions(office):
    (mobility,) = [w for w in office.get("/workflows").get_json() if w["name"] == "mobility"]
    assert len(mobility["conditions"]) == 5
    assert any("B2" in condition for condition in mobility["conditions"])


def test_faculties_list_codes_and_names(office):
    body = office.get("/faculties").get_json()
    assert sorted((f["code"], f["name"]) for f in body) == sorted((code, names["en"]) for code, names in FACULTIES)


def test_openapi_document_is_public_and_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert document["components"]["schemas"]["Error"]["required"] == ["error", "errors"]


def test_openapi_case_types_come_from_the_workflows(client):
    document = client.get("/api/v1/openapi.json").get_json()
    names = [w.name for w in catalog()]
    applications = document["paths"]["/cases"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert list(applications["discriminator"]["mapping"]) == names
    mobility = document["components"]["schemas"]["MobilityData"]
    assert set(mobility["properties"]) == {f.name for f in catalog()["mobility"].fields}
    assert mobility["properties"]["language_level"]["enum"] == ["A1", "A2", "B1", "B2", "C1", "C2"]


def test_openapi_documents_every_api_route(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:<>]+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
            routes |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented


def conforms(document: dict, instance, schema: dict) -> None:
    """Validate ``instance`` against a schema of the document, its $refs resolved in the document."""
    root = {**schema, "components": document["components"]}
    Draft202012Validator(root).validate(instance)


def test_real_responses_match_the_documented_schemas(client, office, token, users, make_case):
    document = client.get("/api/v1/openapi.json").get_json()
    paths = document["paths"]

    def ok_schema(path, method, status="200"):
        return paths[path][method]["responses"][status]["content"]["application/json"]["schema"]

    case = make_case(state="partner_nomination")
    conforms(document, office.get("/workflows").get_json(), ok_schema("/workflows", "get"))
    conforms(document, office.get("/faculties").get_json(), ok_schema("/faculties", "get"))
    conforms(document, office.get("/calls").get_json(), ok_schema("/calls", "get"))
    conforms(document, office.get("/cases").get_json(), ok_schema("/cases", "get"))
    conforms(document, office.get(f"/cases/{case.id}").get_json(), ok_schema("/cases/{case_id}", "get"))
    error = office.get("/cases?page=0").get_json()
    conforms(document, error, document["components"]["schemas"]["Error"])


def test_documented_request_examples_are_accepted(client, token, users, make_call):
    """A body built from the documented application and MobilityData schemas is what POST /cases takes."""
    document = client.get("/api/v1/openapi.json").get_json()
    call = make_call()
    body = {"type": "mobility", "call": call.id, "data": application_data()}
    applications = document["paths"]["/cases"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    conforms(document, body, applications)
    assert ApiClient(client, token(users["applicant"])).post("/cases", body).status_code == 201
