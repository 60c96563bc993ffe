"""What an action records (a work permit's number and day of issue) is asked for beside its button, checked
by its field's type, and refused with the reason in the page and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from caseflow.extensions import db
from caseflow.models.cases import Case
from caseflow.timeutil import office_today
from tests.api.api_helpers import ApiClient
from tests.web.web_helpers import error_beside, submit, text


@pytest.fixture
def at_migration_service(make_case):
    return make_case("work_permit", state="at_migration_service")


def fire(client, case, **data):
    return submit(client, f"/cases/{case.id}", {"transition": "record_issued", "version": str(case.version), **data},
                  action=f"/cases/{case.id}/transitions")


def test_the_page_asks_for_the_number_and_day_of_issue_beside_the_button(login, users, at_migration_service):
    page = text(login(users["office"]).get(f"/cases/{at_migration_service.id}"))
    assert "Permit number" in page and "Day of issue" in page
    assert "issued on 1 December, it ends on 30 November" in page


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"permit_number": "", "issued_on": "2026-11-30"}, "permit_number", "This field is required."),
    ({"permit_number": "KG-WP 1", "issued_on": ""}, "issued_on", "This field is required."),
    ({"permit_number": "KG-WP 1", "issued_on": "30.11.2026"}, "issued_on", "Not a valid date value."),
    ({"permit_number": "KG-WP\u202e 1", "issued_on": "2026-11-30"}, "permit_number", "invisible control"),
])
def test_a_missing_or_wrong_value_is_refused_beside_its_field_and_nothing_moves(
        login, users, at_migration_service, data, field, message):
    answer = fire(login(users["office"]), at_migration_service, **data)
    assert answer.status_code == 422 and message in error_beside(answer, field)
    db.session.rollback()
    assert db.session.get(Case, at_migration_service.id).state == "at_migration_service"


def test_a_day_of_issue_in_the_future_is_refused(login, users, at_migration_service):
    tomorrow = (office_today() + timedelta(days=1)).isoformat()
    answer = fire(login(users["office"]), at_migration_service, permit_number="KG-WP 1", issued_on=tomorrow)
    assert answer.status_code == 422 and "This day is in the future" in error_beside(answer, "issued_on")


def test_recording_the_issue_keeps_the_values_on_the_case(login, users, at_migration_service):
    today = office_today().isoformat()
    answer = fire(login(users["office"]), at_migration_service, permit_number="KG-WP 7", issued_on=today)
    assert answer.status_code == 303
    db.session.rollback()
    stored = db.session.get(Case, at_migration_service.id)
    assert (stored.state, stored.data["permit_number"], stored.data["issued_on"]) == ("issued", "KG-WP 7", today)
    assert "KG-WP 7" in text(login(users["office"]).get(f"/cases/{stored.id}"))


def test_the_api_takes_the_values_as_data_and_names_a_missing_one(client, token, users, at_migration_service):
    api = ApiClient(client, token(users["office"]))
    body = {"transition": "record_issued", "version": at_migration_service.version}
    refused = api.post(f"/cases/{at_migration_service.id}/transitions", {**body, "data": {"permit_number": "X"}})
    assert refused.status_code == 422 and "data.issued_on" in refused.get_json()["errors"]
    wrong = api.post(f"/cases/{at_migration_service.id}/transitions",
                     {**body, "data": {"permit_number": "X", "issued_on": "2026-11-30", "colour": "red"}})
    assert wrong.status_code == 422 and "data.colour" in wrong.get_json()["errors"]
    done = api.post(f"/cases/{at_migration_service.id}/transitions",
                    {**body, "data": {"permit_number": "KG-WP 9", "issued_on": office_today().isoformat()}})
    assert done.status_code == 200 and done.get_json()["data"]["permit_number"] == "KG-WP 9"
