"""A long application form must not expire while the applicant fills it in.

Flask-WTF's default limit is one hour; ours follows the login session (12
hours).  The test sends the form as if ``hours`` had passed since the page
was opened, by moving itsdangerous' clock forward for the POST.
"""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select
from web_helpers import csrf_from

from caseflow.extensions import db
from caseflow.models.cases import Case
from tests.factories import mobility_data


def send_after(client, monkeypatch, url, data, hours):
    token = csrf_from(client.get(url).get_data(as_text=True))
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time() + hours * 3600))
    return client.post(url, data={**data, "csrf_token": token})


def stored_cases() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


@pytest.mark.parametrize("hours", [2, 11])
def test_application_sent_hours_after_opening_the_form_is_accepted(login, users, make_call, monkeypatch, hours):
    call = make_call()
    data = {key: str(value) for key, value in mobility_data().items()}
    response = send_after(login(users["applicant"]), monkeypatch, f"/apply/mobility?call={call.id}", data, hours)
    assert response.status_code == 303
    assert stored_cases() == 1


def test_form_older_than_the_session_is_refused_and_stores_nothing(login, users, make_call, monkeypatch):
    call = make_call()
    data = {key: str(value) for key, value in mobility_data().items()}
    response = send_after(login(users["applicant"]), monkeypatch, f"/apply/mobility?call={call.id}", data, 13)
    # After 13 hours the login session has ended too: back to the login page, nothing stored.
    assert response.status_code in (302, 400)
    assert stored_cases() == 0
