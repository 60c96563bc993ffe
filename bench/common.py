"""What the benchmarks share: the databases they run on, a fresh app on each, the sample application."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from caseflow import create_app
from caseflow.extensions import db

# A mobility application that passes every rule of workflows/mobility.toml.
MOBILITY_APPLICATION = {
    "full_name": "A", "email": "a@example.org", "phone": "+996555000111", "faculty": "IT", "department": "D",
    "specialty": "S", "specialty_kind": "technical", "level": "bachelor", "enrolled_in": date.today().year - 3,
    "study_year": 3, "group": "G", "gpa": 4.8,
    "language": "German", "language_level": "C1", "partner": "P", "country": "DE",
}


@contextmanager
def database_urls() -> Iterator[list[str]]:
    """Yield the databases to measure: a temporary SQLite file, and CASEFLOW_BENCH_DATABASE_URL if set."""
    with tempfile.TemporaryDirectory() as folder:
        urls = [f"sqlite:///{folder}/bench.sqlite3"]
        if os.environ.get("CASEFLOW_BENCH_DATABASE_URL"):
            urls.append(os.environ["CASEFLOW_BENCH_DATABASE_URL"])
        yield urls


@contextmanager
def bench_app(url: str) -> Iterator[Flask]:
    """Yield an app on a new, empty database beside ``url`` (documents in a temporary folder), its context pushed;
    remove both afterwards.

    SQLite gets a new file next to the one named, PostgreSQL a schema of its
    own (as the tests do): a benchmark never touches tables already there,
    and several can be open at once.
    """
    with _fresh_database(url) as fresh_url, tempfile.TemporaryDirectory() as documents:
        app = create_app({"DATABASE_URL": fresh_url, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                          "STORAGE_DIR": documents})
        with app.app_context():
            db.create_all()
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


@contextmanager
def _fresh_database(url: str) -> Iterator[str]:
    name = f"bench_{uuid.uuid4().hex[:12]}"
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database).with_name(f"{name}.sqlite3")
        try:
            yield parsed.set(database=str(path)).render_as_string(hide_password=False)
        finally:
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        return
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {name}")
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{name}"
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {name} CASCADE")
        admin.dispose()


def per_op_ms(fn: Callable[[int], object], n: int) -> tuple[float, float]:
    """Call ``fn(0)`` .. ``fn(n - 1)``; return the median and the 95th percentile of their times, in ms."""
    samples = []
    for i in range(n):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]


def timeit_once(fn: Callable[[], object]) -> float:
    """Return how long ``fn()`` takes, in seconds."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
