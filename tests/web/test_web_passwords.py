"""Passwords: a reset link by e-mail (single-use, expiring, the same answer for any address), changing
one's own, and what admins change on an account."""

from __future__ import annotations

import threading

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from caseflow.accounts import links
from caseflow.extensions import db
from caseflow.models.accounts import LoginSession, User
from caseflow.models.audit import AuditEntry
from caseflow.models.outbox import OutboxMessage
from tests.conftest import PASSWORD
from tests.notify_helpers import mailed, mailed_link
from tests.web.test_web_sessions import logged_in
from tests.web.test_web_throttle import try_login
from tests.web.web_helpers import csrf_from, error_beside, submit, text

NEW = "a-brand-new-password"


def mails() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def reset_link_for(client, email: str) -> str:
    response = submit(client, "/password/forgot", {"email": email}, follow_redirects=True)
    assert "we sent it a link to choose a new password" in text(response)
    return mailed_link(email)


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(app, client, users):
    user = users["applicant"]
    elsewhere = logged_in(app, user, "a forgotten library computer")
    link = reset_link_for(client, user.email)
    assert mailed(user.email).subject == "Choose a new password"
    response = submit(client, link, {"password": NEW, "password_again": NEW}, follow_redirects=True)
    assert "Your password is changed" in text(response)
    assert client.get("/").status_code == 200 and "Log out" in text(client.get("/"))
    assert elsewhere.get("/account").status_code == 302  # the other browser was logged out
    used = client.get(link)
    assert used.status_code == 404 and "used already" in text(used)
    db.session.rollback()
    assert db.session.get(User, user.id).check_password(NEW)


def test_asking_for_a_reset_answers_the_same_for_an_unknown_address(client, users):
    before = mails()
    known = submit(client, "/password/forgot", {"email": users["office"].email}, follow_redirects=True)
    assert mails() == before + 1
    unknown = submit(client, "/password/forgot", {"email": "nobody@example.org"}, follow_redirects=True)
    assert mails() == before + 1  # nothing is sent to an address without an account
    assert text(known).replace(users["office"].email, "X") == text(unknown).replace("nobody@example.org", "X")


def test_a_switched_off_account_gets_no_reset_link(client, users):
    users["office"].active = False
    db.session.commit()
    before = mails()
    submit(client, "/password/forgot", {"email": users["office"].email})
    assert mails() == before


def test_an_expired_reset_link_is_refused(app, client, users):
    user = users["applicant"]
    with app.test_request_context():
        old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=links.RESET)
        token = old.dumps({"u": user.id, "p": links.fingerprint(user.password_hash)})
    assert client.get(f"/password/reset/{token}").status_code == 200  # fresh: it works
    links.LIFETIME_SECONDS[links.RESET], kept = -1, links.LIFETIME_SECONDS[links.RESET]
    try:
        response = client.get(f"/password/reset/{token}")
    finally:
        links.LIFETIME_SECONDS[links.RESET] = kept
    assert response.status_code == 404 and "expired" in text(response)


@pytest.mark.parametrize("token", ["x", "a" * 300, "eyJ1IjoxfQ.Z.Z"])
def test_a_reset_link_that_was_made_up_is_refused(client, token):
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 404 and "Ask for a new one" in text(response)


def test_a_short_new_password_is_refused_beside_the_field(client, users):
    link = reset_link_for(client, users["applicant"].email)
    response = submit(client, link, {"password": "short", "password_again": "short"})
    assert response.status_code == 422
    assert "at least 10 characters" in error_beside(response, "password")
    db.session.rollback()
    assert db.session.get(User, users["applicant"].id).check_password(PASSWORD)


def test_changing_ones_password_keeps_this_browser_and_logs_out_the_others(app, users):
    user = users["office"]
    here, there = logged_in(app, user, "here"), logged_in(app, user, "there")
    page = here.get("/account").get_data(as_text=True)
    wrong = here.post("/account/password", data={"csrf_token": csrf_from(page), "current": "not-it",
                                                 "password": NEW, "password_again": NEW})
    assert wrong.status_code == 422 and "This is not your current password." in error_beside(wrong, "current")
    done = here.post("/account/password", data={"csrf_token": csrf_from(page), "current": PASSWORD,
                                                "password": NEW, "password_again": NEW}, follow_redirects=True)
    assert "Your password is changed" in text(done)
    assert here.get("/queue").status_code == 200
    assert there.get("/queue").status_code == 302
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(LoginSession)
                             .where(LoginSession.user_id == user.id)) == 1
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target == f"user:{user.id}")).all()
    assert "account.password_changed" in actions


