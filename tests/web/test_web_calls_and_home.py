"""The start page for each kind of visitor, and the calls page with its form."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from web_helpers import error_beside, submit, text, visible

from caseflow.cases import queries
from caseflow.catalog import catalog
from caseflow.extensions import db
from caseflow.models.cases import Call
from caseflow.timeutil import utcnow


def count_calls() -> int:
    return db.session.scalar(select(func.count()).select_from(Call))


# ---------------------------------------------------------------------- home


def test_anonymous_visitor_gets_a_welcome_with_login_and_signup(client):
    response = client.get("/")
    assert response.status_code == 200
    page = text(response)
    assert "Apply to the international programmes of the university" in page
    assert str(catalog()["mobility"].label) in page
    body = response.get_data(as_text=True)
    assert 'href="/login"' in body and 'href="/signup"' in body


def test_applicant_home_lists_my_cases_and_open_calls(login, users, make_case, make_call):
    case = make_case(state="faculty_screening")
    make_call(name="Erasmus+ Autumn")
    page = text(login(users["applicant"]).get("/"))
    assert "My applications" in page
    row = page[page.index(case.reference):]
    assert row.startswith(f"{case.reference} Erasmus+ student mobility Erasmus+ 2027 Faculty screening")
    assert "Open calls" in page and "Erasmus+ Autumn" in page and "Apply" in page


def test_applicant_without_cases_is_told_so(login, users):
    page = text(login(users["applicant"]).get("/?page=abc"))
    assert "You have no applications yet." in page
    # No call is open, so only the types that need none (work permits) are offered.
    assert "Erasmus+ 2027" not in page
    assert "Work permit for a foreign employee" in page


def test_navigation_depends_on_the_role(login, users, client):
    def links(response):
        return visible(response.get_data(as_text=True).split('<nav aria-label="Main">')[1].split("</nav>")[0])

    assert "Users" in links(login(users["admin"]).get("/queue"))
    assert "Users" not in links(login(users["office"]).get("/queue"))
    assert "My applications" in links(login(users["applicant"]).get("/"))
    assert "Log in" in links(client.get("/")) and "Log out" not in links(client.get("/"))
    assert "Olga Office (International office) Log out" in links(login(users["office"]).get("/queue"))


# --------------------------------------------------------------------- calls


def test_calls_page_lists_partners_and_seats_left(login, users, make_case):
    make_case(state="partner_nomination")  # holds one of TH Wildau's two seats
    response = login(users["applicant"]).get("/calls")
    page = text(response)
    assert "Erasmus+ 2027 open" in page
    assert "TH Wildau Germany 2 1" in page
    assert "TH Köln Germany 1 1" in page
    assert "Create a call" not in page


def call_form(**overrides) -> dict:
    form = {
        "name": "Erasmus+ 2030", "type": "mobility", "deadline": "2030-01-15T17:00",
        "partners-0-name": "TH Wildau", "partners-0-country": "DE", "partners-0-seats": "2",
        "partners-1-name": "", "partners-1-country": "", "partners-1-seats": "",
        "partners-2-name": "TU Graz", "partners-2-country": "AT", "partners-2-seats": "1",
        "partners-3-name": "", "partners-3-country": "", "partners-3-seats": "",
    }
    form.update(overrides)
    return form


def test_office_creates_a_call_with_partner_rows(login, users, app):
    client = login(users["office"])
    page = client.get("/calls")
    assert "Create a call" in text(page)
    assert page.get_data(as_text=True).count('name="partners-4-name"') == 1  # five empty rows offered
    response = submit(client, "/calls", call_form(), follow_redirects=True)
    assert "Call created: Erasmus+ 2030." in text(response)
    call = db.session.scalar(select(Call).where(Call.name == "Erasmus+ 2030"))
    assert [(p.name, p.seats) for p in call.partners] == [("TH Wildau", 2), ("TU Graz", 1)]
    assert app.config["CASEFLOW_TIMEZONE"] == "Asia/Bishkek"  # UTC+6: 17:00 there is 11:00 UTC
    assert call.deadline_at == datetime(2030, 1, 15, 11, 0)


def test_call_form_mistakes_are_shown_beside_the_fields(login, users, make_call):
    make_call(name="Erasmus+ 2030")
    client = login(users["admin"])
    before = count_calls()
    response = submit(client, "/calls", call_form())
    assert response.status_code == 422
    assert "A call with this name exists already." in error_beside(response, "name")

    past = (utcnow() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = submit(client, "/calls", call_form(name="Late", deadline=past))
    assert "The deadline must be in the future." in error_beside(response, "deadline")

    response = submit(client, "/calls", call_form(name="Odd", **{"partners-2-seats": "many"}))
    # The empty row between is dropped, so the third row comes back as the second.
    assert "Not a valid integer value." in error_beside(response, "partners-1-seats")
    assert 'id="partners-1-name" maxlength="200" name="partners-1-name" type="text" value="TU Graz"' in (
        response.get_data(as_text=True))

    response = submit(client, "/calls", call_form(name="Empty", **{"partners-0-name": "", "partners-0-country": "",
                                                                    "partners-0-seats": "", "partners-2-name": "",
                                                                    "partners-2-country": "", "partners-2-seats": ""}))
    assert "This kind of application needs at least one partner." in text(response)

    response = submit(client, "/calls", call_form(name="Twice", **{"partners-2-name": "TH Wildau"}))
    assert "Each partner may be listed once." in text(response)

    response = submit(client, "/calls", call_form(name="Bad date", deadline="soon", type="nonsense"))
    assert response.status_code == 422
    assert error_beside(response, "deadline") and error_beside(response, "type")
    assert count_calls() == before


def test_only_office_and_admin_may_create_calls(login, users):
    for role in ("applicant", "screener"):
        client = login(users[role])
        response = submit(client, "/calls", call_form(name=f"By {role}"), action="/calls")
        assert response.status_code == 403
        assert "Only the international office may create calls." in text(response)
    assert count_calls() == 0


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "   ", "This field is required."),
    ("name", "Tab\there", "Remove the invisible control characters"),
    ("name", "Erasmus+\x00 2030", "Remove the invisible control characters"),
    ("name", "Erasmus+ \u202e0302", "Remove the invisible control characters"),
    ("description", "Three weeks\x00", "Remove the invisible control characters"),
    ("partners-0-name", "TH \u202eWildau", "Remove the invisible control characters"),
    ("in_ru-name", "Эразмус\u2067 2030", "Remove the invisible control characters"),
    ("partners-0-country", "", "This field is required."),
    ("partners-0-country", "Germany", "Choose one of the listed options."),
    ("deadline", "0001-01-01T00:00", "outside the calendar"),
])
def test_the_call_form_applies_the_apis_text_rules(login, users, field, value, message):
    client = login(users["office"])
    before = len(queries.calls())
    response = submit(client, "/calls", call_form(**{field: value}))
    assert response.status_code == 422
    assert message in error_beside(response, field)
    assert len(queries.calls()) == before


def test_anyone_reads_the_calls_without_logging_in(client, make_call):
    call = make_call(name="Erasmus+ 2031")
    page = client.get("/calls")
    assert page.status_code == 200
    assert "Erasmus+ 2031" in text(page)
    assert f'href="/calls/{call.id}"' in page.get_data(as_text=True)  # its conditions, public too
    assert 'href="/calls"' in client.get("/").get_data(as_text=True)  # the menu offers them
    # Creating a call still needs the office's login.
    answer = submit(client, "/calls", {"name": "Nope"})
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login")
    assert db.session.scalar(select(func.count()).select_from(Call)) == 1
