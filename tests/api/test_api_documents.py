"""A case's documents through the API: upload, list, read, review, remove, the ZIP, and storage."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from api_helpers import ApiClient, assert_error, csrf_token_for, selects_to_get
from jsonschema import Draft202012Validator
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from caseflow import limits
from caseflow.cases.queries import case_history
from caseflow.documents.samples import sample_image, sample_pdf
from caseflow.extensions import db
from caseflow.models.documents import Document, StoredFile
from tests.documents_helpers import supply_documents

PDF = sample_pdf("Passport")


@pytest.fixture
def case(make_case):
    """A mobility application without documents yet (its checklist asks for the passport)."""
    return make_case("mobility", documents=False)


def upload(api: ApiClient, case_id: int, content: bytes = PDF, name: str = "my passport.pdf",
           kind: str = "passport", **kwargs):
    # Encoded in memory: the test client spools a large body to a temporary file it never closes.
    boundary, body = encode_multipart({"kind": kind, "file": FileStorage(io.BytesIO(content), name)})
    return api.post(f"/cases/{case_id}/documents", data=body, content_type=f"multipart/form-data; boundary={boundary}",
                    **kwargs)


def uploaded(api: ApiClient, case_id: int, content: bytes = PDF, name: str = "my passport.pdf") -> dict:
    response = upload(api, case_id, content, name)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def stored_files(app) -> list[Path]:
    root = Path(app.config["CASEFLOW_STORAGE_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_stored(app) -> None:
    db.session.rollback()  # see what is committed
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0
    assert stored_files(app) == []


@pytest.mark.parametrize(("content", "name", "file_type"), [
    (PDF, "passport.pdf", "pdf"),
    (sample_image("Passport", "jpeg"), "passport.jpg", "jpeg"),
    (sample_image("Passport", "png"), "passport.png", "png"),
])
def test_applicant_uploads_each_accepted_type_and_the_case_lists_it(as_user, case, content, name, file_type):
    applicant = as_user("applicant")
    response = upload(applicant, case.id, content, name)
    assert response.status_code == 201, response.get_json()
    document = response.get_json()
    assert response.headers["Location"] == f"/api/v1/documents/{document['id']}/content"
    assert document["content_url"] == f"/api/v1/documents/{document['id']}/content"
    assert (document["case"], document["kind"], document["label"]) == (case.id, "passport", "Copy of the passport")
    assert (document["status"], document["reason"], document["reviewed_at"]) == ("uploaded", "", None)
    assert (document["file_name"], document["file_type"]) == (name, file_type)
    assert document["uploaded_at"].endswith("Z")
    body = applicant.get(f"/cases/{case.id}").get_json()
    assert body["documents"] == [document]
    assert body["checklist"] == [{"kind": "passport", "label": "Copy of the passport", "required": True,
                                  "accept": ["pdf", "jpeg", "png"], "step": "submitted", "status": "uploaded",
                                  "document": document["id"]}]
    assert body["history"][-1]["action"] == "document.uploaded"


def test_checklist_says_missing_before_an_upload(as_user, case):
    body = as_user("screener").get(f"/cases/{case.id}").get_json()
    assert body["documents"] == []
    assert [(c["kind"], c["status"], c["document"]) for c in body["checklist"]] == [("passport", "missing", None)]


def test_case_page_reads_documents_in_one_query_however_many(as_user, make_case, users):
    office = as_user("office")
    without = make_case("admission", documents=False)
    full = make_case("admission", applicant=users["other_applicant"], documents=False)
    supply_documents(full, users["other_applicant"], required_only=False)
    assert len(office.get(f"/cases/{full.id}").get_json()["documents"]) >= 4
    assert selects_to_get(office, f"/cases/{without.id}") == selects_to_get(office, f"/cases/{full.id}")


@pytest.mark.parametrize(("content", "name", "kind", "field", "says"), [
    (b"\x7fELF\x02\x01\x01" + bytes(500), "passport.pdf", "passport", "file", "not a PDF, JPEG or PNG"),
    (PDF[:-300], "passport.pdf", "passport", "file", "incomplete"),
    (PDF, "../../passport.pdf", "passport", "file", "folders"),
    (b"", "passport.pdf", "passport", "file", "empty"),
    (PDF, "diploma.pdf", "diploma", "kind", "Choose one of the documents"),
])
def test_refused_upload_says_why_and_stores_nothing(app, as_user, case, content, name, kind, field, says):
    body = assert_error(upload(as_user("applicant"), case.id, content, name, kind), 422, field)
    assert says in body["error"]
    assert body["errors"][field] == [body["error"]]
    assert_nothing_stored(app)


@pytest.mark.parametrize(("data", "field", "says"), [
    ({"kind": "passport"}, "file", "Choose the file"),
    ({"kind": "passport", "file": (io.BytesIO(b""), "")}, "file", "Choose the file"),  # an empty file input
    ({"kind": "passport", "file": "not a file"}, "file", "Choose the file"),
    ({"file": (io.BytesIO(PDF), "passport.pdf")}, "kind", "which document"),
])
def test_upload_without_kind_or_file_is_refused(app, as_user, case, data, field, says):
    response = as_user("applicant").post(f"/cases/{case.id}/documents", data=data,
                                         content_type="multipart/form-data")
    body = assert_error(response, 422, field)
    assert says in body["error"]
    assert_nothing_stored(app)


def test_upload_without_anything_names_both_fields(as_user, case):
    response = as_user("applicant").post(f"/cases/{case.id}/documents", data={},
                                         content_type="multipart/form-data")
    assert_error(response, 422, "kind", "file")


def test_json_body_instead_of_multipart_is_refused(app, as_user, case):
    response = as_user("applicant").post(f"/cases/{case.id}/documents", {"kind": "passport", "file": "JVBERi0="})
    body = assert_error(response, 415)
    assert "multipart/form-data" in body["error"]
    assert_nothing_stored(app)


def test_file_over_the_upload_limit_is_refused_with_its_size(app, as_user, case):
    app.config.update(CASEFLOW_MAX_UPLOAD_MB=1, MAX_CONTENT_LENGTH=2 * 1024 * 1024)
    big = b"%PDF-1.4\n" + bytes(1536 * 1024)
    body = assert_error(upload(as_user("applicant"), case.id, big), 422, "file")
    assert "1.5 MB" in body["error"] and "at most 1 MB" in body["error"]
    assert_nothing_stored(app)


def test_a_pdf_that_runs_a_script_when_opened_is_refused_in_the_reader_s_language(app, as_user, case):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('hello')")})
    scripted = io.BytesIO()
    writer.write(scripted)
    response = upload(as_user("applicant"), case.id, scripted.getvalue(), headers={"Accept-Language": "ky"})
    body = assert_error(response, 422, "file")
    assert body["errors"]["file"] == [body["error"]] and body["error"].startswith(
        "Бул PDF файлда скрипттер жана өзүнөн-өзү аткарылуучу аракеттер бар. Скрипттери, өзүнөн-өзү аткарылуучу "
        "аракеттери же тиркелген файлдары бар PDF файлдар кабыл алынбайт: аны жаңы PDF файлга басып чыгарыңыз")
    assert_nothing_stored(app)


def test_request_over_the_server_limit_is_413_naming_the_limit(app, as_user, case):
    app.config.update(CASEFLOW_MAX_UPLOAD_MB=1, MAX_CONTENT_LENGTH=2 * 1024 * 1024)
    huge = b"%PDF-1.4\n" + bytes(3 * 1024 * 1024)
    body = assert_error(upload(as_user("applicant"), case.id, huge), 413)
    assert "at most 1 MB" in body["error"]
    assert_nothing_stored(app)


def test_413_of_a_page_is_still_an_html_page(app, client):
    response = client.post("/login", data={"email": "x" * (limits.REQUEST_BYTES + 1)})  # a form's limit: 1 MB
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert "at most 1 MB" in response.get_data(as_text=True)


def test_office_uploads_for_the_applicant_but_a_screener_may_not(app, as_user, case):
    assert_error(upload(as_user("screener"), case.id), 403)
    assert_nothing_stored(app)
    assert uploaded(as_user("office"), case.id)["status"] == "uploaded"


@pytest.mark.parametrize("role", ["other_applicant", "other_screener"])
def test_upload_to_an_invisible_case_is_404(app, as_user, case, role):
    assert_error(upload(as_user(role), case.id), 404)
    assert_error(upload(as_user("applicant"), 999_999), 404)
    assert_nothing_stored(app)


def test_upload_replaces_a_document_until_it_is_accepted(as_user, case):
    applicant, office = as_user("applicant"), as_user("office")
    first = uploaded(applicant, case.id)
    second = uploaded(applicant, case.id, sample_image("Passport", "png"), "scan.png")
    assert (second["id"], second["file_type"], second["file_name"]) == (first["id"], "png", "scan.png")
    assert office.put(f"/documents/{first['id']}/review", {"status": "accepted"}).status_code == 200
    body = assert_error(upload(applicant, case.id), 409)
    assert "accepted already" in body["error"]


def test_upload_to_a_closed_case_is_409(as_user, make_case):
    closed = make_case("mobility", state="withdrawn", documents=False)
    body = assert_error(upload(as_user("applicant"), closed.id), 409)
    assert "closed" in body["error"]


def test_document_json_and_content_with_their_headers(as_user, case):
    applicant = as_user("applicant")
    document = uploaded(applicant, case.id, name="Паспорт <script>.pdf")
    assert applicant.get(f"/documents/{document['id']}").get_json() == document
    response = applicant.get(document["content_url"].removeprefix("/api/v1"))
    assert response.status_code == 200
    assert response.data == PDF
    assert hashlib.sha256(response.data).hexdigest() == document["sha256"]
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{case.reference}-passport.pdf"'
    assert set(response.headers["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-store"}


def test_an_image_is_sent_as_stored_with_its_detected_type(as_user, case):
    applicant = as_user("applicant")
    # A JPEG named like a PNG is a JPEG.
    document = uploaded(applicant, case.id, sample_image("Passport", "jpeg"), "passport.png")
    response = applicant.get(f"/documents/{document['id']}/content")
    assert response.mimetype == "image/jpeg"
    assert response.headers["Content-Disposition"].endswith('-passport.jpg"')
    assert (len(response.data), hashlib.sha256(response.data).hexdigest()) == (document["size"], document["sha256"])


def test_a_staff_view_joins_the_history_and_the_applicants_own_does_not(as_user, case):
    applicant, screener = as_user("applicant"), as_user("screener")
    document = uploaded(applicant, case.id)
    applicant.get(f"/documents/{document['id']}/content")
    assert case_history(case.id)[-1].action == "document.uploaded"
    assert screener.get(f"/documents/{document['id']}/content").status_code == 200
    assert case_history(case.id)[-1].action == "document.viewed"


@pytest.mark.parametrize("role", ["other_applicant", "other_screener"])
def test_someone_elses_document_is_404_like_a_missing_one(as_user, case, role):
    document = uploaded(as_user("applicant"), case.id)
    outsider = as_user(role)
    missing = assert_error(outsider.get("/documents/999999"), 404)
    assert assert_error(outsider.get(f"/documents/{document['id']}"), 404) == missing
    assert assert_error(outsider.get(f"/documents/{document['id']}/content"), 404) == missing
    assert_error(outsider.put(f"/documents/{document['id']}/review", {"status": "accepted"}), 404)
    assert_error(outsider.open(f"/documents/{document['id']}", "DELETE"), 404)
    assert_error(outsider.get(f"/cases/{case.id}/documents.zip"), 404)


def test_office_accepts_and_rejects_with_a_reason(as_user, case):
    applicant, office = as_user("applicant"), as_user("office")
    document = uploaded(applicant, case.id)
    path = f"/documents/{document['id']}/review"
    assert_error(office.put(path, {"status": "rejected"}), 422, "reason")
    rejected = office.put(path, {"status": "rejected", "reason": "The scan is unreadable."}).get_json()
    assert (rejected["status"], rejected["reason"]) == ("rejected", "The scan is unreadable.")
    assert rejected["reviewed_at"].endswith("Z")
    assert "a new file" in assert_error(office.put(path, {"status": "accepted"}), 409)["error"]
    assert applicant.get(f"/cases/{case.id}").get_json()["checklist"][0]["status"] == "rejected"
    uploaded(applicant, case.id)
    accepted = office.put(path, {"status": "accepted", "reason": None}).get_json()
    assert (accepted["status"], accepted["reason"]) == ("accepted", "")
    assert_error(office.put(path, {"status": "accepted"}), 409)


@pytest.mark.parametrize(("role", "body", "status", "field"), [
    ("applicant", {"status": "accepted"}, 403, None),
    ("screener", {"status": "accepted"}, 403, None),
    ("office", {"status": "maybe"}, 422, "status"),
    ("office", {"reason": "Fine."}, 422, "status"),
    ("office", {"status": "rejected", "reason": 42}, 422, "reason"),
    ("office", {"status": "rejected", "reason": "x" * 2001}, 422, "reason"),
    ("office", [], 422, None),
])
def test_review_refusals(as_user, case, role, body, status, field):
    document = uploaded(as_user("applicant"), case.id)
    fields = (field,) if field else ()
    assert_error(as_user(role).put(f"/documents/{document['id']}/review", body), status, *fields)
    assert as_user("office").get(f"/documents/{document['id']}").get_json()["status"] == "uploaded"


def test_review_must_be_json(as_user, case):
    document = uploaded(as_user("applicant"), case.id)
    response = as_user("office").open(f"/documents/{document['id']}/review", "PUT", data={"status": "accepted"})
    assert_error(response, 415)


def test_applicant_removes_their_document_until_it_is_accepted(app, as_user, case):
    applicant, office = as_user("applicant"), as_user("office")
    document = uploaded(applicant, case.id)
    assert_error(as_user("screener").open(f"/documents/{document['id']}", "DELETE"), 403)
    response = applicant.open(f"/documents/{document['id']}", "DELETE")
    assert (response.status_code, response.data) == (204, b"")
    assert_error(applicant.get(f"/documents/{document['id']}"), 404)
    assert_nothing_stored(app)
    assert case_history(case.id)[-1].action == "document.deleted"

    document = uploaded(applicant, case.id)
    office.put(f"/documents/{document['id']}/review", {"status": "accepted"})
    assert "only the international office" in assert_error(
        applicant.open(f"/documents/{document['id']}", "DELETE"), 409)["error"]
    assert office.open(f"/documents/{document['id']}", "DELETE").status_code == 204
    assert_nothing_stored(app)


def test_documents_of_a_closed_case_cannot_be_removed(as_user, make_case):
    closed = make_case("mobility", state="accepted")
    (document,) = as_user("office").get(f"/cases/{closed.id}").get_json()["documents"]
    assert "closed" in assert_error(as_user("office").open(f"/documents/{document['id']}", "DELETE"), 409)["error"]


def test_office_downloads_every_document_as_a_zip(as_user, make_case, users):
    case = make_case("admission", documents=False)
    supply_documents(case, users["applicant"], required_only=False)
    office = as_user("office")
    documents = office.get(f"/cases/{case.id}").get_json()["documents"]
    response = office.get(f"/cases/{case.id}/documents.zip", buffered=True)  # closes the spooled file
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == f"attachment; filename={case.reference}-documents.zip"
    assert "no-store" in response.headers["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        entries = {name: hashlib.sha256(archive.read(name)).hexdigest() for name in archive.namelist()}
    extensions = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
    assert entries == {f"{case.reference}-{d['kind']}.{extensions[d['file_type']]}": d["sha256"] for d in documents}
    assert case_history(case.id)[-1].action == "document.downloaded"


def test_zip_is_for_the_office_and_needs_documents(as_user, case):
    assert_error(as_user("applicant").get(f"/cases/{case.id}/documents.zip"), 403)
    assert_error(as_user("screener").get(f"/cases/{case.id}/documents.zip"), 403)
    assert "no documents" in assert_error(as_user("office").get(f"/cases/{case.id}/documents.zip"), 409)["error"]


def test_session_upload_needs_the_csrf_token_in_a_header(app, login, users, case):
    browser = ApiClient(login(users["applicant"]))
    body = assert_error(upload(browser, case.id), 403)
    assert "X-CSRFToken" in body["error"]
    assert_error(upload(browser, case.id, headers={"X-CSRFToken": "forged"}), 403)
    assert_nothing_stored(app)
    token = csrf_token_for(app, browser.client)
    assert upload(browser, case.id, headers={"X-CSRFToken": token}).status_code == 201


def test_session_reads_and_bearer_uploads_need_no_csrf_token(app, login, users, as_user, case):
    document = uploaded(as_user("applicant"), case.id)  # a bearer token, no CSRF token
    browser = ApiClient(login(users["applicant"]))
    assert browser.get(f"/documents/{document['id']}/content").status_code == 200


def test_a_made_up_bearer_header_beside_a_session_cookie_is_refused(app, login, users, case):
    # The request names a bearer token, so it is judged by it alone: not the cookie's user, no upload.
    browser = ApiClient(login(users["applicant"]), {"Authorization": "Bearer not-a-token"})
    assert_error(upload(browser, case.id), 401)
    assert_nothing_stored(app)


@pytest.fixture(params=["local", "database"])
def backend(request, app):
    app.config["CASEFLOW_STORAGE"] = request.param
    return request.param


def stored_bytes(app, backend: str) -> dict[str, bytes]:
    """Return every stored file's bytes by key, as committed."""
    if backend == "local":
        return {path.name: path.read_bytes() for path in stored_files(app)}
    db.session.rollback()
    return dict(db.session.execute(select(StoredFile.key, StoredFile.content)).all())


