"""The work-permit export: the seed's columns, in a file a spreadsheet program opens."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from api_helpers import PREFIX, assert_error
from openpyxl import load_workbook

from caseflow.cases.operations import apply_transition, create_case
from caseflow.catalog import catalog
from tests.factories import sample_data

# Seed: "the data in tabular form indicating the name of the organization, name of a
# foreign specialist, date of birth, passport number, nationality and position."
HEADERS = ["Organisation", "Full name of the foreign specialist", "Date of birth", "Passport number",
           "Nationality", "Position"]


@pytest.fixture
def permits(users):
    workflow = catalog()["work_permit"]
    return [
        create_case(workflow, users["office"], sample_data("work_permit", full_name=name, passport_number=passport))
        for name, passport in [("Hans Lehrer", "C01X00T47"), ("Zoë Müller", "C02Y11U58"),
                               ("Jean Dupont", "15AB12345"), ("Li Wei", "E12345678")]
    ]


def get(client, headers, path):
    return client.get(PREFIX + path, headers=headers)


def test_xlsx_has_the_seeds_columns_and_one_row_per_case(client, token, users, permits, monkeypatch):

    from caseflow import timeutil

    # 20:00 UTC on 1 December is 2 December in Bishkek (UTC+6): the file is named by the office's day.
    monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(2026, 12, 1, 20, 0))
    response = get(client, token(users["office"]), "/exports/work-permits.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == 'attachment; filename="work-permits-2026-12-02.xlsx"'
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [row[1] for row in rows[1:]] == ["Hans Lehrer", "Zoë Müller", "Jean Dupont", "Li Wei"]
    assert rows[1] == ("Kyrgyz State Technical University", "Hans Lehrer", datetime(1980, 2, 1), "C01X00T47",
                       "Germany", "DAAD lecturer")
    # A real date, and the sheet's name as the file declares it (not cut at Excel's 31 characters).
    assert sheet.cell(row=2, column=3).number_format == "DD.MM.YYYY" and sheet.title == "Personal cards"


def test_csv_is_utf8_with_a_byte_order_mark_and_filters_by_ids(client, token, users, permits):
    ids = f"{permits[1].id},{permits[3].id}"
    response = get(client, token(users["admin"]), f"/exports/work-permits.csv?ids={ids}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert [row[1] for row in rows[1:]] == ["Zoë Müller", "Li Wei"]


def test_filter_by_state(client, token, users, permits):
    rows = list(csv.reader(io.StringIO(
        get(client, token(users["office"]), "/exports/work-permits.csv?state=issued").data.decode("utf-8-sig"))))
    assert rows == [HEADERS]


@pytest.mark.parametrize(("path", "status", "field"), [
    ("/exports/work-permits.csv?state=flying", 422, "state"),
    ("/exports/work-permits.csv?ids=1;DROP", 422, "ids"),
    ("/exports/work-permits.pdf", 404, None),
    ("/exports/passports.xlsx", 404, None),
])
def test_bad_export_requests_are_refused(client, token, users, path, status, field):
    assert_error(get(client, token(users["office"]), path), status, *([field] if field else []))


@pytest.mark.parametrize("who", ["applicant", "screener"])
def test_exports_are_for_the_office_only(client, token, users, permits, who):
    assert_error(get(client, token(users[who]), "/exports/work-permits.xlsx"), 403)


def test_export_needs_a_login(client):
    assert get(client, {}, "/exports/work-permits.xlsx").status_code == 401


@pytest.mark.parametrize("typed", ["=HYPERLINK(\"http://evil.example\",\"click\")", "@SUM(A1:A9)", "+1+2", "-3+4"])
def test_a_formula_typed_by_an_applicant_reaches_the_sheets_as_text(client, token, users, typed):
    workflow = catalog()["work_permit"]
    create_case(workflow, users["office"], sample_data("work_permit", position=typed))
    headers = token(users["office"])
    sheet = load_workbook(io.BytesIO(get(client, headers, "/exports/work-permits.xlsx").data)).active
    cell = sheet.cell(row=2, column=HEADERS.index("Position") + 1)
    assert cell.data_type == "s" and cell.value == "'" + typed  # OWASP: a leading quote, a text cell
    rows = list(csv.reader(io.StringIO(get(client, headers, "/exports/work-permits.csv").data.decode("utf-8-sig"))))
    assert rows[1][HEADERS.index("Position")] == "'" + typed


def test_a_control_character_stored_in_a_case_does_not_break_the_export(client, token, users, permits):
    from caseflow.extensions import db
    from caseflow.models.cases import Case

    case = db.session.get(Case, permits[0].id)  # written before input refused control characters
    case.data = {**case.data, "full_name": "Hans\x1b Lehrer\x07"}
    db.session.commit()
    response = get(client, token(users["office"]), "/exports/work-permits.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.cell(row=2, column=2).value == "Hans Lehrer"


def test_a_control_character_is_refused_at_input_and_nothing_is_stored(client, token, users):
    from caseflow.extensions import db
    from caseflow.models.cases import Case

    body = {"type": "work_permit", "data": sample_data("work_permit", full_name="Hans\x1b Lehrer")}
    refused = client.post(PREFIX + "/cases", json=body, headers=token(users["office"]))
    assert refused.status_code == 422 and "data.full_name" in refused.get_json()["errors"]
    assert db.session.query(Case).count() == 0


def test_the_migration_service_gets_the_employees_cards_of_open_cases_each_person_once(client, token, users):
    # Seed: "Upon delivery, ... electronic version of the data in tabular form": the personal cards.
    workflow = catalog()["work_permit"]
    file = lambda **data: create_case(workflow, users["office"], sample_data("work_permit", **data))  # noqa: E731
    file(full_name="Hans Lehrer", passport_number="C01X00T47")
    file(full_name="Hans Lehrer (again)", passport_number="C01 X00 T47")  # the same passport: one card
    file(permit="employer", full_name="Zoë Müller", passport_number="C02Y11U58")  # the employer's permit
    file(full_name="Ali Refugee", passport_number="R1", exemption="refugee")  # exempt: closed at once
    refused = file(full_name="Jean Dupont", passport_number="15AB12345")
    apply_transition(refused.id, "withdraw", users["office"], refused.version)
    rows = list(csv.reader(io.StringIO(get(client, token(users["office"]), "/exports/work-permits.csv")
                                       .data.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["Hans Lehrer (again)"]  # the newer case of the same person


def test_the_document_check_queue_offers_the_export(login, users, make_case):
    make_case("work_permit", state="document_check")
    page = login(users["office"]).get("/queue/work_permit/document_check").get_data(as_text=True)
    assert "Export for the migration service" in page
    assert 'href="/api/v1/exports/work-permits.xlsx?state=document_check"' in page
    assert "Export for the migration service" not in login(users["office"]).get(
        "/queue/work_permit/submitted").get_data(as_text=True)
