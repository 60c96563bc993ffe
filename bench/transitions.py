"""Time the engine against the database transaction it wraps.

Measures, per transition: the shared machine's ``fire`` alone; a bare write
transaction doing what a transition must (UPDATE the case with the version
check, INSERT one event); and the full ``apply_transition`` (checks, guards
(the documents checklist's too: its cases have their passport uploaded),
machine, update, event, commit).  Run with ``make bench``; PostgreSQL too
when CASEFLOW_BENCH_DATABASE_URL is set.  Never run as a timed test.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from sqlalchemy import insert, update

from bench.common import MOBILITY_APPLICATION, bench_app, database_urls, per_op_ms, timeit_once
from caseflow.accounts.operations import create_user
from caseflow.cases.operations import apply_transition, create_call, create_case
from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.demo import upload_sample_documents
from caseflow.extensions import db
from caseflow.models.accounts import Faculty
from caseflow.models.cases import Case, CaseEvent
from caseflow.timeutil import utcnow

N = 300


def run(url: str, n: int = N) -> str:
    """Measure ``n`` transitions of each kind on the database at ``url``; print and return the figures."""
    with bench_app(url):
        db.session.add(Faculty(code="IT", name="IT"))
        db.session.commit()
        office = create_user("office@bench.example.org", "bench-password", "office_staff")
        call = create_call("Bench", "mobility", utcnow() + timedelta(days=9),
                           [{"name": "P", "country": "DE", "seats": 10_000}])
        workflow = catalog()["mobility"]
        cases = []
        for i in range(2 * n):
            applicant = create_user(f"a{i}@bench.example.org", "bench-password", "applicant")
            case = create_case(workflow, applicant, MOBILITY_APPLICATION, call)
            if i >= n:  # the engine's cases: their checklist is there, so the guard lets them on
                upload_sample_documents(case, applicant)
            cases.append(case.id)

        machine = catalog().machine("mobility")

        class Loaded:
            state = "submitted"

        fire_us = min(
            timeit_once(lambda: machine.fire(Loaded(), "send_to_faculty")) for _ in range(2000)
        ) * 1e6

        def bare(i):
            with write_transaction() as session:
                session.execute(update(Case).where(Case.id == cases[i], Case.version == 1)
                                .values(state="faculty_screening", version=2))
                session.execute(insert(CaseEvent).values(case_id=cases[i], action="x", to_state="y",
                                                         comment="", changes={}, at=utcnow()))

        def engine(i):
            apply_transition(cases[n + i], "send_to_faculty", office, 1)

        bare_med, bare_p95 = per_op_ms(bare, n)
        eng_med, eng_p95 = per_op_ms(engine, n)
        dialect = db.engine.dialect.name
        line = (f"{dialect:10} machine.fire {fire_us:6.1f} µs | bare transaction median {bare_med:.2f} ms "
                f"(p95 {bare_p95:.2f}) | apply_transition median {eng_med:.2f} ms (p95 {eng_p95:.2f}) "
                f"| engine overhead {eng_med - bare_med:+.2f} ms")
        print(line)
    return line


def main() -> int:
    with database_urls() as urls:
        for url in urls:
            run(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