def test_bytes_round_trip_are_replaced_and_removed(app, backend, as_user, case):
    applicant = as_user("applicant")
    document = uploaded(applicant, case.id)
    assert list(stored_bytes(app, backend).values()) == [PDF]
    assert applicant.get(f"/documents/{document['id']}/content").data == PDF

    png = sample_image("New scan", "png")
    replaced = uploaded(applicant, case.id, png, "scan.png")
    (kept,) = stored_bytes(app, backend).values()  # the earlier file is gone
    assert hashlib.sha256(kept).hexdigest() == replaced["sha256"]
    assert applicant.get(f"/documents/{document['id']}/content").data == kept
    if backend == "database":
        assert stored_files(app) == []  # nothing written to the folder

    assert applicant.open(f"/documents/{document['id']}", "DELETE").status_code == 204
    assert stored_bytes(app, backend) == {}
    assert_nothing_stored(app)


def test_changed_bytes_in_storage_are_refused_not_served(app, backend, as_user, case):
    applicant, office = as_user("applicant"), as_user("office")
    document = uploaded(applicant, case.id)
    (key,) = stored_bytes(app, backend)
    forged = PDF.replace(b"Passport", b"Passp0rt")
    if backend == "local":
        (path,) = stored_files(app)
        path.write_bytes(forged)
    else:
        db.session.execute(update(StoredFile).where(StoredFile.key == key).values(content=forged))
        db.session.commit()
    for api in (applicant, office):
        body = assert_error(api.get(f"/documents/{document['id']}/content"), 500)
        assert "damaged in storage" in body["error"] and "Copy of the passport" in body["error"]
    assert "damaged in storage" in assert_error(office.get(f"/cases/{case.id}/documents.zip"), 500)["error"]


