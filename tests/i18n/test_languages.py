"""Choosing the language, and what a reader of each language sees: pages, forms, rules, dates, amounts, mail, API.

The order (caseflow/accounts/language.py): ``?lang=``, the saved choice, the
switch's choice in the session, ``Accept-Language``, ``CASEFLOW_DEFAULT_LOCALE``.
"""

from __future__ import annotations

import re
from email.header import decode_header, make_header

import pytest

from caseflow import create_app
from caseflow.catalog import catalog
from caseflow.extensions import db
from caseflow.models.accounts import Faculty, User
from caseflow.notify.delivery import deliver_due
from tests.web.web_helpers import csrf_from, error_beside, submit, text

LANG = re.compile(r'<html lang="([a-z]+)">')


def lang_of(response) -> str:
    return LANG.search(response.get_data(as_text=True)).group(1)


def test_the_browser_s_language_is_the_page_s(client):
    assert lang_of(client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})) == "ru"
    page = client.get("/login", headers={"Accept-Language": "ky"})
    assert lang_of(page) == "ky" and "Кирүү" in text(page)
    assert lang_of(client.get("/login", headers={"Accept-Language": "de-DE"})) == "en"  # none we speak: default


def test_lang_in_the_address_outvotes_the_browser_and_stays_for_the_form_s_answer(app, client):
    page = client.get("/signup?lang=ky", headers={"Accept-Language": "en"})
    assert lang_of(page) == "ky"
    answer = client.post("/signup", data={"csrf_token": csrf_from(page.get_data(as_text=True))},
                         headers={"Accept-Language": "en"})
    assert answer.status_code == 422 and lang_of(answer) == "ky"  # the refused form comes back in Kyrgyz
    other = app.test_client()
    assert lang_of(other.get("/login?lang=xx", headers={"Accept-Language": "ru"})) == "ru"  # unknown: ignored


def test_the_default_language_is_russian_for_a_reader_who_says_nothing(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "TESTING": True})
    with app.app_context():
        db.create_all()
    assert lang_of(app.test_client().get("/login")) == "ru"


def test_an_unknown_default_language_stops_the_start(tmp_path):
    with pytest.raises(ValueError, match="CASEFLOW_DEFAULT_LOCALE must be one of ru, ky, en"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "DEFAULT_LOCALE": "de"})


def test_the_switch_keeps_the_visitor_on_the_same_page(client):
    page = client.get("/signup?lang=ru")
    token = csrf_from(page.get_data(as_text=True))
    answer = client.post("/language", data={"csrf_token": token, "lang": "ky", "next": "/signup?lang=ru"})
    assert answer.status_code == 303 and answer.headers["Location"] == "/signup"  # the address's lang= dropped
    assert lang_of(client.get("/signup", headers={"Accept-Language": "en"})) == "ky"  # the session remembers


def test_the_switch_refuses_a_language_it_does_not_offer_and_a_foreign_next(client):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    answer = client.post("/language", data={"csrf_token": token, "lang": "de", "next": "//evil.example"},
                         follow_redirects=True)
    assert answer.status_code == 200 and "Choose one of the languages offered." in text(answer)
    assert lang_of(client.get("/login")) == "en"
    refused = client.post("/language", data={"lang": "ru", "next": "/login"})  # no CSRF token
    assert refused.status_code == 400


def test_the_switch_saves_a_logged_in_person_s_choice_on_the_account(login, users):
    client = login(users["applicant"])
    submit(client, "/", {"lang": "ru", "next": "/"}, action="/language")
    assert db.session.get(User, users["applicant"].id).locale == "ru"
    other_browser = login(users["applicant"])  # the saved choice outvotes the browser
    assert lang_of(other_browser.get("/", headers={"Accept-Language": "en"})) == "ru"


