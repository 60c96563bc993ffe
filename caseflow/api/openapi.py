"""The API's contract as an OpenAPI 3.1 document, built from the loaded workflows.

The schemas live in ``caseflow.api.schemas``; this module lays out the paths,
their parameters and responses, and the security schemes.
"""

from __future__ import annotations

from caseflow.api.schemas import array, ref, schemas
from caseflow.catalog import Catalog
from caseflow.documents.inspection import MEDIA_TYPES

JSON = "application/json"


def _ok(description: str, schema: dict) -> dict:
    return {"description": description, "content": {JSON: {"schema": schema}}}


_ERRORS = {
    "400": "The body is not valid JSON",
    "401": "No valid bearer token or session",
    "403": "The caller's role may not do this",
    "404": "No such case, call or document, or the caller may not see it",
    "409": "The case changed since the caller saw it, or the action is not possible in its state",
    "413": "The request is larger than the upload limit (CASEFLOW_MAX_UPLOAD_MB); the message names it",
    "415": "The body is not sent as application/json (an upload: not as multipart/form-data)",
    "422": "Invalid input; errors lists messages per field",
    "500": "A stored file is missing or no longer matches its SHA-256 (the administrators are told)",
}


def _responses(ok_status: str, ok: dict, *errors: str) -> dict:
    responses = {ok_status: ok}
    for status in ("401", *errors):
        responses[status] = {"$ref": f"#/components/responses/E{status}"}
    return responses


