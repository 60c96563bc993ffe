"""The audit log: security actions leave who, when, what, before and after, and from where; nobody rewrites it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from flask_login import login_user
from sqlalchemy import delete, select, update
from sqlalchemy import text as sql
from sqlalchemy.exc import DatabaseError

from caseflow.cases.operations import update_call
from caseflow.extensions import db
from caseflow.models.audit import AuditEntry
from caseflow.timeutil import utcnow
from tests.conftest import PASSWORD
from tests.web.web_helpers import submit, text, visible


def entries(action: str) -> list[AuditEntry]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def listed(response) -> str:
    """The text of the log's table (not of the filters above it)."""
    page = response.get_data(as_text=True)
    return visible(page[page.index("<tbody>"):page.index("</tbody>")])


def test_an_admin_creating_an_admin_is_recorded_with_who_and_from_where(login, users):
    admin = login(users["admin"])
    response = submit(admin, "/admin/users", {"full_name": "New Admin", "email": "second.admin@example.org",
                                              "role": "admin", "faculty": "", "password": PASSWORD,
                                              "password_again": PASSWORD},
                      follow_redirects=False)
    assert response.status_code == 303
    [entry] = [e for e in entries("account.created") if e.after["email"] == "second.admin@example.org"]
    assert (entry.actor, entry.actor_id, entry.address) == (users["admin"].email, users["admin"].id, "127.0.0.1")
    assert entry.after["role"] == "admin" and "password" not in str(entry.after)


def test_renaming_a_faculty_keeps_the_name_before_and_after(login, users):
    admin = login(users["admin"])
    response = submit(admin, "/admin/faculties", {"code": "IT", "name": "Faculty of IT and AI"},
                      action="/admin/faculties/rename")
    assert response.status_code == 303
    [entry] = entries("faculty.renamed")
    assert entry.target == "faculty:IT" and entry.actor == users["admin"].email
    assert entry.after == {"en": "Faculty of IT and AI"} and entry.before["en"] != "Faculty of IT and AI"


def test_editing_a_list_and_moving_a_deadline_are_recorded(app, login, users, make_call):
    admin = login(users["admin"])
    lists = admin.get("/admin/lists").get_data(as_text=True)
    submit(admin, "/admin/lists", {"list_name": "office_days_off", "value": "2030-01-02"})
    added = [e for e in entries("list.value_added") if e.target == "list:office_days_off"]
    assert [(e.after, e.actor) for e in added] == [({"value": "2030-01-02"}, users["admin"].email)]
    assert "office_days_off" in lists
    call = make_call()
    partners = [{"id": p.id, "name": p.name, "country": p.country, "seats": p.seats} for p in call.partners]
    with app.test_request_context():  # as the call's page does it, logged in as the office
        login_user(users["office"])
        update_call(call.id, call.name, utcnow() + timedelta(days=90), partners, call.seats, call.description)
    [entry] = entries("call.changed")
    assert entry.actor == users["office"].email
    assert list(entry.after) == ["deadline_at"] and entry.before["deadline_at"] != entry.after["deadline_at"]


def test_logins_that_work_and_that_fail_are_recorded_without_the_password(app, users):
    browser = app.test_client()
    submit(browser, "/login", {"email": users["office"].email, "password": "wrong-guess-123"})
    submit(browser, "/login", {"email": "nobody@example.org", "password": "wrong-guess-123"})
    submit(browser, "/login", {"email": users["office"].email, "password": PASSWORD})
    failed = entries("account.login_failed")
    assert [(e.target, e.after["reason"]) for e in failed] == [
        (f"user:{users['office'].id}", "wrong password"), ("account:nobody@example.org", "no such account")]
    assert "wrong-guess-123" not in str([(e.before, e.after) for e in failed])
    [login] = entries("account.login")
    assert login.actor == users["office"].email and login.address == "127.0.0.1"


def test_the_admin_page_filters_and_exports_the_log(login, users):
    admin = login(users["admin"])
    submit(admin, "/admin/faculties", {"code": "IT", "name": "=HYPERLINK(\"http://evil\")"},
           action="/admin/faculties/rename")
    page = admin.get("/admin/audit?action=faculty.renamed")
    assert page.status_code == 200
    shown = listed(page)
    assert "faculty:IT" in shown and users["admin"].email in shown
    assert "faculty:IT" not in listed(admin.get("/admin/audit?action=account.login"))
    assert "No entries match." in text(admin.get("/admin/audit?actor=nobody-at-all"))
    exported = admin.get("/admin/audit.csv?action=faculty.renamed")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:6] == ["When (office time)", "Who", "From address", "Action", "Code", "What"]
    assert rows[1][0].endswith("+06:00") and len(rows[1][0]) == 25  # e.g. 2026-12-01T21:30:12+06:00
    assert [row[3:6] for row in rows[1:]] == [["Faculty renamed", "faculty.renamed", "faculty:IT"]]
    assert rows[1][7].startswith("{")  # JSON, not a formula: the renamed text is inside it


@pytest.mark.parametrize("query", ["since=2026-13-01", "until=0001-01-01", "action=no.such.action"])
def test_a_filter_that_means_nothing_is_refused_with_a_message(login, users, query):
    response = login(users["admin"]).get(f"/admin/audit?{query}")
    assert response.status_code == 422
    assert "No entries match." not in text(response)


@pytest.mark.parametrize("role", ["applicant", "screener", "office"])
def test_only_admins_read_the_log(login, users, role):
    assert login(users[role]).get("/admin/audit").status_code == 403
    assert login(users[role]).get("/admin/audit.csv").status_code == 403


def test_the_log_refuses_updates_and_deletes(app, users):
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.id).limit(1)) is not None  # the seeded faculties, at least
    for statement in (update(AuditEntry).values(actor="someone else"), delete(AuditEntry)):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(statement)
        db.session.rollback()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(sql("DELETE FROM audit_log"))
    db.session.rollback()


def test_the_what_filter_is_exact(login, users, make_user):
    admin = login(users["admin"])
    many = [make_user("office_staff") for _ in range(12)]  # user:1 … user:18: user:1 is not user:12
    shown = listed(admin.get(f"/admin/audit?target=user:{users['applicant'].id}&action=account.created"))
    assert f"user:{users['applicant'].id}" in shown
    assert not any(f"user:{m.id}" in shown.split() for m in many)
