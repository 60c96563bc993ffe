"""The same request sent again changes nothing: an Idempotency-Key makes a retry after a lost answer safe."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
from api_helpers import PREFIX, ApiClient, assert_error, count_cases, count_state_events

from tests.factories import sample_data

THREADS = 10


def parallel(app, requests: int, send) -> list:
    """Send ``requests`` copies at the same moment, each from its own client (own thread, own connection)."""
    barrier, answers = threading.Barrier(requests), []

    def one():
        client = app.test_client()
        barrier.wait()
        answers.append(send(client))

    threads = [threading.Thread(target=one) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_ten_parallel_copies_of_one_work_permit_make_one_case(app, users, token):
    # The probe's request: ten identical POSTs at once; with one key they are one submission.
    headers = {**token(users["office"]), "Idempotency-Key": str(uuid.uuid4())}
    body = {"type": "work_permit", "data": sample_data("work_permit")}
    answers = parallel(app, THREADS, lambda client: client.post(f"{PREFIX}/cases", json=body, headers=headers))
    assert [answer.status_code for answer in answers] == [201] * THREADS, [a.get_json() for a in answers]
    assert count_cases() == 1
    assert len({answer.get_json()["id"] for answer in answers}) == 1
    assert len({answer.headers["Location"] for answer in answers}) == 1


def test_without_a_key_each_copy_is_a_new_application(client, users, token):
    api = ApiClient(client, token(users["office"]))
    body = {"type": "work_permit", "data": sample_data("work_permit")}
    assert [api.post("/cases", body).status_code for _copy in range(2)] == [201, 201]
    assert count_cases() == 2


def test_the_same_key_with_another_body_is_refused(client, users, token):
    api = ApiClient(client, {**token(users["office"]), "Idempotency-Key": "retry-1"})
    assert api.post("/cases", {"type": "work_permit", "data": sample_data("work_permit")}).status_code == 201
    other = {"type": "work_permit", "data": sample_data("work_permit", full_name="Somebody Else")}
    body = assert_error(api.post("/cases", other), 422, "request_key")
    assert "used already" in body["error"]
    assert count_cases() == 1


def test_keys_belong_to_their_account(client, users, token, make_user):
    body = {"type": "work_permit", "data": sample_data("work_permit")}
    for office in (users["office"], make_user("office_staff")):
        api = ApiClient(client, {**token(office), "Idempotency-Key": "shared-key"})
        assert api.post("/cases", body).status_code == 201
    assert count_cases() == 2  # two people's keys never collide


@pytest.mark.parametrize("key", ["", "with space", "ключ", "x" * 101])
def test_a_malformed_key_is_refused_and_nothing_is_made(client, users, token, key):
    api = ApiClient(client, {**token(users["office"]), "Idempotency-Key": key})
    response = api.post("/cases", {"type": "work_permit", "data": sample_data("work_permit")})
    assert_error(response, 422, "Idempotency-Key")
    assert count_cases() == 0


def test_a_retried_transition_with_its_key_answers_as_the_first_and_moves_once(client, users, token, make_case):
    case = make_case()
    api = ApiClient(client, {**token(users["office"]), "Idempotency-Key": "move-1"})
    body = {"transition": "send_to_faculty", "version": case.version}
    first = api.post(f"/cases/{case.id}/transitions", body)
    assert first.status_code == 200
    again = api.post(f"/cases/{case.id}/transitions", body)  # the answer was lost; the client retries
    assert again.status_code == 200 and again.get_json()["state"] == first.get_json()["state"]
    assert again.get_json()["version"] == first.get_json()["version"]
    assert count_state_events(case.id) == 2  # created, and the one move
    # Without the key, the same retry is told the case changed.
    plain = ApiClient(client, token(users["office"])).post(f"/cases/{case.id}/transitions", body)
    assert_error(plain, 409)


def test_parallel_copies_of_one_transition_with_one_key_all_succeed_once(app, users, token, make_case):
    case = make_case()
    headers = {**token(users["office"]), "Idempotency-Key": "press-once"}
    body = {"transition": "send_to_faculty", "version": case.version}
    answers = parallel(app, 6, lambda c: c.post(f"{PREFIX}/cases/{case.id}/transitions", json=body, headers=headers))
    assert sorted(answer.status_code for answer in answers) == [200] * 6
    assert count_state_events(case.id) == 2


def test_a_transition_key_reused_for_another_action_is_refused(client, users, token, make_case):
    case = make_case(state="office_interview")
    api = ApiClient(client, {**token(users["office"]), "Idempotency-Key": "k"})
    assert api.post(f"/cases/{case.id}/transitions", {"transition": "nominate",
                                                      "version": case.version}).status_code == 200
    moved = count_state_events(case.id)
    refused = api.post(f"/cases/{case.id}/transitions", {"transition": "partner_accepts",
                                                         "version": case.version + 1})
    assert "used already" in assert_error(refused, 422, "request_key")["error"]
    assert count_state_events(case.id) == moved


def test_the_contract_documents_the_header(client):
    document = client.get(f"{PREFIX}/openapi.json").get_json()
    for path in ("/cases", "/cases/{case_id}/transitions"):
        names = [p["name"] for p in document["paths"][path]["post"].get("parameters", [])]
        assert "Idempotency-Key" in names
    assert "503" in document["paths"]["/cases"]["post"]["responses"]


def test_the_same_json_written_otherwise_is_the_same_request(client, users, token):
    headers = {**token(users["office"]), "Idempotency-Key": "spaced", "Content-Type": "application/json"}
    body = {"type": "work_permit", "data": sample_data("work_permit")}
    compact = json.dumps(body, separators=(",", ":"))
    spaced = json.dumps(dict(reversed(list(body.items()))), indent=2) + "\n"
    first = client.post(f"{PREFIX}/cases", data=compact, headers=headers)
    again = client.post(f"{PREFIX}/cases", data=spaced, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.get_json()["id"] == again.get_json()["id"] and count_cases() == 1
