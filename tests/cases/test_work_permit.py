"""Work permits: exemptions close the case at once, the state duty follows the seed."""

from __future__ import annotations

from datetime import UTC, date
from zoneinfo import ZoneInfo

import pytest

from caseflow.cases.operations import add_list_item, apply_transition, create_case
from caseflow.cases.queries import case_history
from caseflow.catalog import catalog
from caseflow.errors import Forbidden, Invalid
from caseflow.extensions import db
from caseflow.models.cases import Case
from caseflow.scheduling.deadlines import due_at
from caseflow.timeutil import office_today, utcnow, years_before
from tests.documents_helpers import supply_documents

TYPE = "work_permit"


def employee(**overrides) -> dict:
    data = {
        "permit": "employee", "organisation": "Kyrgyz State Technical University", "full_name": "Hans Lehrer",
        "email": "hans@example.org", "date_of_birth": "1980-02-01", "passport_number": "C01X00T47",
        "nationality": "DE", "position": "DAAD lecturer", "status": "temporary_stay", "exemption": "none",
    }
    return {**data, **overrides}


def file(user, **data):
    return create_case(catalog()[TYPE], user, employee(**data))


@pytest.mark.parametrize(
    ("exemption", "reason"),
    [
        # Seed: "Persons officially recognized as refugees or granted asylum"
        ("refugee", "Recognised refugee or granted asylum"),
        # "Persons responsible for the installation (installation supervision) of process equipment"
        ("installer", "Installs (supervises installation of) equipment supplied by a foreign company"),
        # "Students undergoing practical training ... as well as work during the holidays"
        ("student_practice", "Student in practical training or working during the holidays"),
        # "A person working in the diplomatic and consular missions, and international organizations"
        ("diplomatic", "Works at a diplomatic or consular mission or an accredited international organisation"),
        # "Correspondents and journalists accredited in the Kyrgyz Republic"
        ("journalist", "Accredited correspondent or journalist"),
        # "A person for whom there is a defined procedure ... of interstate and intergovernmental agreements"
        ("intergovernmental", "Employed under an interstate or intergovernmental agreement"),
    ],
)
def test_an_exempt_person_needs_no_permit_and_the_ground_is_in_the_history(users, exemption, reason):
    case = file(users["applicant"], exemption=exemption)
    assert case.state == "exempt"
    last = case_history(case.id)[-1]
    assert (last.transition, last.actor_id, last.comment) == ("exempt_by_ground", None, reason)


def test_a_permanent_resident_needs_no_permit(users):
    # Seed: "Persons who have permanent residence in the Kyrgyz Republic" are exempted.
    case = file(users["applicant"], status="permanent_resident")
    assert case.state == "exempt"
    assert case_history(case.id)[-1].comment == "Permanent resident (residence permit)"


def test_the_employers_permit_is_never_exempt(users):
    case = file(users["office"], permit="employer", status="permanent_resident", exemption="refugee")
    assert case.state == "submitted"


@pytest.mark.parametrize(
    ("permit", "nationality", "duty"),
    [
        ("employer", "DE", 4000),  # "The state duty for Permit for Employer ... is 4,000 soms"
        ("employee", "KZ", 1000),  # agreement state: "is 1000 soms"
        ("employee", "RU", 1000),  # Russia, however it is written: one code
        ("employee", "DE", 2000),  # "for all other foreign citizens and stateless persons is 2000 soms"
        ("employee", "XXA", 2000),  # a stateless person (ICAO's code)
    ],
)
def test_state_duty_follows_the_seed(users, permit, nationality, duty):
    assert file(users["office"], permit=permit, nationality=nationality).data["state_duty"] == duty


def test_the_agreement_list_is_data_the_office_edits(users):
    assert file(users["office"], nationality="UZ").data["state_duty"] == 2000
    add_list_item("labour_migration_agreement", "UZ")
    later = file(users["admin"], nationality="UZ")
    assert later.data["state_duty"] == 1000


