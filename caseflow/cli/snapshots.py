"""The database part of a backup: a consistent copy out, the copy back in, and what a database holds.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every
page in one step under a read lock, so the copy is consistent while the app
writes (WAL lets them go on meanwhile).  PostgreSQL: ``pg_dump
--format=custom`` of the app's schema, run on a snapshot exported from our own
REPEATABLE READ transaction, so the counts and document keys written to the
manifest are exactly those of the dump.  Both restores replace the database
wholesale (pages, or dropped and recreated tables), so the audit log's trigger,
which refuses only row UPDATE and DELETE, never fires.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from caseflow.cli.archive import BackupError
from caseflow.extensions import db
from caseflow.models.documents import Document

# Where Debian and Ubuntu keep each PostgreSQL version's programs, when they are not on PATH.
CLIENT_FOLDERS = "/usr/lib/postgresql/*/bin"
# pg_restore's table-of-contents lines for the schema itself: left out, because the schema exists in the
# target already and dropping it (public above all) is neither needed nor allowed to the app's role.
_SCHEMA_ENTRY = re.compile(r"^\d+; \d+ \d+ (SCHEMA|COMMENT - SCHEMA) ")


class Census(NamedTuple):
    """What a database holds: rows per table, the documents' (storage key, SHA-256), the schema's revision."""

    counts: dict[str, int]
    documents: list[tuple[str, str]]
    revision: str | None


class Snapshot(NamedTuple):
    part: str  # its name in the archive
    path: Path
    census: Census
    schema: str | None  # PostgreSQL: the schema the tables live in


def census(connection: Connection) -> Census:
    """Count the rows of every table of the app's that exists, and list the documents."""
    present = set(sa.inspect(connection).get_table_names())
    counts = {table.name: connection.scalar(sa.select(sa.func.count()).select_from(table))
              for table in db.metadata.sorted_tables if table.name in present}
    documents = [] if Document.__tablename__ not in present else [tuple(row) for row in connection.execute(
        sa.select(Document.storage_key, Document.sha256).order_by(Document.id))]
    revision = connection.scalar(sa.text("SELECT version_num FROM alembic_version")) \
        if "alembic_version" in present else None
    return Census(counts, documents, revision)


def take(engine: Engine, into: Path) -> Snapshot:
    """Copy the database into the folder ``into``, consistently, and say what the copy holds."""
    if engine.dialect.name == "sqlite":
        return _take_sqlite(engine, into)
    if engine.dialect.name == "postgresql":
        return _take_postgres(engine, into)
    raise BackupError(f"cannot back up a {engine.dialect.name} database (SQLite and PostgreSQL only)")


def restore(engine: Engine, path: Path) -> None:
    """Replace the database's content by the copy at ``path`` (the engine's connections are closed first)."""
    engine.dispose()  # a pooled connection would hold locks (PostgreSQL) or stale pages (SQLite)
    if engine.dialect.name == "sqlite":
        _copy_sqlite(path, _sqlite_file(engine.url))
    else:
        _restore_postgres(engine.url, path)
    engine.dispose()


def schema_of(connection: Connection) -> str | None:
    """Return the schema new tables go to (PostgreSQL's current_schema(); None elsewhere)."""
    if connection.dialect.name != "postgresql":
        return None
    return connection.scalar(sa.text("SELECT current_schema()"))


# ------------------------------------------------------------------------------------------ SQLite


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError(f"the database {url} is not an SQLite file caseflow can copy")
    return Path(url.database)


def _copy_sqlite(source: Path, target: Path) -> None:
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)  # all pages in one step: one consistent moment of the source
    except sqlite3.Error as error:
        raise BackupError(f"copying {source} to {target} failed: {error}") from None
    finally:
        copy.close()
        origin.close()


def _take_sqlite(engine: Engine, into: Path) -> Snapshot:
    source = _sqlite_file(engine.url)
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    path = into / "database.sqlite3"
    _copy_sqlite(source, path)
    copy = sqlite3.connect(path)
    copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    copy.close()
    reader = sa.create_engine(URL.create("sqlite", database=str(path)))
    try:
        with reader.connect() as connection:
            found = census(connection)
    finally:
        reader.dispose()
    return Snapshot("database.sqlite3", path, found, None)


# -------------------------------------------------------------------------------------- PostgreSQL


def find_client(program: str) -> str:
    """Return the path of a PostgreSQL client program: on PATH, else the newest under CLIENT_FOLDERS."""
    found = shutil.which(program)
    if found:
        return found

    def version(path: str) -> int:
        number = Path(path).parent.parent.name
        return int(number) if number.isdigit() else -1

    candidates = sorted(glob.glob(f"{CLIENT_FOLDERS}/{program}"), key=version)
    if not candidates:
        raise BackupError(f"{program} not found on PATH or in {CLIENT_FOLDERS}: install PostgreSQL's client "
                          f"programs (Debian: apt install postgresql-client)")
    return candidates[-1]


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """Return a libpq address for the app's database and the environment carrying its password.

    The password goes in PGPASSWORD, not on the command line, where every user of the machine sees it.
    """
    address = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                         database=url.database, query=url.query)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return address.render_as_string(hide_password=False), environment


def _run(arguments: list[str], environment: dict[str, str]) -> str:
    result = subprocess.run(arguments, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip() or result.returncode}")
    return result.stdout


def _take_postgres(engine: Engine, into: Path) -> Snapshot:
    pg_dump = find_client("pg_dump")
    address, environment = _libpq(engine.url)
    path = into / "database.pgdump"
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, \
            connection.begin():
        # pg_dump reads the same snapshot as our census, so the manifest counts exactly what it dumps.
        exported = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
        schema = schema_of(connection)
        if schema is None:
            raise BackupError("the database's search_path names no schema that exists: nothing to back up")
        found = census(connection)
        # Only the app's schema: the database may hold others' (a shared server, the tests' schemas).
        _run([pg_dump, "--format=custom", f"--snapshot={exported}", f'--schema="{schema}"',
              f"--file={path}", f"--dbname={address}"], environment)
    return Snapshot("database.pgdump", path, found, schema)


def _restore_postgres(url: URL, path: Path) -> None:
    pg_restore = find_client("pg_restore")
    address, environment = _libpq(url)
    contents = _run([pg_restore, "--list", str(path)], environment)
    chosen = path.with_suffix(".list")
    chosen.write_text("\n".join(line for line in contents.splitlines() if not _SCHEMA_ENTRY.match(line)))
    # One transaction that stops at the first error: a restore that fails leaves the database as it was.
    _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", f"--use-list={chosen}", f"--dbname={address}", str(path)], environment)
