"""Who gets what from every address: each route of the URL map, asked by each kind of person.

The answers expected are declared once, in ``EXPECTED``: (endpoint, method) -> {role: answer}.  The test
walks the app's URL map, not the table, so a route added without a row fails, by its name, and a row whose
route is gone fails too.  The ids in the addresses are real: a mobility case of the faculty IT that the
owner submitted (its passport uploaded), a scholarship call (ranked by a commission), the owner's account
and API token, a message of the outbox, live sign-up, reset and calendar links.

A change (POST, PUT, DELETE) is sent as a person would send it: a page's form with the CSRF token taken
from a page, the API with a bearer token, and the least body that reaches the check of who asks (a
refused form would hide it).  Only that check is asserted: ``ALLOWED`` means any answer that is not a
refusal of the person (a login redirect, 401, 403, 404; 400, a spoilt form) nor a server error.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from caseflow.accounts import sessions
from caseflow.accounts.links import RESET, SIGNUP, fingerprint, make
from caseflow.accounts.operations import create_token, tokens_of
from caseflow.cases import queries
from caseflow.catalog import catalog
from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.outbox import OutboxMessage
from caseflow.scheduling.calendar_feed import issue_token
from tests.factories import sample_data
from tests.web.web_helpers import csrf_from

ROLES = ("anonymous", "owner", "other_applicant", "screener", "other_screener", "office", "admin")
# The ``users`` fixture's account of each role (the screener is IT's, the case's faculty; the other ECON's).
ACCOUNTS = {"owner": "applicant", "other_applicant": "other_applicant", "screener": "screener",
            "other_screener": "other_screener", "office": "office", "admin": "admin"}

LOGIN = "302 to the login page"  # a page asked for without logging in
ALLOWED = "not refused"  # let through: the request's own answer (200, 303, 409, 422 ...), whatever it is
# Not let through.  400 too: it is what a missing or spoilt CSRF token gets, which would hide the check.
REFUSALS = (400, 401, 403, 404)


def row(anonymous, owner, other_applicant, screener, other_screener, office, admin) -> dict[str, object]:
    """One route's answers, in the order of ``ROLES``."""
    return dict(zip(ROLES, (anonymous, owner, other_applicant, screener, other_screener, office, admin),
                    strict=True))


def everyone(answer) -> dict[str, object]:
    return row(*[answer] * len(ROLES))


# The two ways of being let in or not that most pages share.
ANY_LOGIN_GET = row(LOGIN, 200, 200, 200, 200, 200, 200)
ANY_LOGIN_CHANGE = row(LOGIN, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)
ADMIN_GET = row(LOGIN, 403, 403, 403, 403, 403, 200)
ADMIN_CHANGE = row(LOGIN, 403, 403, 403, 403, 403, ALLOWED)
# The API: 401 without a token; the case as the pages show it otherwise.
API_ANY = row(401, 200, 200, 200, 200, 200, 200)
API_OFFICE_CHANGE = row(401, 403, 403, 403, 403, ALLOWED, ALLOWED)
API_CASE = row(401, 200, 404, 200, 404, 200, 200)
API_CASE_OFFICE = row(401, 403, 404, 403, 404, 200, 200)
API_CASE_OFFICE_CHANGE = row(401, 403, 404, 403, 404, ALLOWED, ALLOWED)
API_CASE_UPLOADERS_CHANGE = row(401, ALLOWED, 404, 403, 404, ALLOWED, ALLOWED)

