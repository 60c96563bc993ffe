"""How much a page's form may carry, and that a refusal names the limit that applies (issue 12, point 10).

A form without a document may carry 1 MB (``limits.REQUEST_BYTES``); the
upload form a document of CASEFLOW_MAX_UPLOAD_MB and the form around it.  A
form over its limit is answered 413 with the form's limit, never the
document's (tests/documents/test_web_documents.py checks that one); nothing
is stored.
"""

from __future__ import annotations

import io

from web_helpers import count_events, csrf_from, text
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from caseflow import limits
from caseflow.documents.samples import sample_pdf
from tests.factories import state_history

FORM_TOO_LARGE = ("The form is too large: at most 1 MB of text can be sent at once. Shorten the longest text and "
                  "send it again.")
DOCUMENT_TOO_LARGE = "a document may be at most"


def multipart(client, url: str, **fields):
    """Post ``fields`` as a browser posts the upload form (encoded in memory, with the page's CSRF token)."""
    token = csrf_from(client.get("/").get_data(as_text=True))
    boundary, body = encode_multipart(MultiDict({**fields, "csrf_token": token}))
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_a_login_form_over_1_mb_is_told_the_forms_limit(client, users):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": "a" * limits.REQUEST_BYTES, "password": "x", "csrf_token": token})
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    assert FORM_TOO_LARGE in text(response)
    assert DOCUMENT_TOO_LARGE not in text(response)


def test_a_comment_over_1_mb_is_told_the_forms_limit_and_changes_nothing(login, users, make_case):
    case = make_case()
    client = login(users["office"])
    events = count_events()
    token = csrf_from(client.get(f"/cases/{case.id}").get_data(as_text=True))
    response = client.post(f"/cases/{case.id}/transitions", data={
        "transition": "send_to_faculty", "version": str(case.version), "csrf_token": token,
        "comment": "Checked. " * (limits.REQUEST_BYTES // 9 + 1)})
    assert response.status_code == 413
    assert FORM_TOO_LARGE in text(response)
    assert f'href="/cases/{case.id}">Back to the case' in response.get_data(as_text=True)  # where it came from
    assert count_events() == events
    assert [event.to_state for event in state_history(case.id)] == ["submitted"]


def test_a_700_kb_field_of_the_upload_form_is_the_fields_problem_not_a_documents_size(login, users, make_case):
    case = make_case("mobility", documents=False)
    response = multipart(login(users["applicant"]), f"/cases/{case.id}/documents", kind="passport" * 90_000,
                         file=FileStorage(io.BytesIO(sample_pdf("Passport")), "passport.pdf"))
    assert response.status_code == 422
    assert DOCUMENT_TOO_LARGE not in text(response)
    assert "Choose one of the documents this application asks for." in text(response)


def test_a_text_over_1_mb_in_the_upload_form_is_told_the_forms_limit(login, users, make_case):
    case = make_case("mobility", documents=False)
    response = multipart(login(users["applicant"]), f"/cases/{case.id}/documents",
                         kind="x" * (limits.REQUEST_BYTES + 1),
                         file=FileStorage(io.BytesIO(sample_pdf("Passport")), "passport.pdf"))
    assert response.status_code == 413
    assert FORM_TOO_LARGE in text(response)

