"""The API follows the loaded workflow files: a second case type appears everywhere by itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from api_helpers import ApiClient, assert_error
from openapi_spec_validator import validate

from caseflow import catalog as catalog_module

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"

VISIT = '''
label = "Short research visit"
description = "A visit of up to four weeks to a partner laboratory."
reference_prefix = "VIS"
initial = "requested"

[[states]]
name = "requested"
label = "Requested"
intake = true

[[states]]
name = "approved"
label = "Approved"
terminal = true
outcome = "positive"

[[transitions]]
name = "approve"
label = "Approve the visit"
done = "Visit approved"
told = "Your visit is approved."
sources = ["requested"]
dest = "approved"
roles = ["office_staff"]

[[fields]]
name = "full_name"
label = "Full name"
type = "string"

[[fields]]
name = "weeks"
label = "Weeks"
type = "integer"
min = 1
max = 4
'''


@pytest.fixture
def app(app, tmp_path):
    """The suite's app, with the real workflows plus a short research visit."""
    folder = tmp_path / "workflows"
    folder.mkdir()
    for path in WORKFLOWS.glob("*.toml"):
        shutil.copy(path, folder)
    (folder / "visit.toml").write_text(VISIT, encoding="utf-8")
    app.config["CASEFLOW_WORKFLOWS_DIR"] = str(folder)
    catalog_module.init_app(app)
    return app


@pytest.fixture
def office(client, token, users):
    return ApiClient(client, token(users["office"]))


def test_workflows_list_the_new_type(office):
    names = [w["name"] for w in office.get("/workflows").get_json()]
    assert "visit" in names and "mobility" in names


def test_openapi_document_names_the_new_type(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    schemas = document["components"]["schemas"]
    applications = document["paths"]["/cases"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert applications["discriminator"]["mapping"]["visit"] == "#/components/schemas/VisitApplication"
    assert set(schemas["VisitData"]["properties"]) == {"full_name", "weeks"}
    assert "visit" in schemas["CallCreate"]["properties"]["type"]["enum"]


def test_call_without_partners_for_a_type_without_partner_field(office):
    body = {"name": "Visits 2030", "type": "visit", "deadline": "2030-01-01T00:00:00Z", "partners": []}
    response = office.post("/calls", body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["partners"] == []


def test_application_to_a_call_of_another_type_is_refused(client, token, users, office):
    visits = office.post("/calls", {"name": "Visits", "type": "visit", "deadline": "2030-01-01T00:00"}).get_json()
    applicant = ApiClient(client, token(users["applicant"]))
    assert_error(applicant.apply(visits["id"]), 422, "call")
    response = applicant.post("/cases", {"type": "visit", "call": visits["id"],
                                         "data": {"full_name": "Asel Applicant", "weeks": 3}})
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert case["reference"].startswith("VIS-")
    assert case["partner"] is None and case["faculty"] is None
    assert [c["type"] for c in office.get("/cases?type=visit").get_json()["items"]] == ["visit"]
    # "submitted" is a state of other types, not of visits: it matches none (the schema allows any known state).
    assert office.get("/cases?type=visit&state=submitted").get_json()["total"] == 0
