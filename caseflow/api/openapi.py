"""The API's contract as an OpenAPI 3.1 document, written from the URL table and the shapes it names.

Nothing here describes an endpoint or a shape itself: the paths come from
``urls.ENDPOINTS``, the schemas from pydantic (in their validation form for
what clients send, their serialization form for what they receive).
"""

from __future__ import annotations

import json

from flask import Response, current_app
from flask_babel import force_locale
from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema

from caseflow import limits
from caseflow.api.contract import (
    IDEMPOTENCY_KEY,
    JSON,
    MULTIPART,
    PATH_PARAMETER,
    SAFE_METHODS,
    Endpoint,
    adapter,
    resolve,
    setting,
)
from caseflow.api.schemas.base import Error, Setting
from caseflow.i18n import SOURCE_LANGUAGE

REF = "#/components/schemas/{model}"
# The shapes of an endpoint, and the form of each schema: what clients send is validated, what they get is
# serialized.
ROLES = (("reply", "serialization"), ("body", "validation"), ("query", "validation"))
_DOCUMENTS = "caseflow.api.openapi"
ENDPOINTS = "caseflow.api.endpoints"  # where api.init_app keeps the URL table for the document

# What each refusal means; the bodies are all the Error shape.
REFUSALS = {
    400: (f"The body is not valid JSON (or not a well-formed multipart body), or nests objects and lists more "
          f"than {limits.JSON_DEPTH} levels deep; or the HTTP server itself refused a request line longer than it "
          f"reads (gunicorn: 4094 bytes), as text/html"),
    401: "No valid bearer token or login session",
    403: "The caller may not do this (the message says who may)",
    404: "No such case, call or document, or the caller may not see it",
    405: "The address does not accept this method; the Allow header lists those it does",
    409: "The case changed since the caller saw it, or the action is not possible as things stand",
    413: (f"The request is larger than its limit, which the message names: an upload's (CASEFLOW_MAX_UPLOAD_MB "
          f"and 1 MB for the form around the file), or {limits.REQUEST_BYTES // (1024 * 1024)} MB for any other body"),
    415: "The body is not sent as the media type the operation reads",
    422: "Invalid input: errors lists the messages per field (a JSON path), or the rules that failed",
    500: "A stored file is missing or no longer matches its SHA-256 (the administrators are told)",
    503: "The database could not be reached for a moment; nothing was done, try again (Retry-After says when)",
}


class _Generator(GenerateJsonSchema):
    """pydantic's schemas without the titles it derives from names: the names say it already."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def model_schema(self, schema):
        generated = super().model_schema(schema)
        generated.pop("title", None)
        return generated


def openapi_document() -> Response:
    """This document (no login needed)."""
    of, max_upload_mb = setting(), current_app.config["CASEFLOW_MAX_UPLOAD_MB"]
    memo, key = of.catalog.memo, (_DOCUMENTS, of.page_size, of.max_page_size, max_upload_mb)
    if key not in memo:  # written once per app: its workflows and settings do not change while it runs
        with force_locale(SOURCE_LANGUAGE):  # a document for developers: the labels' source words
            memo[key] = json.dumps(document(current_app.extensions[ENDPOINTS], of, max_upload_mb), default=str).encode()
    return Response(memo[key], mimetype=JSON)


def document(endpoints: list[Endpoint], of: Setting, max_upload_mb: int) -> dict:
    """Return the OpenAPI 3.1 document of ``endpoints`` for an app's workflows and settings."""
    wanted = []
    for index, endpoint in enumerate(endpoints):
        for role, mode in ROLES:
            shape = resolve(getattr(endpoint, role), of)
            if shape is not None and shape is not dict:
                wanted.append(((index, role), mode, adapter(shape)))
    wanted.append((("error", "reply"), "serialization", adapter(Error)))
    schemas, definitions = TypeAdapter.json_schemas(wanted, ref_template=REF, schema_generator=_Generator)
    components = definitions.get("$defs", {})
    paths: dict = {}
    for index, endpoint in enumerate(endpoints):
        operation = _operation(endpoint, of, {role: schemas.get(((index, role), mode)) for role, mode in ROLES},
                               components)
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "caseflow API",
            "version": "1",
            "description": (
                "Applications (cases), calls and workflows of the international relations office. Every refusal "
                "is JSON: an error message and, for invalid input, messages per field. A method an address does "
                "not list answers 405 with an Allow header. Bodies are read strictly: JSON types as declared "
                "and no unknown key; query parameters an operation does not declare are ignored. An upload "
                f"may be at most {max_upload_mb} MB. A change (POST, PUT, DELETE) asked with the web pages' "
                "session cookie must carry the page's CSRF token in the X-CSRFToken header (403 without it), "
                "since another site can make a browser send its cookie; a bearer token needs none."),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "paths": paths,
        "components": {
            "schemas": {name: schema for name, schema in sorted(components.items())},
            "responses": {f"E{status}": _refusal(status, schemas[(("error", "reply"), "serialization")])
                          for status in REFUSALS},
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer",
                               "description": "A token from: flask --app caseflow create-token EMAIL"},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session",
                                  "description": "The web pages' login session"},
                "csrfToken": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                              "description": "The web page's CSRF token; every change (POST, PUT, DELETE) "
                                             "authenticated by the session must send it"},
            },
        },
    }


