"""What the API says when a request does not fit its shape: our words, keyed by JSON paths.

pydantic reports each problem with a location and a type; a client reads
``{"error": "...", "errors": {"data.study_year": ["A whole number, e.g. 3."]}}``.
A body shape may word a wrong or missing value of one of its fields itself
(``__messages__ = {"score": ...}``); a value of the right type that breaks a
constraint (too long, too large) is always told the constraint.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args, get_origin

from pydantic import ValidationError

from caseflow.errors import Invalid, json_path
from caseflow.fields.base import REQUIRED, too_long
from caseflow.i18n import _, ngettext
from caseflow.i18n import lazy_gettext as _l

# The problems a shape's own words for a field (``__messages__``) replace: a value of the wrong type, or none.
WRONG_OR_MISSING = frozenset({
    "missing", "int_type", "int_parsing", "int_from_float", "float_type", "float_parsing", "string_type",
    "bool_type", "dict_type", "model_type", "list_type", "bytes_type", "none_required", "string_pattern_mismatch",
})

# What each kind of problem means to the person who sent it; ``ctx`` fills the %(...)s.
MESSAGES = {
    "missing": REQUIRED,
    "extra_forbidden": _l("There is no such field here."),
    "int_type": _l("A whole number, e.g. 3."),
    "int_parsing": _l("A whole number, e.g. 3."),
    "int_from_float": _l("A whole number, e.g. 3."),
    "float_type": _l("A number, e.g. 4.5."),
    "float_parsing": _l("A number, e.g. 4.5."),
    "finite_number": _l("A number, e.g. 4.5."),
    "string_type": _l("Text, in quotes."),
    "bool_type": _l("true or false."),
    "none_required": _l("Leave this out."),
    "dict_type": _l("An object ({...})."),
    "model_type": _l("An object ({...})."),
    "model_attributes_type": _l("An object ({...})."),
    "list_type": _l("A list ([...])."),
    "bytes_type": _l("A file."),
    "string_too_short": REQUIRED,
    "string_too_long": lambda context: too_long(int(context["max_length"])),
    "bytes_too_short": _l("The file is empty."),
    "too_long": lambda context: ngettext("At most %(num)d item.", "At most %(num)d items.",
                                         int(context["max_length"])),
    "too_short": lambda context: ngettext("At least %(num)d item.", "At least %(num)d items.",
                                          int(context["min_length"])),
    "greater_than_equal": _l("At least %(ge)s."),
    "less_than_equal": _l("At most %(le)s."),
    "greater_than": _l("More than %(gt)s."),
    "less_than": _l("Less than %(lt)s."),
    "literal_error": _l("One of: %(expected)s."),
    "union_tag_invalid": _l("One of: %(expected_tags)s."),
    "union_tag_not_found": _l("One of: %(expected_tags)s."),
    "string_pattern_mismatch": _l("This text does not have the expected form."),
    "date_type": _l("A day as YYYY-MM-DD, e.g. 2027-03-01."),
    "date_parsing": _l("A day as YYYY-MM-DD, e.g. 2027-03-01."),
    "date_from_datetime_parsing": _l("A day as YYYY-MM-DD, e.g. 2027-03-01."),
    "date_from_datetime_inexact": _l("A day as YYYY-MM-DD, e.g. 2027-03-01."),
    "datetime_type": _l("A moment in ISO 8601, e.g. 2027-03-01T12:00:00+06:00."),
    "datetime_parsing": _l("A moment in ISO 8601, e.g. 2027-03-01T12:00:00+06:00."),
    "datetime_from_date_parsing": _l("A moment in ISO 8601, e.g. 2027-03-01T12:00:00+06:00."),
}


def refusal_of(error: ValidationError, shape: Any, parameters: bool = False) -> Invalid:
    """Turn pydantic's report into the API's refusal (422), each message under its JSON path.

    A union told apart by one of its fields (an application by its ``type``, a review by its ``status``)
    locates problems under the variant's tag; the path leaves it out.  Query ``parameters`` are named as
    they are (``state``, not which of its values).
    """
    overrides = _overrides(shape)
    union = tagged_union(shape)
    tags = ", ".join(union[1]) if union else ""  # the values the message lists when the tag is wrong
    errors: dict[str, list[str]] = {}
    for problem in error.errors(include_url=False):
        location = list(problem["loc"])
        if problem["type"].startswith("union_tag"):
            location = [problem["ctx"]["discriminator"].strip("'")]
        elif union and location:
            location = location[1:]
        if parameters:
            location = location[:1]
        path = json_path(location)
        message = _message(problem, overrides.get(location[0]) if len(location) == 1 else None, tags)
        if message not in errors.setdefault(path, []):
            errors[path].append(message)
    messages = [message for listed in errors.values() for message in listed]
    summary = messages[0] if len(messages) == 1 else _("Some values need attention; see errors.")
    return Invalid(summary, errors)


def _overrides(shape: Any) -> dict:
    return getattr(shape, "__messages__", {}) if isinstance(shape, type) else {}


def tagged_union(shape: Any) -> tuple[str, list[str]] | None:
    """Return (the field that tells the variants apart, their tags) of a discriminated union; None otherwise."""
    if get_origin(shape) is not Annotated:
        return None
    union, *metadata = get_args(shape)
    discriminator = next((m.discriminator for m in metadata if getattr(m, "discriminator", None)), None)
    if discriminator is None:
        return None
    variants = get_args(union) or (union,)
    return discriminator, [str(get_args(v.model_fields[discriminator].annotation)[0]) for v in variants]


def _message(problem: dict, override: Any, tags: str = "") -> str:
    if problem["type"] == "caseflow":  # our own message, already in words
        return problem["msg"]
    if override is not None and problem["type"] in WRONG_OR_MISSING:
        return str(override)
    template = MESSAGES.get(problem["type"])
    if template is None:
        return problem["msg"]
    context = {key: _readable(value) for key, value in (problem.get("ctx") or {}).items()}
    if callable(template):  # a count: its words depend on the number (Russian has three forms)
        return str(template(context))
    if problem["type"].startswith("union_tag"):
        context["expected_tags"] = tags or context.get("expected_tags", "")
    try:
        return str(template) % context
    except (KeyError, TypeError):
        return problem["msg"]


def _readable(value: Any) -> str:
    # pydantic quotes the expected values and ends with "or" ("'a', 'b' or 'c'"): a person reads the list
    # as every other list of ours, "a, b, c".
    return str(value).replace("'", "").replace(" or ", ", ")