def test_a_russian_reader_sees_workflow_labels_rules_and_form_messages_in_russian(login, users, make_call):
    make_call("mobility")
    client = login(users["applicant"])
    page = client.get("/apply/mobility?lang=ru")
    shown = text(page)
    workflow = catalog()["mobility"]
    assert workflow.label.msgid not in shown and "Подать заявку" in shown or "заявк" in shown
    refused = client.post("/apply/mobility?lang=ru", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert refused.status_code == 422
    assert "Обязательное поле." in error_beside(refused, "full_name")  # WTForms' message, from our catalogue


def test_a_kyrgyz_reader_gets_wtforms_messages_in_kyrgyz(login, users, make_call):
    make_call("mobility")
    client = login(users["applicant"])
    page = client.get("/apply/mobility?lang=ky")
    refused = client.post("/apply/mobility?lang=ky", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    beside = error_beside(refused, "full_name")
    assert beside and "required" not in beside and re.search("[а-яөүң]", beside)


def test_dates_amounts_and_faculties_follow_the_reader(login, users, make_case):
    case = make_case("work_permit", nationality="KZ")
    office = login(users["office"])
    russian = text(office.get(f"/cases/{case.id}?lang=ru"))
    assert "1 000 сом" in russian or "1 000 сом" in russian
    english = text(office.get(f"/cases/{case.id}?lang=en"))
    assert "1,000 som" in english
    faculty = db.session.get(Faculty, "IT")
    assert faculty.names["ru"] == "Факультет информационных технологий"
    screener = login(users["screener"])
    assert "Факультет информационных технологий" in text(screener.get("/queue?lang=ru"))
    assert "Маалыматтык технологиялар факультети" in text(screener.get("/queue?lang=ky"))


def test_mail_goes_out_in_the_recipient_s_saved_language(app, make_case, users, smtp):
    users["applicant"].locale = "ky"
    db.session.commit()
    case = make_case()
    deliver_due()
    (mail,) = smtp.messages
    subject = str(make_header(decode_header(mail["Subject"])))
    state = catalog()["mobility"].state(case.state).label.msgid
    assert subject.startswith(f"[{case.reference}]") and state not in subject
    body = mail.get_body(("plain",)).get_content()
    assert re.search("[өүң]", body), body  # Kyrgyz letters
    assert "Dear" not in body


def test_the_api_labels_follow_accept_language_and_the_names_stay(client, token, users):
    english = client.get("/api/v1/workflows", headers={**token(users["office"]), "Accept-Language": "en"}).get_json()
    russian = client.get("/api/v1/workflows", headers={**token(users["office"]), "Accept-Language": "ru"}).get_json()
    first_en = next(w for w in english if w["name"] == "mobility")
    first_ru = next(w for w in russian if w["name"] == "mobility")
    assert [s["name"] for s in first_en["states"]] == [s["name"] for s in first_ru["states"]]
    assert first_en["states"][0]["label"] == "Submitted" and first_ru["states"][0]["label"] != "Submitted"
    assert re.search("[а-я]", first_ru["label"])


def test_an_api_refusal_is_in_the_caller_s_language(client, token, users):
    answer = client.post("/api/v1/cases", json={}, headers={**token(users["applicant"]), "Accept-Language": "ru"})
    assert answer.status_code == 422
    body = answer.get_json()
    assert re.search("[а-я]", body["error"]) and all(re.search("[а-я]", m) for ms in body["errors"].values()
                                                      for m in ms)


def test_every_form_leaves_checking_to_the_server(app):
    """No browser bubbles: every form says novalidate, so the server's messages show beside the fields."""
    from pathlib import Path

    forms = []
    for path in Path(app.root_path).parent.joinpath("templates").rglob("*.html"):
        for tag in re.findall(r"<form\b[^>]*>", path.read_text(encoding="utf-8")):
            if 'method="post"' in tag and "novalidate" not in tag and "hidden" not in tag:
                forms.append(f"{path.name}: {tag}")
    assert not forms, forms


def test_a_long_cyrillic_subject_keeps_every_space_when_a_mail_reader_decodes_it(app):
    import email
    import email.policy

    from flask_mail import Message

    from caseflow.notify.delivery import encoded_subject

    for subject in ("[MOB-2026-00056] Рассмотрение на факультете — статус заявки, с длинным продолжением темы",
                    "Следите за своей заявкой в международном отделе: приглашение для Ivan Petrov"):
        # As the outbox sends it: through Flask-Mail's message, whose policy refolds a long line.
        raw = Message(encoded_subject(subject), recipients=["a@example.org"], body="x",
                      sender="office@example.org").as_bytes()
        assert str(email.message_from_bytes(raw, policy=email.policy.default)["Subject"]) == subject
        assert str(make_header(decode_header(email.message_from_bytes(raw)["Subject"]))) == subject


def test_the_sender_s_name_is_in_the_recipient_s_language(app, make_case, users, smtp):
    users["applicant"].locale = "ru"
    db.session.commit()
    make_case()
    deliver_due()
    (mail,) = smtp.messages
    assert str(make_header(decode_header(mail["From"]))).startswith("Международный отдел <")
    assert 'lang="ru"' in mail.get_body(("html",)).get_content()


def test_a_decimal_with_a_comma_is_read_as_people_write_it(login, users, make_call):
    from caseflow.models.cases import Case
    from tests.factories import sample_data

    make_call("mobility")
    client = login(users["applicant"])
    page = client.get("/apply/mobility?lang=ru")
    data = {key: str(value) for key, value in sample_data("mobility", gpa="4.8").items() if value is not None}
    data["gpa"] = "4,8"
    answer = client.post("/apply/mobility", data={**data, "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert answer.status_code == 303, text(answer)
    assert db.session.query(Case).one().data["gpa"] == 4.8