def test_responses_match_the_documented_schemas(client, as_user, case):
    contract = client.get("/api/v1/openapi.json").get_json()

    def conforms(instance, path: str, method: str, status: str = "200") -> None:
        schema = contract["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
        Draft202012Validator({**schema, "components": contract["components"]}).validate(instance)

    applicant, office = as_user("applicant"), as_user("office")
    conforms(applicant.get(f"/cases/{case.id}").get_json(), "/cases/{case_id}", "get")
    document = uploaded(applicant, case.id)
    conforms(document, "/cases/{case_id}/documents", "post", "201")
    conforms(applicant.get(f"/documents/{document['id']}").get_json(), "/documents/{document_id}", "get")
    rejected = office.put(f"/documents/{document['id']}/review", {"status": "rejected", "reason": "Blurred."})
    conforms(rejected.get_json(), "/documents/{document_id}/review", "put")
    conforms(office.get(f"/cases/{case.id}").get_json(), "/cases/{case_id}", "get")
    upload_form = contract["paths"]["/cases/{case_id}/documents"]["post"]["requestBody"]["content"]
    assert upload_form["multipart/form-data"]["schema"] == {"$ref": "#/components/schemas/DocumentUpload"}
    assert {"bearerAuth": []} in contract["paths"]["/cases/{case_id}/documents"]["post"]["security"]
