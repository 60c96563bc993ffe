"""The documents on the case page: upload, refusals, serving, review, removal, the ZIP, the history."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from caseflow.documents.operations import Upload, review_document, upload_document
from caseflow.documents.samples import sample_image, sample_pdf
from caseflow.documents.storage import storage
from caseflow.extensions import db
from caseflow.models.cases import CaseEvent
from caseflow.models.documents import Document
from tests.web.web_helpers import csrf_from, error_beside, statements, text

PASSPORT = "Copy of the passport"


def upload(client, case, kind="passport", name="passport.pdf", content=None, token=True, query="", **extra):
    """Post a file to the case's upload form, with the page's CSRF token unless ``token`` is False."""
    data = {"kind": kind, **extra}
    if content is not False:
        data["file"] = FileStorage(io.BytesIO(sample_pdf("Passport") if content is None else content), name)
    if token:
        data["csrf_token"] = token_of(client)
    # Encoded in memory: the test client spools a large body to a temporary file it never closes.
    boundary, body = encode_multipart(MultiDict(data))
    return client.post(f"/cases/{case.id}/documents{query}", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def token_of(client) -> str:
    """Return the client's CSRF token, from the log-out form every page has."""
    return csrf_from(client.get("/", follow_redirects=True).get_data(as_text=True))


def post_form(client, url, **data):
    return client.post(url, data={**data, "csrf_token": token_of(client)})


def documents_stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Document))


def files_stored(app) -> list[Path]:
    return [p for p in Path(app.config["CASEFLOW_STORAGE_DIR"]).rglob("*") if p.is_file()]


def events(case, action: str) -> list[CaseEvent]:
    return list(db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                          CaseEvent.action == action)))


def passport_of(case) -> Document:
    db.session.expire_all()
    return db.session.scalar(select(Document).where(Document.case_id == case.id, Document.kind == "passport"))


def history_lines(response) -> list[str]:
    page = response.get_data(as_text=True)
    return [text_of(item) for item in re.findall(r"<li>(.*?)</li>", page.split('id="history-title"')[1], re.S)]


