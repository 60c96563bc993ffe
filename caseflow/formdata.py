"""Turn a JSON body into WTForms form data, so API and web share one validation.

WTForms parses and validates strings from ``formdata``; a JSON body holds
numbers, strings and lists of objects.  Flattening it the way an HTML form
would post it (``partners-0-name``) lets the very same form class validate
both, with the same messages.
"""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.datastructures import MultiDict


class BodyShapeError(ValueError):
    """The JSON value cannot be a form value (an object where text was expected...)."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def json_to_formdata(payload: Mapping, prefix: str = "") -> MultiDict:
    """Flatten ``payload`` into a MultiDict of strings; raise BodyShapeError on nesting it cannot map."""
    flat: MultiDict = MultiDict()
    for key, value in payload.items():
        name = f"{prefix}{key}"
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                flat.add(name, "y")
        elif isinstance(value, (str, int, float)):
            flat.add(name, str(value))
        elif isinstance(value, list) and all(isinstance(item, Mapping) for item in value):
            for index, item in enumerate(value):
                flat.update(json_to_formdata(item, prefix=f"{name}-{index}-"))
        else:
            raise BodyShapeError(name)
    return flat
