"""An Erasmus+ application taken from sign-up to "Accepted" in a real Chromium.

The applicant signs up and applies; the office, the faculty screener and the
office again act on the case page in their own browser sessions; the
applicant follows the status page.  Labels are read from the workflow file,
so the test clicks exactly what a person sees.
"""

from __future__ import annotations

import re
from datetime import date

from caseflow.accounts.operations import find_user
from caseflow.catalog import catalog
from tests.conftest import PASSWORD
from tests.documents_helpers import supply_documents_of
from tests.notify_helpers import mailed_link

APPLICANT_PASSWORD = "a-long-enough-password"


def log_in(page, email, password=PASSWORD):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def act(page, case_url, label, comment=None):
    """Press the action button ``label`` on the case page, with a comment if given."""
    page.goto(case_url)
    if comment is not None:
        page.get_by_label(re.compile(f"Comment on “{re.escape(label)}”")).fill(comment)
    page.get_by_role("button", name=label, exact=True).click()
    done = next(t.done for t in catalog()["mobility"].transitions if t.label == label)
    page.get_by_text(f"{done}. The case is now").wait_for()


def fill_application(page, **values):
    workflow = catalog()["mobility"]
    for name, value in values.items():
        field = workflow.field(name)
        control = page.get_by_label(str(field.label), exact=False).first
        if field.type in ("choice", "faculty", "partner", "country"):
            control.select_option(label=value)
        else:
            control.fill(str(value))


GOOD = {
    "phone": "+996 555 123 456",
    "faculty": "Faculty of Information Technology",
    "department": "Computer Science",
    "specialty": "Software Engineering",
    "specialty_kind": "Technical",
    "level": "Bachelor",
    "enrolled_in": date.today().year - 3,
    "study_year": 3,
    "group": "PI-1-22",
    "gpa": "4.6",
    "language": "German",
    "language_level": "B2",
    "partner": "TH Wildau (Germany)",
    "country": "Germany",
}


def test_application_goes_from_sign_up_to_accepted(new_page, make_user, make_call):
    make_call(name="Erasmus+ 2027")
    office = make_user("office_staff", email="office@example.org")
    screener = make_user("faculty_screener", "IT", email="screener@example.org")

    applicant = new_page()
    applicant.goto("/signup")
    applicant.get_by_label("E-mail address").fill("aida@example.org")
    applicant.get_by_label("Full name").fill("Aida Applicant")
    applicant.get_by_role("button", name=re.compile("Sign up|Create", re.I)).click()
    applicant.get_by_text("We sent a message to aida@example.org").wait_for()
    applicant.goto(mailed_link("aida@example.org"))  # the link in the mail
    applicant.get_by_label("New password", exact=True).fill(APPLICANT_PASSWORD)
    applicant.get_by_label("New password again").fill(APPLICANT_PASSWORD)
    applicant.get_by_role("button", name="Save the password").click()
    applicant.get_by_text("Your account is ready. Welcome, Aida Applicant.").wait_for()

    applicant.goto("/")
    applicant.get_by_role("link", name=re.compile("Apply.*Erasmus\\+ 2027")).click()
    assert applicant.get_by_label("Full name").input_value() == "Aida Applicant"  # prefilled from the account
    fill_application(applicant, **GOOD)
    applicant.get_by_role("button", name=re.compile("Submit|Send|Apply", re.I)).click()
    applicant.get_by_text(re.compile(r"Its reference is MOB-\d{4}-\d{5}")).wait_for()
    case_url = applicant.url
    current = applicant.locator("[aria-current=step]")
    assert "Submitted" in current.inner_text()
    # The applicant's passport (uploading on the page has its own browser test).
    supply_documents_of(int(case_url.rsplit("/", 1)[1]), find_user("aida@example.org"))

    staff = new_page()
    log_in(staff, office.email)
    act(staff, case_url, "Send to faculty screening")

    faculty = new_page()
    log_in(faculty, screener.email)
    faculty.goto(case_url)
    assert faculty.get_by_role("button", name="Send to faculty screening").count() == 0
    act(faculty, case_url, "Pass faculty screening", comment="Strong study plan.")

    act(staff, case_url, "Pass interview and nominate to the partner")
    act(staff, case_url, "Record: partner accepts")

    applicant.reload()
    assert "Accepted" in applicant.locator("[aria-current=step]").inner_text()
    history = applicant.locator("ol.history > li")
    assert history.count() == 6  # submitted, the passport, four steps
    assert "Strong study plan." in history.nth(3).inner_text()
    # The applicant has nothing left to do on a closed case.
    assert applicant.get_by_role("button", name="Withdraw my application").count() == 0


def test_ineligible_application_is_refused_with_every_reason_in_the_browser(new_page, make_user, make_call):
    make_call(name="Erasmus+ 2027")
    make_user("applicant", email="low@example.org")
    page = new_page()
    log_in(page, "low@example.org")
    page.goto("/")
    page.get_by_role("link", name=re.compile("Apply.*Erasmus\\+ 2027")).click()
    fill_application(page, **{**GOOD, "enrolled_in": date.today().year, "gpa": "4.4", "language_level": "B1"})
    page.get_by_role("button", name=re.compile("Submit|Send|Apply", re.I)).click()
    alert = page.get_by_role("alert").first
    alert.wait_for()
    text = alert.inner_text()
    assert "2 years" in text and "4.5" in text and "B2" in text
    page.goto("/")
    assert page.get_by_text(re.compile(r"MOB-\d{4}-\d{5}")).count() == 0
