"""The security headers of pages, the API, error pages and documents; no-store when personal; HSTS in production."""

from __future__ import annotations

import pytest

from caseflow.documents.operations import Upload, upload_document
from caseflow.documents.samples import sample_image
from tests.documents.test_web_documents import passport_of

API = "/api/v1"


def policy_of(response) -> dict[str, str]:
    """Return the response's Content-Security-Policy as {directive: sources}."""
    directives = (part.strip().split(None, 1) for part in response.headers["Content-Security-Policy"].split(";"))
    return {words[0]: (words[1] if len(words) > 1 else "") for words in directives if words}


def cache_of(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part.strip()}


def assert_secured(response):
    """The headers every response carries, whoever asks and whatever the status."""
    policy = policy_of(response)
    assert policy["default-src"] == "'none'"
    assert "script-src" not in policy  # so default-src 'none' holds for scripts: none at all, inline or not
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # development: http://127.0.0.1 keeps working


def test_a_page_only_loads_our_style_sheet_and_no_script(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert_secured(response)
    policy = policy_of(response)
    assert policy["style-src"] == "'self'" and policy["form-action"] == "'self'" and policy["base-uri"] == "'none'"


@pytest.mark.parametrize("url", ["/", "/login", "/signup", "call"])
def test_a_public_page_seen_anonymously_may_be_cached(client, make_call, url):
    call = make_call()
    response = client.get(f"/calls/{call.id}" if url == "call" else url)
    assert response.status_code == 200
    assert_secured(response)
    assert "Cache-Control" not in response.headers


@pytest.mark.parametrize("who, url", [
    ("applicant", "/"), ("applicant", "case"), ("applicant", "/calls"), ("applicant", "/apply/mobility"),
    ("screener", "/queue"), ("screener", "case"), ("office", "/calls"), ("office", "call"),
    ("office", "/calendar"), ("admin", "/admin/users"), ("admin", "/admin/mail"),
])
def test_every_page_of_a_signed_in_user_is_kept_by_no_cache(login, users, make_case, who, url):
    case = make_case(state="faculty_screening")
    address = {"case": f"/cases/{case.id}", "call": f"/calls/{case.call_id}"}.get(url, url)
    response = login(users[who]).get(address)
    assert response.status_code == 200
    assert_secured(response)
    assert cache_of(response) == {"private", "no-store"}


@pytest.mark.parametrize("who, path", [
    ("applicant", "/cases"), ("applicant", "case"), ("applicant", "/calls"), ("screener", "/workflows"),
    ("office", "/exports/work-permits.csv"), ("office", "/exports/work-permits.xlsx"),
])
def test_every_api_answer_is_secured_and_kept_by_no_cache(client, token, users, make_case, who, path):
    case = make_case(state="faculty_screening")
    response = client.get(API + (f"/cases/{case.id}" if path == "case" else path), headers=token(users[who]))
    assert response.status_code == 200
    assert_secured(response)
    assert cache_of(response) == {"private", "no-store"}


def test_error_pages_carry_the_headers_too(app, client, login, users, token):
    @app.route("/broken")
    def broken():
        raise RuntimeError("a bug")

    office = login(users["office"])
    answers = {
        "page 404": client.get("/nowhere"),
        "page 404 signed in": office.get("/cases/424242"),
        "page 405": client.put("/login"),
        "page 400 (no CSRF token)": client.post("/login", data={"email": "a@example.org", "password": "x"}),
        "page 500": office.get("/broken"),
        "API 401": client.get(API + "/cases"),
        "API 404": client.get(API + "/cases/424242", headers=token(users["office"])),
        "API 404 of no endpoint": client.get(API + "/nowhere", headers=token(users["office"])),
    }
    statuses = {name: response.status_code for name, response in answers.items()}
    assert statuses == {"page 404": 404, "page 404 signed in": 404, "page 405": 405,
                        "page 400 (no CSRF token)": 400, "page 500": 500, "API 401": 401, "API 404": 404,
                        "API 404 of no endpoint": 404}
    for name, response in answers.items():
        assert_secured(response)
        signed_in = name.endswith("signed in") or name in ("page 500", "API 404", "API 404 of no endpoint")
        assert ("no-store" in cache_of(response)) == signed_in, name


def test_a_static_file_keeps_its_own_caching_even_for_a_signed_in_user(login, users):
    response = login(users["office"]).get("/static/caseflow.css", buffered=True)  # closes the file
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in cache_of(response) and response.headers.get("ETag")


def sandboxed(response) -> dict[str, str]:
    """Assert a document's own policy: a sandbox that may load nothing else; return its directives."""
    policy = policy_of(response)
    assert "sandbox" in policy and policy["sandbox"] == ""  # no allow-* token: scripts, forms, popups: none
    assert policy["default-src"] == "'none'" and "script-src" not in policy
    assert policy["frame-ancestors"] == "'none'"
    assert "style-src 'self'" not in response.headers["Content-Security-Policy"]  # not the pages' policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert cache_of(response) == {"private", "no-store"}
    return policy


def test_a_pdf_shown_in_the_browser_runs_in_a_sandbox(login, client, token, users, make_case):
    case = make_case("mobility")
    document = passport_of(case)
    page = login(users["applicant"]).get(f"/documents/{document.id}")
    assert page.status_code == 200 and page.mimetype == "application/pdf"
    assert page.headers["Content-Disposition"].startswith("inline;")
    sandboxed(page)
    download = client.get(f"{API}/documents/{document.id}/content", headers=token(users["office"]))
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    sandboxed(download)


def test_an_image_shown_in_the_browser_runs_in_a_sandbox(login, users, make_case):
    case = make_case("mobility", documents=False)
    upload_document(case.id, Upload("passport", "scan.png", sample_image("Passport", "png")), users["applicant"])
    response = login(users["office"]).get(f"/documents/{passport_of(case).id}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert sandboxed(response)["img-src"] == "'self'"


@pytest.fixture
def app_overrides(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize("app_overrides", [{"ENV": "production"}], indirect=True)
def test_production_tells_browsers_to_come_back_over_https_only(client, token, users):
    for response in (client.get("/login"), client.get(API + "/cases", headers=token(users["office"])),
                     client.get("/nowhere"), client.get("/static/caseflow.css", buffered=True)):
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
