"""Whom a case is about: the office files a work permit for a new employee, and the employee (not the
clerk) is the one the pages name, the mails reach and who may follow the case.

Seed (work permits): the office prepares the documents "indicating the name of
the organization, name of a foreign specialist, date of birth, passport number".
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask_migrate import downgrade, stamp, upgrade
from sqlalchemy import select

from caseflow.cases import subject
from caseflow.cases.operations import apply_transition, create_case
from caseflow.catalog import catalog
from caseflow.demo import sample_recorded
from caseflow.errors import Conflict, Forbidden
from caseflow.extensions import db
from caseflow.models.cases import Case
from caseflow.models.deadlines import CaseDeadline
from caseflow.models.outbox import OutboxMessage
from caseflow.scheduling.scan import scan
from tests.conftest import PASSWORD
from tests.documents_helpers import supply_documents
from tests.factories import sample_data
from tests.notify_helpers import mailed
from tests.web.web_helpers import csrf_from as csrf_of

PERMIT = "work_permit"


def recipients(case_id: int) -> list[str]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMessage.recipient).where(OutboxMessage.case_id == case_id)
                                   .order_by(OutboxMessage.id)))


def filed_by_office(users, **data) -> Case:
    return create_case(catalog()[PERMIT], users["office"], sample_data(PERMIT, **data))


def test_an_office_filed_permit_is_about_the_employee_and_mails_them_not_the_clerk(users):
    case = filed_by_office(users, full_name="Hans Lehrer", email="Hans@Example.org")
    assert (case.subject_name, case.subject_email, case.subject_id) == ("Hans Lehrer", "hans@example.org", None)
    assert recipients(case.id) == ["hans@example.org"]
    assert users["office"].email not in recipients(case.id)


def test_the_employers_contact_is_mailed_too_and_reminded_of_the_expiry(users):
    case = filed_by_office(users, contact_name="Nurlan HR", contact_email="hr@kstu.example")
    assert recipients(case.id) == ["hans@example.org", "hr@kstu.example"]
    assert mailed("hr@kstu.example").context["name"] == "Nurlan HR"
    assert (mailed("hr@kstu.example").context["about"], mailed("hr@kstu.example").context["link"]) == (
        "Hans Lehrer", "")  # the case is not the employer's: it names the employee, with no page to follow
    supply_documents(case, users["office"])
    for name in ("start_document_check", "send_to_migration_service", "record_issued"):
        case = apply_transition(case.id, name, users["office"], case.version,
                                recorded=sample_recorded(catalog()[PERMIT], name))
    db.session.rollback()
    expiry = db.session.scalar(select(CaseDeadline).where(CaseDeadline.case_id == case.id,
                                                         CaseDeadline.name == "permit_expiry"))
    scan(expiry.remind_at)
    reminded = [m.recipient for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.case_id == case.id, OutboxMessage.template == "deadline_reminder"))]
    assert reminded == ["hans@example.org", "hr@kstu.example"]


def test_the_employer_reads_whom_the_news_is_about_not_the_employee_s_words(users, smtp):
    from caseflow.notify.delivery import deliver_due

    case = filed_by_office(users, full_name="Ivan Petrov", contact_name="Aigul HR", contact_email="hr@kstu.example")
    supply_documents(case, users["office"])
    apply_transition(case.id, "start_document_check", users["office"], case.version)
    deliver_due()
    bodies = {m["To"]: m.get_body(("plain",)).get_content() for m in smtp.messages}
    employer, employee = bodies["hr@kstu.example"], bodies["hans@example.org"]
    assert f"The application {case.reference} (Work permit for a foreign employee) of Ivan Petrov:" in employer
    assert "Document check started" in employer and "your documents" not in employer
    assert f"/cases/{case.id}" not in employer
    assert "The international office has started checking your documents." in employee
    assert f"/cases/{case.id}" in employee


def test_an_applicant_filing_for_themselves_is_the_subject_and_is_mailed_at_their_account(users):
    case = create_case(catalog()[PERMIT], users["applicant"], sample_data(PERMIT, email="typed@example.org"))
    assert case.subject_id == users["applicant"].id
    assert recipients(case.id) == [users["applicant"].email]


def test_an_employee_with_an_account_follows_the_case_the_office_files_for_them(users, make_user, login):
    employee = make_user("applicant", email="hans@example.org", name="Hans Lehrer")
    case = filed_by_office(users)
    assert case.subject_id == employee.id
    page = login(employee).get(f"/cases/{case.id}")
    assert page.status_code == 200 and "Hans Lehrer" in page.text
    assert login(users["other_applicant"]).get(f"/cases/{case.id}").status_code == 404


def test_the_office_invites_an_employee_without_account_who_signs_up_and_sees_the_case(users, login, client):
    case = filed_by_office(users)
    office = login(users["office"])
    page = office.get(f"/cases/{case.id}")
    assert "Invite Hans Lehrer to follow this case" in page.text
    answer = office.post(f"/cases/{case.id}/invitation", data={"csrf_token": csrf_of(page.text)})
    assert answer.status_code == 303
    link = urlsplit(mailed("hans@example.org").context["link"]).path
    assert link.startswith("/signup/")
    signup = client.get(link)
    client.post(link, data={"csrf_token": csrf_of(signup.text), "password": PASSWORD, "password_again": PASSWORD})
    db.session.rollback()
    assert db.session.get(Case, case.id).subject_id is not None
    mine = client.get("/")
    assert case.reference in mine.text
    # Now they follow it: inviting again is refused with the reason, and nothing is sent.
    sent = len(recipients(case.id))
    with pytest.raises(Conflict, match="follows this case already"):
        subject.invite(case.id, users["office"])
    assert len(recipients(case.id)) == sent


def test_the_invitation_is_all_in_the_employee_s_language_not_the_clerk_s(app, users, login, monkeypatch):
    """An English-speaking clerk's invitation reached a Russian reader with its second sentence in English."""
    monkeypatch.setitem(app.config, "CASEFLOW_DEFAULT_LOCALE", "ru")  # the employee has no account: the default
    case = filed_by_office(users)
    office = login(users["office"])
    page = office.get(f"/cases/{case.id}?lang=en")
    assert office.post(f"/cases/{case.id}/invitation", data={"csrf_token": csrf_of(page.text)}).status_code == 303
    paragraphs = mailed("hans@example.org").context["paragraphs"]
    assert paragraphs[1] == "Создайте учётную запись в течение 48 часов, чтобы следить за ней:"
    assert paragraphs[0].startswith("Международный отдел")


