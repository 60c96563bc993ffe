"""Dates that make sense: a date of birth is never in the future, and a work permit's employee is an adult.

Seed: "Foreign nationals and stateless persons (18 years of age or older) who are planning to work must
apply for permission to work."
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from api_helpers import ApiClient, assert_error, count_cases

from caseflow.timeutil import office_today, years_before
from tests.factories import sample_data
from tests.web.web_helpers import error_beside, submit


@pytest.fixture
def office(client, users, token):
    return ApiClient(client, token(users["office"]))


def permit_for(born: date) -> dict:
    return {"type": "work_permit", "data": sample_data("work_permit", date_of_birth=born.isoformat())}


def test_an_employee_under_18_gets_no_work_permit(app, office):
    with app.app_context():
        today = office_today()
    youngest = years_before(today, 18)
    body = assert_error(office.post("/cases", permit_for(youngest + timedelta(days=1))), 422, "data.date_of_birth")
    assert "At least 18 years of age" in body["errors"]["data.date_of_birth"][0]
    assert count_cases() == 0
    assert office.post("/cases", permit_for(youngest)).status_code == 201  # 18 today: of age


def test_a_date_of_birth_in_the_future_is_refused(app, client, users, token, make_call):
    with app.app_context():
        tomorrow = office_today() + timedelta(days=1)
    body = assert_error(ApiClient(client, token(users["office"])).post("/cases", permit_for(tomorrow)), 422,
                        "data.date_of_birth")
    assert body["errors"]["data.date_of_birth"] == ["A date of birth cannot be in the future."]
    assert count_cases() == 0


def test_the_year_a_29_february_birthday_comes_of_age_is_the_28th():
    assert years_before(date(2026, 2, 28), 18) == date(2008, 2, 28)
    assert years_before(date(2028, 2, 29), 18) == date(2010, 2, 28)
    assert years_before(date(2028, 2, 29), 4) == date(2024, 2, 29)


def test_the_page_form_says_it_beside_the_field(app, login, users):
    with app.app_context():
        too_young = years_before(office_today(), 17)
    form = {key: str(value) for key, value in sample_data("work_permit", date_of_birth=too_young.isoformat()).items()}
    response = submit(login(users["office"]), "/apply/work_permit", form)
    assert response.status_code == 422
    assert "At least 18 years of age" in error_beside(response, "date_of_birth")
    assert count_cases() == 0
