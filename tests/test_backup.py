"""`backup PATH` and `restore PATH`: everything comes back, and a bad backup or a full database changes nothing.

Each restore goes into a second app on a database of its own: a second SQLite
file, or on PostgreSQL a database this module creates (with the source's
schema name, which the dump's tables are qualified by) and drops.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from caseflow import create_app
from caseflow.accounts.operations import record_failed_login
from caseflow.cli import snapshots
from caseflow.documents.storage import storage
from caseflow.extensions import db
from caseflow.models.audit import AuditEntry
from caseflow.models.cases import Case, CaseEvent
from caseflow.models.documents import Document
from caseflow.models.outbox import OutboxMessage
from tests.conftest import PASSWORD, PG_URL, requires_postgres
from tests.web.web_helpers import submit

SECRET = "backup-test-secret-never-in-a-backup"
SHOWN = (Case, CaseEvent, Document, OutboxMessage, AuditEntry)


@pytest.fixture
def app_overrides():
    return {"SECRET_KEY": SECRET}


@pytest.fixture
def office_data(app, users, make_user, make_case, client):
    """Cases with history, documents and mail, and audit rows of accounts and logins, made as people make them."""
    make_case("mobility", state="accepted")
    make_case("mobility", state="faculty_screening", applicant=users["other_applicant"])
    make_case("mobility", applicant=make_user("applicant"))
    submit(client, "/login", {"email": users["office"].email, "password": "not the password"})
    submit(client, "/login", {"email": users["office"].email, "password": PASSWORD})
    counts = {model: db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in SHOWN}
    assert all(counts.values()), counts  # every kind of row the restore must bring back is there
    db.session.rollback()
    return counts


def invoke(app, *args):
    db.session.rollback()  # the test's own reads end first (their locks), as a command's process has none
    with app.app_context():
        return app.test_cli_runner().invoke(args=[str(arg) for arg in args])


def every_row(app) -> dict[str, list[tuple]]:
    """Every row of every table, in key order: what a restore must give back exactly."""
    with app.app_context(), db.engine.connect() as connection:
        return {table.name: [tuple(row) for row in connection.execute(
                    sa.select(table).order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables}


def stored_bytes(app) -> dict[str, tuple[str, bytes]]:
    """Each document's recorded SHA-256 and its bytes as its app's storage gives them, by storage key."""
    with app.app_context():
        found = {d.storage_key: (d.sha256, storage().load(d.storage_key))
                 for d in db.session.scalars(sa.select(Document))}
        db.session.remove()
        return found


@pytest.fixture
def empty_database_url(app, tmp_path):
    """The address of an empty database of the source's kind: a new SQLite file, or a new PostgreSQL database."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    schema = snapshots_schema(app)
    name = f"caseflow_restore_test_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(database=name)
    inside = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with inside.connect() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    inside.dispose()
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def snapshots_schema(app) -> str:
    with app.app_context(), db.engine.connect() as connection:
        return snapshots.schema_of(connection)


@pytest.fixture
def second_app(app, empty_database_url, tmp_path):
    """Make an app like the source's on the empty database, with a documents' folder of its own."""
    made = []

    def make(**overrides):
        settings = {"DATABASE_URL": empty_database_url, "TESTING": True, "SECRET_KEY": "another-server",
                    "STORAGE": app.config["CASEFLOW_STORAGE"], "STORAGE_DIR": str(tmp_path / "restored-documents"),
                    "DEFAULT_LOCALE": "en", **overrides}
        made.append(create_app(settings))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def tables_of(app) -> list[str]:
    with app.app_context(), db.engine.connect() as connection:
        return sa.inspect(connection).get_table_names()


