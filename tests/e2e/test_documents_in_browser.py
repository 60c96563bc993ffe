"""Issue 5's journey in a real Chromium: an applicant uploads the checklist's documents for a mobility
and an admission case, the office rejects one with a reason, the applicant reads it and replaces the
file, the office accepts, and the case moves on.

Files are chosen in the page's file inputs (``set_input_files``) from the demo's generated samples.
"""

from __future__ import annotations

import re

from caseflow.catalog import catalog
from caseflow.documents.samples import sample_for
from tests.e2e.test_more_types_in_browser import act, apply, log_in, staff_session
from tests.factories import sample_data

MEDIA = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def upload(page, case_url, spec, replace=False):
    """Choose a sample file for the checklist entry ``spec`` in its form and send it."""
    page.goto(case_url)
    name, content = sample_for(spec.accept, spec.label.split(" (")[0][:40])
    row = page.locator(f"#document-{spec.kind}")
    label = f"New file for “{spec.label}”" if replace else f"File for “{spec.label}”"
    row.get_by_label(label, exact=True).set_input_files(
        {"name": name, "mimeType": MEDIA[name.rsplit(".", 1)[1]], "buffer": content})
    row.get_by_role("button", name="Replace" if replace else "Upload").click()
    page.get_by_text(f"Uploaded “{spec.label}”. The international office will check it.").wait_for()
    return name


def status_of(page, kind):
    return page.locator(f"#document-{kind} .document-status .badge").inner_text()


def accept_all(page, case_url, kinds):
    page.goto(case_url)
    for kind in kinds:
        page.locator(f"#document-{kind}").get_by_role("button", name="Accept").click()
        page.locator(".flash.success", has_text="Accepted “").wait_for()
        assert status_of(page, kind) == "Accepted"


def pdf_viewer_shows(page):
    """Return the page count Chromium's PDF viewer shows for the PDF open in ``page``."""
    for _ in range(50):
        viewer = next((f for f in page.frames if f.url.startswith("chrome-extension://")), None)
        if viewer is not None:
            pages = viewer.evaluate("""() => {
                const v = document.querySelector('pdf-viewer');
                const bar = v && v.shadowRoot && v.shadowRoot.querySelector('viewer-toolbar');
                const selector = bar && bar.shadowRoot && bar.shadowRoot.querySelector('viewer-page-selector');
                return selector ? selector.docLength : 0;
            }""")
            if pages:
                return pages
        page.wait_for_timeout(100)
    return 0


def test_applicant_uploads_office_rejects_one_applicant_replaces_it_and_the_cases_move_on(
        new_page, make_user, make_call):
    make_call("mobility", name="Erasmus+ 2027/28")
    make_call("admission", name="Admission 2027/28")
    mobility, admission = catalog()["mobility"], catalog()["admission"]
    person = make_user("applicant", email="aida@example.org", name="Aida Student")
    office = staff_session(new_page, make_user("office_staff", name="Olga Office"))

    applicant = new_page()
    log_in(applicant, person.email)
    mobility_url = apply(applicant, "mobility", "Apply — Erasmus+ 2027/28")
    admission_url = apply(applicant, "admission", "Apply — Admission 2027/28", visa_support="no")
    assert "Missing" in status_of(applicant, "passport")

    mobility_docs = [d for d in mobility.documents_for(sample_data("mobility")) if d.required]
    admission_docs = [d for d in admission.documents_for(sample_data("admission", visa_support="no")) if d.required]
    for spec in mobility_docs:
        upload(applicant, mobility_url, spec)
    for spec in admission_docs:
        upload(applicant, admission_url, spec)
    assert status_of(applicant, admission_docs[-1].kind) == "Uploaded, not reviewed yet"

    # The office opens the passport in a new tab: Chromium's own PDF viewer shows it.
    office.goto(mobility_url)
    with office.context.expect_page() as opened:
        office.locator("#document-passport").get_by_role("link", name=re.compile("^View")).click()
    assert pdf_viewer_shows(opened.value) == 1
    opened.value.close()

    # ... finds it unreadable and rejects it, with the reason.
    office.goto(mobility_url)
    office.get_by_label("Why is “Copy of the passport” rejected?").fill("The photo page is cut off.")
    office.locator("#document-passport").get_by_role("button", name="Reject").click()
    office.get_by_text("Rejected “Copy of the passport”. The applicant is asked for a new file.").wait_for()
    office.get_by_role("button", name=str(mobility.transition("send_to_faculty").label), exact=True).click()
    office.get_by_text("Documents rejected and not yet replaced: Copy of the passport.").wait_for()

    # The applicant reads why on the status page and replaces the file.
    applicant.goto(mobility_url)
    assert "The photo page is cut off." in applicant.locator("#document-passport .document-rejected").inner_text()
    assert status_of(applicant, "passport") == "Rejected"
    upload(applicant, mobility_url, mobility.document("passport"), replace=True)
    assert status_of(applicant, "passport") == "Uploaded, not reviewed yet"

    # The office accepts and the case moves on.
    accept_all(office, mobility_url, ["passport"])
    assert act(office, mobility_url, "mobility", "send_to_faculty") == mobility.state("faculty_screening").label

    assert act(office, admission_url, "admission", "start_document_check") == admission.state(
        "document_check").label
    accept_all(office, admission_url, [d.kind for d in admission_docs])
    assert act(office, admission_url, "admission", "documents_complete") == admission.state("faculty_review").label

    applicant.goto(mobility_url)
    history = applicant.locator("ol.history").inner_text()
    for line in ("Uploaded “Copy of the passport”", "Viewed “Copy of the passport”",
                 "Rejected “Copy of the passport”", "Uploaded a new file for “Copy of the passport”",
                 "Accepted “Copy of the passport”", "The photo page is cut off."):
        assert line in history, line
    assert applicant.locator("#document-passport input[type=file]").count() == 0  # accepted: no replacing
