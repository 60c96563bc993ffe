"""Failed logins are limited per account and per address; a limited request gets 429 saying when to try again."""

from __future__ import annotations

import socket
import uuid

import pytest

from caseflow import create_app
from caseflow.extensions import db
from tests.conftest import PASSWORD
from tests.web.test_web_sessions import logged_in
from tests.web.web_helpers import csrf_from, text


@pytest.fixture
def app_overrides():
    return {"LOGIN_LIMIT_ACCOUNT": "3 per 15 minutes", "LOGIN_LIMIT_ADDRESS": "5 per 15 minutes",
            "MAIL_LINK_LIMIT_ACCOUNT": "2 per hour", "MAIL_LINK_LIMIT_ADDRESS": "3 per hour"}


@pytest.fixture
def another_app(database_url, tmp_path):
    """Build more apps on the test's database (another worker, a restart); their connections are closed after."""
    built = []

    def build(**settings):
        app = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test-secret",
                          "DEFAULT_LOCALE": "en", "STORAGE_DIR": str(tmp_path / "documents"), **settings})
        built.append(app)
        return app

    yield build
    for app in built:
        with app.app_context():
            db.engine.dispose()


def try_login(browser, email: str, password: str, address: str = "127.0.0.1", **headers):
    token = csrf_from(browser.get("/login").get_data(as_text=True))
    return browser.post("/login", data={"email": email, "password": password, "csrf_token": token},
                        environ_base={"REMOTE_ADDR": address}, headers=headers)


def test_the_right_password_does_not_open_an_account_locked_by_guesses(app, users):
    browser, email = app.test_client(), users["office"].email
    for _attempt in range(3):
        assert try_login(browser, email, "wrong-password").status_code == 422
    locked = try_login(browser, email, PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed logins to this account" in text(locked)
    assert "paused until" in text(locked)
    assert int(locked.headers["Retry-After"]) > 0
    assert browser.get("/queue").status_code == 302  # not logged in
    # The same e-mail written otherwise is the same account.
    assert try_login(app.test_client(), email.upper(), PASSWORD).status_code == 429
    # Other accounts are not locked with it.
    assert try_login(app.test_client(), users["admin"].email, PASSWORD).status_code == 303


def test_successful_logins_do_not_count(app, users):
    for _attempt in range(5):
        browser = app.test_client()
        assert try_login(browser, users["office"].email, PASSWORD).status_code == 303


def test_guesses_across_accounts_are_limited_per_address(app, users, make_user):
    browser = app.test_client()
    for number in range(5):
        assert try_login(browser, f"nobody{number}@example.org", "wrong-password").status_code == 422
    limited = try_login(browser, users["office"].email, PASSWORD)
    assert limited.status_code == 429 and "from your network" in text(limited)
    assert try_login(app.test_client(), users["office"].email, PASSWORD, address="10.0.0.7").status_code == 303


def test_the_limit_is_told_in_the_readers_language(app, users):
    browser = app.test_client()
    for _attempt in range(3):
        try_login(browser, users["office"].email, "wrong-password")
    limited = try_login(browser, users["office"].email, PASSWORD, **{"Accept-Language": "ru"})
    assert limited.status_code == 429 and "Слишком много неудачных попыток входа" in text(limited)


def test_mailed_links_are_limited_per_address_asked_for_and_per_network(app, users):
    def ask(path, email, address="127.0.0.1"):
        browser = app.test_client()
        page = browser.get(path).get_data(as_text=True)
        return browser.post(path, data={"email": email, "full_name": "New Person", "csrf_token": csrf_from(page)},
                            environ_base={"REMOTE_ADDR": address})

    for _attempt in range(2):
        assert ask("/password/forgot", users["office"].email).status_code == 303
    limited = ask("/signup", users["office"].email)  # sign-up and reset mail the same address: one count
    assert limited.status_code == 429 and "We sent several messages to this e-mail address" in text(limited)
    assert ask("/signup", "new1@example.org").status_code == 303
    busy = ask("/signup", "new2@example.org")
    assert busy.status_code == 429 and "Too many requests from your network" in text(busy)
    assert ask("/signup", "new2@example.org", address="10.0.0.9").status_code == 303


@pytest.mark.parametrize("value", ["ten per minute", "10 per fortnight", ""])
def test_a_limit_setting_that_is_not_a_limit_stops_start_up(database_url, value):
    with pytest.raises(ValueError, match="LOGIN_LIMIT_ACCOUNT"):
        create_app({"DATABASE_URL": database_url, "LOGIN_LIMIT_ACCOUNT": value})


def test_behind_a_proxy_the_forwarded_address_counts(another_app, users):
    proxied = another_app(PROXY_HOPS=1, LOGIN_LIMIT_ADDRESS="2 per 15 minutes")
    browser = proxied.test_client()
    for number in range(2):
        try_login(browser, f"nobody{number}@example.org", "wrong", **{"X-Forwarded-For": "203.0.113.5"})
    limited = try_login(browser, "nobody9@example.org", "wrong", **{"X-Forwarded-For": "203.0.113.5"})
    assert limited.status_code == 429
    other = try_login(browser, "nobody9@example.org", "wrong", **{"X-Forwarded-For": "198.51.100.1"})
    assert other.status_code == 422


def redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_running(), reason="needs Redis on 127.0.0.1:6379")
def test_workers_sharing_redis_share_one_count(another_app, make_user):
    # Two apps stand for two worker processes (or a restart): with memory storage the second starts at 0.
    user = make_user("office_staff", email=f"shared-{uuid.uuid4().hex[:12]}@example.org")
    db.session.commit()
    settings = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0", "LOGIN_LIMIT_ACCOUNT": "2 per 15 minutes"}
    first = another_app(**settings)
    for _attempt in range(2):
        assert try_login(first.test_client(), user.email, "wrong").status_code == 422
    second = another_app(**settings)
    assert try_login(second.test_client(), user.email, PASSWORD).status_code == 429


def test_a_login_sent_as_json_is_no_way_around_the_limit(app, users):
    browser, email = app.test_client(), users["office"].email
    for _attempt in range(3):
        try_login(browser, email, "wrong-password")
    token = csrf_from(browser.get("/login").get_data(as_text=True))
    answer = browser.post("/login", json={"email": email, "password": PASSWORD, "csrf_token": token},
                          headers={"X-CSRFToken": token})
    assert answer.status_code in (422, 429)  # a page's form is read from form fields only
    assert browser.get("/queue").status_code == 302


def test_guessing_the_current_password_counts_with_failed_logins(app, users):
    browser = logged_in(app, users["office"])
    page = browser.get("/account").get_data(as_text=True)
    for _attempt in range(3):
        wrong = browser.post("/account/password", data={"csrf_token": csrf_from(page), "current": "guess",
                                                        "password": "another-password", "password_again":
                                                        "another-password"})
        assert wrong.status_code == 422
    limited = browser.post("/account/password", data={"csrf_token": csrf_from(page), "current": PASSWORD,
                                                      "password": "another-password",
                                                      "password_again": "another-password"})
    assert limited.status_code == 429 and limited.headers["Retry-After"].isdigit()


def test_only_a_limited_answer_carries_retry_after(app, users):
    answer = try_login(app.test_client(), users["office"].email, "wrong-password")
    assert answer.status_code == 422 and "Retry-After" not in answer.headers
