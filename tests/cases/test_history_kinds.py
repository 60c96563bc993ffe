"""The case history: every line goes through one writer, and a kind of line is declared once with its words."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from caseflow import history
from caseflow.database import write_transaction
from caseflow.extensions import db
from caseflow.models.cases import CaseEvent
from caseflow.models.outbox import OutboxMessage
from caseflow.timeutil import utcnow
from tests.api.api_helpers import ApiClient


@pytest.fixture
def reminder_kind():
    """A kind of line the service does not have yet, declared as a new feature would: one declaration."""
    kind = history.declare("case.reminded", lambda workflow, transition, changes: f"Reminded by {changes['by']}")
    yield kind
    del history.KINDS[kind.name]


def test_a_new_kind_of_line_is_worded_on_the_page_and_in_the_api(reminder_kind, make_case, users, login, token,
                                                                 client):
    case = make_case()
    with write_transaction() as session:
        history.record(session, case.id, reminder_kind, None, utcnow(), to_state=case.state, changes={"by": "post"})
    page = login(users["office"]).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Reminded by post" in page
    events = ApiClient(client, token(users["office"])).get(f"/cases/{case.id}").get_json()["history"]
    assert (events[-1]["action"], events[-1]["label"]) == ("case.reminded", "Reminded by post")


def test_every_line_the_service_writes_is_of_a_declared_kind(make_case):
    make_case(state="accepted")
    actions = set(db.session.scalars(select(CaseEvent.action)))
    assert actions and actions <= set(history.KINDS)


def test_a_kind_is_declared_once():
    with pytest.raises(ValueError, match="declared twice"):
        history.declare("case.created", lambda workflow, transition, changes: "")


def test_the_history_says_what_happened_and_the_mail_tells_the_applicant(make_case, users, client, token):
    """The button says what staff do ("Send to faculty screening"); the history says what happened, in the
    past tense; the mail tells the applicant, in words for them."""
    case = make_case(state="faculty_screening")
    contexts = [m.context["action"] for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.case_id == case.id).order_by(OutboxMessage.id))]
    assert contexts == ["We have received your application.",
                        "Your application has gone to your faculty for screening."]
    events = ApiClient(client, token(users["applicant"])).get(f"/cases/{case.id}").get_json()["history"]
    moves = [e["label"] for e in events if e["action"] in ("case.created", "case.transitioned")]
    assert moves == ["Application submitted", "Sent to faculty screening"]
