"""Shared fixtures: a fresh app and database per test, users, calls and cases.

SQLite in a temporary folder by default; PostgreSQL (a fresh schema per test)
when ``CASEFLOW_TEST_DATABASE_URL`` is set.
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import g
from flask_login import FlaskLoginClient

from caseflow import create_app
from caseflow.accounts import sessions
from caseflow.accounts.operations import create_token, create_user
from caseflow.cases.operations import apply_transition, create_call, create_case
from caseflow.cases.seats import pool_of
from caseflow.catalog import catalog
from caseflow.cli.translations import compile_all
from caseflow.demo import sample_recorded
from caseflow.extensions import db
from caseflow.reference_data import seed_reference_data
from caseflow.timeutil import utcnow
from tests.documents_helpers import supply_documents
from tests.factories import path_to, sample_data

PG_URL = os.environ.get("CASEFLOW_TEST_DATABASE_URL")
PASSWORD = "correct-horse-battery"



def pytest_sessionstart(session):
    """Compile the catalogues, as `make test` does, so a bare `pytest` on a fresh clone reads them too."""
    compile_all()


requires_postgres = pytest.mark.skipif(not PG_URL, reason="needs CASEFLOW_TEST_DATABASE_URL (PostgreSQL)")


@pytest.fixture
def database_url(tmp_path):
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


@pytest.fixture
def app_overrides():
    """Settings a test module adds to the app's (override this fixture in the module)."""
    return {}


@pytest.fixture
def app(database_url, tmp_path, app_overrides):
    app = create_app({
        "DATABASE_URL": database_url,
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # the default scrypt costs ~0.1 s a user
        "STORAGE_DIR": str(tmp_path / "documents"),
        # The tests read the English source texts unless they choose a language (tests/i18n choose each).
        "DEFAULT_LOCALE": "en",
        **app_overrides,
    })
    app.test_client_class = FlaskLoginClient

    # The test keeps one app context pushed, and requests reuse it, so they
    # would share ``g``: Flask-Login's cached user and Flask-WTF's CSRF token
    # would leak from one client's request into the next.  Give each request
    # a clean ``g``, as a real server does.
    @app.before_request
    def fresh_request_globals():
        vars(g).clear()

    with app.app_context():
        db.create_all()
        seed_reference_data()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(role: str = "applicant", faculty: str | None = None, email: str | None = None, name: str = ""):
        if role == "faculty_screener" and faculty is None:
            faculty = "IT"
        email = email or f"{role}{next(counter)}@example.org"
        return create_user(email, PASSWORD, role, faculty, name or email.split("@")[0])

    return make


@pytest.fixture
def users(make_user):
    """One user of every role (the screener belongs to IT)."""
    return {
        "applicant": make_user("applicant", name="Asel Applicant"),
        "other_applicant": make_user("applicant", name="Omar Other"),
        "screener": make_user("faculty_screener", "IT", name="Sergey Screener"),
        "other_screener": make_user("faculty_screener", "ECON", name="Erlan Econ"),
        "office": make_user("office_staff", name="Olga Office"),
        "admin": make_user("admin", name="Adil Admin"),
    }


@pytest.fixture
def login(app):
    """Return a test client logged in as the given user."""

    def as_user(user):
        # A login session of its own, stored as logging in stores one (the cookie names it).
        return app.test_client(user=sessions.opened(db.session.merge(user)))

    return as_user


@pytest.fixture
def token(app):
    """Return an Authorization header for the given user."""

    def header(user):
        return {"Authorization": f"Bearer {create_token(user)}"}

    return header


DEFAULT_PARTNERS = [
    {"name": "TH Wildau", "country": "DE", "seats": 2},
    {"name": "TH Köln", "country": "DE", "seats": 1},
]


@pytest.fixture
def make_call(app):
    counter = iter(range(1, 10_000))

    def make(case_type="mobility", name=None, deadline=None, partners=None, seats=None, description="",
             variant=None, commission=()):
        """Create a call; a ``deadline`` in the past is set after creation, as if time had passed.

        A type whose calls fix a variant (the scholarship's programme) gets its first one unless given;
        ``commission`` lists the member accounts.
        """
        workflow = catalog()[case_type]
        if partners is None:
            partners = DEFAULT_PARTNERS if workflow.partner_field else []
        if seats is None and pool_of(workflow).kind.places_of_call:
            seats = 10
        if variant is None and workflow.variant is not None:
            variant = workflow.variant.choices[0].value
        call = create_call(
            name or f"Erasmus+ {2026 + next(counter)}",
            case_type,
            utcnow() + timedelta(days=30),
            partners,
            seats,
            description,
            variant=variant,
            commission=[member.id for member in commission],
        )
        if deadline is not None:
            call.deadline_at = deadline
            db.session.commit()
        return call

    return make


@pytest.fixture
def make_case(app, users, make_call):
    """Create a case (through the real operations) and drive it to ``state``."""
    calls = {}

    def make(case_type="mobility", state=None, applicant=None, call=None, documents=True, **data):
        """``documents``: upload the checklist's required documents first (the guard wants them)."""
        workflow = catalog()[case_type]
        if call is None and workflow.needs_call:
            call = calls.get(case_type) or calls.setdefault(case_type, make_call(case_type))
        applicant = applicant or users["applicant"]
        case = create_case(workflow, applicant, sample_data(case_type, **data), call)
        if documents:
            supply_documents(case, applicant)
        actors = {
            "applicant": applicant,
            "faculty_screener": users["screener"],
            "office_staff": users["office"],
            "admin": users["admin"],
        }
        steps = path_to(workflow, state or workflow.initial)
        for number, transition in enumerate(steps):
            comment = "Reason given by staff." if transition.comment_required else ""
            case = apply_transition(case.id, transition.name, actors[transition.roles[0]], case.version, comment,
                                    recorded=sample_recorded(workflow, transition.name, steps[number + 1:]))
        return case

    return make


@pytest.fixture
def members(make_user):
    """Two accounts for a selection commission: a faculty screener and an office member."""
    return [make_user("faculty_screener", "IT", name="Anna Member"), make_user("office_staff", name="Boris Member")]


@pytest.fixture
def smtp(app):
    """A real SMTP server (aiosmtpd) on a loopback port, which the app sends its mail to."""
    from tests.notify.smtp_server import SmtpServer

    server = SmtpServer().start()
    app.config.update(CASEFLOW_MAIL_SERVER="127.0.0.1", CASEFLOW_MAIL_PORT=server.port,
                      CASEFLOW_MAIL_TIMEOUT_SECONDS=5)
    yield server
    server.stop()
