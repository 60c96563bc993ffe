"""Scholarship calls through the API: the programme and commission of a call, scores and the ranking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from api_helpers import ApiClient
from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.cases import Call, Case, Score
from caseflow.timeutil import utcnow
from tests.factories import sample_data

TYPE = "scholarship"


@pytest.fixture
def api(client, token):
    def as_user(user) -> ApiClient:
        return ApiClient(client, token(user))

    return as_user


def conforms(client, instance, schema_name: str) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    schema = {**document["components"]["schemas"][schema_name], "components": document["components"]}
    Draft202012Validator(schema).validate(instance)


def call_body(**overrides) -> dict:
    return {"name": "Summer school 2030", "type": TYPE, "deadline": "2030-05-01T18:00", "seats": 2,
            "variant": "summer_school", **overrides}


def test_office_creates_a_call_with_its_programme_and_commission(api, client, users, members):
    response = api(users["office"]).post("/calls", call_body(commission=[m.email.upper() for m in members]))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert (created["variant"], sorted(created["commission"])) == ("summer_school", sorted(m.email for m in members))
    conforms(client, created, "Call")
    (seen_by_applicant,) = api(users["applicant"]).get(f"/calls?type={TYPE}").get_json()
    assert "commission" not in seen_by_applicant and seen_by_applicant["variant"] == "summer_school"


@pytest.mark.parametrize(("overrides", "errors"), [
    ({"variant": None}, {"variant": ["Choose one of the values of “Programme” for this call."]}),
    ({"variant": "golf"}, {"variant": ["Choose one of the values of “Programme” for this call."]}),
    ({"variant": 3}, {"variant": ["“variant” is the programme's value, text."]}),
    ({"commission": ["nobody@example.org"]},
     {"commission": ["No account has these e-mail addresses: nobody@example.org."]}),
    ({"commission": "a@example.org"}, {"commission": ["“commission” lists the members' e-mail addresses."]}),
])
def test_a_call_with_a_bad_programme_or_commission_is_refused(api, users, overrides, errors):
    response = api(users["office"]).post("/calls", call_body(**overrides))
    assert response.status_code == 422
    assert response.get_json()["errors"] == errors
    assert db.session.scalar(select(func.count()).select_from(Call)) == 0


def test_an_update_without_commission_keeps_it_and_one_with_an_empty_list_clears_it(api, users, members, make_call):
    call = make_call(TYPE, variant="summer_school", seats=2, commission=members)
    office = api(users["office"])
    body = {"name": call.name, "deadline": "2030-05-01T18:00", "seats": 3, "variant": "summer_school"}
    assert len(office.put(f"/calls/{call.id}", body).get_json()["commission"]) == 2
    assert office.put(f"/calls/{call.id}", {**body, "commission": []}).get_json()["commission"] == []


def test_the_application_cannot_choose_the_programme(api, users, make_call):
    call = make_call(TYPE, variant="chinese_semester")
    response = api(users["applicant"]).post("/cases", {
        "type": TYPE, "call": call.id, "data": sample_data(TYPE, programme="summer_school")})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"data.programme": ["The call decides this, not the application."]}


def test_an_ineligible_application_names_the_programmes_rule(api, users, make_call):
    call = make_call(TYPE, variant="chinese_semester")
    data = sample_data(TYPE, chinese_level="none")
    response = api(users["applicant"]).post("/cases", {"type": TYPE, "call": call.id, "data": data})
    assert response.status_code == 422
    assert response.get_json()["errors"]["eligibility"] == [
        "The Chinese-language semester requires basic knowledge of Chinese."]


@pytest.fixture
def scored_call(make_call, make_case, make_user, members):
    """A summer-school call with two places and three candidates waiting for the commission."""
    call = make_call(TYPE, variant="summer_school", seats=2, commission=members)
    cases = [make_case(TYPE, state="commission_scoring", call=call, applicant=make_user("applicant"),
                       full_name=name) for name in ("Ada", "Bo", "Cy")]
    return call, cases


def test_members_score_and_the_office_closes_the_ranking(api, client, users, members, scored_call):
    call, cases = scored_call
    for member, scores in zip(members, ((9, 5, 7), (8, 6, 7)), strict=True):
        for case, value in zip(cases, scores, strict=True):
            response = api(member).put(f"/cases/{case.id}/score", {"score": value, "comment": "ok"})
            assert response.status_code == 200, response.get_json()
            conforms(client, response.get_json(), "Score")
    mine = api(members[0]).get(f"/calls/{call.id}/ranking").get_json()
    assert [row["scores"] for row in mine["rows"]] == [{members[0].email: 9}, {members[0].email: 5},
                                                       {members[0].email: 7}]
    assert {row["rank"] for row in mine["rows"]} == {None} and mine["members"] == []
    office = api(users["office"])
    before = office.get(f"/calls/{call.id}/ranking").get_json()
    conforms(client, before, "Ranking")
    assert [(r["applicant"], r["mean"], r["within_places"]) for r in before["rows"]] == [
        ("Ada", 8.5, True), ("Cy", 7, True), ("Bo", 5.5, False)]
    refused = office.post(f"/calls/{call.id}/ranking")
    assert refused.status_code == 409
    assert refused.get_json()["errors"]["ranking"][0].startswith("Applications are accepted until")
    db.session.execute(Call.__table__.update().where(Call.id == call.id).values(
        deadline_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    closed = office.post(f"/calls/{call.id}/ranking")
    assert closed.status_code == 200, closed.get_json()
    conforms(client, closed.get_json(), "Ranking")
    db.session.rollback()
    assert [db.session.get(Case, c.id).state for c in cases] == ["shortlisted", "rejected", "shortlisted"]
    bo = api(db.session.get(User, cases[1].applicant_id)).get(f"/cases/{cases[1].id}").get_json()
    assert bo["history"][-1]["comment"] == "Rank 3 of 3, mean score 5.50; the call had 2 places left."


@pytest.mark.parametrize(("body", "status", "errors"), [
    ({"score": 11}, 422, {"score": ["A score is a number from 0 to 10, with at most two decimals."]}),
    ({"score": "7"}, 422, {"score": ["A score is a number."]}),
    ({}, 422, {"score": ["A score is a number."]}),
    ({"score": 5, "comment": 5}, 422, {"comment": ["A comment is text."]}),
])
def test_a_bad_score_is_refused_and_nothing_is_stored(api, members, scored_call, body, status, errors):
    _call, cases = scored_call
    response = api(members[0]).put(f"/cases/{cases[0].id}/score", body)
    assert (response.status_code, response.get_json()["errors"]) == (status, errors)
    assert db.session.scalar(select(func.count()).select_from(Score)) == 0


def test_who_may_not_score_or_see_the_ranking(api, users, scored_call):
    call, cases = scored_call
    assert api(users["office"]).put(f"/cases/{cases[0].id}/score", {"score": 5}).status_code == 403
    assert api(users["other_screener"]).put(f"/cases/{cases[0].id}/score", {"score": 5}).status_code == 404
    assert api(users["applicant"]).get(f"/calls/{call.id}/ranking").status_code == 404
    assert api(users["screener"]).post(f"/calls/{call.id}/ranking").status_code == 403  # calls are public
    assert api(users["office"]).get("/calls/999/ranking").status_code == 404


def test_the_documented_application_leaves_the_programme_to_the_call(api, client, users, make_call):
    document = client.get("/api/v1/openapi.json").get_json()
    schema = document["components"]["schemas"]["ScholarshipData"]
    # The programme is the call's: the form may only leave it out (or send null).
    assert schema["properties"]["programme"]["type"] == "null" and "programme" not in schema["required"]
    data = sample_data(TYPE)
    Draft202012Validator({**schema, "components": document["components"]}).validate(data)
    call = make_call(TYPE, variant="summer_school")
    assert api(users["applicant"]).post("/cases", {"type": TYPE, "call": call.id, "data": data}).status_code == 201