EXPECTED: dict[tuple[str, str], dict[str, object]] = {
    # (endpoint, method):                     anonymous owner    other    screener other-s. office   admin
    ("cases.home", "GET"):                row(200,      200,     200,     302,     302,     302,     302),
    ("cases.apply", "GET"):               row(LOGIN,    200,     200,     403,     403,     403,     403),
    ("cases.apply", "POST"):              row(LOGIN,    ALLOWED, ALLOWED, 403,     403,     403,     403),
    ("cases.case_page", "GET"):           row(LOGIN,    200,     404,     200,     404,     200,     200),
    ("cases.fire", "POST"):               row(LOGIN,    403,     404,     403,     404,     ALLOWED, ALLOWED),
    # Nobody sits on the scholarship call's commission, and the mobility case is not scored at all.
    ("cases.score", "POST"):              row(LOGIN,    403,     404,     403,     404,     403,     403),
    # The office invites the person a case is about (here its owner, who follows it already: 409).
    ("cases.invite", "POST"):             row(LOGIN,    403,     404,     403,     404,     ALLOWED, ALLOWED),
    # Staff who see the case write internal notes; its applicant may not.
    ("cases.note", "POST"):               row(LOGIN,    403,     404,     ALLOWED, 404,     ALLOWED, ALLOWED),
    ("cases.queue", "GET"):               row(LOGIN,    403,     403,     200,     200,     200,     200),
    ("cases.stage", "GET"):               row(LOGIN,    403,     403,     200,     200,     200,     200),
    ("cases.calls", "GET"):               everyone(200),
    ("cases.calls", "POST"):              row(LOGIN,    403,     403,     403,     403,     ALLOWED, ALLOWED),
    ("cases.call_page", "GET"):           everyone(200),
    ("cases.edit_call", "GET"):           row(LOGIN,    403,     403,     403,     403,     200,     200),
    ("cases.edit_call", "POST"):          row(LOGIN,    403,     403,     403,     403,     ALLOWED, ALLOWED),
    ("cases.ranking_page", "GET"):        row(LOGIN,    404,     404,     404,     404,     200,     200),
    ("cases.ranking_page", "POST"):       row(LOGIN,    404,     404,     404,     404,     ALLOWED, ALLOWED),
    ("documents.upload", "POST"):         row(LOGIN,    ALLOWED, 404,     403,     404,     ALLOWED, ALLOWED),
    ("documents.archive", "GET"):         row(LOGIN,    403,     404,     403,     404,     200,     200),
    ("documents.show", "GET"):            row(LOGIN,    200,     404,     200,     404,     200,     200),
    ("documents.review", "POST"):         row(LOGIN,    403,     404,     403,     404,     ALLOWED, ALLOWED),
    ("documents.remove", "POST"):         row(LOGIN,    ALLOWED, 404,     403,     404,     ALLOWED, ALLOWED),
    ("accounts.login", "GET"):            row(200,      303,     303,     303,     303,     303,     303),
    ("accounts.login", "POST"):           row(ALLOWED,  303,     303,     303,     303,     303,     303),
    ("accounts.logout", "POST"):          everyone(303),
    ("accounts.account_page", "GET"):     ANY_LOGIN_GET,
    ("accounts.log_out_everywhere", "POST"): ANY_LOGIN_CHANGE,
    ("accounts.create_token", "POST"):    ANY_LOGIN_CHANGE,
    # The owner's token: anyone else's attempt is answered as for a token that does not exist.
    ("accounts.revoke_token", "POST"):    row(LOGIN,    ALLOWED, 404,     404,     404,     404,     404),
    # The owner's other login: anyone else's attempt is answered as for a login that does not exist.
    ("accounts.end_session", "POST"):     row(LOGIN,    ALLOWED, 404,     404,     404,     404,     404),
    ("accounts.signup", "GET"):           row(200,      303,     303,     303,     303,     303,     303),
    ("accounts.signup", "POST"):          row(ALLOWED,  303,     303,     303,     303,     303,     303),
    # A mailed link is the credential: whoever holds it may use it.
    ("accounts.finish_signup", "GET"):    everyone(200),
    ("accounts.finish_signup", "POST"):   everyone(ALLOWED),
    ("accounts.forgot_password", "GET"):  everyone(200),
    ("accounts.forgot_password", "POST"): everyone(ALLOWED),
    ("accounts.reset_password", "GET"):   everyone(200),
    ("accounts.reset_password", "POST"):  everyone(ALLOWED),
    ("accounts.change_password", "POST"): ANY_LOGIN_CHANGE,
    ("accounts.choose_language", "POST"): everyone(ALLOWED),
    ("accounts.admin_users", "GET"):      ADMIN_GET,
    ("accounts.admin_users", "POST"):     ADMIN_CHANGE,
    ("accounts.edit_user", "GET"):        ADMIN_GET,
    ("accounts.edit_user", "POST"):       ADMIN_CHANGE,
    ("accounts.revoke_user_token", "POST"): ADMIN_CHANGE,
    ("accounts.admin_faculties", "GET"):  ADMIN_GET,
    ("accounts.admin_faculties", "POST"): ADMIN_CHANGE,
    ("accounts.rename_faculty", "POST"):  ADMIN_CHANGE,
    ("accounts.admin_lists", "GET"):      ADMIN_GET,
    ("accounts.admin_lists", "POST"):     ADMIN_CHANGE,
    ("accounts.admin_rooms", "GET"):      ADMIN_GET,
    ("accounts.admin_rooms", "POST"):     ADMIN_CHANGE,
    ("accounts.audit_page", "GET"):       ADMIN_GET,
    ("accounts.audit_file", "GET"):       ADMIN_GET,
    ("notify.admin_mail", "GET"):         ADMIN_GET,
    ("notify.retry_message", "POST"):     ADMIN_CHANGE,
    ("calendar.page", "GET"):             ANY_LOGIN_GET,
    ("calendar.page", "POST"):            ANY_LOGIN_CHANGE,
    ("calendar.feed", "GET"):             everyone(200),  # the address is the credential
    ("api.openapi_document", "GET"):      everyone(200),
    ("api.list_workflows", "GET"):        API_ANY,
    ("api.list_faculties", "GET"):        API_ANY,
    ("api.list_calls", "GET"):            API_ANY,
    ("api.create_call", "POST"):          API_OFFICE_CHANGE,
    ("api.update_call", "PUT"):           API_OFFICE_CHANGE,
    ("api.get_ranking", "GET"):           row(401,      404,     404,     404,     404,     200,     200),
    ("api.close_ranking", "POST"):        row(401,      403,     403,     403,     403,     ALLOWED, ALLOWED),
    ("api.list_cases", "GET"):            API_ANY,
    ("api.create_case", "POST"):          row(401,      ALLOWED, ALLOWED, 403,     403,     403,     403),
    ("api.get_case", "GET"):              API_CASE,
    ("api.fire_transition", "POST"):      row(401,      403,     404,     403,     404,     ALLOWED, ALLOWED),
    ("api.invite_subject", "POST"):       API_CASE_OFFICE_CHANGE,
    ("api.add_note", "POST"):             row(401,      403,     404,     ALLOWED, 404,     ALLOWED, ALLOWED),
    ("api.put_score", "PUT"):             row(401,      403,     404,     403,     404,     403,     403),
    ("api.upload_document", "POST"):      API_CASE_UPLOADERS_CHANGE,
    ("api.get_case_archive", "GET"):      API_CASE_OFFICE,
    ("api.get_document", "GET"):          API_CASE,
    ("api.delete_document", "DELETE"):    API_CASE_UPLOADERS_CHANGE,
    ("api.get_document_content", "GET"):  API_CASE,
    ("api.review_document", "PUT"):       API_CASE_OFFICE_CHANGE,
    ("api.export_cases", "GET"):          row(401,      403,     403,     403,     403,     200,     200),
}