def text_of(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


# ------------------------------------------------------------------ uploads


@pytest.mark.parametrize(("name", "content", "file_type"), [
    ("passport.pdf", sample_pdf("Passport"), "pdf"),
    ("passport.jpg", sample_image("Passport", "jpeg"), "jpeg"),
    ("passport.png", sample_image("Passport", "png"), "png"),
])
def test_applicant_uploads_each_accepted_type_on_the_case_page(login, users, make_case, name, content, file_type):
    case = make_case("mobility", documents=False)
    client = login(users["applicant"])
    response = upload(client, case, name=name, content=content)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/cases/{case.id}#document-passport"
    page = text(client.get(response.headers["Location"]))
    assert f"Uploaded “{PASSPORT}”. The international office will check it." in page
    assert f"Uploaded, not reviewed yet {name}" in page
    document = passport_of(case)
    assert (document.file_type, document.file_name, document.status) == (file_type, name, "uploaded")


def test_office_uploads_what_arrived_on_paper(login, users, make_case):
    case = make_case("mobility", documents=False)
    assert upload(login(users["office"]), case).status_code == 303
    assert passport_of(case).uploaded_by == users["office"].id


OVERSIZED = sample_pdf("Big")[:-6] + b" " * (1024 * 1024) + b"%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200)  # a Windows program's first bytes


@pytest.mark.parametrize(("name", "content", "message"), [
    ("passport.pdf", EXECUTABLE, "not a PDF, JPEG or PNG, whatever its name says"),
    ("passport.pdf", sample_pdf("Passport")[:300], "This PDF is incomplete"),
    ("../passport.pdf", sample_pdf("Passport"), "may not contain folders"),
    ("passport.pdf", b"", "The file is empty."),
    ("passport.pdf", OVERSIZED, "at most 1 MB are accepted"),
    ("passport.png", sample_image("Passport", "png")[:200], "This image cannot be read"),
], ids=["renamed-executable", "truncated-pdf", "dot-dot-name", "empty", "oversized", "truncated-png"])
def test_refused_upload_says_why_beside_its_form_and_stores_nothing(app, login, users, make_case, name, content,
                                                                     message):
    app.config.update(CASEFLOW_MAX_UPLOAD_MB=1, MAX_CONTENT_LENGTH=2 * 1024 * 1024)
    case = make_case("mobility", documents=False)
    response = upload(login(users["applicant"]), case, name=name, content=content)
    assert response.status_code == 422
    assert message in error_beside(response, "document-passport-file")
    # Said at the top of the page too, where the eye is after sending.
    top = re.search(r'<div class="alert" role="alert">(.*?)</div>', response.get_data(as_text=True), re.S)
    assert top and "Nothing was uploaded." in top.group(1) and message in top.group(1)
    assert documents_stored() == 0 and files_stored(app) == []
    assert events(case, "document.uploaded") == []


def test_an_image_of_too_many_pixels_is_refused_in_the_reader_s_language_and_nothing_is_stored(app, login, users,
                                                                                              make_case):
    scan = io.BytesIO()
    Image.new("RGB", (6_500, 9_215)).save(scan, "PNG")  # 59.9 megapixels in 190 KB
    case = make_case("mobility", documents=False)
    response = upload(login(users["applicant"]), case, name="passport.png", content=scan.getvalue(), query="?lang=ru")
    assert response.status_code == 422
    assert error_beside(response, "document-passport-file") == "Ошибка: " + (
        "Размер этого изображения — 59,9 Мп (6 500 × 9 215 пикселей); принимаются изображения не больше 40 Мп. "
        "Отсканируйте его с меньшим разрешением (для документа достаточно 300 dpi) и загрузите снова.")
    assert documents_stored() == 0 and files_stored(app) == []
    assert events(case, "document.uploaded") == []


@pytest.mark.parametrize(("post", "status", "message"), [
    ({"content": b"%PDF-1.4\n" + bytes(3 * 1024 * 1024)}, 413, "at most 1 MB"),
    ({"kind": "diploma"}, 422, "Choose one of the documents this application asks for."),
    ({"token": False}, 400, "The form expired or was sent from elsewhere"),
], ids=["request-over-the-limit", "unknown-kind", "no-csrf-token"])
def test_a_refused_upload_request_says_why_and_stores_nothing(app, login, users, make_case, post, status, message):
    app.config.update(CASEFLOW_MAX_UPLOAD_MB=1, MAX_CONTENT_LENGTH=2 * 1024 * 1024)
    case = make_case("mobility", documents=False)
    response = upload(login(users["applicant"]), case, **post)
    assert response.status_code == status
    assert message in text(response)
    assert documents_stored() == 0 and files_stored(app) == []


def test_upload_without_a_file_asks_for_one(app, login, users, make_case):
    case = make_case("mobility", documents=False)
    response = upload(login(users["applicant"]), case, content=False)
    assert response.status_code == 422
    assert "Choose a file to upload." in error_beside(response, "document-passport-file")
    assert documents_stored() == 0


def test_an_accepted_document_cannot_be_replaced(login, users, make_case):
    case = make_case("mobility", documents=False)
    document = upload_document(case.id, Upload("passport", "p.pdf", sample_pdf("P")), users["applicant"])
    review_document(document.id, "accepted", "", users["office"])
    client = login(users["applicant"])
    assert 'id="document-passport-file"' not in client.get(f"/cases/{case.id}").get_data(as_text=True)
    response = upload(client, case)
    assert response.status_code == 409
    assert "was accepted already" in text(response)
    assert passport_of(case).file_name == "p.pdf"


def test_a_closed_case_offers_no_upload_and_refuses_one(login, users, make_case):
    case = make_case("mobility", state="withdrawn", documents=False)
    client = login(users["applicant"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    # Nothing more is asked of a closed case: no upload, and no document listed as missing.
    assert 'type="file"' not in page and "Missing" not in text(client.get(f"/cases/{case.id}"))
    response = upload(client, case)
    assert response.status_code == 409 and "This case is closed" in text(response)
    assert documents_stored() == 0


# ------------------------------------------------------------- who sees what


@pytest.mark.parametrize("outsider", ["other_applicant", "other_screener"])
def test_others_get_404_on_the_document_and_on_the_upload(app, login, users, make_case, outsider):
    case = make_case("mobility")  # an IT case with its passport
    document = passport_of(case)
    client = login(users[outsider])
    for url in (f"/documents/{document.id}", f"/documents/{document.id}?download=1"):
        assert client.get(url).status_code == 404
    assert upload(client, case).status_code == 404
    assert post_form(client, f"/documents/{document.id}/review", decision="accepted").status_code == 404
    assert post_form(client, f"/documents/{document.id}/delete").status_code == 404
    assert client.get(f"/cases/{case.id}/documents.zip").status_code == 404
    assert passport_of(case).status == "uploaded"


def test_the_faculty_screener_sees_the_document_but_uploads_nothing(login, users, make_case):
    case = make_case("mobility")
    client = login(users["screener"])
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/documents/{passport_of(case).id}"' in page and 'type="file"' not in page
    assert client.get(f"/documents/{passport_of(case).id}").status_code == 200
    response = upload(client, case)
    assert response.status_code == 403
    assert "Only the applicant and the international office upload documents." in text(response)


@pytest.mark.parametrize("url", ["/documents/999999", "/documents/0", "/documents/2147483648",
                                 "/documents/abc"])
def test_unknown_document_is_404(login, users, url):
    assert login(users["office"]).get(url).status_code == 404


# ------------------------------------------------------------------ serving


def test_a_document_is_served_inline_with_its_detected_type_and_safe_headers(login, users, make_case):
    case = make_case("mobility", documents=False)
    png = sample_image("Passport", "png")
    upload_document(case.id, Upload("passport", "my secret scan.pdf", png), users["applicant"])
    document = passport_of(case)
    client = login(users["office"])
    response = client.get(f"/documents/{document.id}")
    assert response.status_code == 200
    assert response.mimetype == "image/png"  # from the content, not the name ".pdf"
    assert response.data == storage().read(document.storage_key, document.sha256)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"] == f'inline; filename="{case.reference}-passport.png"'
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy

    download = client.get(f"/documents/{document.id}?download=1")
    assert download.headers["Content-Disposition"] == f'attachment; filename="{case.reference}-passport.png"'
    assert "secret" not in download.headers["Content-Disposition"]


def test_a_pdf_is_served_as_a_pdf_with_a_policy_the_pdf_viewer_can_live_with(login, users, make_case):
    case = make_case("mobility")
    response = login(users["applicant"]).get(f"/documents/{passport_of(case).id}")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "object-src 'self'" in policy and "script-src" not in policy
    assert policy.startswith("sandbox;")  # and Chromium's viewer still draws it (tests/e2e)


def test_a_staff_view_writes_one_history_line_and_the_applicants_none(login, users, make_case):
    case = make_case("mobility")
    document = passport_of(case)
    assert login(users["applicant"]).get(f"/documents/{document.id}").status_code == 200
    assert events(case, "document.viewed") == []
    office = login(users["office"])
    for _ in range(3):  # a PDF viewer fetches a file more than once
        assert office.get(f"/documents/{document.id}").status_code == 200
    assert office.get(f"/documents/{document.id}?download=1").status_code == 200
    assert len(events(case, "document.viewed")) == 1
    lines = history_lines(office.get(f"/cases/{case.id}"))
    viewed = [line for line in lines if f"Viewed “{PASSPORT}”" in line]
    assert len(viewed) == 1 and "Olga Office" in viewed[0] and "from “" not in viewed[0]


# ------------------------------------------------------------------ reviews


def test_office_rejects_with_a_reason_the_applicant_reads_then_accepts_the_new_file(login, users, make_case):
    case = make_case("mobility")
    office, applicant = login(users["office"]), login(users["applicant"])
    document = passport_of(case)
    response = post_form(office, f"/documents/{document.id}/review", decision="rejected",
                         reason="The photo page is cut off.")
    assert response.status_code == 303
    assert f"Rejected “{PASSPORT}”. The applicant is asked for a new file." in text(office.get(
        response.headers["Location"]))

    page = applicant.get(f"/cases/{case.id}")
    rejected = re.search(r'<div class="alert document-rejected"[^>]*>(.*?)</div>', page.get_data(as_text=True), re.S)
    assert rejected and "The photo page is cut off." in text_of(rejected.group(1))
    assert f"New file for “{PASSPORT}”" in text(page)
    rejection = [line for line in history_lines(page) if f"Rejected “{PASSPORT}”" in line]
    assert len(rejection) == 1 and "The photo page is cut off." in rejection[0] and "from “" not in rejection[0]
    # The office's summary names the document the guard waits for.
    assert f"Rejected, to be replaced before this stage can end: {PASSPORT}." in text(office.get(f"/cases/{case.id}"))

    assert upload(applicant, case, name="better.png", content=sample_image("Passport", "png")).status_code == 303
    assert any(f"Uploaded a new file for “{PASSPORT}”" in line for line in history_lines(
        applicant.get(f"/cases/{case.id}")))
    assert post_form(office, f"/documents/{document.id}/review", decision="accepted").status_code == 303
    assert passport_of(case).status == "accepted"
    page = text(applicant.get(f"/cases/{case.id}"))
    assert "Accepted better.png" in page and "The photo page is cut off." in page  # the reason stays in the history


@pytest.mark.parametrize(("reason", "message"), [
    ("   ", "Say why the document is rejected"),
    ("The photo page\x00 is cut off.", "Remove the invisible control characters"),
    ("The photo page \u202eis cut off.", "Remove the invisible control characters"),
], ids=["blank", "nul", "right-to-left-override"])
def test_rejection_without_a_readable_reason_is_refused_beside_the_reason_field(login, users, make_case, reason,
                                                                                  message):
    case = make_case("mobility")
    document = passport_of(case)
    response = post_form(login(users["office"]), f"/documents/{document.id}/review", decision="rejected",
                         reason=reason)
    assert response.status_code == 422
    assert message in error_beside(response, "document-passport-reason")
    assert passport_of(case).status == "uploaded"


def test_an_unknown_decision_is_refused(login, users, make_case):
    case = make_case("mobility")
    response = post_form(login(users["office"]), f"/documents/{passport_of(case).id}/review", decision="maybe")
    assert response.status_code == 422
    assert "Accept or reject the document." in text(response)


@pytest.mark.parametrize("who", ["applicant", "screener"])
def test_only_the_office_reviews(login, users, make_case, who):
    case = make_case("mobility")
    client = login(users[who])
    assert "Accept" not in [b.strip() for b in re.findall(r"<button[^>]*>([^<]*)<", client.get(
        f"/cases/{case.id}").get_data(as_text=True))]
    response = post_form(client, f"/documents/{passport_of(case).id}/review", decision="accepted")
    assert response.status_code == 403
    assert "Only the international office accepts or rejects documents." in text(response)
    assert passport_of(case).status == "uploaded"


def test_review_without_the_csrf_token_is_refused(login, users, make_case):
    case = make_case("mobility")
    response = login(users["office"]).post(f"/documents/{passport_of(case).id}/review", data={"decision": "accepted"})
    assert response.status_code == 400
    assert passport_of(case).status == "uploaded"


# ----------------------------------------------------------------- removal


def test_applicant_removes_their_document_and_the_history_keeps_a_line(app, login, users, make_case):
    case = make_case("mobility")
    client = login(users["applicant"])
    response = post_form(client, f"/documents/{passport_of(case).id}/delete")
    assert response.status_code == 303
    assert passport_of(case) is None and files_stored(app) == []
    page = client.get(f"/cases/{case.id}")
    assert f"Removed “{PASSPORT}”." in text(page)
    assert any(f"Removed “{PASSPORT}”" in line for line in history_lines(page))
    assert 'id="document-passport-file"' in page.get_data(as_text=True)


def test_applicant_may_not_remove_an_accepted_document_but_the_office_may(login, users, make_case):
    case = make_case("mobility")
    document = passport_of(case)
    review_document(document.id, "accepted", "", users["office"])
    applicant = login(users["applicant"])
    assert f'action="/documents/{document.id}/delete"' not in applicant.get(f"/cases/{case.id}").get_data(as_text=True)
    response = post_form(applicant, f"/documents/{document.id}/delete")
    assert response.status_code == 409
    assert "only the international office can remove it now" in text(response)
    assert post_form(login(users["office"]), f"/documents/{document.id}/delete").status_code == 303
    assert passport_of(case) is None


def test_the_screener_may_not_remove(login, users, make_case):
    case = make_case("mobility")
    response = post_form(login(users["screener"]), f"/documents/{passport_of(case).id}/delete")
    assert response.status_code == 403
    assert passport_of(case) is not None


# --------------------------------------------------------------------- ZIP


def test_office_downloads_all_documents_as_one_zip(login, users, make_case):
    case = make_case("admission", visa_support="yes", documents=False)
    contents = {
        "passport": sample_pdf("Passport"),
        "transcript": sample_pdf("Transcript"),
        "visa_support_request": sample_pdf("Visa"),
    }
    for kind, content in contents.items():
        upload_document(case.id, Upload(kind, f"{kind} by me.pdf", content), users["applicant"])
    office = login(users["office"])
    assert "Download all (ZIP)" in text(office.get(f"/cases/{case.id}"))
    with office.get(f"/cases/{case.id}/documents.zip") as response:  # closing it closes the spooled file
        assert response.status_code == 200
        assert response.mimetype == "application/zip"
        assert response.headers["Content-Disposition"] == f"attachment; filename={case.reference}-documents.zip"
        assert response.headers["Cache-Control"] == "private, no-store"
        body = response.data
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == {
            f"{case.reference}-{kind}.pdf": content for kind, content in contents.items()}
    assert any("Downloaded all documents" in line for line in history_lines(office.get(f"/cases/{case.id}")))


@pytest.mark.parametrize("who", ["applicant", "screener"])
def test_only_the_office_downloads_the_zip(login, users, make_case, who):
    case = make_case("mobility")
    client = login(users[who])
    assert "Download all (ZIP)" not in text(client.get(f"/cases/{case.id}"))
    response = client.get(f"/cases/{case.id}/documents.zip")
    assert response.status_code == 403
    assert "Only the international office downloads all documents" in text(response)


def test_zip_of_a_case_without_documents_says_so(login, users, make_case):
    case = make_case("mobility", documents=False)
    response = login(users["office"]).get(f"/cases/{case.id}/documents.zip")
    assert response.status_code == 409 and "This case has no documents yet." in text(response)


# ---------------------------------------------------------------- the page


def test_the_page_shows_each_entry_with_its_status_and_the_summary_of_what_is_missing(login, users, make_case):
    case = make_case("admission", state="document_check", documents=False)
    upload_document(case.id, Upload("passport", "pass.pdf", sample_pdf("P")), users["applicant"])
    office = text(login(users["office"]).get(f"/cases/{case.id}"))
    assert ("Missing before this stage can end: Application of a foreign citizen (application form); Scanned "
            "copy of the document on education (certificate, bachelor's or master's degree); Scanned copy of the "
            "transcript.") in office
    applicant = text(login(users["applicant"]).get(f"/cases/{case.id}"))
    assert "Scanned copy of the passport (required)" in applicant
    assert "Uploaded, not reviewed yet pass.pdf" in applicant
    assert applicant.count("Missing") >= 3
    assert "Upload each document as a PDF, JPEG or PNG file of at most 10 MB." in applicant


def test_no_summary_while_the_stage_needs_no_document(login, users, make_case):
    case = make_case("admission", documents=False)  # submitted: the documents are due at the document check
    assert "before this stage can end" not in text(login(users["office"]).get(f"/cases/{case.id}"))


def test_case_page_statements_do_not_grow_with_its_documents(login, users, make_case, make_user):
    few = make_case("admission", documents=False)
    person = make_user()
    many = make_case("admission", applicant=person, visa_support="yes", documents=False)
    for kind in ("application_form", "passport", "education_document", "transcript", "visa_support_request"):
        upload_document(many.id, Upload(kind, f"{kind}.pdf", sample_pdf(kind)), person)
    review_document(passport_of(many).id, "rejected", "Unreadable.", users["office"])
    client = login(users["office"])
    counts = []
    for case in (few, many):
        client.get(f"/cases/{case.id}")
        with statements() as seen:
            assert client.get(f"/cases/{case.id}").status_code == 200
        counts.append(len(seen))
    assert counts[0] == counts[1]


def test_an_upload_of_an_unknown_kind_without_a_file_still_says_why(login, users, make_case):
    case = make_case("mobility", documents=False)
    response = upload(login(users["applicant"]), case, kind="diploma", content=False)
    assert response.status_code == 422
    assert "Nothing was uploaded. Choose a file to upload." in text(response)


def test_a_refused_review_of_a_rejected_document_is_shown_though_its_form_is_not(login, users, make_case):
    case = make_case("mobility")
    review_document(passport_of(case).id, "rejected", "Unreadable.", users["office"])
    response = post_form(login(users["office"]), f"/documents/{passport_of(case).id}/review", decision="rejected")
    assert response.status_code == 422
    assert "Say why the document is rejected" in text(response)
