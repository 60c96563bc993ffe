"""API tokens with a name, a last use and an expiry, listed and revoked by their owner, by admins and on the
command line."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from caseflow.accounts.operations import create_token, user_for_token
from caseflow.extensions import db
from caseflow.models.accounts import ApiToken
from caseflow.models.audit import AuditEntry
from caseflow.timeutil import utcnow
from tests.web.web_helpers import csrf_from, submit, text

SECRET = re.compile(r'<code class="secret">(cf_[A-Za-z0-9_-]+)</code>')


def api(client, secret: str):
    return client.get("/api/v1/faculties", headers={"Authorization": f"Bearer {secret}"})


def test_a_person_creates_a_named_token_sees_it_once_and_revokes_it(app, login, users):
    browser = login(users["office"])
    created = submit(browser, "/account", {"name": "Faculty import script", "days": "30"},
                     action="/account/tokens")
    assert created.status_code == 200
    secret = SECRET.search(created.get_data(as_text=True))[1]
    assert "shown only this once" in text(created)
    assert SECRET.search(browser.get("/account").get_data(as_text=True)) is None  # never again
    assert api(app.test_client(), secret).status_code == 200
    listed = text(browser.get("/account"))
    assert "Faculty import script" in listed and "never" not in listed  # its use was recorded
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == users["office"].id))
    assert token.expires_at - utcnow() > timedelta(days=29)
    page = browser.get("/account").get_data(as_text=True)
    revoked = browser.post(f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf_from(page)},
                           follow_redirects=True)
    assert "is revoked" in text(revoked)
    assert api(app.test_client(), secret).status_code == 401


def test_a_token_without_a_name_or_with_a_made_up_lifetime_is_refused(login, users):
    browser = login(users["office"])
    for form in ({"name": "", "days": "30"}, {"name": "x", "days": "7"}):
        assert submit(browser, "/account", form, action="/account/tokens").status_code == 422
    db.session.rollback()
    assert db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == users["office"].id)) is None


def test_an_expired_token_lets_nobody_in(app, users):
    secret = create_token(users["office"], "old", days=1)
    db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert api(app.test_client(), secret).status_code == 401


def test_nobody_revokes_another_persons_token_but_an_admin(app, login, users):
    secret = create_token(users["office"], "office script")
    token_id = db.session.scalar(select(ApiToken.id))
    applicant = login(users["applicant"])
    page = applicant.get("/account").get_data(as_text=True)
    assert applicant.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_from(page)}).status_code == 404
    assert api(app.test_client(), secret).status_code == 200
    admin = login(users["admin"])
    user_page = admin.get(f"/admin/users/{users['office'].id}")
    assert "office script" in text(user_page)
    answer = admin.post(f"/admin/users/{users['office'].id}/tokens/{token_id}/revoke",
                        data={"csrf_token": csrf_from(user_page.get_data(as_text=True))})
    assert answer.status_code == 303
    assert api(app.test_client(), secret).status_code == 401


def test_the_last_use_is_written_a_few_minutes_apart_not_on_every_request(app, users):
    secret = create_token(users["office"], "busy script")
    for _request in range(3):
        assert api(app.test_client(), secret).status_code == 200
    db.session.rollback()
    first = db.session.scalar(select(ApiToken.last_used_at))
    assert first is not None
    db.session.execute(update(ApiToken).values(last_used_at=first - timedelta(minutes=10)))
    db.session.commit()
    api(app.test_client(), secret)
    db.session.rollback()
    assert db.session.scalar(select(ApiToken.last_used_at)) > first - timedelta(minutes=10)
    assert user_for_token("cf_not-a-token") is None


def test_the_command_line_lists_and_revokes_tokens(app, users):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["create-token", users["office"].email, "--name", "nightly export",
                                  "--days", "90"])
    assert created.exit_code == 0, created.output
    listed = runner.invoke(args=["tokens", users["office"].email])
    assert "nightly export" in listed.output
    token_id = listed.output.split("\t")[0]
    assert runner.invoke(args=["revoke-token", token_id]).exit_code == 0
    again = runner.invoke(args=["revoke-token", token_id])
    assert again.exit_code == 1 and "no such token" in again.output.lower()
    assert runner.invoke(args=["create-token", users["office"].email, "--days", "0"]).exit_code == 2
    db.session.rollback()
    by = db.session.scalars(select(AuditEntry.actor).where(AuditEntry.action.in_(["token.created", "token.revoked"]))
                            .order_by(AuditEntry.id)).all()
    assert len(by) == 2 and all(actor.startswith("cli:") for actor in by)  # who ran it on the server


def test_switching_an_account_off_revokes_its_tokens_for_good(app, login, users):
    secret = create_token(users["office"], "nightly export")
    admin = login(users["admin"])
    page = f"/admin/users/{users['office'].id}"
    assert submit(admin, page, {"role": "office_staff", "faculty": "", "active": "0"}).status_code == 303
    assert submit(admin, page, {"role": "office_staff", "faculty": "", "active": "1"}).status_code == 303
    assert api(app.test_client(), secret).status_code == 401  # switched on again, it needs new tokens
    db.session.rollback()
    assert db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == users["office"].id)) is None


def test_a_request_that_names_a_bearer_token_is_judged_by_it_alone(app, login, users):
    browser = login(users["office"])  # a logged-in browser's cookie...
    assert browser.get("/api/v1/faculties").status_code == 200
    wrong = browser.get("/api/v1/faculties", headers={"Authorization": "Bearer cf_wrong"})
    assert wrong.status_code == 401  # ...does not rescue a wrong token
    secret = create_token(users["applicant"], "script")
    right = browser.post("/api/v1/calls", json={}, headers={"Authorization": f"Bearer {secret}"})
    assert right.status_code == 403  # the token's account (an applicant) answers, with no CSRF token asked
