"""Internal staff notes: in the case's history for staff, never shown to the applicant, never mailed."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from caseflow.cases.notes import add_note
from caseflow.errors import Forbidden, Invalid
from caseflow.extensions import db
from caseflow.models.outbox import OutboxMessage
from tests.api.api_helpers import ApiClient
from tests.web.web_helpers import submit, text


def mails() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_a_note_is_for_staff_only_and_mails_nobody(login, users, make_case):
    case = make_case(state="faculty_screening")
    before = mails()
    office = login(users["office"])
    answer = submit(office, f"/cases/{case.id}", {"note": "Phoned the partner: a seat may free up."},
                    action=f"/cases/{case.id}/notes", follow_redirects=True)
    assert "Note added. Only staff see it." in text(answer)
    assert "Phoned the partner: a seat may free up." in text(office.get(f"/cases/{case.id}"))
    assert "Phoned the partner" in text(login(users["screener"]).get(f"/cases/{case.id}"))
    own = text(login(users["applicant"]).get(f"/cases/{case.id}"))
    assert "Phoned the partner" not in own and "Internal note" not in own
    assert mails() == before


def test_the_api_shows_notes_to_staff_only(client, token, users, make_case):
    case = make_case()
    added = ApiClient(client, token(users["office"])).post(f"/cases/{case.id}/notes", {"note": "Checked by phone."})
    assert added.status_code == 200 and added.get_json()["history"][-1]["comment"] == "Checked by phone."
    own = ApiClient(client, token(users["applicant"])).get(f"/cases/{case.id}").get_json()
    assert all(line["action"] != "case.noted" for line in own["history"])


def test_a_note_is_refused_to_an_applicant_and_when_empty_or_with_control_characters(users, make_case, login):
    case = make_case()
    with pytest.raises(Forbidden):
        add_note(case.id, users["applicant"], "Mine.")
    for note, message in (("   ", "Write the note first."), ("Bad\x1b", "invisible control characters")):
        with pytest.raises(Invalid, match=message):
            add_note(case.id, users["office"], note)
    refused = submit(login(users["office"]), f"/cases/{case.id}", {"note": ""}, action=f"/cases/{case.id}/notes")
    assert refused.status_code == 422 and "This field is required." in text(refused)
