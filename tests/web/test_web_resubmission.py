"""A form sent twice (a double click, a reload, a slow connection's retry) does what it does once."""

from __future__ import annotations

import re
import threading

from web_helpers import application_form, count_cases, csrf_from, text

from caseflow.extensions import db
from tests.api.api_helpers import count_state_events

SUBMISSION = re.compile(r'name="submission" type="hidden" value="([0-9a-f]{32})"')


def form_of(page: str) -> dict[str, str]:
    """The one-time token and the CSRF token of the form a page shows."""
    return {"csrf_token": csrf_from(page), "submission": SUBMISSION.search(page)[1]}


def test_an_application_form_sent_five_times_at_once_makes_one_case(app, login, users, make_call):
    call = make_call()
    browser = login(users["applicant"])
    url = f"/apply/mobility?call={call.id}"
    page = browser.get(url).get_data(as_text=True)
    data = {**application_form(), **form_of(page)}
    cookie = browser.get_cookie("session").value
    barrier, answers = threading.Barrier(5), []

    def send():
        copy = app.test_client()
        copy.set_cookie("session", cookie)
        barrier.wait()
        answers.append(copy.post(url, data=data))

    threads = [threading.Thread(target=send) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.rollback()
    assert count_cases() == 1
    assert [answer.status_code for answer in answers] == [303] * 5
    assert len({answer.headers["Location"] for answer in answers}) == 1


def test_the_second_sending_says_it_was_sent_already(login, users, make_call):
    call = make_call()
    browser = login(users["applicant"])
    url = f"/apply/mobility?call={call.id}"
    data = {**application_form(), **form_of(browser.get(url).get_data(as_text=True))}
    first = browser.post(url, data=data, follow_redirects=True)
    assert "Your application was submitted" in text(first)
    again = browser.post(url, data=data, follow_redirects=True)
    assert "This form was sent already" in text(again)
    assert count_cases() == 1
    # A new form (reloaded) is a new application: here refused by the one-per-call rule, not silently merged.
    fresh = {**application_form(), **form_of(browser.get(url).get_data(as_text=True))}
    assert browser.post(url, data=fresh).status_code == 422


def test_an_action_button_pressed_twice_acts_once(login, users, make_case):
    case = make_case()
    office = login(users["office"])
    page = office.get(f"/cases/{case.id}").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/cases/\d+/transitions".*?</form>', page, re.S)[0]
    data = {"transition": "send_to_faculty", "version": str(case.version), **form_of(form)}
    first = office.post(f"/cases/{case.id}/transitions", data=data)
    second = office.post(f"/cases/{case.id}/transitions", data=data)  # the double click
    assert first.status_code == second.status_code == 303
    assert count_state_events(case.id) == 2  # created, and one move
    assert "Sent to faculty screening. The case is now" in text(office.get(f"/cases/{case.id}"))


def test_a_damaged_one_time_token_is_refused_and_nothing_is_made(login, users, make_call):
    call = make_call()
    browser = login(users["applicant"])
    url = f"/apply/mobility?call={call.id}"
    data = {**application_form(), **form_of(browser.get(url).get_data(as_text=True)), "submission": "not-hex!"}
    assert browser.post(url, data=data).status_code == 422
    assert count_cases() == 0