def files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def rewrite(backup: Path, change) -> None:
    """Write the backup again with ``change(name, bytes) -> bytes`` applied to each part."""
    with tarfile.open(backup, "r:gz") as tar:
        parts = [(member.name, tar.extractfile(member).read()) for member in tar]
    with tarfile.open(backup, "w:gz") as tar:
        for name, content in parts:
            content = change(name, content)
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def manifest_of(backup: Path) -> dict:
    with tarfile.open(backup, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


# ------------------------------------------------------------------------------------- the round trip


@pytest.mark.parametrize("app_overrides", [{"SECRET_KEY": SECRET, "STORAGE": "local"},
                                           {"SECRET_KEY": SECRET, "STORAGE": "database"}], ids=["local", "database"])
def test_restore_into_an_empty_database_brings_back_every_case_event_document_mail_and_audit_row(
        app, office_data, second_app, tmp_path):
    backup = tmp_path / "caseflow.tar.gz"
    made = invoke(app, "backup", backup)
    assert made.exit_code == 0, made.output
    assert "Backup written" in made.output and f"cases {office_data[Case]}" in made.output

    target = second_app()
    restored = invoke(target, "restore", backup)
    assert restored.exit_code == 0, restored.output
    documents = office_data[Document]
    assert f"documents whose bytes match their SHA-256: {documents}" in restored.output

    before, after = every_row(app), every_row(target)
    for model in SHOWN:
        assert len(after[model.__tablename__]) == office_data[model]
    assert after == before
    found = stored_bytes(target)
    assert len(found) == documents
    assert all(hashlib.sha256(content).hexdigest() == sha256 for sha256, content in found.values())
    assert found == stored_bytes(app)


def test_a_backup_made_while_the_app_writes_is_one_moment_of_it(app, office_data, second_app, tmp_path):
    written, started, stop = [], threading.Event(), threading.Event()

    def keep_writing():
        with app.app_context():
            while not stop.is_set():
                record_failed_login("someone@example.org", "unknown account")  # an audit row each time
                written.append(1)
                started.set()
            db.session.remove()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        started.wait(10)
        backup = tmp_path / "caseflow.tar.gz"
        made = invoke(app, "backup", backup)
    finally:
        stop.set()
        writer.join()
    assert made.exit_code == 0, made.output
    audit_rows = manifest_of(backup)["counts"]["audit_log"]
    assert office_data[AuditEntry] < audit_rows <= office_data[AuditEntry] + len(written)
    # The manifest counted the very moment the copy holds (on PostgreSQL: pg_dump ran on our snapshot).
    restored = invoke(second_app(), "restore", backup)
    assert restored.exit_code == 0, restored.output
    assert f"audit_log {audit_rows}," in restored.output


def test_the_backup_is_one_file_with_the_parts_and_a_manifest_and_no_secret_or_setting(
        app, office_data, tmp_path):
    backup = tmp_path / "caseflow.tar.gz"
    assert invoke(app, "backup", backup).exit_code == 0
    assert backup.stat().st_mode & 0o077 == 0  # it holds passports: the operator's account reads it, no one else
    with tarfile.open(backup, "r:gz") as tar:
        parts = {member.name: tar.extractfile(member).read() for member in tar}
    manifest = json.loads(parts.pop("manifest.json"))
    database_part = "database.sqlite3" if not PG_URL else "database.pgdump"
    assert set(parts) == {database_part} | {f"documents/{key}" for key in document_keys()}
    assert manifest["files"] == {name: hashlib.sha256(content).hexdigest() for name, content in parts.items()}
    assert manifest["dialect"] == ("postgresql" if PG_URL else "sqlite")
    assert manifest["counts"]["cases"] == office_data[Case]
    assert manifest["counts"]["audit_log"] == office_data[AuditEntry]
    assert {"version", "created_at", "alembic_revision"} <= set(manifest)
    for content in [json.dumps(manifest).encode(), *parts.values()]:
        assert SECRET.encode() not in content
    assert "password" not in json.dumps(manifest).lower()
    assert app.config["SQLALCHEMY_DATABASE_URI"] not in json.dumps(manifest)


def document_keys() -> list[str]:
    return list(db.session.scalars(sa.select(Document.storage_key)))


def test_a_document_whose_file_is_gone_is_named_and_the_rest_is_restored(app, office_data, second_app, tmp_path):
    lost = db.session.scalars(sa.select(Document).order_by(Document.id)).first()
    (Path(app.config["CASEFLOW_STORAGE_DIR"]) / lost.storage_key[:2] / lost.storage_key).unlink()
    backup = tmp_path / "caseflow.tar.gz"
    made = invoke(app, "backup", backup)
    assert made.exit_code == 0
    assert "documents missing or damaged, not in the backup: 1" in made.output and lost.storage_key in made.output
    restored = invoke(second_app(), "restore", backup)
    assert restored.exit_code == 0, restored.output
    assert f"documents whose bytes match their SHA-256: {office_data[Document] - 1}" in restored.output


# ---------------------------------------------------------------------------------------- refusals


def change_a_document(backup: Path) -> None:
    rewrite(backup, lambda name, content: content + b"x" if name.startswith("documents/") else content)


def change_the_database(backup: Path) -> None:
    def flip_last_bit(name, content):
        return content[:-1] + bytes([content[-1] ^ 1]) if name.startswith("database.") else content

    rewrite(backup, flip_last_bit)


def cut_short(backup: Path) -> None:
    backup.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])


