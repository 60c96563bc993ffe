"""Staff queues: counts per stage, the cases of a stage, and who sees what."""

from __future__ import annotations

import re

import pytest
from web_helpers import text

from caseflow.catalog import catalog
from caseflow.web import queue as queue_page


def count_in_row(response, label: str, case_type: str = "mobility") -> int:
    """Return the number shown in the queue row of the stage labelled ``label``, in ``case_type``'s table.

    Several case types have a stage of the same label ("Submitted").
    """
    page = response.get_data(as_text=True)
    section = re.search(rf'<section aria-labelledby="queue-{case_type}">(.*?)</section>', page, re.S)
    assert section, f"no queue section for {case_type}"
    match = re.search(rf">{re.escape(label)}</a></th>\s*<td class=\"num\">(\d+)</td>", section.group(1))
    assert match, f"no queue row for {label}"
    return int(match.group(1))


@pytest.fixture
def two_faculties(make_case, make_user):
    """One IT and one economics case in faculty screening, and one IT case just submitted."""
    return {
        "it": make_case(state="faculty_screening"),
        "econ": make_case(state="faculty_screening", applicant=make_user(name="Eldar Econ"), full_name="Eldar Econ",
                          faculty="ECON",
                          specialty_kind="economic", gpa=4.9),
        "submitted": make_case(applicant=make_user(name="Bakyt New")),
    }


def test_queue_counts_every_open_stage_from_the_workflow(login, users, two_faculties):
    page = login(users["office"]).get("/queue")
    assert page.status_code == 200
    workflow = catalog()["mobility"]
    for state in workflow.states:
        if not state.terminal:
            assert count_in_row(page, str(state.label)) >= 0
    assert count_in_row(page, "Faculty screening") == 2
    assert count_in_row(page, "Submitted") == 1
    assert count_in_row(page, "Office interview") == 0


def test_screener_sees_only_their_faculty(login, users, two_faculties):
    client = login(users["other_screener"])  # economics
    page = client.get("/queue")
    assert "You see the cases of the Institute of Economics and Management." in text(page)
    assert count_in_row(page, "Faculty screening") == 1
    assert count_in_row(page, "Submitted") == 0
    listing = text(client.get("/queue/mobility/faculty_screening"))
    assert two_faculties["econ"].reference in listing
    assert two_faculties["it"].reference not in listing


def test_stage_lists_cases_oldest_first_with_applicant_faculty_partner(login, users, two_faculties):
    response = login(users["office"]).get("/queue/mobility/faculty_screening")
    page = text(response)
    assert "Faculty screening" in page and "2 cases: the nearest deadline first, then the longest waiting." in page
    it, econ = two_faculties["it"].reference, two_faculties["econ"].reference
    assert page.index(it) < page.index(econ)
    row = page[page.index(it):page.index(econ)]
    assert "Asel Applicant" in row and "Faculty of Information Technology" in row and "TH Wildau" in row
    assert "Eldar Econ" in page and "Institute of Economics and Management" in page


def test_stage_list_is_paginated(login, users, two_faculties, monkeypatch):
    monkeypatch.setattr(queue_page, "QUEUE_PAGE_SIZE", 1)
    client = login(users["office"])
    first = text(client.get("/queue/mobility/faculty_screening"))
    second = text(client.get("/queue/mobility/faculty_screening?page=2"))
    assert "Page 1 of 2" in first and two_faculties["it"].reference in first
    assert "Page 2 of 2" in second and two_faculties["econ"].reference in second
    assert "Next page" in first and "Previous page" in second


@pytest.mark.parametrize("query", ["?page=abc", "?page=0", "?page=-1", "?page=1e9", "?page=99999999999999999999",
                                   "?page=%00", "?page=2&page=x", "?page=%C2%B2"])
def test_garbage_page_numbers_never_fail(login, users, two_faculties, query):
    response = login(users["office"]).get("/queue/mobility/faculty_screening" + query)
    assert response.status_code == 200


def test_a_page_past_the_end_says_it_is_empty(login, users, two_faculties):
    page = text(login(users["office"]).get("/queue/mobility/faculty_screening?page=50"))
    assert "This page is empty." in page


@pytest.mark.parametrize("url", ["/queue/nonsense/submitted", "/queue/mobility/nonsense", "/queue/mobility",
                                 "/queue/mobility/submitted/extra"])
def test_unknown_type_or_stage_is_404(login, users, url):
    assert login(users["office"]).get(url).status_code == 404


def test_queues_are_for_staff_only(login, users, client):
    response = login(users["applicant"]).get("/queue")
    assert response.status_code == 403
    assert "This page is for the university's staff." in text(response)
    assert login(users["applicant"]).get("/queue/mobility/submitted").status_code == 403
    assert client.get("/queue").headers["Location"] == "/login?next=/queue"


def test_staff_home_is_the_queue(login, users):
    response = login(users["screener"]).get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/queue"


def test_queue_marks_the_stages_where_the_viewer_acts(login, users, two_faculties):
    body = login(users["screener"]).get("/queue").get_data(as_text=True)
    screening = body.split(">Faculty screening</a>")[1].split("</tr>")[0]
    submitted = body.split(">Submitted</a>")[1].split("</tr>")[0]
    assert "you can act" in screening and "you can act" not in submitted


def test_a_conference_s_queue_shows_how_each_takes_part_not_faculty_and_partner(login, users, make_case):
    case = make_case("conference_registration", participant_kind="speaker", poster_title="Solar drying of apricots")
    page = text(login(users["office"]).get(f"/queue/conference_registration/{case.state}"))
    assert "Solar drying of apricots" in page and "I take part as" in page
    assert "Speaker (with a scientific poster)" in page
    assert "Faculty" not in page and "Partner" not in page


def test_a_screener_s_queue_lists_only_the_kinds_where_a_screener_acts(login, users):
    screener = text(login(users["screener"]).get("/queue"))
    office = text(login(users["office"]).get("/queue"))
    permit = str(catalog()["work_permit"].label)
    assert permit in office and permit not in screener
    assert str(catalog()["mobility"].label) in screener
