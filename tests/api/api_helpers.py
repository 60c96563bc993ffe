"""Helpers for the API tests: a client acting as one user, error checks, counters.

Not a conftest.py, and nothing imported from one: pytest imports every
folder's conftest.py as the module ``conftest``, so ``from conftest import``
finds whichever folder's was collected last.
"""

from __future__ import annotations

from flask import session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, func, select

from caseflow.extensions import db
from caseflow.models.cases import Case
from tests.factories import mobility_data, state_history

PREFIX = "/api/v1"


def application_data(**overrides) -> dict:
    """Return a valid mobility application's data as a JSON client sends it."""
    return mobility_data(**overrides)


class ApiClient:
    """Call the API with a test client and headers: ``get("/cases")``, ``post("/cases", {...})``."""

    def __init__(self, client, headers: dict | None = None):
        self.client = client
        self.headers = headers or {}

    def open(self, path: str, method: str = "GET", **kwargs):
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(PREFIX + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs):
        return self.open(path, **kwargs)

    def post(self, path: str, body=None, **kwargs):
        if "data" not in kwargs:
            kwargs["json"] = body
        return self.open(path, "POST", **kwargs)

    def put(self, path: str, body=None, **kwargs):
        return self.open(path, "PUT", json=body, **kwargs)

    def send_json(self, method: str, path: str, raw: bytes):
        """Send ``raw`` as a JSON body exactly as given (a body no JSON encoder would write)."""
        return self.open(path, method, data=raw, headers={"Content-Type": "application/json"})

    def fire(self, case_id: int, transition: str, version: int, comment: str | None = None,
             recorded: dict | None = None):
        body = {"transition": transition, "version": version}
        if comment is not None:
            body["comment"] = comment
        if recorded:
            body["data"] = recorded
        return self.post(f"/cases/{case_id}/transitions", body)

    def apply(self, call_id: int, **data):
        """Submit a mobility application with valid data, changed by ``data``."""
        return self.post("/cases", {"type": "mobility", "call": call_id, "data": application_data(**data)})


class StatementCounter:
    """Count the SQL statements the engine runs inside a ``with`` block."""

    def __init__(self):
        self.statements: list[str] = []

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._record)

    def _record(self, _connection, _cursor, statement, *_args):
        self.statements.append(statement)


def count_cases() -> int:
    """Count the stored cases, as committed (not as this session last saw them)."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Case))


def count_state_events(case_id: int) -> int:
    """Count a case's history lines of its creation and its transitions, as committed."""
    return len(state_history(case_id))


def assert_error(response, status: int, *fields: str) -> dict:
    """Check a JSON error: its status, a message, and messages for each of ``fields``."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body["error"], str) and body["error"], body
    for name in fields:
        assert body["errors"][name], body
    return body


def selects_to_get(api: ApiClient, path: str) -> int:
    """Count the SELECTs one GET runs, from a fresh session as in a real request."""
    db.session.remove()  # nothing may be answered from the identity map
    with StatementCounter() as counter:
        response = api.get(path)
    assert response.status_code == 200
    return sum(1 for statement in counter.statements if statement.lstrip().upper().startswith("SELECT"))


def csrf_token_for(app, client) -> str:
    """Put a CSRF token into the client's session, as a page would; return it as a page's form shows it."""
    with app.test_request_context():
        signed = generate_csrf()
        raw = session["csrf_token"]
    with client.session_transaction() as saved:
        saved["csrf_token"] = raw
    return signed
