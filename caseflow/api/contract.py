"""The API's contract: each endpoint declared once, with the shapes it reads and writes.

An ``Endpoint`` names its method, path and view, the pydantic shapes of its
query, body and reply, and the refusals it may answer.  From that one
declaration ``handler`` checks what a client sends (strictly: JSON types as
declared, no unknown key), calls the view with the checked values and writes
its reply, and ``caseflow.api.openapi`` writes the OpenAPI document.  A view
never parses a request nor builds JSON itself.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, get_args, get_origin

from flask import Response, current_app, request
from flask_login import current_user
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import from_json

from caseflow import limits
from caseflow.api.checks import csrf_of_session_caller
from caseflow.api.nesting import too_deep
from caseflow.api.refusals import refusal_of
from caseflow.api.schemas.base import Setting
from caseflow.cases.replay import RequestKey
from caseflow.catalog import catalog
from caseflow.errors import CaseError, Invalid
from caseflow.extensions import login_manager
from caseflow.i18n import _, ngettext

JSON = "application/json"
MULTIPART = "multipart/form-data"
PATH_PARAMETER = re.compile(r"{(\w+)}")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # they change nothing, so need no CSRF token


class MalformedBody(CaseError):
    """The body is not JSON at all."""

    status = 400


class UnsupportedMediaType(CaseError):
    """The body is not sent as the media type the endpoint reads."""

    status = 415


@dataclass(frozen=True)
class WithHeaders:
    """A view's reply with headers of its own (e.g. ``Location``)."""

    reply: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Endpoint:
    """One operation of the API.

    ``reply``, ``body`` and ``query`` are shapes: a pydantic model, a type
    such as ``list[Model]``, or a function of the app's ``Setting`` built once
    (``schemas.base.built``) for shapes that depend on the loaded workflows.
    ``files`` lists the media types of a reply that is a file, not JSON.
    """

    method: str
    path: str
    view: Callable
    reply: Any = None
    ok: int = 200
    body: Any = None
    multipart: bool = False  # the body is multipart/form-data (an upload), read into ``body``'s shape
    query: Any = None
    refusals: tuple[int, ...] = ()
    public: bool = False  # no login needed
    files: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)  # documented headers of the reply
    # The context the body is checked with (e.g. the lists a field's value must be one of), from the raw body.
    body_context: Callable[[bytes], dict] | None = None
    path_schemas: Callable[[Setting], dict] | None = None  # schemas of path parameters that are not ids
    # Run with the path's values before the request is read, e.g. the caller's role (403 before any complaint
    # about the body), or that a call exists (404).  Each raises a CaseError to refuse.
    checks: tuple[Callable[..., None], ...] = ()
    # The view takes ``request``: the client's Idempotency-Key with the body's digest (None without the header).
    idempotent: bool = False

    @property
    def name(self) -> str:
        return self.view.__name__

    @property
    def rule(self) -> str:
        """The Flask rule: an ``…_id`` parameter is an id (digits); any other, one path segment."""
        return PATH_PARAMETER.sub(lambda m: f"<id:{m[1]}>" if m[1].endswith("_id") else f"<{m[1]}>", self.path)

    @property
    def summary(self) -> str:
        return inspect.getdoc(self.view).split("\n\n")[0].replace("\n", " ")

    @property
    def description(self) -> str:
        paragraphs = inspect.getdoc(self.view).split("\n\n")[1:]
        return "\n\n".join(paragraph.replace("\n", " ") for paragraph in paragraphs)


def setting() -> Setting:
    """The current app's workflows and page sizes, from which its shapes are built."""
    config = current_app.config
    return Setting(catalog(), config["CASEFLOW_API_PAGE_SIZE"], config["CASEFLOW_API_MAX_PAGE_SIZE"])


def resolve(shape: Any, of: Setting) -> Any:
    """Return the shape itself, or the one built for the app's setting."""
    return shape(of) if getattr(shape, "built", False) else shape


@lru_cache(maxsize=256)
def adapter(shape: Any) -> TypeAdapter:
    """One TypeAdapter per shape: building it is what costs, using it is cheap."""
    return TypeAdapter(shape)


