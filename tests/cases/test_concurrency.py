"""Many people acting on the same case or the same seat at once.

Runs on SQLite (BEGIN IMMEDIATE serialises writers; without it the losers
fail with "database is locked" instead of a clean 409) and on PostgreSQL
(row locks) when CASEFLOW_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import threading

from caseflow.cases.operations import apply_transition
from caseflow.errors import Invalid, StaleVersion
from caseflow.extensions import db
from caseflow.models.accounts import User
from tests.factories import state_history

THREADS = 8


def run_at_once(app, jobs):
    """Run each job in its own thread and app context, all released together; return results."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = job()
            except Exception as error:  # noqa: BLE001 - the test inspects what each got
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_same_transition_same_version_succeeds_exactly_once(app, users, make_case):
    case = make_case()
    office_id, case_id, version = users["office"].id, case.id, case.version

    def fire():
        return apply_transition(case_id, "send_to_faculty", db.session.get(User, office_id), version).version

    results = run_at_once(app, [fire] * THREADS)
    assert results.count(version + 1) == 1, results
    assert all(isinstance(r, StaleVersion) for r in results if r != version + 1), results
    assert len(state_history(case_id)) == 2


def test_last_seat_is_given_once_when_staff_nominate_at_the_same_moment(app, users, make_user, make_case, make_call):
    call = make_call(partners=[{"name": "TH Köln", "country": "DE", "seats": 1}])
    cases = [
        make_case(applicant=make_user("applicant"), call=call, partner="TH Köln", state="office_interview")
        for _ in range(4)
    ]
    office_id = users["office"].id

    def nominate(case_id, version):
        return lambda: apply_transition(case_id, "nominate", db.session.get(User, office_id), version).state

    results = run_at_once(app, [nominate(c.id, c.version) for c in cases])
    assert results.count("partner_nomination") == 1, results
    refused = [r for r in results if r != "partner_nomination"]
    assert all(isinstance(r, Invalid) and "no seat left" in r.message for r in refused), results
