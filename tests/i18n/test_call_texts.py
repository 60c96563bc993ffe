"""A call's name and description per language: given on the call form and in the API; a reader sees theirs,
else the texts as written (in the language they were written in)."""

from __future__ import annotations

from sqlalchemy import select

from caseflow.extensions import db
from caseflow.models.cases import Call
from tests.web.web_helpers import error_beside, submit, text

CONFERENCE = "conference_registration"
FORM = {"name": "German and Technology 2030", "type": CONFERENCE, "deadline": "2030-04-03T18:00", "seats": "40",
        "description": "Two days of talks.", "in_ky-name": "Немис тили жана технология 2030",
        "in_ky-description": "Эки күндүк баяндамалар."}


def test_the_office_gives_a_call_s_texts_per_language_and_each_reader_sees_theirs(login, users, client):
    office = login(users["office"])
    created = submit(office, "/calls?lang=en", FORM, follow_redirects=True)
    assert created.status_code == 200
    call = db.session.scalar(select(Call).where(Call.name == FORM["name"]))
    assert call.language == "en"
    assert call.translations == {"ky": {"name": FORM["in_ky-name"], "description": FORM["in_ky-description"]}}
    kyrgyz = text(client.get(f"/calls/{call.id}?lang=ky"))
    assert FORM["in_ky-name"] in kyrgyz and "Эки күндүк баяндамалар." in kyrgyz and FORM["name"] not in kyrgyz
    russian = text(client.get(f"/calls/{call.id}?lang=ru"))  # none given in Russian: as written
    assert FORM["name"] in russian and "Two days of talks." in russian
    edit = office.get(f"/calls/{call.id}/edit").get_data(as_text=True)
    assert f'value="{FORM["in_ky-name"]}"' in edit  # the edit form shows what was given


def test_a_too_long_text_in_another_language_is_refused_beside_its_field(login, users):
    office = login(users["office"])
    refused = submit(office, "/calls", {**FORM, "in_ru-name": "Я" * 201})
    assert refused.status_code == 422 and "At most 200 characters." in error_beside(refused, "in_ru-name")
    assert db.session.scalar(select(Call.id)) is None


def test_the_api_takes_texts_per_language_and_answers_in_the_caller_s(client, token, users):
    headers = {**token(users["office"]), "Accept-Language": "ru"}
    body = {"name": "Конференция 2030", "type": CONFERENCE, "deadline": "2030-04-03T18:00:00Z", "seats": 40,
            "description": "Два дня докладов.",
            "translations": {"en": {"name": "Conference 2030", "description": "Two days of talks."}}}
    created = client.post("/api/v1/calls", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    reply = created.get_json()
    assert (reply["name"], reply["language"]) == ("Конференция 2030", "ru")
    (english,) = client.get("/api/v1/calls", headers={**headers, "Accept-Language": "en"}).get_json()
    assert (english["name"], english["description"]) == ("Conference 2030", "Two days of talks.")
    (kyrgyz,) = client.get("/api/v1/calls", headers={**headers, "Accept-Language": "ky"}).get_json()
    assert kyrgyz["name"] == "Конференция 2030"  # none in Kyrgyz: as written
    assert kyrgyz["translations"] == {"en": {"name": "Conference 2030", "description": "Two days of talks."}}


def test_the_api_refuses_a_language_we_do_not_speak(client, token, users):
    body = {"name": "Conference 2031", "type": CONFERENCE, "deadline": "2031-04-03T18:00:00Z", "seats": 40,
            "translations": {"de": {"name": "Konferenz"}}}
    refused = client.post("/api/v1/calls", json=body, headers=token(users["office"]))
    assert refused.status_code == 422 and any(path.startswith("translations") for path in refused.get_json()["errors"])
    assert db.session.scalar(select(Call.id)) is None
