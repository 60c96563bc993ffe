"""Time the reminder scan with 100 deadlines due among 1,000 and among 1,000,000 stored ones.

A scan's cost must follow the number of deadlines due, not of those stored
(issue 4, "Scale"): the second figure must stay within 1.5× of the first, or
this exits non-zero.  Each size gets a database of its own.  Its deadlines
are a realistic mix of ones not due: most closed (the case left the stage),
some open with nothing more to do (escalated already), the rest open with
their escalation ahead (up to a year away).  Cases are inserted in bulk as
copies of one case submitted through the real operations, four deadlines to
a case, so every foreign key holds.  Then ``due`` deadlines spread over the
table are made due (overdue screenings and interviews, each escalated to the
office's admin).  Each timed run re-arms them, removes the mails earlier runs
queued, and runs ``scan(now)`` once in a fresh app context, as the
scheduler's job does; the sizes take turns, and the median of each is kept.
Run with ``make bench``; PostgreSQL too when CASEFLOW_BENCH_DATABASE_URL is
set.  Never run as a timed test.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import JSON, Connection, Table, bindparam, delete, func, insert, select, text, update

from bench.common import MOBILITY_APPLICATION, bench_app, database_urls
from caseflow.accounts.operations import create_user
from caseflow.cases.operations import apply_transition, create_call, create_case
from caseflow.catalog import catalog
from caseflow.demo import upload_sample_documents
from caseflow.extensions import db
from caseflow.models.accounts import Faculty
from caseflow.models.cases import Case
from caseflow.models.deadlines import CaseDeadline
from caseflow.models.outbox import OutboxMessage
from caseflow.scheduling.scan import scan
from caseflow.timeutil import utcnow

SIZES = (1_000, 1_000_000)
DUE = 100
REPEATS = 7
LIMIT = 1.5  # the largest size's median over the smallest's
DEADLINES_PER_CASE = 4  # a case's past stages (closed) and its current one
CHUNK = 20_000  # rows per executemany (COPY on PostgreSQL)

# The mobility deadlines (workflows/mobility.toml) the generated rows belong to: (name, state).
STAGES = (("screening", "faculty_screening"), ("interview", "office_interview"))

CASES = Case.__table__
DEADLINES = CaseDeadline.__table__


@dataclass
class ScanFigures:
    """The median scan time (ms) at each number of stored deadlines, with ``due`` of them due."""

    dialect: str
    due: int
    medians_ms: dict[int, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        sizes = sorted(self.medians_ms)
        return self.medians_ms[sizes[-1]] / self.medians_ms[sizes[0]]

    def __str__(self) -> str:
        figures = ", ".join(f"{ms:.1f} ms among {size:,} stored" for size, ms in sorted(self.medians_ms.items()))
        return (f"{self.dialect:10} scan of {self.due} due deadlines: median {figures} "
                f"| ratio {self.ratio:.2f} (limit {LIMIT})")


def run(url: str, sizes: tuple[int, ...] = SIZES, due: int = DUE, repeats: int = REPEATS) -> ScanFigures:
    """Time the scan at each size (deadlines stored) on databases beside ``url``; print and return the figures."""
    now = utcnow()
    with ExitStack() as stack:
        apps, due_ids = {}, {}
        for size in sorted(sizes):
            started = time.perf_counter()
            apps[size] = app = stack.enter_context(bench_app(url))
            with app.app_context():
                due_ids[size] = _build(size, due, now)
                dialect = db.engine.dialect.name
            print(f"{dialect:10} {size:>9,} deadlines stored ({due} due), built in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
        figures = ScanFigures(dialect, due)
        # The sizes take turns, so that whatever else the machine does weighs on each alike.
        samples: dict[int, list[float]] = {size: [] for size in apps}
        for attempt in range(repeats + 1):  # the first warms the caches and is not counted
            for size, app in apps.items():
                elapsed = _scan_ms(app, now, due_ids[size])
                if attempt:
                    samples[size].append(elapsed)
        figures.medians_ms = {size: statistics.median(times) for size, times in samples.items()}
        print(figures, flush=True)
    return figures


def _build(size: int, due: int, now: datetime) -> list[int]:
    """Store ``size`` deadlines; return the ids of the ``due`` (spread over the table) that the scans will find due."""
    template = _submitted_case()
    stored = db.session.scalar(select(func.count()).select_from(DEADLINES))
    db.session.remove()
    _add_deadlines(template, size - stored, now, random.Random(4))
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))  # as autovacuum does after a bulk load
    ids = db.session.scalars(select(DEADLINES.c.id).where(DEADLINES.c.case_id != template)
                             .order_by(DEADLINES.c.id)).all()
    db.session.remove()
    return [ids[k * len(ids) // due] for k in range(due)]


def _submitted_case() -> int:
    """Submit one mobility case (and its passport) through the real operations, with an admin to escalate to, and
    send it to the faculty; return its id."""
    db.session.add(Faculty(code="IT", name="IT"))
    db.session.commit()
    create_user("head@bench.example.org", "bench-password", "admin")
    office = create_user("office@bench.example.org", "bench-password", "office_staff")
    applicant = create_user("applicant@bench.example.org", "bench-password", "applicant")
    call = create_call("Bench", "mobility", utcnow() + timedelta(days=30),
                       [{"name": "P", "country": "DE", "seats": 10}])
    case = create_case(catalog()["mobility"], applicant, MOBILITY_APPLICATION, call)
    upload_sample_documents(case, applicant)
    return apply_transition(case.id, "send_to_faculty", office, case.version).id


def _add_deadlines(template_id: int, count: int, now: datetime, generator: random.Random) -> None:
    """Insert ``count`` deadlines that are not due, on new cases copied from the template, in bulk."""
    if count <= 0:
        return
    with db.engine.begin() as connection:
        template = dict(connection.execute(select(CASES).where(CASES.c.id == template_id)).mappings().one())
        del template["id"]
        last_case = connection.scalar(select(func.max(CASES.c.id)))
        new_cases = -(-count // DEADLINES_PER_CASE)
        for start in range(0, new_cases, CHUNK):
            _insert(connection, CASES, [
                {**template, "reference": f"BENCH-{last_case + i:08d}",
                 "created_at": now - timedelta(days=400 * i / new_cases + 1)}
                for i in range(start, min(start + CHUNK, new_cases))
            ])
        case_ids = connection.scalars(select(CASES.c.id).where(CASES.c.id > last_case).order_by(CASES.c.id)).all()
        for start in range(0, count, CHUNK):
            _insert(connection, DEADLINES, [
                _not_due(case_ids[i // DEADLINES_PER_CASE], i, now, generator)
                for i in range(start, min(start + CHUNK, count))
            ])


def _insert(connection: Connection, table: Table, rows: list[dict]) -> None:
    """Insert the rows: one executemany, or on PostgreSQL a COPY (ten times faster than its executemany)."""
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    json_columns = {column.name for column in table.columns if isinstance(column.type, JSON)}
    copy_sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    with connection.connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c]) if c in json_columns else row[c] for c in columns])


def _not_due(case_id: int, number: int, now: datetime, generator: random.Random) -> dict:
    name, state = STAGES[number % len(STAGES)]
    opened = now - timedelta(minutes=generator.randrange(1, 400 * 24 * 60))
    row = {"case_id": case_id, "name": name, "state": state, "due_at": opened + timedelta(days=10),
           "remind_at": None, "reminders_sent": 0, "escalated_at": None, "closed_at": None, "created_at": opened}
    kind = generator.random()
    if kind < 0.7:  # met or left: closed
        row["closed_at"] = opened + timedelta(days=generator.randrange(1, 10))
    elif kind < 0.8:  # overdue and escalated: nothing more to do until the case moves
        row["due_at"] = now - timedelta(days=generator.randrange(1, 30))
        row["escalated_at"] = row["due_at"]
    else:  # running: its escalation is ahead, up to a year away
        row["due_at"] = row["remind_at"] = now + timedelta(minutes=generator.randrange(1, 365 * 24 * 60))
    return row


def _arm(due_ids: list[int], now: datetime) -> None:
    """Make the deadlines overdue and not yet escalated, and drop the mails earlier scans queued for them."""
    overdue = [{"row": row, "due": now - timedelta(minutes=k + 1)} for k, row in enumerate(due_ids)]
    with db.engine.begin() as connection:
        connection.execute(
            update(DEADLINES).where(DEADLINES.c.id == bindparam("row"))
            .values(due_at=bindparam("due"), remind_at=bindparam("due"), reminders_sent=0, escalated_at=None,
                    closed_at=None), overdue)
        connection.execute(delete(OutboxMessage.__table__).where(OutboxMessage.key.like("deadline:%")))


def _scan_ms(app: Flask, now: datetime, due_ids: list[int]) -> float:
    """Re-arm the deadlines, then time one scan in a fresh app context, as the scheduler's job runs it."""
    with app.app_context():
        _arm(due_ids, now)
        db.session.remove()
    with app.app_context():
        start = time.perf_counter()
        report = scan(now)
        elapsed = (time.perf_counter() - start) * 1000
        db.session.remove()
    if report.deadlines != len(due_ids) or report.escalations != len(due_ids):
        raise RuntimeError(f"the scan found {report}; expected {len(due_ids)} due deadlines, each escalated")
    return elapsed


def main() -> int:
    failed = []
    with database_urls() as urls:
        for url in urls:
            figures = run(url)
            if figures.ratio > LIMIT:
                failed.append(figures)
    for figures in failed:
        print(f"FAILED: on {figures.dialect} the scan took {figures.ratio:.2f}× as long among "
              f"{max(figures.medians_ms):,} deadlines as among {min(figures.medians_ms):,} (limit {LIMIT}×)",
              file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
