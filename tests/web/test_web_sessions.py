"""Login sessions end on the server: a cookie copied before logging out, or from another browser, is worthless."""

from __future__ import annotations

from sqlalchemy import func, select

from caseflow.extensions import db
from caseflow.models.accounts import LoginSession
from tests.conftest import PASSWORD
from tests.web.web_helpers import csrf_from, submit, text


def logged_in(app, user, agent: str = "Firefox on the office PC"):
    """Log ``user`` in through the login form, as a browser does; return the browser."""
    browser = app.test_client()
    browser.environ_base["HTTP_USER_AGENT"] = agent
    response = submit(browser, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 303, text(response)
    return browser


def copy_of(app, browser):
    """Another client holding the same cookie: what someone who copied it has."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    return thief


def sessions_of(user) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(LoginSession).where(LoginSession.user_id == user.id))


def test_a_cookie_copied_before_logout_reads_nothing_after_it(app, users, make_case):
    case = make_case(applicant=users["applicant"])
    browser = logged_in(app, users["applicant"])
    thief = copy_of(app, browser)
    assert thief.get(f"/cases/{case.id}").status_code == 200
    page = browser.get("/").get_data(as_text=True)
    assert browser.post("/logout", data={"csrf_token": csrf_from(page)}).status_code == 303
    response = thief.get(f"/cases/{case.id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert sessions_of(users["applicant"]) == 0


def test_a_copied_cookie_cannot_use_the_api_after_logout(app, users, make_case):
    case = make_case(applicant=users["applicant"])
    browser = logged_in(app, users["applicant"])
    thief = copy_of(app, browser)
    assert thief.get(f"/api/v1/cases/{case.id}").status_code == 200
    browser.post("/logout", data={"csrf_token": csrf_from(browser.get("/").get_data(as_text=True))})
    assert thief.get(f"/api/v1/cases/{case.id}").status_code == 401


def test_login_starts_a_new_session_with_a_new_csrf_token(app, users):
    browser = app.test_client()
    before = csrf_from(browser.get("/login").get_data(as_text=True))
    with browser.session_transaction() as session:
        planted = session["csrf_token"]
    response = browser.post("/login", data={"email": users["office"].email, "password": PASSWORD,
                                            "csrf_token": before})
    assert response.status_code == 303
    with browser.session_transaction() as session:
        assert session.get("csrf_token") != planted
    after = csrf_from(browser.get("/queue").get_data(as_text=True))
    assert after != before
    # The token of the form before logging in no longer counts.
    refused = browser.post("/logout", data={"csrf_token": before})
    assert refused.status_code == 400
    assert browser.get("/queue").status_code == 200


def test_log_out_everywhere_ends_every_browser_of_the_account(app, users, make_case):
    case = make_case(applicant=users["applicant"])
    office_pc = logged_in(app, users["applicant"], "Firefox on the office PC")
    phone = logged_in(app, users["applicant"], "Safari on a phone")
    someone_else = logged_in(app, users["other_applicant"])
    page = phone.get("/account")
    assert page.status_code == 200
    shown = text(page)
    assert "Firefox on the office PC" in shown and "Safari on a phone" in shown and "this browser" in shown
    response = phone.post("/account/log-out-everywhere", data={"csrf_token": csrf_from(page.get_data(as_text=True))},
                          follow_redirects=True)
    assert "You are logged out of 2 browsers." in text(response)
    for browser in (office_pc, phone):
        assert browser.get(f"/cases/{case.id}").status_code == 302
    assert someone_else.get("/").status_code == 200 and sessions_of(users["other_applicant"]) == 1
    assert sessions_of(users["applicant"]) == 0


def test_log_out_everywhere_needs_the_form_token(app, users):
    browser = logged_in(app, users["applicant"])
    assert browser.post("/account/log-out-everywhere", data={}).status_code == 400
    assert sessions_of(users["applicant"]) == 1


def test_the_account_page_needs_a_login(client):
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_switched_off_account_loses_its_open_sessions(app, users):
    browser = logged_in(app, users["office"])
    users["office"].active = False
    db.session.commit()
    assert browser.get("/queue").status_code == 302


def test_a_session_older_than_its_lifetime_is_refused(app, users):
    browser = logged_in(app, users["office"])
    db.session.execute(LoginSession.__table__.update().values(
        created_at=LoginSession.created_at - app.permanent_session_lifetime))
    db.session.commit()
    assert browser.get("/queue").status_code == 302


def test_a_cookie_of_the_old_kind_authenticates_nobody(app, users):
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = str(users["office"].id)  # what cookies held before sessions were stored
    assert browser.get("/queue").status_code == 302


def test_one_other_browser_can_be_logged_out_alone(app, users):
    here = logged_in(app, users["applicant"], "here")
    library = logged_in(app, users["applicant"], "the library computer")
    phone = logged_in(app, users["applicant"], "the phone")
    db.session.rollback()
    library_id = db.session.scalar(select(LoginSession.id).where(LoginSession.user_agent == "the library computer"))
    page = here.get("/account").get_data(as_text=True)
    answer = here.post(f"/account/sessions/{library_id}/end", data={"csrf_token": csrf_from(page)},
                       follow_redirects=True)
    assert "That browser is logged out." in text(answer)
    assert library.get("/account").status_code == 302
    assert here.get("/account").status_code == 200 and phone.get("/account").status_code == 200
    # Another person's session, or one gone already: 404, nothing ended.
    other = logged_in(app, users["other_applicant"])
    db.session.rollback()
    foreign = db.session.scalar(select(LoginSession.id).where(LoginSession.user_id == users["other_applicant"].id))
    for login_id in (foreign, library_id):
        assert here.post(f"/account/sessions/{login_id}/end", data={"csrf_token": csrf_from(page)}).status_code == 404
    assert other.get("/account").status_code == 200