def test_the_office_files_permits_and_screeners_cannot(users):
    assert file(users["office"]).state == "submitted"
    with pytest.raises(Forbidden):
        file(users["screener"])


def test_issued_permit_is_revoked_with_a_ground(users, make_case):
    office = users["office"]
    case = make_case(TYPE, state="issued", applicant=office, **employee())
    assert case.state == "issued"
    with pytest.raises(Invalid):
        apply_transition(case.id, "revoke", office, case.version)
    case = apply_transition(case.id, "revoke", office, case.version, "Termination of employment.")
    assert case.state == "revoked"


def issue(users, issued_on: str):
    """A permit brought to the migration service, then recorded as issued on ``issued_on``."""
    case = file(users["office"])
    supply_documents(case, users["office"])
    for name in ("start_document_check", "send_to_migration_service"):
        case = apply_transition(case.id, name, users["office"], case.version)
    return apply_transition(case.id, "record_issued", users["office"], case.version,
                            recorded={"permit_number": "KG-WP 2026/0412", "issued_on": issued_on})


def test_a_permit_issued_on_1_december_is_valid_until_30_november(app):
    # Seed: "A work permit for a foreign specialist is issued for one year".
    spec = catalog()[TYPE].deadline("permit_expiry")
    due = due_at(spec, utcnow(), date(2026, 12, 1)).replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Bishkek"))
    assert (due.date(), due.hour, due.minute) == (date(2027, 11, 30), 23, 59)


def test_issuing_records_the_number_and_day_of_issue_and_asks_for_both(users):
    case = file(users["office"])
    supply_documents(case, users["office"])
    for name in ("start_document_check", "send_to_migration_service"):
        case = apply_transition(case.id, name, users["office"], case.version)
    with pytest.raises(Invalid, match="records Permit number and Day of issue") as refused:
        apply_transition(case.id, "record_issued", users["office"], case.version)
    assert set(refused.value.errors) == {"permit_number", "issued_on"}
    today = office_today().isoformat()
    case = apply_transition(case.id, "record_issued", users["office"], case.version,
                            recorded={"permit_number": "KG-WP 2026/0412", "issued_on": today})
    assert (case.state, case.data["permit_number"], case.data["issued_on"]) == ("issued", "KG-WP 2026/0412", today)
    assert case_history(case.id)[-1].changes["data"] == {"permit_number": "KG-WP 2026/0412", "issued_on": today}


def test_the_permit_s_year_is_not_over_on_the_day_of_issue(users):
    case = issue(users, office_today().isoformat())
    with pytest.raises(Invalid, match="Not yet: “The work permit expires” is due at the end of"):
        apply_transition(case.id, "mark_expired", users["office"], case.version)
    assert db.session.get(Case, case.id).state == "issued"


def test_a_permit_whose_year_is_over_can_be_marked_expired(users):
    # Issued two years ago (recorded late): its year ended long ago.
    case = issue(users, years_before(office_today(), 2).isoformat())
    assert apply_transition(case.id, "mark_expired", users["office"], case.version).state == "expired"


@pytest.mark.parametrize("exempt", [{"exemption": "refugee"}, {"status": "permanent_resident"}])
def test_an_exempt_case_owes_no_duty_and_lists_no_missing_documents(users, login, exempt):
    # Seed: "Who are exempted from the requirements to obtain a work permit": no permit, so no duty.
    case = file(users["office"], **exempt)
    assert case.state == "exempt" and "state_duty" not in case.data
    page = login(users["office"]).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "State duty" not in page and "Missing" not in page and "missing" not in page


def test_a_closed_case_lists_only_the_documents_handed_in(users, login, make_case):
    case = make_case(TYPE, state="refused")
    page = login(users["office"]).get(f"/cases/{case.id}").get_data(as_text=True)
    assert "badge doc-missing" not in page and "Missing before this stage can end" not in page
