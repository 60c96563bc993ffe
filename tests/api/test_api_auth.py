"""Who gets in: tokens, sessions, and JSON errors for every refusal."""

from __future__ import annotations

import re

import pytest
from api_helpers import PREFIX, ApiClient, application_data, assert_error

from caseflow.extensions import db

PUBLIC = {"api.openapi_document"}


def api_routes(app):
    """Yield (method, concrete path) for every API route, ids filled in."""
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<[^>]+>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def test_every_endpoint_but_the_contract_needs_a_login(app, client):
    routes = list(api_routes(app))
    assert len(routes) >= 8
    for endpoint, method, path in routes:
        response = client.open(path, method=method, json={})
        if endpoint in PUBLIC:
            assert response.status_code == 200, path
        else:
            body = assert_error(response, 401)
            assert "token" in body["error"], (method, path)


def test_unknown_token_gets_401(client):
    response = ApiClient(client, {"Authorization": "Bearer cf_not-a-real-token"}).get("/cases")
    assert_error(response, 401)


def test_other_authorization_scheme_gets_401(client):
    response = ApiClient(client, {"Authorization": "Basic dXNlcjpwYXNz"}).get("/cases")
    assert_error(response, 401)


def test_token_of_deactivated_account_gets_401(app, client, users, token):
    headers = token(users["applicant"])
    users["applicant"].active = False
    db.session.commit()
    assert_error(ApiClient(client, headers).get("/cases"), 401)


def test_bearer_token_lets_the_user_in(client, users, token):
    response = ApiClient(client, token(users["applicant"])).get("/cases")
    assert response.status_code == 200
    assert response.get_json()["total"] == 0


def test_logged_in_session_works_without_token(login, users):
    response = login(users["office"]).get(f"{PREFIX}/faculties")
    assert response.status_code == 200


def test_logged_in_session_may_write_json_but_not_forms(login, users, make_call):
    # The API is CSRF-exempt; requiring a JSON body is what a cross-site form cannot forge.
    call = make_call()
    session = login(users["applicant"])
    body = {"type": "mobility", "call": call.id, "data": application_data()}
    assert_error(session.post(f"{PREFIX}/cases", data={"type": "mobility"}), 415)
    assert session.post(f"{PREFIX}/cases", json=body).status_code == 201


def test_unknown_api_path_is_a_json_404(client):
    assert_error(client.get(f"{PREFIX}/nope"), 404)


@pytest.mark.parametrize("path", ["/cases/abc", "/cases/0x1", "/cases/99999999999999999999"])
def test_malformed_case_id_is_a_json_404(client, users, token, path):
    assert_error(ApiClient(client, token(users["office"])).get(path), 404)


def test_wrong_method_is_a_json_405(client, users, token):
    assert_error(ApiClient(client, token(users["office"])).open("/cases", "DELETE"), 405)
    assert_error(client.put(f"{PREFIX}/openapi.json"), 405)