def handler(endpoint: Endpoint) -> Callable:
    """Return the Flask view of ``endpoint``: authenticate, read, call the view, write the reply."""

    def handle(**path):
        if not endpoint.public and not current_user.is_authenticated:
            return login_manager.unauthorized()
        if request.method not in SAFE_METHODS:
            csrf_of_session_caller()  # a browser's cookie may come from another site's form or script
        for check in endpoint.checks:
            check(**path)
        of = setting()
        arguments = dict(path)
        if endpoint.query is not None:
            arguments["query"] = read_query(resolve(endpoint.query, of))
        if endpoint.body is not None:
            shape = resolve(endpoint.body, of)
            arguments["body"] = read_multipart(shape) if endpoint.multipart else read_json(endpoint, shape)
        if endpoint.idempotent:
            arguments["request"] = read_idempotency_key()
        return write(endpoint, resolve(endpoint.reply, of), endpoint.view(**arguments))

    handle.__name__ = endpoint.name
    return handle


def read_json(endpoint: Endpoint, shape: Any) -> Any:
    """Check the JSON body against ``shape``; refuse it (400, 415, 422) saying what is wrong where."""
    if not request.is_json:
        raise UnsupportedMediaType(_("Send the body as JSON, with the header Content-Type: application/json."))
    raw = request.get_data(cache=True)
    nested = too_deep(raw)
    if nested:
        raise MalformedBody(nested)
    if raw.lstrip()[:1] != b"{":
        try:
            from_json(raw)
        except ValueError:
            raise MalformedBody(_("The body is not valid JSON.")) from None
        raise Invalid(_("The body must be a JSON object ({...})."))
    context = endpoint.body_context(raw) if endpoint.body_context else None
    try:
        return adapter(shape).validate_json(raw, strict=True, context=context)
    except ValidationError as error:
        if any(e["type"] == "json_invalid" for e in error.errors()):
            raise MalformedBody(_("The body is not valid JSON.")) from None
        raise refusal_of(error, shape) from None


IDEMPOTENCY_KEY = "Idempotency-Key"
_KEY = re.compile(rf"[\x21-\x7e]{{1,{limits.REQUEST_KEY}}}")  # printable ASCII without spaces, e.g. a UUID


def read_idempotency_key() -> RequestKey | None:
    """The client's Idempotency-Key, with the digest of the body it came with; refuse a malformed one."""
    key = request.headers.get(IDEMPOTENCY_KEY)
    if key is None:
        return None
    if not _KEY.fullmatch(key):
        message = ngettext("An Idempotency-Key is 1 to %(num)d visible ASCII characters, such as a UUID.",
                           "An Idempotency-Key is 1 to %(num)d visible ASCII characters, such as a UUID.",
                           limits.REQUEST_KEY)
        raise Invalid(message, {IDEMPOTENCY_KEY: [message]})
    # The body's content, not its bytes: the same JSON with other spacing or key order is the same request.
    body = request.get_data(cache=True)
    try:
        content = json.dumps(from_json(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except ValueError:
        content = body
    return RequestKey(key, hashlib.sha256(content).hexdigest())


def read_multipart(shape: type[BaseModel]) -> BaseModel:
    """Read a multipart body's text fields and files into ``shape``; refuse what is missing or wrong."""
    if request.mimetype != MULTIPART:
        fields = ", ".join(f"“{name}”" for name in shape.model_fields)
        raise UnsupportedMediaType(_("Send the body as multipart/form-data, with the fields %(fields)s.",
                                     fields=fields))
    values: dict[str, Any] = {name: request.form[name] for name in request.form}  # an unknown one is refused
    values.update((name, file.read()) for name, file in request.files.items())
    try:
        read = shape.model_validate(values)
    except ValidationError as error:
        raise refusal_of(error, shape) from None
    read._file_names = {name: file.filename for name, file in request.files.items()}
    return read


def read_query(shape: type[BaseModel]) -> BaseModel:
    """Read the query arguments into ``shape`` (a list-valued one from every occurrence); refuse wrong ones."""
    values: dict[str, Any] = {}
    for name, info in shape.model_fields.items():
        if name in request.args:
            many = get_origin(info.annotation) is list or list in map(get_origin, get_args(info.annotation))
            values[name] = request.args.getlist(name) if many else request.args[name]
    try:
        return shape.model_validate(values)
    except ValidationError as error:
        raise refusal_of(error, shape, parameters=True) from None


def write(endpoint: Endpoint, shape: Any, result: Any) -> Response:
    """Write a view's result: a file response as it is, nothing (204), or JSON in the reply's shape."""
    if isinstance(result, Response):
        return result
    headers = {}
    if isinstance(result, WithHeaders):
        result, headers = result.reply, result.headers
    if shape is None:
        return Response(status=endpoint.ok, headers=headers)
    body = adapter(shape).dump_json(result, by_alias=True, exclude_unset=True)
    return Response(body, status=endpoint.ok, headers=headers, mimetype=JSON)
