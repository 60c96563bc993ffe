"""Days that must make sense: a hostel move-in is not in the past."""

from __future__ import annotations

from datetime import timedelta

from api_helpers import ApiClient

from caseflow.timeutil import office_today
from tests.factories import sample_data
from tests.web.web_helpers import count_cases


def test_a_hostel_move_in_in_the_past_is_refused_and_today_is_taken(client, token, users, make_call):
    api = ApiClient(client, token(users["applicant"]))
    call = make_call("hostel").id
    yesterday = (office_today() - timedelta(days=1)).isoformat()
    before = count_cases()
    refused = api.post("/cases", {"type": "hostel", "call": call, "data": sample_data("hostel", move_in=yesterday)})
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["data.move_in"] == ["This day is in the past; give today or a later day."]
    assert count_cases() == before
    taken = api.post("/cases", {"type": "hostel", "call": call,
                                 "data": sample_data("hostel", move_in=office_today().isoformat())})
    assert taken.status_code == 201
