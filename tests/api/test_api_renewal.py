"""Renewal through the API: ``renews`` links the new case to the one it renews."""

from __future__ import annotations

from api_helpers import PREFIX, assert_error

from caseflow.cases.operations import apply_transition, create_case
from caseflow.catalog import catalog
from tests.factories import sample_data


def test_renewal_is_linked_and_shown(client, token, users):
    previous = create_case(catalog()["work_permit"], users["office"], sample_data("work_permit"))
    for step in ("start_document_check", "send_to_migration_service", "record_issued"):
        previous = apply_transition(previous.id, step, users["office"], previous.version)
    headers = token(users["office"])
    body = {"type": "work_permit", "renews": previous.id, "data": sample_data("work_permit")}
    response = client.post(f"{PREFIX}/cases", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["renews"] == previous.id
    again = client.post(f"{PREFIX}/cases", json=body, headers=headers)
    assert "renews this case already" in assert_error(again, 422, "renews")["errors"]["renews"][0]
    assert_error(client.post(f"{PREFIX}/cases", json={**body, "renews": "x"}, headers=headers), 422, "renews")
