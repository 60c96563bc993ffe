"""The flask commands an operator types, on a fresh database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from caseflow import create_app
from caseflow.accounts.operations import user_for_token
from caseflow.catalog import catalog
from caseflow.extensions import db
from caseflow.models.accounts import Faculty, User
from caseflow.models.cases import Case


@pytest.fixture
def fresh_app(database_url, tmp_path):
    """An app on an empty database: nothing created, as after a fresh clone."""
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "STORAGE_DIR": str(tmp_path / "documents"), "DEFAULT_LOCALE": "en"})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_init_db_migrates_to_a_schema_matching_the_models_and_seeds_faculties(fresh_app):
    result = invoke(fresh_app, "init-db")
    assert result.exit_code == 0, result.output
    assert "Database ready" in result.output
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []
    assert db.session.scalar(select(func.count()).select_from(Faculty)) >= 5
    assert invoke(fresh_app, "init-db").exit_code == 0  # twice is harmless


def test_create_user_and_token(fresh_app):
    invoke(fresh_app, "init-db")
    result = invoke(fresh_app, "create-user", "Screener@Example.org", "--role", "faculty_screener",
                    "--faculty", "IT", "--password", "long-enough-pw")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "screener@example.org"))
    assert (user.role, user.faculty_code) == ("faculty_screener", "IT")
    result = invoke(fresh_app, "create-token", "screener@example.org")
    assert result.exit_code == 0
    secret = result.output.strip().splitlines()[-1]
    assert user_for_token(secret).id == user.id


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x@example.org", "--role", "faculty_screener", "--faculty", "NOPE", "--password", "long-enough-pw"],
         "Unknown faculty code NOPE"),
        (["x@example.org", "--role", "faculty_screener", "--password", "long-enough-pw"], "needs a faculty"),
        (["x@example.org", "--role", "applicant", "--password", "short"], "at least 10 characters"),
        (["x@example.org", "--role", "dean", "--password", "long-enough-pw"], "'dean' is not one of"),
    ],
)
def test_create_user_refuses_bad_input_with_a_message(fresh_app, args, message):
    invoke(fresh_app, "init-db")
    result = invoke(fresh_app, "create-user", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_user_refuses_a_used_email(fresh_app):
    invoke(fresh_app, "init-db")
    invoke(fresh_app, "create-user", "a@example.org", "--role", "admin", "--password", "long-enough-pw")
    result = invoke(fresh_app, "create-user", "A@example.org", "--role", "admin", "--password", "long-enough-pw")
    assert result.exit_code == 1 and "exists already" in result.output


def test_the_commands_speak_the_office_s_default_language(database_url, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "STORAGE_DIR": str(tmp_path / "documents")})
    with app.app_context():
        invoke(app, "init-db")
        result = invoke(app, "create-user", "x@example.org", "--role", "applicant", "--password", "short")
        assert result.exit_code == 1 and "Пароль должен содержать не менее 10 символов." in result.output
        db.session.remove()
        db.engine.dispose()


def test_create_token_for_unknown_user_fails(fresh_app):
    invoke(fresh_app, "init-db")
    result = invoke(fresh_app, "create-token", "nobody@example.org")
    assert result.exit_code == 1 and "no account" in result.output


def test_workflows_check_lists_every_workflow(fresh_app):
    result = invoke(fresh_app, "workflows", "check")
    assert result.exit_code == 0
    assert "mobility: ok" in result.output


def test_workflows_check_names_the_broken_file_and_problem(fresh_app, tmp_path):
    (tmp_path / "broken.toml").write_text(
        'label = "B"\nreference_prefix = "B"\ninitial = "a"\n'
        '[[states]]\nname = "a"\n[[states]]\nname = "b"\nterminal = true\n'
        '[[transitions]]\nname = "go"\ndone = "Gone"\ntold = "It went."\n'
        'sources = ["a"]\ndest = "b"\nroles = ["wizard"]\n'
    )
    result = invoke(fresh_app, "workflows", "check", str(tmp_path))
    assert result.exit_code == 1
    assert "broken.toml" in result.output and "unknown role 'wizard'" in result.output


def test_broken_workflow_file_stops_start_up(database_url, tmp_path):
    (tmp_path / "broken.toml").write_text(
        'label = "B"\nreference_prefix = "B"\ninitial = "a"\n[[states]]\nname = "a"\n'
    )
    with pytest.raises(Exception, match="broken.toml") as caught:
        create_app({"DATABASE_URL": database_url, "WORKFLOWS_DIR": str(tmp_path)})
    assert "no [[transitions]] declared" in str(caught.value)


def test_demo_loads_cases_in_every_state_once(fresh_app):
    invoke(fresh_app, "init-db")
    result = invoke(fresh_app, "demo")
    assert result.exit_code == 0, result.output
    assert "office@demo.example.org" in result.output and "demo-password" in result.output
    stored = set(db.session.execute(select(Case.type, Case.state)).all())
    # Admission's "offer accepted" is left at once: the engine routes every case on by its form.
    transient = {("admission", "accepted")}
    assert stored == {(w.name, s.name) for w in catalog() for s in w.states} - transient
    # The office files the work permits, under its foreign specialists' names, never the clerk's.
    office = db.session.scalar(select(User).where(User.email == "office@demo.example.org"))
    permits = db.session.execute(select(Case.subject_name, Case.applicant_id).where(Case.type == "work_permit")).all()
    assert {applicant for _name, applicant in permits} == {office.id}
    assert "Hans Lehrer" in {name for name, _applicant in permits} and office.full_name not in dict(permits)
    cases = db.session.scalar(select(func.count()).select_from(Case))
    again = invoke(fresh_app, "demo")
    assert again.exit_code == 0 and "exists already" in again.output
    assert db.session.scalar(select(func.count()).select_from(Case)) == cases


def test_unknown_setting_is_refused(monkeypatch, database_url):
    monkeypatch.setenv("CASEFLOW_DATABSE_URL", "sqlite://")
    with pytest.raises(ValueError, match="unknown setting CASEFLOW_DATABSE_URL"):
        create_app({"DATABASE_URL": database_url})


def test_production_refuses_the_development_secret_key(monkeypatch, database_url):
    monkeypatch.setenv("CASEFLOW_ENV", "production")
    monkeypatch.delenv("CASEFLOW_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="CASEFLOW_SECRET_KEY"):
        create_app({"DATABASE_URL": database_url})
