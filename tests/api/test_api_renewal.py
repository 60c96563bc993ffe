"""Renewal through the API: ``renews`` links the new case to the one it renews."""

from __future__ import annotations

from api_helpers import PREFIX, assert_error

from tests.factories import sample_data


def test_renewal_is_linked_and_shown(client, token, users, make_case):
    previous = make_case("work_permit", state="issued", applicant=users["office"])
    headers = token(users["office"])
    body = {"type": "work_permit", "renews": previous.id, "data": sample_data("work_permit")}
    response = client.post(f"{PREFIX}/cases", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["renews"] == previous.id
    again = client.post(f"{PREFIX}/cases", json=body, headers=headers)
    assert "renews this case already" in assert_error(again, 422, "renews")["errors"]["renews"][0]
    assert_error(client.post(f"{PREFIX}/cases", json={**body, "renews": "x"}, headers=headers), 422, "renews")
