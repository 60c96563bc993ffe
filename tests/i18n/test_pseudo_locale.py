"""No English is left: every page, mail and API message of the demo, read in a pseudo-locale.

The pseudo catalogue wraps every message in ⟦…⟧ (tests/i18n/pseudo.py).  The
demo has a case of every type in every state, with documents, calls, a
commission and mail; each role walks every page of the URL map it may open.
A word outside the brackets that nobody typed never passed a catalogue.
"""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from caseflow.catalog import catalog
from caseflow.demo import load_demo
from caseflow.extensions import db
from caseflow.models.accounts import Faculty, User
from caseflow.models.cases import Call, Case, CaseEvent, Partner, ReferenceItem, Room, Score
from caseflow.models.documents import Document
from caseflow.models.outbox import OutboxMessage
from caseflow.notify.delivery import Claimed, _message
from tests.i18n.pseudo import OPEN, PROPER, babel_words, untranslated, visible_text, write_pseudo_catalogue


@pytest.fixture
def app_overrides(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pseudo")
    write_pseudo_catalogue(folder)
    return {"BABEL_TRANSLATION_DIRECTORIES": str(folder)}


@pytest.fixture
def demo(app):
    load_demo()
    return typed_data()


def typed_data() -> list[str]:
    """Every text a person typed (or the demo typed for them): shown as it is, in any language."""
    values: list[str] = []

    def take(value):
        if isinstance(value, str):
            values.extend(line.strip() for line in value.splitlines())
            values.append(" ".join(value.split()))
        elif isinstance(value, dict):
            for item in value.values():
                take(item)
        elif isinstance(value, list):
            for item in value:
                take(item)

    for case in db.session.scalars(select(Case)):
        take([case.reference, case.data])
    for user in db.session.scalars(select(User)):
        take([user.full_name, user.email, user.display_name])
    for call in db.session.scalars(select(Call)):
        take([call.name, call.description, call.translations, call.place, call.contact])
    for room in db.session.scalars(select(Room)):  # the hostel's rooms, as the office named them
        take([room.building, room.number])
    for partner in db.session.scalars(select(Partner)):
        take([partner.name, partner.country])
    take(list(db.session.scalars(select(CaseEvent.comment))))
    take(list(db.session.scalars(select(Score.comment))))
    for document in db.session.scalars(select(Document)):
        take([document.file_name, document.reason])
    for faculty in db.session.scalars(select(Faculty)):  # stored in each language (tests/i18n/test_languages.py)
        take([faculty.code, faculty.name, faculty.names])
    take([item.value for item in db.session.scalars(select(ReferenceItem))])
    return [value for value in values if value]


def pages_for(user: User | None) -> list[str]:
    """Every GET page of the URL map, with every id it can take, for the pages' blueprints."""
    cases = db.session.scalars(select(Case.id).order_by(Case.id)).all()
    calls = db.session.scalars(select(Call.id).order_by(Call.id)).all()
    urls = ["/", "/login", "/signup", "/account", "/queue", "/calls", "/calendar", "/admin/users", "/admin/faculties",
            "/admin/lists", "/admin/mail", "/admin/audit", "/no-such-page"]
    urls += ["/password/forgot", *(f"/admin/users/{user_id}" for user_id in
                                    db.session.scalars(select(User.id).order_by(User.id).limit(2)))]
    urls += [f"/apply/{workflow.name}" for workflow in catalog()]
    urls += [f"/queue/{w.name}/{s.name}" for w in catalog() for s in w.states if not s.terminal]
    urls += [f"/cases/{case_id}" for case_id in cases]
    urls += [path for call_id in calls for path in (f"/calls/{call_id}", f"/calls/{call_id}/edit",
                                                     f"/calls/{call_id}/ranking")]
    return urls


def test_every_page_is_translated_for_every_role(app, demo, login):
    allowed = PROPER | babel_words()
    roles = {"anonymous": None}
    for role, email in (("applicant", "mob.accepted@demo.example.org"), ("screener", "screener.it@demo.example.org"),
                        ("office", "office@demo.example.org"), ("admin", "admin@demo.example.org")):
        roles[role] = db.session.scalar(select(User).where(User.email == email))
    problems = {}
    for role, user in roles.items():
        client = login(user) if user is not None else app.test_client()
        for url in pages_for(user):
            response = client.get(url)
            if response.mimetype != "text/html" or response.status_code in (301, 302, 303, 307, 308):
                continue  # files, and redirects a browser follows without showing
            shown = visible_text(response.get_data(as_text=True))
            assert OPEN in shown, f"{url} is read in the pseudo-locale"
            words = untranslated(shown, demo, allowed)
            if words:
                problems[f"{role} {url}"] = sorted(set(words))
    assert not problems, "\n".join(f"{page}: {' '.join(words)}" for page, words in problems.items())


def test_every_mail_is_translated(app, demo):
    allowed = PROPER | babel_words()
    problems = {}
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert messages, "the demo sends mail"
    for row in messages:
        mail = _message(Claimed(row.id, row.recipient, row.subject, row.template, row.context, row.message_id,
                                row.attempts, row.locale), "office@example.org")
        subject = str(make_header(decode_header(mail.subject)))
        assert OPEN in subject and OPEN in mail.body, "the mail is read in the pseudo-locale"
        for part, text in (("subject", subject), ("text", mail.body), ("html", visible_text(mail.html))):
            words = untranslated(text, demo + [row.recipient], allowed)
            if words:
                problems[f"{row.template} {part}"] = sorted(set(words))
    assert not problems, "\n".join(f"{mail}: {' '.join(words)}" for mail, words in problems.items())


def test_every_api_refusal_and_label_is_translated(app, demo):
    """The API's words (messages, labels) pass the catalogue; its machine names (state, type) stay."""
    from caseflow.accounts.operations import create_token

    allowed = PROPER | babel_words()
    office = db.session.scalar(select(User).where(User.email == "office@demo.example.org"))
    client = app.test_client()
    headers = {"Authorization": f"Bearer {create_token(office)}"}
    case_id = db.session.scalar(select(Case.id).order_by(Case.id))
    answers = {
        "refused body": client.post("/api/v1/cases", json={"type": "mobility", "data": {"gpa": "high"}},
                                    headers=headers),
        "not found": client.get("/api/v1/cases/999999", headers=headers),
        "no login": client.get("/api/v1/cases"),
        "wrong transition": client.post(f"/api/v1/cases/{case_id}/transitions",
                                        json={"transition": "fly", "version": 1}, headers=headers),
    }
    problems = {}
    for name, answer in answers.items():
        body = answer.get_json()
        words = [body["error"], *(m for messages in body["errors"].values() for m in messages)]
        assert OPEN in body["error"], name
        left = untranslated("\n".join(words), typed_data(), allowed)
        if left:
            problems[name] = left
    case = client.get(f"/api/v1/cases/{case_id}", headers=headers).get_json()
    labels = [case["state_label"], *(event["label"] for event in case["history"])]
    assert all(label.startswith(OPEN) for label in labels), labels
    assert not problems, problems