@pytest.mark.parametrize(("damage", "message"), [
    (change_a_document, "does not match its checksum; nothing was changed"),
    (change_the_database, "does not match its checksum; nothing was changed"),
    (cut_short, "is not a readable caseflow backup"),
])
def test_a_damaged_backup_is_refused_and_changes_nothing(app, office_data, second_app, tmp_path, damage, message):
    backup = tmp_path / "caseflow.tar.gz"
    assert invoke(app, "backup", backup).exit_code == 0
    damage(backup)
    target = second_app()
    result = invoke(target, "restore", backup)
    assert result.exit_code == 1
    assert message in result.output
    assert tables_of(target) == []
    assert files_under(tmp_path / "restored-documents") == []


def test_restore_into_a_database_with_data_refuses_without_force_and_replaces_it_with(
        app, office_data, make_user, make_call, make_case, tmp_path):
    backup = tmp_path / "caseflow.tar.gz"
    assert invoke(app, "backup", backup).exit_code == 0
    backed_up = every_row(app)
    make_case("mobility", state="faculty_screening", call=make_call("mobility"), level="master")  # after backup
    with_more = every_row(app)

    refused = invoke(app, "restore", backup)
    assert refused.exit_code == 1
    assert "holds data" in refused.output and "add --force" in refused.output
    assert every_row(app) == with_more

    # The audit log refuses every DELETE and UPDATE; a restore replaces it whole all the same.
    forced = invoke(app, "restore", backup, "--force")
    assert forced.exit_code == 0, forced.output
    assert every_row(app) == backed_up


def test_restore_of_a_path_where_there_is_no_backup_says_so(app, second_app, tmp_path):
    target = second_app()
    result = invoke(target, "restore", tmp_path / "nothing-here.tar.gz")
    assert result.exit_code == 1
    assert "no backup at" in result.output and "nothing-here.tar.gz" in result.output
    assert tables_of(target) == []


def test_restore_refuses_a_file_that_is_not_a_backup(app, second_app, tmp_path):
    other = tmp_path / "notes.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        info = tarfile.TarInfo("../etc/passwd")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"root"))
    target = second_app()
    result = invoke(target, "restore", other)
    assert result.exit_code == 1 and "is not a caseflow backup" in result.output
    assert tables_of(target) == [] and not (tmp_path / "etc").exists()


def test_restore_refuses_a_backup_of_the_other_storage(app, office_data, second_app, tmp_path):
    backup = tmp_path / "caseflow.tar.gz"
    assert invoke(app, "backup", backup).exit_code == 0
    target = second_app(STORAGE="database")
    result = invoke(target, "restore", backup)
    assert result.exit_code == 1
    assert "configured for database (CASEFLOW_STORAGE); nothing was changed" in result.output
    assert tables_of(target) == []


def test_restore_refuses_a_backup_of_the_other_kind_of_database(app, office_data, second_app, tmp_path):
    backup = tmp_path / "caseflow.tar.gz"
    assert invoke(app, "backup", backup).exit_code == 0
    other = "postgresql" if not PG_URL else "sqlite"

    def claim_other_kind(name, content):
        return json.dumps({**json.loads(content), "dialect": other}).encode() if name == "manifest.json" else content

    rewrite(backup, claim_other_kind)
    target = second_app()
    result = invoke(target, "restore", backup)
    assert result.exit_code == 1 and f"this is a backup of a {other} database" in result.output
    assert tables_of(target) == []


def test_backup_never_overwrites_a_file(app, office_data, tmp_path):
    existing = tmp_path / "caseflow.tar.gz"
    existing.write_bytes(b"last week's backup")
    result = invoke(app, "backup", existing)
    assert result.exit_code == 1 and "exists already" in result.output
    assert existing.read_bytes() == b"last week's backup"


def test_backup_into_a_missing_folder_says_so(app, tmp_path):
    result = invoke(app, "backup", tmp_path / "no-such-folder" / "caseflow.tar.gz")
    assert result.exit_code == 1 and "no folder" in result.output
    assert not (tmp_path / "no-such-folder").exists()


@requires_postgres
def test_backup_without_pg_dump_says_what_to_install(app, office_data, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(snapshots, "CLIENT_FOLDERS", str(tmp_path / "no-postgresql" / "*" / "bin"))
    backup = tmp_path / "caseflow.tar.gz"
    result = invoke(app, "backup", backup)
    assert result.exit_code == 1
    assert "pg_dump not found on PATH" in result.output and "postgresql-client" in result.output
    assert list(tmp_path.glob("*caseflow.tar.gz*")) == []
