"""Text fields: one line, several lines, an e-mail address, a phone number.

The pages strip what a person typed around a value before checking it; the
API checks the value as sent (its schema says exactly what it accepts) and
stores it stripped.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from caseflow.fields.base import FieldType, refusal, register
from caseflow.i18n import lazy_gettext as _l

PHONE = r"^\+?[0-9][0-9 ()\-]{5,24}$"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise refusal(_l("This field is required."))
    return value.strip()


@register
class StringType(FieldType):
    """One line of text: no control characters (a name never holds a tab, and PostgreSQL refuses NUL)."""

    name = "string"
    options = frozenset({"max_length"})
    default_max_length = 200
    wtforms_class: Any = StringField
    # The characters refused, as a regular expression class (the same in Python and in JSON Schema).
    control = r"\x00-\x1f\x7f"

    def max_length(self, spec) -> int:
        return spec.max_length or self.default_max_length

    def problem(self, spec, value):
        if re.search(f"[{self.control}]", value):
            return _l("Remove the control characters (such as a tab or a line break) from this text.")
        return None

    def pattern(self, spec) -> str:
        """The JSON Schema pattern of a value: no control character and, when required, not only spaces."""
        allowed = f"[^{self.control}]"
        return f"^{allowed}*[^\\s{self.control}]{allowed}*$" if spec.required else f"^{allowed}*$"

    def wtforms_field(self, spec, sources):
        # DataRequired, not InputRequired: it looks at the value once stripped, so "   " is missing.
        options = self.wtforms_options(spec, Length(max=self.max_length(spec)), required=DataRequired)
        return self.wtforms_class(filters=[_strip], **options)

    def schema(self, spec):
        json_schema = {"pattern": self.pattern(spec), **self.json_format()}
        strip = AfterValidator(_not_blank if spec.required else _strip)
        return Annotated[str, self.schema_field(spec, json_schema, max_length=self.max_length(spec)),
                         self._schema_check(spec), strip]

    def json_format(self) -> dict:
        return {}


@register
class TextType(StringType):
    """Several lines of text: line breaks and tabs are allowed."""

    name = "text"
    default_max_length = 5000
    wtforms_class = TextAreaField
    control = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"

    def problem(self, spec, value):
        if re.search(f"[{self.control}]", value):
            return _l("Remove the control characters from this text.")
        return None


@register
class EmailType(StringType):
    """An e-mail address: its form is checked, not whether it receives mail."""

    name = "email"
    default_max_length = 254
    wtforms_class = EmailField

    def problem(self, spec, value):
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            return _l("Enter an e-mail address such as name@example.org.")
        return None

    def json_format(self) -> dict:
        return {"format": "email"}


@register
class PhoneType(StringType):
    """A phone number: digits, spaces, +, - and brackets."""

    name = "phone"
    default_max_length = 30

    def problem(self, spec, value):
        if not re.match(PHONE, value):
            return _l("Enter a phone number: digits, spaces, +, - and brackets.")
        return None

    def pattern(self, spec) -> str:
        return PHONE
