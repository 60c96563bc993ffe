"""The database connections die while transitions run (PostgreSQL): no case is left half-applied, every
refused request says "try again" (503), never 500, a retry with its Idempotency-Key is safe, and the app
recovers by itself."""

from __future__ import annotations

import threading
import time
import uuid

import sqlalchemy as sa
from sqlalchemy import func, select

from caseflow import create_app
from caseflow.extensions import db
from caseflow.models.cases import Case, CaseEvent
from caseflow.models.outbox import OutboxMessage
from tests.conftest import PG_URL, requires_postgres

CASES, WORKERS = 24, 4
KILLING_SECONDS = 3.0


def outbox_rows(case_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.case_id == case_id))


@requires_postgres
def test_killed_connections_leave_every_case_whole_and_the_app_recovers(database_url, tmp_path, users, token,
                                                                        make_case, make_user, app, request):
    control, *cases = [make_case(applicant=make_user()) for _ in range(CASES + 1)]
    headers = token(users["office"])
    assert app.test_client().post(f"/api/v1/cases/{control.id}/transitions", headers=headers,
                                  json={"transition": "send_to_faculty", "version": 1}).status_code == 200
    name = f"caseflow-fault-{uuid.uuid4().hex[:8]}"  # only this app's connections are killed
    served = create_app({"DATABASE_URL": database_url, "TESTING": True, "SECRET_KEY": "test-secret",
                         "DEFAULT_LOCALE": "en", "STORAGE_DIR": str(tmp_path / "documents"),
                         "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True,
                                                       "connect_args": {"application_name": name}}})
    request.addfinalizer(lambda: _dispose(served))  # also when an assertion fails: no connection left open
    stop, kills, statuses = threading.Event(), [], []

    def killer():
        # Kills for a few seconds, then lets the clients finish: on a busy machine a request takes longer than
        # the pause between kills, and one killed every time would never be answered (not what is tested).
        until = time.monotonic() + KILLING_SECONDS
        engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            while not stop.is_set() and time.monotonic() < until:
                killed = connection.execute(sa.text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name AND pid <> pg_backend_pid()"), {"name": name}).scalar()
                kills.append(killed)
                time.sleep(0.08)  # often enough to land inside requests, rarely enough to let them finish
        engine.dispose()

    def worker(chunk):
        client = served.test_client()
        for case in chunk:
            key = uuid.uuid4().hex
            for _attempt in range(100):  # as a client does: try again on 503, with the same key
                response = client.post(f"/api/v1/cases/{case.id}/transitions", headers={**headers,
                                       "Idempotency-Key": key}, json={"transition": "send_to_faculty", "version": 1})
                statuses.append(response.status_code)
                if response.status_code != 503:
                    break

    threads = [threading.Thread(target=killer)] + [
        threading.Thread(target=worker, args=(cases[i::WORKERS],)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads[1:]:
        thread.join(timeout=300)
    stop.set()
    threads[0].join(timeout=30)

    assert sum(kills) > 0, "no connection was killed: the test proved nothing"
    assert 500 not in statuses
    assert set(statuses) <= {200, 503}, sorted(set(statuses))
    assert statuses.count(200) == CASES  # each case answered 200 exactly once, retries included
    db.session.rollback()
    expected_mail = outbox_rows(control.id)
    for case in cases:
        stored = db.session.get(Case, case.id)
        events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                    .order_by(CaseEvent.id)).all()
        assert (stored.state, stored.version) == ("faculty_screening", 2)
        assert [e.transition for e in events if e.transition] == ["send_to_faculty"]  # moved once
        assert events[-1].to_state == stored.state
        assert outbox_rows(case.id) == expected_mail  # its mail was written with its move, once
    # The app recovers by itself: the next request works at the first try.
    response = served.test_client().get(f"/api/v1/cases/{cases[0].id}", headers=headers)
    assert response.status_code == 200 and response.get_json()["state"] == "faculty_screening"


def _dispose(served) -> None:
    with served.app_context():
        db.engine.dispose()
