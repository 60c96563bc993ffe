"""Staff pressing the same button at the same moment, over HTTP.

Every request has its own thread, app context, session and connection, as
under a multi-threaded server: exactly one wins, the others get 409 and the
history gains exactly one event.  Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading

from api_helpers import PREFIX, count_state_events

THREADS = 8


def test_same_transition_same_version_from_many_requests_succeeds_once(app, users, token, make_case):
    case = make_case()
    headers = token(users["office"])
    body = {"transition": "send_to_faculty", "version": case.version}
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []

    def press():
        client = app.test_client()
        barrier.wait()
        response = client.post(f"{PREFIX}/cases/{case.id}/transitions", json=body, headers=headers)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=press) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200] + [409] * (THREADS - 1)
    assert count_state_events(case.id) == 2
