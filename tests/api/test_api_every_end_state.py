"""Every case type reaches every end state through the JSON API alone.

One test per way into an end state (``tests/end_states.py``), taken once for
each role that may take its last step: an applicant submits through
``POST /cases``, then each person the workflow file names fires their step
through ``POST /cases/<id>/transitions``, after seeing it among the case's
``allowed_transitions`` (the applicant uploads the documents a stage needs
first); the case ends in the end state with each step and upload in its
history.
"""

from __future__ import annotations

import pytest
from api_helpers import ApiClient

from caseflow.catalog import catalog
from tests.end_states import ROUTES, Cast, Plan, drive_every_role


@pytest.fixture
def api(client, token):
    headers = {}  # one token per person, as a real client keeps it

    def make(user) -> ApiClient:
        return ApiClient(client, headers.get(user.id) or headers.setdefault(user.id, token(user)))

    return make


def test_routes_cover_every_end_state_of_every_case_type(app):
    expected = {(w.name, end) for w in catalog() for end in w.terminal_states}
    assert expected, "no end states loaded"
    assert {(route.case_type, route.end) for route in ROUTES} == expected


def _history_rows(case: dict) -> list[tuple]:
    return [(e["transition"], e["actor"]["role"] if e["actor"] else None, e["from"], e["to"], e["comment"])
            for e in case["history"]]


def _reach_end_state(api, cast: Cast, plan: Plan, applicant, call, group: list) -> None:
    body = {"type": plan.workflow.name, "data": plan.data}
    if call is not None:
        body["call"] = call.id
    created = api(applicant).post("/cases", body)
    assert created.status_code == 201, created.get_json()
    case = created.get_json()
    assert (case["state"], case["type"]) == (plan.state_after_submit, plan.workflow.name)

    for step in plan.steps:
        step.supply_documents(case["id"], applicant)
        actor = api(cast.for_role(step.role, applicant))
        seen = actor.get(f"/cases/{case['id']}").get_json()
        offered = {t["name"]: t for t in seen["allowed_transitions"]}
        assert step.transition.name in offered, (step.role, seen["state"], sorted(offered))
        assert offered[step.transition.name]["comment"] == step.transition.comment
        response = actor.fire(case["id"], step.transition.name, seen["version"], step.comment or None, step.recorded)
        assert response.status_code == 200, (step.transition.name, step.role, response.get_json())
        case = response.get_json()
        assert case["state"] == step.state_after, step.transition.name

    final = api(applicant).get(f"/cases/{case['id']}").get_json()
    assert (final["state"], final["state_label"]) == (plan.route.end, plan.end_label)
    # Each step, by whom (None: the engine), from where to where, with the reason given; the uploads.
    assert _history_rows(final) == [
        (None, "applicant", None, plan.workflow.initial, ""),
        *[(e.transition and e.transition.name, e.role, e.from_state, e.to_state, e.comment) for e in plan.history],
    ]
    assert final["allowed_transitions"] == []  # a closed case offers nobody anything
    assert api(cast.by_role["admin"]).get(f"/cases/{case['id']}").get_json()["allowed_transitions"] == []
    for member in group:  # the whole group moved on with the case that completed it
        assert api(cast.by_role["office_staff"]).get(f"/cases/{member.id}").get_json()["state"] == plan.route.end


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_case_reaches_end_state_through_the_api(route, subtests, api, users, make_user, make_call, make_case):
    drive_every_role(route, _reach_end_state, api, subtests, users, make_user, make_call, make_case)
