"""Invisible control and bidirectional characters, refused in every text of a body (issue 12, point 10).

Each refusal is a 422 under the text's JSON path, and nothing is stored; on
PostgreSQL a NUL would otherwise reach the database and answer 500.  The
OpenAPI document's patterns say the same rule.
"""

from __future__ import annotations

import json
import re

import pytest
from api_helpers import ApiClient, assert_error, count_cases, count_state_events
from sqlalchemy import func, select

from caseflow.extensions import db
from caseflow.models.cases import Call, Score
from caseflow.models.documents import Document
from tests.factories import sample_data

REFUSED = ["\x00", "\x1b", "\x9b", "\u202a", "\u202e", "\u2066", "\u2069"]
REFUSED_IDS = ["nul", "escape", "c1-csi", "left-to-right-embedding", "right-to-left-override",
               "left-to-right-isolate", "pop-directional-isolate"]


def count_calls() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Call))


def call_body(**overrides) -> dict:
    return {"name": "Erasmus+ 2030", "type": "mobility", "deadline": "2030-03-01T12:00:00Z",
            "partners": [{"name": "TH Wildau", "country": "DE", "seats": 2}], "description": "Two terms.",
            "translations": {"ru": {"name": "Эразмус+ 2030", "description": "Два семестра."}}, **overrides}


@pytest.mark.parametrize("character", REFUSED, ids=REFUSED_IDS)
@pytest.mark.parametrize(("path", "body"), [
    ("name", call_body(name="Erasmus+ {} 2030")),
    ("description", call_body(description="Two\nterms.{}")),
    ("partners[0].name", call_body(partners=[{"name": "TH {}Wildau", "country": "DE", "seats": 2}])),
    ("translations.ru.name", call_body(translations={"ru": {"name": "Эразмус+ {}"}})),
], ids=["name", "description", "partner", "translated-name"])
def test_a_call_with_a_control_character_is_refused_under_its_path(as_user, path, body, character):
    raw = json.dumps(body).replace("{}", json.dumps(character)[1:-1]).encode()
    refused = assert_error(as_user("office").send_json("POST", "/calls", raw), 422, path)
    assert refused["errors"][path] == ["Remove the invisible control characters (such as " + (
        "a right-to-left override) from this text." if path == "description" else
        "a tab, a line break or a right-to-left override) from this text.")]
    assert count_calls() == 0


@pytest.mark.parametrize("character", REFUSED, ids=REFUSED_IDS)
def test_an_application_with_a_control_character_is_refused_under_its_path(as_user, make_call, character):
    call = make_call("mobility")
    body = {"type": "mobility", "call": call.id, "data": sample_data("mobility", full_name=f"Asel{character}")}
    assert_error(as_user("applicant").post("/cases", body), 422, "data.full_name")
    assert count_cases() == 0


@pytest.mark.parametrize("character", REFUSED, ids=REFUSED_IDS)
def test_a_transition_comment_with_a_control_character_changes_nothing(as_user, make_case, character):
    case = make_case("mobility")
    before = count_state_events(case.id)
    response = as_user("office").fire(case.id, "send_to_faculty", case.version, f"Checked{character}.")
    assert assert_error(response, 422, "comment")["errors"]["comment"] == [
        "Remove the invisible control characters (such as a right-to-left override) from this text."]
    assert count_state_events(case.id) == before


@pytest.mark.parametrize("character", ["\x00", "\u202e"], ids=["nul", "right-to-left-override"])
def test_a_transition_name_with_a_control_character_is_refused_not_echoed(as_user, make_case, character):
    case = make_case("mobility")
    body = assert_error(as_user("office").fire(case.id, f"send_to_faculty{character}", case.version), 422,
                        "transition")
    assert character not in json.dumps(body, ensure_ascii=False)
    assert count_state_events(case.id) == 1


@pytest.mark.parametrize("character", ["\x00", "\u202e"], ids=["nul", "right-to-left-override"])
def test_a_rejection_reason_with_a_control_character_is_refused(as_user, make_case, character):
    case = make_case("mobility")
    document = db.session.scalars(select(Document).where(Document.case_id == case.id)).first()
    response = as_user("office").put(f"/documents/{document.id}/review",
                                     {"status": "rejected", "reason": f"Cut off{character}."})
    assert_error(response, 422, "reason")
    db.session.rollback()
    assert db.session.get(Document, document.id).status == "uploaded"


@pytest.mark.parametrize("character", ["\x00", "\u202e"], ids=["nul", "right-to-left-override"])
def test_a_score_comment_with_a_control_character_is_refused(client, token, make_call, make_case, members,
                                                             character):
    call = make_call("scholarship", variant="summer_school", seats=2, commission=members)
    case = make_case("scholarship", state="commission_scoring", call=call)
    response = ApiClient(client, token(members[0])).put(f"/cases/{case.id}/score",
                                                        {"score": 7, "comment": f"Clear{character} plan."})
    assert_error(response, 422, "comment")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Score)) == 0


def test_marks_tabs_and_line_breaks_are_kept_and_lines_end_with_one_line_break(as_user, make_case):
    case = make_case("mobility")
    comment = "Checked \u200eالجواز\u200f:\r\n\tpassport\r\n\ttranscript"
    response = as_user("office").fire(case.id, "send_to_faculty", case.version, comment)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["history"][-1]["comment"] == "Checked \u200eالجواز\u200f:\n\tpassport\n\ttranscript"


def test_the_openapi_patterns_refuse_what_the_api_refuses(client):
    document = client.get("/api/v1/openapi.json").get_json()
    fields = document["components"]["schemas"]["TransitionRequest"]["properties"]
    name, comment = fields["transition"]["pattern"], fields["comment"]["anyOf"][0]["pattern"]
    for character in REFUSED:
        assert not re.search(name, f"send{character}") and not re.search(comment, f"Checked{character}.")
    assert re.search(comment, "Checked:\n\tpassport \u200e") and re.search(name, "send_to_faculty")
    assert not re.search(name, "send\tto")