def _body(schema_name: str) -> dict:
    return {"required": True, "content": {JSON: {"schema": ref(schema_name)}}}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _document_paths(case_id: dict, body_errors: tuple[str, ...]) -> dict:
    document_id = {"name": "document_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
    file_types = {media_type: {"schema": {"type": "string", "contentMediaType": media_type}}
                  for media_type in MEDIA_TYPES.values()}
    return {
        "/cases/{case_id}/documents": {"post": {
            "summary": "Upload a document of the case's checklist (the applicant; the office for them)",
            "description": "A multipart/form-data body with the fields kind (a kind of the case's checklist) and "
                           "file. The file is checked by its content (a PDF, JPEG or PNG the checklist entry "
                           "accepts, readable, not empty, at most CASEFLOW_MAX_UPLOAD_MB); a refused file is not "
                           "stored and the 422 says why (errors.file, errors.kind). An upload replaces the kind's "
                           "document unless it was accepted (409); nothing changes on a closed case (409).\n\n"
                           "A cross-site HTML form can send a multipart body with a browser's session cookie, so "
                           "a caller authenticated by the session must send the page's CSRF token in the "
                           "X-CSRFToken header (403 without it); a caller with a bearer token needs none.",
            "parameters": [case_id],
            "security": [{"bearerAuth": []}, {"sessionCookie": [], "csrfToken": []}],
            "requestBody": {"required": True, "content": {"multipart/form-data": {
                "schema": ref("DocumentUpload"),
                "encoding": {"file": {"contentType": ", ".join(MEDIA_TYPES.values())}},
            }}},
            "responses": _responses(
                "201", {**_ok("The stored document", ref("Document")), "headers": {"Location": {
                    "description": "The address of the document's content", "schema": {"type": "string"}}}},
                "403", "404", "409", "413", "415", "422",
            ),
        }},
        "/cases/{case_id}/documents.zip": {"get": {
            "summary": "Download every document of a case as one ZIP (office staff and admins)",
            "description": "Entries are named reference-kind.extension. 422 when the case has no documents.",
            "parameters": [case_id],
            "responses": _responses("200", {"description": "The ZIP", "content": {
                "application/zip": {"schema": {"type": "string", "contentMediaType": "application/zip"}},
            }}, "403", "404", "422", "500"),
        }},
        "/documents/{document_id}": {
            "get": {
                "summary": "Show a document of a case the caller may see",
                "parameters": [document_id],
                "responses": _responses("200", _ok("The document", ref("Document")), "404"),
            },
            "delete": {
                "summary": "Remove a document and its file (the applicant until it is accepted; the office)",
                "description": "The case's history keeps a line saying who removed it. 409 on a closed case.",
                "parameters": [document_id],
                "responses": _responses("204", {"description": "Removed"}, "403", "404", "409"),
            },
        },
        "/documents/{document_id}/content": {"get": {
            "summary": "Download a document's file",
            "description": "Sent as an attachment named reference-kind.extension (never the uploader's file "
                           "name), with the media type detected at upload, X-Content-Type-Options: nosniff and "
                           "Cache-Control: private, no-store. A view by staff joins the case's history. 500 when "
                           "the stored file is missing or changed (checked against its SHA-256).",
            "parameters": [document_id],
            "responses": _responses("200", {"description": "The file", "content": file_types}, "404", "500"),
        }},
        "/documents/{document_id}/review": {"put": {
            "summary": "Accept a document, or reject it with a reason the applicant reads (office staff and admins)",
            "description": "409 when it is so decided already, rejected and not replaced yet, or the case is "
                           "closed; 422 when a rejection has no reason.",
            "parameters": [document_id],
            "requestBody": _body("DocumentReview"),
            "responses": _responses("200", _ok("The reviewed document", ref("Document")),
                                    "403", "404", "409", *body_errors),
        }},
    }


def _paths(catalog: Catalog) -> dict:
    type_filter = _query("type", {"type": "string", "enum": [w.name for w in catalog]}, "Only this case type")
    case_id = {"name": "case_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
    body_errors = ("400", "415", "422")
    return {
        "/workflows": {"get": {
            "summary": "List the case types with their states, transitions and fields",
            "responses": _responses("200", _ok("Every case type", array(ref("Workflow")))),
        }},
        "/faculties": {"get": {
            "summary": "List the faculties",
            "responses": _responses("200", _ok("Every faculty", array(ref("Faculty")))),
        }},
        "/calls": {
            "get": {
                "summary": "List the calls for applications, newest deadline first",
                "parameters": [type_filter],
                "responses": _responses("200", _ok("The calls", array(ref("Call"))), "422"),
            },
            "post": {
                "summary": "Create a call (office staff and admins)",
                "requestBody": _body("CallCreate"),
                "responses": _responses("201", _ok("The new call", ref("Call")), "403", *body_errors),
            },
        },
        "/calls/{call_id}": {"put": {
            "summary": "Change a call (office staff and admins); its case type stays",
            "description": "The body is a new call's; partners listed with their id are kept, those left out "
                           "removed, those without an id added. 422 when fewer places or seats are offered than "
                           "are taken, a partner applications chose is renamed or removed, or the deadline is "
                           "before the call was created. A deadline in the past closes the call.",
            "parameters": [{"name": "call_id", "in": "path", "required": True,
                            "schema": {"type": "integer", "minimum": 1}}],
            "requestBody": _body("CallUpdate"),
            "responses": _responses("200", _ok("The call as changed", ref("Call")), "403", "404", *body_errors),
        }},
        "/calls/{call_id}/ranking": {
            "get": {
                "summary": "The ranking of a call decided by a commission (office staff, commission members)",
                "parameters": [{"name": "call_id", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 1}}],
                "responses": _responses("200", _ok("The ranking as it stands", ref("Ranking")), "404"),
            },
            "post": {
                "summary": "Close the ranking: shortlist the best for the places left, reject the others",
                "description": "409 with errors.ranking listing what is missing (deadline not passed, cases "
                               "not yet at the commission, scores not given).",
                "parameters": [{"name": "call_id", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 1}}],
                "responses": _responses("200", _ok("The closed ranking", ref("Ranking")), "403", "404", "409"),
            },
        },
        "/cases/{case_id}/score": {"put": {
            "summary": "Record or change the caller's score of a case (members of the call's commission)",
            "parameters": [case_id],
            "requestBody": _body("ScoreRequest"),
            "responses": _responses("200", _ok("The score", ref("Score")), "403", "404", "409", *body_errors),
        }},
        "/cases": {
            "get": {
                "summary": "List the cases the caller may see, most recently changed first",
                "parameters": [
                    type_filter,
                    _query("state", {"type": "string"}, "Only cases in this state"),
                    _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number"),
                    _query("per_page", {"type": "integer", "minimum": 1}, "Cases per page"),
                ],
                "responses": _responses("200", _ok("One page of cases", ref("CasePage")), "422"),
            },
            "post": {
                "summary": "Submit an application (applicants, for themselves)",
                "description": "Fields are checked first, then the call and every eligibility rule; "
                               "an ineligible application is refused with errors.eligibility and not stored.",
                "requestBody": _body("CaseCreate"),
                "responses": _responses("201", _ok("The new case", ref("CaseDetail")), "403", *body_errors),
            },
        },
        "/cases/{case_id}": {"get": {
            "summary": "Show a case with its history and the caller's allowed transitions",
            "parameters": [case_id],
            "responses": _responses("200", _ok("The case", ref("CaseDetail")), "404"),
        }},
        "/cases/{case_id}/transitions": {"post": {
            "summary": "Fire a transition on a case",
            "description": "422 also when a guard fails (errors.guards) or a required comment is missing.",
            "parameters": [case_id],
            "requestBody": _body("TransitionRequest"),
            "responses": _responses(
                "200", _ok("The case after the transition", ref("CaseDetail")), "403", "404", "409", *body_errors
            ),
        }},
        **_document_paths(case_id, body_errors),
        "/exports/{name}.{fmt}": {"get": {
            "summary": "Download a case type's export as a table (office staff and admins)",
            "description": "The columns are the workflow's [export] columns, headed by the fields' labels. "
                           "Export names: " + ", ".join(sorted(w.export.name for w in catalog if w.export)) + ".",
            "parameters": [
                {"name": "name", "in": "path", "required": True,
                 "schema": {"type": "string", "enum": sorted(w.export.name for w in catalog if w.export)}},
                {"name": "fmt", "in": "path", "required": True, "schema": {"type": "string", "enum": ["xlsx", "csv"]}},
                {"name": "state", "in": "query", "required": False, "style": "form", "explode": True,
                 "schema": {"type": "array", "items": {"type": "string"}}, "description": "Only cases in these states"},
                _query("ids", {"type": "string", "pattern": "^[0-9]+(,[0-9]+)*$"},
                       "Only these cases (comma-separated ids)"),
            ],
            "responses": _responses("200", {"description": "The table", "content": {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "contentMediaType":
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}},
                "text/csv": {"schema": {"type": "string"}},
            }}, "403", "404", "422"),
        }},
        "/openapi.json": {"get": {
            "summary": "This document",
            "security": [],
            "responses": {"200": _ok("OpenAPI 3.1", {"type": "object"})},
        }},
    }


def document(catalog: Catalog) -> dict:
    """Return the OpenAPI 3.1 document of the API for the loaded workflows."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "caseflow API",
            "version": "1",
            "description": "Applications (cases), calls and workflows of the international relations office. "
                           "Every error is JSON with an error message and, for invalid input, errors per field.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "paths": _paths(catalog),
        "components": {
            "schemas": schemas(catalog),
            "responses": {
                f"E{status}": _ok(description, ref("Error")) for status, description in _ERRORS.items()
            },
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http", "scheme": "bearer",
                    "description": "A token from: flask --app caseflow create-token EMAIL",
                },
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session",
                                  "description": "The web pages' login session"},
                "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                              "description": "The web page's CSRF token; an upload authenticated by the "
                                             "session must send it"},
            },
        },
    }
