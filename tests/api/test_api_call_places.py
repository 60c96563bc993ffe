"""Calls with places of their own (an event's capacity) and a description, in the API."""

from __future__ import annotations

import pytest
from api_helpers import assert_error, selects_to_get
from jsonschema import Draft202012Validator

CONFERENCE = "conference_registration"
PROGRAMME = "Posters in German.\n\nPlease register before 3 April."


def event_body(**overrides) -> dict:
    body = {"name": "German and Technology 2030", "type": CONFERENCE, "deadline": "2030-04-03T18:00",
            "seats": 40, "description": PROGRAMME}
    body.update(overrides)
    return body


def conforms(client, instance, schema_name: str) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    schema = {**document["components"]["schemas"][schema_name], "components": document["components"]}
    Draft202012Validator(schema).validate(instance)


def test_event_lists_its_places_left_and_description(as_user, client, make_call, make_case, make_user):
    event = make_call(CONFERENCE, seats=3, description=PROGRAMME)
    make_case(CONFERENCE, call=event)  # registered: holds a place
    make_case(CONFERENCE, state="confirmed", call=event, applicant=make_user())  # holds a place
    make_case(CONFERENCE, state="cancelled", call=event, applicant=make_user())  # holds none
    (listed,) = as_user("applicant").get(f"/calls?type={CONFERENCE}").get_json()
    assert (listed["seats"], listed["seats_left"], listed["description"]) == (3, 1, PROGRAMME)
    assert listed["partners"] == []
    conforms(client, listed, "Call")


def test_call_without_places_has_no_limit(as_user, make_call):
    make_call()
    (listed,) = as_user("office").get("/calls").get_json()
    assert (listed["seats"], listed["seats_left"]) == (None, None)


def test_places_of_a_full_event_never_go_below_zero(as_user, make_call, make_case, make_user):
    event = make_call(CONFERENCE, seats=1)
    make_case(CONFERENCE, call=event)
    waiting = make_case(CONFERENCE, call=event, applicant=make_user())
    assert waiting.state == "waitlisted"
    (listed,) = as_user("office").get("/calls").get_json()
    assert listed["seats_left"] == 0


def test_calls_list_counts_both_pools_in_the_same_queries(as_user, make_call, make_case, make_user):
    office = as_user("office")
    make_case(state="partner_nomination", call=make_call())
    one = selects_to_get(office, "/calls")
    for _ in range(2):
        make_case(state="partner_nomination", call=make_call(), applicant=make_user())
        make_case(CONFERENCE, call=make_call(CONFERENCE, seats=5), applicant=make_user())
    assert selects_to_get(office, "/calls") == one


def test_office_creates_an_event_with_places_and_description(as_user, client):
    response = as_user("office").post("/calls", event_body())
    assert response.status_code == 201, response.get_json()
    call = response.get_json()
    assert (call["seats"], call["seats_left"], call["description"]) == (40, 40, PROGRAMME)
    conforms(client, call, "Call")
    assert as_user("applicant").get("/calls").get_json() == [call]


def test_event_without_places_is_refused(as_user):
    for seats in (None, "absent"):
        body = event_body(seats=seats)
        if seats == "absent":
            del body["seats"]
        assert_error(as_user("office").post("/calls", body), 422, "seats")
    assert as_user("office").get("/calls").get_json() == []


@pytest.mark.parametrize("seats", [0, -1, "many", 1.5, True, [3], 100_001])
def test_unusable_places_are_refused(as_user, seats):
    assert_error(as_user("office").post("/calls", event_body(seats=seats)), 422, "seats")


@pytest.mark.parametrize("description", [{"de": "Poster"}, ["a"], "x" * 20_001])
def test_unusable_description_is_refused(as_user, description):
    assert_error(as_user("office").post("/calls", event_body(description=description)), 422, "description")


def test_documented_call_create_takes_places_and_description(client):
    document = client.get("/api/v1/openapi.json").get_json()
    properties = document["components"]["schemas"]["CallCreate"]["properties"]
    assert {"seats", "description"} <= set(properties)
    schema = {**document["components"]["schemas"]["CallCreate"], "components": document["components"]}
    Draft202012Validator(schema).validate(event_body())
