"""Read and check what a client sends: JSON bodies, query arguments, form errors.

Every refusal is a ``CaseError`` carrying a message a person can read, so
``caseflow.web`` turns it into the API's one error shape,
``{"error": "...", "errors": {"field": ["..."]}}``.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from wtforms import Form
from wtforms.fields import FieldList, FormField

from caseflow.catalog import catalog
from caseflow.errors import CaseError, Invalid
from caseflow.formdata import BodyShapeError, json_to_formdata
from caseflow.i18n import _
from caseflow.workflow import Workflow


class MalformedBody(CaseError):
    """The body is not JSON at all."""

    status = 400


class UnsupportedMediaType(CaseError):
    """The body is not declared as JSON.

    Requiring the JSON media type is also what keeps the CSRF-exempt API safe
    for session-cookie callers: a cross-site HTML form cannot send it.
    """

    status = 415


def json_object() -> dict:
    """Return the request's body, which must be a JSON object sent as application/json."""
    if not request.is_json:
        raise UnsupportedMediaType(_("Send the body as JSON, with the header Content-Type: application/json."))
    try:
        payload = request.get_json()
    except BadRequest:
        raise MalformedBody(_("The body is not valid JSON.")) from None
    if not isinstance(payload, dict):
        raise Invalid(_("The body must be a JSON object ({...})."))
    return payload


def refuse(errors: dict[str, list[str]]) -> None:
    """Raise Invalid (422) listing ``errors`` by field, if there are any."""
    if errors:
        raise Invalid(_("Some values need attention; see errors."), errors)


def formdata(payload: Mapping) -> MultiDict:
    """Flatten a JSON object for a WTForms form; refuse values no form field can hold."""
    try:
        return json_to_formdata(payload)
    except BodyShapeError as error:
        message = _("Give a single value here (text, a number or true/false), not a list or an object.")
        raise Invalid(message, {error.key: [message]}) from None


def form_errors(form: Form) -> dict[str, list[str]]:
    """Return a validated form's errors keyed by the names its fields are posted under.

    Nested fields keep their flattened names (``partners-0-seats``), the same
    names ``json_to_formdata`` gives the body's values, so a client can find
    the value each message is about.
    """
    errors: dict[str, list[str]] = {}

    def collect(field) -> None:
        if isinstance(field, FieldList):
            for entry in field.entries:
                collect(entry)
            # A FieldList's errors mix its entries' error dicts with its own messages.
            own = [message for message in field.errors if not isinstance(message, (dict, list))]
        elif isinstance(field, FormField):
            for subfield in field.form:
                collect(subfield)
            own = field.form.form_errors
        else:
            own = field.errors
        if own:
            errors[field.name] = [str(message) for message in own]

    for field in form:
        collect(field)
    return errors


def workflow_named(name: object, key: str = "type") -> Workflow:
    """Return the workflow of case type ``name``; refuse an unknown one under ``key``."""
    workflow = catalog().get(name) if isinstance(name, str) else None
    if workflow is None:
        message = _("Unknown case type; one of: %(types)s.", types=", ".join(w.name for w in catalog()))
        raise Invalid(message, {key: [message]})
    return workflow


# Ids are PostgreSQL integers; a larger number sent to the database would fail
# there (and overflow SQLite's driver) as a server error instead of a 404/422.
MAX_ID = 2**31 - 1


def is_integer(value: object) -> bool:
    """Tell whether a JSON value is an integer (JSON true/false are not numbers)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_id(value: object) -> bool:
    """Tell whether a JSON value can be a row's id."""
    return is_integer(value) and 1 <= value <= MAX_ID


def query_integer(name: str, default: int, maximum: int) -> int:
    """Return the query argument ``name``, a whole number from 1 to ``maximum``; refuse anything else.

    The upper bound matters for page numbers too: a huge offset overflows the
    database's integers and would fail as a server error instead of a 422.
    """
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = int(raw) if raw.isascii() and raw.isdigit() else 0
    if not 1 <= value <= maximum:
        message = _("%(name)s must be a whole number from 1 to %(max)d.", name=name, max=maximum)
        raise Invalid(message, {name: [message]})
    return value


def type_argument() -> str | None:
    """Return the ``type`` query argument, a known case type; None when absent."""
    case_type = request.args.get("type") or None
    return None if case_type is None else workflow_named(case_type).name


def state_argument(case_type: str | None) -> str | None:
    """Return the ``state`` query argument, a state of ``case_type`` (or of any type); None when absent.

    An unknown state is refused rather than matching nothing: it is a typo.
    """
    state = request.args.get("state") or None
    workflows = [catalog()[case_type]] if case_type else list(catalog())
    known = sorted({s.name for w in workflows for s in w.states})
    if state is not None and state not in known:
        message = _("Unknown state; one of: %(states)s.", states=", ".join(known))
        raise Invalid(message, {"state": [message]})
    return state
