"""Admins keep the reference lists (the labour-migration agreement states) up to date."""

from __future__ import annotations

import pytest
from web_helpers import submit, text

from caseflow.cases.operations import create_case
from caseflow.catalog import catalog
from tests.factories import sample_data

URL = "/admin/lists"
LIST = "labour_migration_agreement"


def test_admin_sees_the_seeded_list(login, users):
    page = text(login(users["admin"]).get(URL))
    assert "States with a labour-migration agreement" in page and "Kazakhstan" in page


def test_added_state_lowers_the_duty_of_the_next_application(login, users):
    admin = login(users["admin"])
    response = submit(admin, URL, {"list_name": LIST, "value": "UZ"}, follow_redirects=True)
    assert "Added Uzbekistan to the list." in text(response)
    case = create_case(catalog()["work_permit"], users["office"], sample_data("work_permit", nationality="UZ"))
    assert case.data["state_duty"] == 1000


def test_removed_state_pays_the_full_duty(login, users):
    admin = login(users["admin"])
    submit(admin, URL, {"list_name": LIST, "value": "RU", "remove": "1"})
    case = create_case(catalog()["work_permit"], users["office"], sample_data("work_permit", nationality="RU"))
    assert case.data["state_duty"] == 2000


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"list_name": LIST, "value": "KZ"}, "Give a value that is not in the list yet."),
        ({"list_name": LIST, "value": "Kazakhstan"}, "Choose a country from the list."),
        ({"list_name": LIST, "value": ""}, "This field is required."),
        ({"list_name": LIST, "value": "Kazakh\u202estan"}, "Remove the invisible control characters"),
        ({"list_name": LIST, "value": "Kazakhstan\x00"}, "Remove the invisible control characters"),
        ({"list_name": "secret_list", "value": "X"}, "There is no such list."),
        ({"list_name": LIST, "value": "Atlantis", "remove": "1"}, "This value is not in the list."),
    ],
)
def test_list_mistakes_are_explained_and_change_nothing(login, users, data, message):
    admin = login(users["admin"])
    before = text(admin.get(URL))
    response = submit(admin, URL, data)
    assert response.status_code == 422
    assert message in text(response)
    assert text(admin.get(URL)) == before


@pytest.mark.parametrize("role", ["office", "screener", "applicant"])
def test_lists_are_for_admins_only(login, users, role):
    assert login(users[role]).get(URL).status_code == 403
