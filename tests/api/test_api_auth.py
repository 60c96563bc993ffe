"""Who gets in: tokens, sessions, and JSON errors for every refusal."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from api_helpers import PREFIX, ApiClient, application_data, assert_error, count_cases, csrf_token_for
from sqlalchemy import update

from caseflow.extensions import db
from caseflow.models.cases import Call, Case
from caseflow.timeutil import utcnow

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


def test_logged_in_session_writes_with_its_csrf_token(app, login, users, make_call):
    call = make_call()
    session = login(users["applicant"])
    body = {"type": "mobility", "call": call.id, "data": application_data()}
    refused = assert_error(session.post(f"{PREFIX}/cases", json=body), 403)
    assert "X-CSRFToken" in refused["error"]
    assert count_cases() == 0
    token = csrf_token_for(app, session)
    headers = {"X-CSRFToken": token}
    assert_error(session.post(f"{PREFIX}/cases", data={"type": "mobility"}, headers=headers), 415)
    assert session.post(f"{PREFIX}/cases", json=body, headers=headers).status_code == 201


def test_a_cross_site_request_with_the_office_cookie_cannot_close_a_ranking(app, client, login, token, users,
                                                                             make_call, make_case, members):
    # The probe's exact request: the office's cookie, a form content type, a foreign Origin, an empty body.
    call = make_call("scholarship", variant="summer_school", seats=1, commission=members)
    case = make_case("scholarship", state="commission_scoring", call=call, full_name="Ada")
    db.session.execute(update(Call).where(Call.id == call.id).values(deadline_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    for member in members:
        scored = ApiClient(client, token(member)).put(f"/cases/{case.id}/score", {"score": 9, "comment": "ok"})
        assert scored.status_code == 200, scored.get_json()
    office = login(users["office"])
    response = office.post(f"{PREFIX}/calls/{call.id}/ranking", data=b"",
                           content_type="application/x-www-form-urlencoded",
                           headers={"Origin": "https://evil.example.com"})
    assert_error(response, 403)
    assert_error(office.post(f"{PREFIX}/calls/{call.id}/ranking", headers={"X-CSRFToken": "forged"}), 403)
    db.session.rollback()
    assert db.session.get(Case, case.id).state == "commission_scoring"
    token = csrf_token_for(app, office)
    closed = office.post(f"{PREFIX}/calls/{call.id}/ranking", headers={"X-CSRFToken": token})
    assert closed.status_code == 200, closed.get_json()
    db.session.rollback()
    assert db.session.get(Case, case.id).state == "shortlisted"


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_every_unsafe_method_needs_the_token_of_a_session(login, users, make_call, method):
    call = make_call()
    office = login(users["office"])
    path = f"{PREFIX}/calls/{call.id}" if method == "PUT" else f"{PREFIX}/documents/1"
    assert_error(office.open(path, method=method, json={"name": "Renamed"}), 403)
    db.session.rollback()
    assert db.session.get(Call, call.id).name == call.name


def test_a_bearer_token_writes_without_a_csrf_token(client, users, token, make_call):
    call = make_call()
    api = ApiClient(client, token(users["applicant"]))
    body = {"type": "mobility", "call": call.id, "data": application_data()}
    assert api.post("/cases", body).status_code == 201


def test_unknown_api_path_is_a_json_404(client):
    assert_error(client.get(f"{PREFIX}/nope"), 404)


@pytest.mark.parametrize("path", ["/cases/abc", "/cases/0x1", "/cases/99999999999999999999"])
def test_malformed_case_id_is_a_json_404(client, users, token, path):
    assert_error(ApiClient(client, token(users["office"])).get(path), 404)


def test_wrong_method_is_a_json_405(client, users, token):
    assert_error(ApiClient(client, token(users["office"])).open("/cases", "DELETE"), 405)
    assert_error(client.put(f"{PREFIX}/openapi.json"), 405)
