"""Field types of application forms: one class each, in one registry.

A workflow file names a field's ``type``; the class of that name says
everything about such a field: the keys the file may give it, its WTForms
field for the pages, its schema for the API (validation and the OpenAPI
document), how its value is stored as JSON, read back into a form and shown
on a page.  A new field type is one new class here and nothing else.
"""

from caseflow.fields import choices, dates, numbers, text  # noqa: F401  (each module registers its types)
from caseflow.fields.base import FIELD_TYPES, ChoiceSources, FieldType

__all__ = ["FIELD_TYPES", "ChoiceSources", "FieldType"]