def _refusal(status: int, error_schema: dict) -> dict:
    response = {"description": REFUSALS[status], "content": {JSON: {"schema": error_schema}}}
    if status == 400:  # the server's own page, before the request reaches the app
        response["content"]["text/html"] = {"schema": {"type": "string"}}
    if status == 405:
        response["headers"] = {"Allow": {"description": "The methods the address accepts",
                                         "schema": {"type": "string"}}}
    if status == 503:
        response["headers"] = {"Retry-After": {"description": "Seconds to wait before trying again",
                                               "schema": {"type": "string"}}}
    return response


def _operation(endpoint: Endpoint, of: Setting, schemas: dict, components: dict) -> dict:
    operation: dict = {"operationId": endpoint.name, "summary": endpoint.summary}
    if endpoint.description:
        operation["description"] = endpoint.description
    parameters = _path_parameters(endpoint, of) + _query_parameters(schemas["query"], components)
    if endpoint.idempotent:
        parameters.append({"name": IDEMPOTENCY_KEY, "in": "header", "required": False,
                           "description": "A key of the client's choosing (a UUID) that makes a retry safe: the same "
                                          "key and body again answer with what the first request did",
                           "schema": {"type": "string", "pattern": f"^[\\x21-\\x7e]{{1,{limits.REQUEST_KEY}}}$"}})
    if parameters:
        operation["parameters"] = parameters
    # Any request may be refused by the HTTP server (400) before it reaches the app, or meet the database
    # away for a moment (503).
    refusals = set(endpoint.refusals) | {400, 503} | ({401} if not endpoint.public else set())
    if schemas["body"] is not None:
        media = MULTIPART if endpoint.multipart else JSON
        operation["requestBody"] = {"required": True, "content": {media: {"schema": schemas["body"]}}}
        refusals |= {413, 415, 422}
    if schemas["query"] is not None:
        refusals.add(422)
    if endpoint.public:
        operation["security"] = []
    elif endpoint.method not in SAFE_METHODS:
        operation["security"] = [{"bearerAuth": []}, {"sessionCookie": [], "csrfToken": []}]
    operation["responses"] = {str(endpoint.ok): _success(endpoint, schemas["reply"]),
                              **{str(status): {"$ref": f"#/components/responses/E{status}"}
                                 for status in sorted(refusals)}}
    return operation


def _success(endpoint: Endpoint, schema: dict | None) -> dict:
    response: dict = {"description": "OK" if endpoint.ok != 201 else "Created"}
    if endpoint.files:
        response["content"] = {media: {"schema": {"type": "string", "contentMediaType": media.split(";")[0]}}
                               for media in endpoint.files}
    elif endpoint.reply is dict:
        response["content"] = {JSON: {"schema": {"type": "object"}}}
    elif schema is not None:
        response["content"] = {JSON: {"schema": schema}}
    else:
        response["description"] = "Done; no content"
    if endpoint.headers:
        response["headers"] = {name: {"description": text, "schema": {"type": "string"}}
                               for name, text in endpoint.headers.items()}
    return response


def _path_parameters(endpoint: Endpoint, of: Setting) -> list[dict]:
    named = endpoint.path_schemas(of) if endpoint.path_schemas else {}
    return [{"name": name, "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": limits.MAX_ID} if name.endswith("_id")
             else named[name]}
            for name in PATH_PARAMETER.findall(endpoint.path)]


def _query_parameters(schema: dict | None, components: dict) -> list[dict]:
    """One parameter per property of the query shape (null is no value in an address: its branch goes)."""
    if schema is None:
        return []
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    parameters = []
    for name, property_schema in schema.get("properties", {}).items():
        value = dict(property_schema)
        description = value.pop("description", "")
        if value.get("default", 0) is None:  # "no filter" is no value an address can send
            del value["default"]
        branches = [b for b in value.pop("anyOf", []) if b.get("type") != "null"]
        if branches:
            value = {**branches[0], **value} if len(branches) == 1 else {"anyOf": branches, **value}
        parameter = {"name": name, "in": "query", "required": name in schema.get("required", []),
                     "schema": value, "description": description}
        if value.get("type") == "array":
            parameter.update(style="form", explode=True)
        parameters.append(parameter)
    return parameters
