"""The document checklists the workflow files declare, as applicants and staff read them."""

from __future__ import annotations

import pytest
from web_helpers import text

from caseflow.catalog import catalog


def checklist(page: str) -> str:
    """The text of the page's documents section."""
    return page.split("Documents", 1)[1].split("Accepted:", 1)[0] if "Documents" in page else ""


def test_chinese_semester_call_lists_the_seeds_documents_and_a_jsps_call_does_not(client, make_call):
    chinese = text(client.get(f"/calls/{make_call('scholarship', variant='chinese_semester').id}"))
    # Seed: "Physical Examination Record for Foreigners", "2-inch-sized digital photo with blue background".
    assert "Physical Examination Record for Foreigners" in chinese
    assert "2-inch digital photo with a blue background" in chinese
    jsps = text(client.get(f"/calls/{make_call('scholarship', variant='jsps_postdoc').id}"))
    assert "Physical Examination Record" not in jsps and "Documents you will need" not in jsps


def test_apply_page_lists_the_visa_request_as_conditional(login, users, make_call):
    call = make_call("admission")
    page = text(login(users["applicant"]).get(f"/apply/admission?call={call.id}"))
    assert "Scanned copy of the transcript" in checklist(page)
    assert "Application for visa support — only if Do you need visa support (an invitation)?: Yes" in page


@pytest.mark.parametrize(("visa", "listed"), [("yes", True), ("no", False)])
def test_an_admission_case_lists_the_visa_request_only_when_asked_for(login, users, make_case, visa, listed):
    case = make_case("admission", visa_support=visa)
    page = text(login(users["applicant"]).get(f"/cases/{case.id}"))
    assert "Scanned copy of the passport" in page
    assert ("Application for visa support" in page) is listed


@pytest.mark.parametrize(("permit", "count", "sample"), [
    ("employer", 8, "Authorised staffing table"),
    ("employee", 7, "Medical certificate of the blood test for HIV"),
])
def test_a_work_permit_case_lists_its_permits_documents(login, users, make_case, permit, count, sample):
    # Seed, Appendix No. 1: eight documents for the employer's permit, seven for the employee's.
    workflow = catalog()["work_permit"]
    assert len(workflow.documents_for({"permit": permit})) == count
    case = make_case("work_permit", permit=permit)
    page = text(login(users["office"]).get(f"/cases/{case.id}"))
    assert sample in page
    other = workflow.documents_for({"permit": "employee" if permit == "employer" else "employer"})
    assert not any(str(document.label) in page for document in other)