def test_inviting_someone_with_an_account_links_them_at_once(users, make_user, login):
    case = filed_by_office(users, email="later@example.org")
    employee = make_user("applicant", email="later@example.org")  # made after the case was filed
    assert subject.invite(case.id, users["office"]) is True
    assert login(employee).get(f"/cases/{case.id}").status_code == 200
    assert mailed("later@example.org").context["link"].endswith(f"/cases/{case.id}")


def test_only_the_office_invites_and_a_case_without_address_cannot_be(users):
    own = create_case(catalog()[PERMIT], users["applicant"], sample_data(PERMIT))
    with pytest.raises(Forbidden, match="Only the international office"):
        subject.invite(own.id, users["applicant"])
    case = filed_by_office(users)
    db.session.rollback()
    db.session.execute(Case.__table__.update().where(Case.id == case.id).values(subject_email=None))
    db.session.commit()
    with pytest.raises(Conflict, match="no e-mail address"):
        subject.invite(case.id, users["office"])


def test_the_invitation_refusals_on_the_page_say_why(users, login):
    case = filed_by_office(users)
    applicant = login(users["applicant"])
    token = csrf_of(applicant.get("/").text)
    assert applicant.post(f"/cases/{case.id}/invitation", data={"csrf_token": token}).status_code == 404
    office = login(users["office"])
    assert office.post(f"/cases/{case.id}/invitation").status_code == 400  # no CSRF token
    subject.invite(case.id, users["office"])
    db.session.execute(Case.__table__.update().where(Case.id == case.id).values(subject_id=users["applicant"].id))
    db.session.commit()
    db.session.expire_all()
    page = office.get(f"/cases/{case.id}")
    assert "Invited Hans Lehrer to follow the case" in page.text and "Invite Hans" not in page.text
    refused = office.post(f"/cases/{case.id}/invitation", data={"csrf_token": csrf_of(page.text)})
    assert refused.status_code == 409 and "follows this case already" in refused.text


