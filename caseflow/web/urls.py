"""Every page's address: one URL table per blueprint (the names are what templates pass to url_for)."""

from __future__ import annotations

from flask import Blueprint

from caseflow.web import (
    account,
    accounts,
    admin,
    apply,
    audit,
    calendar,
    calls,
    case_actions,
    documents,
    home,
    mail,
    passwords,
    queue,
    ranking,
)

ID = "id"  # caseflow.routing: an id the database can hold; any other matches nothing (404)
GET, POST, BOTH = ["GET"], ["POST"], ["GET", "POST"]

# (blueprint, [(rule, endpoint, view, methods)])
TABLES = {
    "cases": [
        ("/", "home", home.home, GET),
        ("/apply/<case_type>", "apply", apply.apply, BOTH),
        (f"/cases/<{ID}:case_id>", "case_page", case_actions.case_page, GET),
        (f"/cases/<{ID}:case_id>/transitions", "fire", case_actions.fire, POST),
        (f"/cases/<{ID}:case_id>/score", "score", ranking.score, POST),
        (f"/cases/<{ID}:case_id>/invitation", "invite", case_actions.invite, POST),
        (f"/cases/<{ID}:case_id>/notes", "note", case_actions.note, POST),
        ("/queue", "queue", queue.queue, GET),
        ("/queue/<case_type>/<state>", "stage", queue.stage, GET),
        ("/calls", "calls", calls.calls, BOTH),
        (f"/calls/<{ID}:call_id>", "call_page", calls.call_page, GET),
        (f"/calls/<{ID}:call_id>/edit", "edit_call", calls.edit_call, BOTH),
        (f"/calls/<{ID}:call_id>/ranking", "ranking_page", ranking.ranking_page, BOTH),
    ],
    "documents": [
        (f"/cases/<{ID}:case_id>/documents", "upload", documents.upload, POST),
        (f"/cases/<{ID}:case_id>/documents.zip", "archive", documents.archive, GET),
        (f"/documents/<{ID}:document_id>", "show", documents.show, GET),
        (f"/documents/<{ID}:document_id>/review", "review", documents.review, POST),
        (f"/documents/<{ID}:document_id>/delete", "remove", documents.remove, POST),
    ],
    "accounts": [
        ("/login", "login", accounts.login, BOTH),
        ("/logout", "logout", accounts.logout, POST),
        ("/account", "account_page", account.account_page, GET),
        ("/account/log-out-everywhere", "log_out_everywhere", account.log_out_everywhere, POST),
        (f"/account/sessions/<{ID}:login_id>/end", "end_session", account.end_other_session, POST),
        ("/account/tokens", "create_token", account.create_own_token, POST),
        (f"/account/tokens/<{ID}:token_id>/revoke", "revoke_token", account.revoke_own_token, POST),
        ("/signup", "signup", accounts.signup, BOTH),
        ("/signup/<token>", "finish_signup", accounts.finish_signup_page, BOTH),
        ("/password/forgot", "forgot_password", passwords.forgot_password, BOTH),
        ("/password/reset/<token>", "reset_password", passwords.reset_password, BOTH),
        ("/account/password", "change_password", passwords.change_own_password, POST),
        ("/language", "choose_language", accounts.choose_language, POST),
        ("/admin/users", "admin_users", admin.admin_users, BOTH),
        (f"/admin/users/<{ID}:user_id>", "edit_user", admin.edit_user, BOTH),
        (f"/admin/users/<{ID}:user_id>/tokens/<{ID}:token_id>/revoke", "revoke_user_token",
         admin.revoke_user_token, POST),
        ("/admin/faculties", "admin_faculties", admin.admin_faculties, BOTH),
        ("/admin/faculties/rename", "rename_faculty", admin.rename_faculty, POST),
        ("/admin/lists", "admin_lists", admin.admin_lists, BOTH),
        ("/admin/rooms", "admin_rooms", admin.admin_rooms, BOTH),
        ("/admin/audit", "audit_page", audit.audit_page, GET),
        ("/admin/audit.csv", "audit_file", audit.audit_file, GET),
    ],
    "notify": [
        ("/admin/mail", "admin_mail", mail.admin_mail, GET),
        (f"/admin/mail/<{ID}:message_id>/retry", "retry_message", mail.retry_message, POST),
    ],
    "calendar": [
        ("/calendar", "page", calendar.page, BOTH),
        ("/calendar/<token>.ics", "feed", calendar.feed, GET),
    ],
}


def blueprints() -> list[Blueprint]:
    """Build the pages' blueprints from the tables."""
    built = []
    for name, rules in TABLES.items():
        blueprint = Blueprint(name, __name__)
        for rule, endpoint, view, methods in rules:
            blueprint.add_url_rule(rule, endpoint, view, methods=methods)
        built.append(blueprint)
    return built
