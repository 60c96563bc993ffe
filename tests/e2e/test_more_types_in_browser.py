"""Admission, work permits and staff mobility taken to their end in a real Chromium.

Each person acts in their own browser session on the pages they see: the
applicant fills in the type's form and follows the status page; the office
and the faculty press the buttons of the case page.  Labels are read from the
workflow files and answers from the demo's samples, so the tests press and
fill exactly what a person sees.
"""

from __future__ import annotations

import re

from caseflow.catalog import catalog
from caseflow.demo import sample_recorded
from tests.conftest import PASSWORD
from tests.documents_helpers import supply_documents_of
from tests.factories import sample_data


def log_in(page, email):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()


def staff_session(new_page, user):
    """Open a browser session for a staff member, logged in by posting the login form without drawing it.

    Only the staff's actions matter here (logging in on the page has its own
    tests), and a drawn login costs a second a person.
    """
    page = new_page()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.request.get("/login").text()).group(1)
    response = page.request.post("/login", form={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.ok and "Log out" in response.text(), response.status
    return page


def apply(page, case_type, link, on_behalf=False, **overrides):
    """Follow the link named ``link`` from the start page, fill in the form as a person would, send it.

    ``on_behalf``: a staff member files the case for someone, so the form's
    name and e-mail (prefilled from the account) are typed in too.
    """
    workflow = catalog()[case_type]
    page.goto("/")
    page.get_by_role("link", name=link, exact=True).click()
    data = sample_data(case_type, **overrides)
    for spec in workflow.form_fields:
        control = page.get_by_label(re.compile(rf"^{re.escape(str(spec.label))}( \(optional\))?$"))
        if spec.prefill and not on_behalf:  # the account's name and e-mail are there already
            assert control.input_value(), spec.name
        elif spec.type in ("choice", "faculty", "partner", "country"):
            control.select_option(value=data[spec.name])
        elif data.get(spec.name) is not None:
            control.fill(str(data[spec.name]))
    page.get_by_role("button", name=str(workflow.submit_label or "Submit application")).click()
    page.get_by_text(re.compile(rf"Its reference is {workflow.reference_prefix}-\d{{4}}-\d{{5}}")).wait_for()
    return page.url


def supply_documents(case_url, person):
    """Upload the person's checklist through the operation (uploading on the page has its own browser test)."""
    supply_documents_of(int(case_url.rsplit("/", 1)[1]), person)


def act(page, case_url, case_type, transition, comment=None):
    """Press the button of ``transition`` on the case page, after filling in what it records (the demo's
    values); return the state it says the case is in now."""
    workflow = catalog()[case_type]
    label = str(workflow.transition(transition).label)
    page.goto(case_url)
    for name, value in sample_recorded(workflow, transition).items():
        page.get_by_label(str(workflow.field(name).label), exact=True).fill(value)
    if comment is not None:
        page.get_by_label(re.compile(f"Comment on “{re.escape(label)}”")).fill(comment)
    page.get_by_role("button", name=label, exact=True).click()
    done = page.get_by_text(f"{workflow.transition(transition).done}. The case is now")
    done.wait_for()
    return re.search(r"The case is now “(.*)”", done.inner_text()).group(1)


def current_step(page):
    return page.locator("[aria-current=step]").inner_text()


def test_admission_goes_from_the_form_to_enrolled(new_page, make_user, make_call):
    make_call("admission", name="Admission 2027/28")
    labels = {s.name: str(s.label) for s in catalog()["admission"].states}
    person = make_user("applicant", email="li.wei@example.org", name="Li Wei")
    office = staff_session(new_page, make_user("office_staff"))
    faculty = staff_session(new_page, make_user("faculty_screener", "IT"))  # the faculty the sample chooses

    applicant = new_page()
    log_in(applicant, person.email)
    case_url = apply(applicant, "admission", "Apply — Admission 2027/28", level="master", visa_support="no")
    assert labels["submitted"] in current_step(applicant)
    supply_documents(case_url, person)

    assert act(office, case_url, "admission", "start_document_check") == labels["document_check"]
    assert act(office, case_url, "admission", "documents_complete") == labels["faculty_review"]
    faculty.goto(case_url)
    assert faculty.get_by_role("button", name="Enrol").count() == 0
    assert act(faculty, case_url, "admission", "make_offer", comment="Strong mathematics.") == labels["offer"]
    # The applicant accepts the offer; without a visa request the engine makes the case ready to enrol.
    assert act(applicant, case_url, "admission", "accept_offer") == labels["ready"]
    assert act(office, case_url, "admission", "enrol") == labels["enrolled"]

    applicant.reload()
    assert labels["enrolled"] in current_step(applicant)
    assert "This case is closed." in applicant.locator("main").inner_text()
    history = applicant.locator("ol.history").inner_text()
    assert "Strong mathematics." in history and "The system" in history  # the engine's routing step
    assert applicant.get_by_role("button").filter(has_text="Withdraw").count() == 0


def test_work_permit_is_issued_and_an_exempt_one_closes_with_its_ground(new_page, make_user):
    workflow = catalog()["work_permit"]
    labels = {s.name: str(s.label) for s in workflow.states}
    office = staff_session(new_page, make_user("office_staff"))

    employee = new_page()
    hans = make_user("applicant", email="hans@example.org", name="Hans Lehrer")
    log_in(employee, hans.email)
    case_url = apply(employee, "work_permit", f"Apply — {workflow.label}", nationality="KZ")
    supply_documents(case_url, hans)
    assert "State duty 1,000 som" in " ".join(employee.locator("dl.data").inner_text().split())
    for transition, state in [("start_document_check", "document_check"),
                              ("send_to_migration_service", "at_migration_service"),
                              ("record_issued", "issued")]:
        assert act(office, case_url, "work_permit", transition) == labels[state]
    employee.reload()
    assert labels["issued"] in current_step(employee)
    assert employee.get_by_role("link", name=re.compile("^Renew")).count() == 1  # issued for a year, renewable

    # The office files a permit for an accredited journalist: the engine closes it at once, with the ground.
    apply(office, "work_permit", f"New case: {workflow.label}", on_behalf=True,
          full_name="Anna Reporter", email="anna@example.org", exemption="journalist")
    assert labels["exempt"] in current_step(office)
    history = office.locator("ol.history > li")
    assert history.count() == 2
    ground = str(workflow.field("exemption").choice_label("journalist"))
    assert "The system" in history.nth(1).inner_text() and ground in history.nth(1).inner_text()
    assert office.get_by_role("button").filter(has_text="Withdraw").count() == 0


def test_staff_mobility_is_nominated_and_accepted_by_the_partner(new_page, make_user, make_call):
    make_call("staff_mobility", name="Erasmus+ staff mobility 2027")
    labels = {s.name: str(s.label) for s in catalog()["staff_mobility"].states}
    office = staff_session(new_page, make_user("office_staff"))
    faculty = staff_session(new_page, make_user("faculty_screener", "EN"))  # the sample teacher's faculty

    teacher = new_page()
    log_in(teacher, make_user("applicant", email="timur@example.org", name="Timur Teacher").email)
    case_url = apply(teacher, "staff_mobility", "Apply — Erasmus+ staff mobility 2027")

    assert act(office, case_url, "staff_mobility", "send_to_faculty") == labels["faculty_screening"]
    assert act(faculty, case_url, "staff_mobility", "pass_screening") == labels["office_interview"]
    assert act(office, case_url, "staff_mobility", "nominate") == labels["partner_nomination"]
    teacher.reload()
    assert labels["partner_nomination"] in current_step(teacher)
    assert act(office, case_url, "staff_mobility", "partner_accepts") == labels["accepted"]

    teacher.reload()
    assert labels["accepted"] in current_step(teacher)
    assert teacher.locator("ol.history > li").count() == 5