def test_the_queue_and_the_case_page_name_the_employee_and_who_filed_it(users, login):
    case = filed_by_office(users, full_name="Aiko Tanaka")
    filed_by_office(users, full_name="Hans Lehrer", passport_number="X1")
    office = login(users["office"])
    queue = office.get("/queue/work_permit/submitted").text.partition("<table")[2]
    assert "Aiko Tanaka" in queue and "Hans Lehrer" in queue and "Olga Office" not in queue
    assert "Foreign specialist" in queue
    page = office.get(f"/cases/{case.id}").text
    assert "Aiko Tanaka" in page and "Submitted by" in page and "Olga Office" in page


def test_the_office_s_form_does_not_prefill_the_clerk_s_own_name(users, login):
    form = login(users["office"]).get("/apply/work_permit").text
    assert 'value="Olga Office"' not in form and f'value="{users["office"].email}"' not in form
    assert 'value="Asel Applicant"' in login(users["applicant"]).get("/apply/work_permit").text


def test_the_same_person_in_two_open_cases_is_pointed_out_on_both_never_refused(users, login):
    first = filed_by_office(users, passport_number="C01 X00-T47")
    second = filed_by_office(users, full_name="HANS  LEHRER", passport_number="N999")
    third = filed_by_office(users, full_name="Hans Lehrer", date_of_birth="1990-05-05", passport_number="Z1")
    office = login(users["office"])
    # The second has another passport but the same name (another spelling) and date of birth.
    assert [c.id for c in subject.same_person(catalog()[PERMIT], first)] == [second.id]
    for case, other in ((first, second), (second, first)):
        page = office.get(f"/cases/{case.id}").text
        assert "The same person may be in another open case" in page and other.reference in page
    assert "same person" not in office.get(f"/cases/{third.id}").text
    # Once the other case is closed, the warning goes.
    apply_transition(second.id, "withdraw", users["office"], second.version)
    assert "same person" not in office.get(f"/cases/{first.id}").text


def test_the_same_passport_in_another_case_is_pointed_out_in_the_api_for_staff_only(users, token, client):
    first = create_case(catalog()[PERMIT], users["applicant"], sample_data(PERMIT, passport_number="C01X00T47"))
    second = filed_by_office(users, full_name="Someone Else", passport_number="c01x00t47")
    staff = client.get(f"/api/v1/cases/{second.id}", headers=token(users["office"])).get_json()
    assert staff["same_person"] == [{"id": first.id, "reference": first.reference}]
    assert staff["subject"] == {"name": "Someone Else", "email": "hans@example.org", "has_account": False}
    own = client.get(f"/api/v1/cases/{first.id}", headers=token(users["applicant"])).get_json()
    assert own["same_person"] == [] and own["subject"]["has_account"] is True


def test_the_api_invites_and_refuses_an_applicant(users, token, client):
    case = filed_by_office(users)
    invited = client.post(f"/api/v1/cases/{case.id}/invitation", headers=token(users["admin"]))
    assert invited.status_code == 200 and invited.get_json()["subject"]["has_account"] is False
    assert mailed("hans@example.org").context["link"]
    again = client.post(f"/api/v1/cases/{case.id}/invitation", headers=token(users["admin"]))
    assert again.status_code == 200  # still no account: a new link, since the first may be lost
    own = create_case(catalog()[PERMIT], users["applicant"], sample_data(PERMIT))
    assert client.post(f"/api/v1/cases/{own.id}/invitation",
                       headers=token(users["applicant"])).status_code == 403




def test_the_migration_gives_the_cases_filed_before_their_subject(app, users):
    filed = filed_by_office(users, full_name="Aiko Tanaka", email="aiko@example.org")
    own = create_case(catalog()[PERMIT], users["applicant"], sample_data(PERMIT))
    db.session.remove()
    stamp(revision="0015")
    downgrade(revision="0014")  # the cases as they were: no subject columns
    upgrade(revision="0015")
    db.session.expire_all()
    rows = {case.id: case for case in db.session.scalars(select(Case))}
    assert (rows[filed.id].subject_name, rows[filed.id].subject_email, rows[filed.id].subject_id) == (
        "Aiko Tanaka", "aiko@example.org", None)
    assert rows[filed.id].subject_passport == "C01X00T47"
    assert rows[own.id].subject_id == users["applicant"].id