SKIPPED = {"static"}
UNCHECKED_METHODS = {"HEAD", "OPTIONS"}  # Flask answers them for every GET route


def routes(app) -> list[tuple[str, str]]:
    """Every (endpoint, method) the app answers, in the URL map's order."""
    return [(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED
            for method in sorted(rule.methods - UNCHECKED_METHODS)]


@dataclass
class World:
    """The real records the addresses name, and how each person asks."""

    app: object
    people: dict  # role -> account id (no anonymous)
    bearers: dict  # role -> Authorization header (no anonymous)
    login: object
    values: dict  # a path parameter -> its value
    special: dict  # endpoint -> the path values it takes instead (a record only it may use up)
    bodies: dict = field(default_factory=dict)  # endpoint -> (lambda: the request's extra keyword arguments)
    csrf_page: str = ""

    def client(self, role: str):
        """A browser of its own for each request: a request may end its login session (log out)."""
        return self.app.test_client() if role == "anonymous" else self.login(db.session.get(User, self.people[role]))

    def path(self, endpoint: str) -> str:
        rule = next(rule for rule in self.app.url_map.iter_rules() if rule.endpoint == endpoint)
        values = {**self.values, **{name: value() if callable(value) else value
                                    for name, value in self.special.get(endpoint, {}).items()}}
        missing = sorted(rule.arguments - values.keys())
        assert not missing, f"{endpoint}: no value for {', '.join(missing)}; give one in the world fixture"
        return self.app.url_map.bind("localhost").build(endpoint, {name: values[name] for name in rule.arguments})

    def ask(self, role: str, endpoint: str, method: str):
        # The tests' requests share one app context, and so one database session: give each a fresh one, as a
        # server does, or an account loaded by a page's request (with its login session) answers the next.
        db.session.remove()
        extra = self.bodies[endpoint]() if endpoint in self.bodies else {}
        if endpoint.startswith("api."):
            if method in ("POST", "PUT") and not extra:
                extra = {"json": {}}
            headers = self.bearers.get(role, {})
            return self.app.test_client().open(self.path(endpoint), method=method, headers=headers, **extra)
        browser = self.client(role)
        if method == "GET":
            return browser.get(self.path(endpoint))
        token = csrf_from(browser.get(self.csrf_page).get_data(as_text=True))
        data = {"csrf_token": token, **extra.get("data", {})}
        return browser.open(self.path(endpoint), method=method, data=data)


def answer_of(response) -> object:
    """What a person notices: a redirect to the login page, or the status."""
    if response.status_code == 302 and urlsplit(response.location).path == "/login":
        return LOGIN
    return response.status_code


def agrees(expected: object, got: object) -> bool:
    if expected is ALLOWED:
        return isinstance(got, int) and got not in REFUSALS and got < 500
    return got == expected


@pytest.fixture
def world(app, users, make_case, make_call, make_user, login, token):
    owner = users["applicant"]
    mobility = catalog()["mobility"]
    case = make_case("mobility")  # the faculty IT's (the sample's), its passport uploaded
    assert case.faculty_code == "IT"
    # Each removal uses up a document of its own (once per call and level of study, so a call and level each).
    removable, deletable = (make_case("mobility", call=make_call("mobility"), level=level)
                            for level in ("master", "doctorate"))
    ranked_call = make_call("scholarship")
    people = {role: users[account].id for role, account in ACCOUNTS.items()}
    bearers = {role: token(users[account]) for role, account in ACCOUNTS.items()}
    create_token(owner, "revoked by the matrix")
    spare_token = next(t for t in tokens_of(owner.id) if t.name == "revoked by the matrix")

    def spare_login() -> int:
        """Another login of the owner, made when asked: a log-out-everywhere before would have ended one."""
        opened = sessions.opened(db.session.get(User, owner.id), user_agent="ended by the matrix")
        return next(login.id for login in sessions.of(opened) if login.user_agent == "ended by the matrix")
    message = db.session.scalar(db.select(OutboxMessage).order_by(OutboxMessage.id))  # the case's mail
    assert message is not None
    # The mailed links and the calendar address belong to people outside the matrix, so no request's
    # side effect (a new calendar address, a changed password) spends them.
    linked = make_user("applicant", name="Lina Linked")
    staff_move = next(t for t in mobility.transitions_from(case.state) if "applicant" not in t.roles
                      and not t.auto)
    export = next(w.export for w in catalog() if w.export is not None)

    def document_of(of) -> int:
        return queries.case_documents(of.id)[0].id

    def scan():
        return (io.BytesIO(b"not a PDF at all"), "scan.pdf")

    kind = mobility.documents[0].kind
    call_id, version = case.call_id, case.version  # plain values: each request has a session of its own
    bodies = {
        # The least that gets past each form or schema to the question of who asks.
        "cases.fire": lambda: {"data": {"transition": staff_move.name, "version": str(version),
                                        "comment": "Checked."}},
        "cases.score": lambda: {"data": {"score": "5"}},
        "cases.note": lambda: {"data": {"note": "Called the student."}},
        "api.add_note": lambda: {"json": {"note": "Called the student."}},
        "documents.upload": lambda: {"data": {"kind": kind, "file": scan()}},
        "documents.review": lambda: {"data": {"decision": "accepted"}},
        "api.create_case": lambda: {"json": {"type": mobility.name, "call": call_id,
                                             "data": sample_data("mobility")}},
        "api.fire_transition": lambda: {"json": {"transition": staff_move.name, "version": version,
                                                 "comment": "Checked."}},
        "api.put_score": lambda: {"json": {"score": 5}},
        "api.upload_document": lambda: {"data": {"kind": kind, "file": scan()}},
        "api.review_document": lambda: {"json": {"status": "accepted"}},
    }
    return World(
        app=app, people=people, bearers=bearers, login=login, bodies=bodies,
        csrf_page=f"/calls/{ranked_call.id}",  # a public page: its language form carries the token for anyone
        values={"case_id": case.id, "call_id": ranked_call.id, "document_id": document_of(case),
                "token_id": spare_token.id, "user_id": owner.id, "message_id": message.id,
                "case_type": mobility.name, "state": mobility.initial, "name": export.name, "fmt": "csv"},
        special={
            "documents.remove": {"document_id": document_of(removable)},
            "api.delete_document": {"document_id": document_of(deletable)},
            "accounts.finish_signup": {"token": make(SIGNUP, {"e": "new.person@example.org", "n": "New Person"})},
            "accounts.reset_password": {"token": make(RESET, {"u": linked.id, "p": fingerprint(linked.password_hash)})},
            "calendar.feed": {"token": issue_token(linked)},
            "accounts.end_session": {"login_id": spare_login},
        },
    )


def test_every_route_has_a_row_and_every_row_a_route(app):
    answered = set(routes(app))
    missing = [f"{endpoint} {method}" for endpoint, method in routes(app) if (endpoint, method) not in EXPECTED]
    assert not missing, f"routes without a row in EXPECTED: {', '.join(missing)}"
    gone = [f"{endpoint} {method}" for endpoint, method in EXPECTED if (endpoint, method) not in answered]
    assert not gone, f"rows of EXPECTED for routes the app no longer has: {', '.join(gone)}"


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_person_as_the_table_says(app, world, role):
    wrong = []
    for endpoint, method in routes(app):
        expected = EXPECTED.get((endpoint, method))
        assert expected is not None, f"{endpoint} {method} has no row in EXPECTED: declare who may use it"
        response = world.ask(role, endpoint, method)
        got = answer_of(response)
        response.close()  # a file's answer (a ZIP of the documents) holds its file open until then
        if not agrees(expected[role], got):
            wrong.append(f"{method} {endpoint}: expected {expected[role]}, got {got}")
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
