"""The API's URL table: every endpoint, what it reads and writes, and what it may refuse.

Mounted at /api/v1.  Each row is one declaration that serves the request
handling (``contract.handler``) and the OpenAPI document (``openapi``).  A
refusal that every endpoint of a kind may answer is added to the document by
``openapi``: 400 for any, 401 without a login, 413/415/422 for a body, 422
for query arguments.
"""

from __future__ import annotations

from caseflow.accounts.permissions import can_export, can_manage_calls
from caseflow.api import calls, cases, documents, exports, openapi, ranking, workflows
from caseflow.api.checks import call_exists, role
from caseflow.api.contract import Endpoint
from caseflow.api.exports import FORMATS, export_parameters, export_query
from caseflow.api.schemas.calls import Call, call_create, call_query, call_update
from caseflow.api.schemas.cases import CaseDetail, CasePage, NoteRequest, TransitionRequest, case_create, case_query
from caseflow.api.schemas.documents import Document, DocumentReview, DocumentUpload
from caseflow.api.schemas.ranking import Ranking, Score, score_request
from caseflow.api.schemas.workflows import Faculty, Workflow
from caseflow.documents.inspection import MEDIA_TYPES
from caseflow.i18n import _

office = role(can_manage_calls, lambda: _("Only the international office may create or change calls."))
exporter = role(can_export, lambda: _("Exports hold personal data; only the international office may download "
                                      "them."))

ENDPOINTS = [
    Endpoint("GET", "/openapi.json", openapi.openapi_document, reply=dict, public=True),
    Endpoint("GET", "/workflows", workflows.list_workflows, reply=list[Workflow]),
    Endpoint("GET", "/faculties", workflows.list_faculties, reply=list[Faculty]),
    Endpoint("GET", "/calls", calls.list_calls, query=call_query, reply=list[Call]),
    Endpoint("POST", "/calls", calls.create_call, body=call_create, reply=Call, ok=201,
             checks=(office,), refusals=(403,)),
    Endpoint("PUT", "/calls/{call_id}", calls.update_call, body=call_update, reply=Call,
             checks=(office, call_exists), refusals=(403, 404)),
    Endpoint("GET", "/calls/{call_id}/ranking", ranking.get_ranking, reply=Ranking, refusals=(404,)),
    Endpoint("POST", "/calls/{call_id}/ranking", ranking.close_ranking, reply=Ranking, refusals=(403, 404, 409)),
    Endpoint("GET", "/cases", cases.list_cases, query=case_query, reply=CasePage),
    Endpoint("POST", "/cases", cases.create_case, body=case_create, body_context=cases.application_choices,
             reply=CaseDetail, ok=201, refusals=(403,), headers={"Location": "The address of the new case"},
             idempotent=True),
    Endpoint("GET", "/cases/{case_id}", cases.get_case, reply=CaseDetail, refusals=(404,)),
    Endpoint("POST", "/cases/{case_id}/notes", cases.add_note, body=NoteRequest, reply=CaseDetail,
             refusals=(403, 404)),
    Endpoint("POST", "/cases/{case_id}/invitation", cases.invite_subject, reply=CaseDetail,
             refusals=(403, 404, 409)),
    Endpoint("POST", "/cases/{case_id}/transitions", cases.fire_transition, body=TransitionRequest,
             reply=CaseDetail, refusals=(403, 404, 409), idempotent=True),
    Endpoint("PUT", "/cases/{case_id}/score", ranking.put_score, body=score_request, reply=Score,
             refusals=(403, 404, 409)),
    Endpoint("POST", "/cases/{case_id}/documents", documents.upload_document, body=DocumentUpload, multipart=True,
             reply=Document, ok=201, refusals=(403, 404, 409),
             headers={"Location": "The address of the document's content"}),
    Endpoint("GET", "/cases/{case_id}/documents.zip", documents.get_case_archive, files=("application/zip",),
             refusals=(403, 404, 409, 500)),
    Endpoint("GET", "/documents/{document_id}", documents.get_document, reply=Document, refusals=(404,)),
    Endpoint("DELETE", "/documents/{document_id}", documents.delete_document, ok=204, refusals=(403, 404, 409)),
    Endpoint("GET", "/documents/{document_id}/content", documents.get_document_content,
             files=tuple(MEDIA_TYPES.values()), refusals=(404, 500)),
    Endpoint("PUT", "/documents/{document_id}/review", documents.review_document, body=DocumentReview,
             reply=Document, refusals=(403, 404, 409)),
    Endpoint("GET", "/exports/{name}.{fmt}", exports.export_cases, query=export_query, path_schemas=export_parameters,
             files=tuple(FORMATS.values()), checks=(exporter,), refusals=(403, 404)),
]
