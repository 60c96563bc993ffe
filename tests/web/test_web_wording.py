"""Each case type words applying its own way (an event: "Register"), as its workflow file says."""

from __future__ import annotations

from web_helpers import text


def test_an_event_says_register_where_a_programme_says_apply(client, login, users, make_call, make_case):
    event = make_call("conference_registration", seats=5)
    programme = make_call("mobility")
    assert "Register" in text(client.get(f"/calls/{event.id}"))
    assert "Apply" in text(client.get(f"/calls/{programme.id}"))
    form = text(login(users["applicant"]).get(f"/apply/conference_registration?call={event.id}"))
    assert "Register" in form and "Submit application" not in form
    case = make_case("conference_registration", call=event)
    history = text(login(users["applicant"]).get(f"/cases/{case.id}"))
    assert "Registered — now “Registered”" in history and "Application submitted" not in history
