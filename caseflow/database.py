"""Database engine set-up and the write transaction every operation uses.

SQLite: each connection gets WAL, ``synchronous=NORMAL``, a busy timeout and
foreign keys; and we take over ``BEGIN`` (the recipe in SQLAlchemy's SQLite
dialect docs) so that a write transaction starts with ``BEGIN IMMEDIATE``.  A
deferred read-then-write transaction fails under concurrency despite the busy
timeout, because SQLite cannot upgrade its read lock while another writer
waits.  PostgreSQL needs none of this; operations lock rows explicitly there,
always ``FOR NO KEY UPDATE`` (``with_for_update(key_share=True)``): a plain FOR
UPDATE also conflicts with the KEY SHARE locks that foreign-key checks take on
referenced rows (a call, a partner, a user), and two transactions that had
each moved a case twice deadlocked on their call's row that way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from caseflow.extensions import db

_BEGIN_OPTION = "caseflow_sqlite_begin"


def init_app(app: Flask) -> None:
    """Install the SQLite connection settings on the app's engine, and a safe end of each request's session."""

    # Runs before Flask-SQLAlchemy's own teardown (Flask runs them in reverse order).  A connection the
    # database closed under an open transaction cannot even roll back; ending the session would raise
    # after the answer was written, and the server would answer 500 instead of it.
    @app.teardown_appcontext
    def release_session(_error):
        release()

    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine, app.config["CASEFLOW_SQLITE_BUSY_TIMEOUT_MS"])


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Set per-connection pragmas and let write transactions begin IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Autocommit at the driver level: we emit BEGIN ourselves below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


def release() -> None:
    """End the request's session, whatever its connection's state: one the database closed is dropped (the
    pool replaces it) instead of raising."""
    try:
        db.session.close()
    except DBAPIError:
        db.session().invalidate()  # the Session behind the scoped proxy: drop the dead connection


@contextmanager
def write_transaction() -> Iterator[Session]:
    """Run the block in one write transaction; commit on success, roll back on error.

    Any read transaction the request already holds (e.g. from loading the
    logged-in user) is ended first, so that the write transaction starts with
    ``BEGIN IMMEDIATE`` on SQLite instead of being upgraded from a read.
    """
    session = db.session()  # the request's Session behind the scoped proxy
    if session.in_transaction():
        # End the read transaction without expiring what it loaded (a rollback
        # would, and the next attribute access would cost a SELECT).  Writes
        # happen only inside operations, so there is nothing pending to flush.
        session.commit()
    session.connection(execution_options={_BEGIN_OPTION: "IMMEDIATE"})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