def test_an_admin_switches_an_account_off_and_its_sessions_end(app, login, users):
    office = logged_in(app, users["office"])
    admin = login(users["admin"])
    page = f"/admin/users/{users['office'].id}"
    response = submit(admin, page, {"role": "office_staff", "faculty": "", "active": "0"})
    assert response.status_code == 303
    assert office.get("/queue").status_code == 302
    refused = try_login(app.test_client(), users["office"].email, PASSWORD)
    assert refused.status_code == 422 and "switched off" in text(refused)
    submit(admin, page, {"role": "office_staff", "faculty": "", "active": "1"})
    assert try_login(app.test_client(), users["office"].email, PASSWORD).status_code == 303
    db.session.rollback()
    changes = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "account.changed")).all()
    assert [(c.before, c.after) for c in changes] == [({"active": True}, {"active": False}),
                                                      ({"active": False}, {"active": True})]


def test_an_admin_makes_an_office_member_a_screener_of_a_faculty(login, users):
    admin = login(users["admin"])
    page = f"/admin/users/{users['office'].id}"
    refused = submit(admin, page, {"role": "faculty_screener", "faculty": "", "active": "1"})
    assert refused.status_code == 422 and "A faculty screener needs a faculty." in text(refused)
    assert submit(admin, page, {"role": "faculty_screener", "faculty": "ECON", "active": "1"}).status_code == 303
    db.session.rollback()
    changed = db.session.get(User, users["office"].id)
    assert (changed.role, changed.faculty_code) == ("faculty_screener", "ECON")


def test_an_admin_cannot_switch_off_or_demote_themselves(login, users):
    admin = login(users["admin"])
    page = f"/admin/users/{users['admin'].id}"
    refused = submit(admin, page, {"role": "applicant", "faculty": "", "active": "0"})
    assert refused.status_code == 422 and "ask another administrator" in text(refused)
    db.session.rollback()
    assert db.session.get(User, users["admin"].id).role == "admin"


@pytest.mark.parametrize("role", ["applicant", "screener", "office"])
def test_only_admins_change_accounts(login, users, role):
    client = login(users[role])
    assert client.get(f"/admin/users/{users['applicant'].id}").status_code == 403


def test_an_unknown_account_is_404(login, users):
    assert login(users["admin"]).get("/admin/users/999999").status_code == 404


def test_copies_of_one_reset_link_sent_at_once_change_the_password_once(app, client, users):
    link = reset_link_for(client, users["applicant"].email)
    page = client.get(link).get_data(as_text=True)
    cookie = client.get_cookie("session").value
    barrier, answers = threading.Barrier(6), []

    def send(number):
        copy = app.test_client()
        copy.set_cookie("session", cookie)
        barrier.wait()
        password = f"{NEW}-{number}"
        answers.append(copy.post(link, data={"csrf_token": csrf_from(page), "password": password,
                                             "password_again": password}).status_code)

    threads = [threading.Thread(target=send, args=(number,)) for number in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [303] + [404] * 5
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "account.password_reset")) == 1


@pytest.mark.parametrize(("purpose", "payload"), [
    (links.SIGNUP, {"x": 1}), (links.SIGNUP, {"e": 5}), (links.SIGNUP, {"e": "a@example.org", "n": {}}),
    (links.RESET, {"u": 10**30, "p": "x"}), (links.RESET, {"u": "1", "p": "x"}), (links.RESET, [1, 2]),
])
def test_a_link_signed_with_the_key_but_made_up_is_a_404_not_a_500(app, client, purpose, payload):
    with app.test_request_context():
        token = links.make(purpose, payload)
    path = f"/signup/{token}" if purpose == links.SIGNUP else f"/password/reset/{token}"
    assert client.get(path).status_code == 404
    page = client.get("/login").get_data(as_text=True)
    assert client.post(path, data={"csrf_token": csrf_from(page), "password": NEW,
                                   "password_again": NEW}).status_code == 404


def test_the_pages_a_mailed_link_opens_are_never_cached(client, users):
    link = reset_link_for(client, users["applicant"].email)
    assert "no-store" in client.get(link).headers["Cache-Control"]
    submit(client, "/signup", {"email": "someone.new@example.org", "full_name": "Someone New"})
    assert "no-store" in client.get(mailed_link("someone.new@example.org")).headers["Cache-Control"]


def test_the_sign_up_mail_greets_the_address_not_the_name_a_stranger_typed(client):
    submit(client, "/signup", {"email": "victim@example.org", "full_name": "student. URGENT see evil.example"})
    message = mailed("victim@example.org")
    assert message.context["name"] == "victim@example.org"
    assert "URGENT" not in str(message.context)
