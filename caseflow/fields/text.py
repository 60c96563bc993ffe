"""Text fields: one line, several lines, an e-mail address, a phone number.

The same rules serve the application forms' fields and the other texts of
the pages and the API (a call's name, a comment, a reason): ``line_input``
and ``lines_input`` give their WTForms fields, ``line`` and ``lines`` their
API schemas, ``email_input`` and ``password_input`` the account pages'
fields, and ``text_refusal`` the check an operation makes again.  The pages
strip what a person typed around a value before checking it; the API checks
the value as sent (its schema says exactly what it accepts) and stores it
stripped.  A text of several lines is stored with ``\n`` line breaks,
whichever a client sent.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator
from pydantic import Field as SchemaField
from wtforms import EmailField, PasswordField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from caseflow import limits
from caseflow.fields.base import FIELD_TYPES, REQUIRED, FieldType, refusal, register, too_long
from caseflow.i18n import lazy_gettext as _l

PHONE_DIGITS = rf"\+?[0-9][0-9 ()\-]{{5,{limits.PHONE - 2}}}"  # at most limits.PHONE characters

# The characters a text refuses, as parts of a regular expression class (the same in Python and in JSON
# Schema).  The control characters (C0, DEL and C1) are invisible, PostgreSQL refuses NUL and the exports'
# XML most of the others.  The bidirectional embeddings, overrides and isolates (U+202A-U+202E,
# U+2066-U+2069) reorder what is shown after them: "\u202efdp.exe" reads "exe.pdf", and a name can pass
# for another.  The marks U+200E, U+200F and U+061C stay allowed: they only set the direction of the
# neutral characters beside them (a name mixing Arabic and Latin may need one), never reverse a word.
CONTROLS = r"\x00-\x1f\x7f-\x9f"
CONTROLS_BUT_TAB_AND_LINE_BREAKS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
BIDI_CONTROLS = r"\u202a-\u202e\u2066-\u2069"
NUL_REFUSED = _l("A password cannot hold the NUL character; choose another one.")


def strip(value):
    """The filter of every text input: what a person types around a value is not part of it."""
    return value.strip() if isinstance(value, str) else value


def _no_nul(form, field):
    if field.data and "\x00" in field.data:
        raise ValidationError(NUL_REFUSED)


@register
class StringType(FieldType):
    """One line of text: no control characters (a name never holds a tab) nor bidirectional overrides."""

    name = "string"
    options = frozenset({"max_length"})
    default_max_length = limits.LINE
    wtforms_class: Any = StringField
    # The characters refused, as a regular expression class (the same in Python and in JSON Schema).
    control = CONTROLS + BIDI_CONTROLS
    control_refused = _l("Remove the invisible control characters (such as a tab, a line break or a "
                         "right-to-left override) from this text.")

    def max_length(self, spec) -> int:
        return spec.max_length or self.default_max_length

    def problem(self, spec, value):
        return self.control_refused if re.search(f"[{self.control}]", value) else None

    def cleaned(self, value):
        """The value as stored: without the spaces around it (a form's filter, so any value at all)."""
        return strip(value)

    def _required(self, value: str) -> str:
        if not value.strip():
            raise refusal(REQUIRED)
        return self.cleaned(value)

    def pattern(self, required: bool) -> str:
        """The JSON Schema pattern of a value: no control character and, when required, not only spaces."""
        allowed = f"[^{self.control}]"
        return f"^{allowed}*[^\\s{self.control}]{allowed}*$" if required else f"^{allowed}*$"

    autocomplete = ""  # the browser's autocomplete token for such a field, if one fits

    def wtforms_field(self, spec, sources):
        options = {"render_kw": {"autocomplete": self.autocomplete}} if self.autocomplete else {}
        return self.text_input(spec.label, self.max_length(spec), spec.required, description=spec.help, **options)

    def text_input(self, label, max_length: int, required: bool, **options):
        """The WTForms field of such a text: an application's, or another of a page's (a call's name, a comment).

        DataRequired, not InputRequired: it looks at the value once stripped, so "   " is missing.
        """
        presence = DataRequired() if required else Optional()
        return self.wtforms_class(label, filters=[self.cleaned], validators=[
            presence, Length(max=max_length, message=too_long(max_length)), self._page_check(None)], **options)

    def schema(self, spec):
        return self.text_schema(self.max_length(spec), spec.required, spec.label)

    def text_schema(self, max_length: int, required: bool, description: str) -> Any:
        """The schema of such a text (an application's field, or another text of the API's bodies)."""
        json_schema = {"pattern": self.pattern(required), **self.json_format(required)}
        stored = AfterValidator(self._required if required else self.cleaned)
        return Annotated[str, SchemaField(description=description or None, max_length=max_length,
                                          json_schema_extra=json_schema),
                         self._schema_check(None), stored]

    def json_format(self, required: bool) -> dict:
        return {}


@register
class TextType(StringType):
    """Several lines of text: line breaks and tabs are allowed (a pasted list or table holds them)."""

    name = "text"
    default_max_length = limits.TEXT
    wtforms_class = TextAreaField
    control = CONTROLS_BUT_TAB_AND_LINE_BREAKS + BIDI_CONTROLS
    control_refused = _l("Remove the invisible control characters (such as a right-to-left override) from "
                         "this text.")

    def cleaned(self, value):
        """Stripped, and each line break one ``\\n``: browsers send a textarea's as ``\\r\\n``.

        Stored so, a text is the same from a page or the API, and its length counts a line break once,
        as the browser's ``maxlength`` does.
        """
        return strip(value.replace("\r\n", "\n").replace("\r", "\n")) if isinstance(value, str) else value


@register
class EmailType(StringType):
    """An e-mail address: its form is checked, not whether it receives mail."""

    name = "email"
    default_max_length = limits.EMAIL
    wtforms_class = EmailField
    autocomplete = "email"

    def problem(self, spec, value):
        refused = super().problem(spec, value)
        if refused:
            return refused
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            return _l("Enter an e-mail address such as name@example.org.")
        return None

    def pattern(self, required: bool) -> str:
        return rf"^[^\s{self.control}]{'+' if required else '*'}$"  # an address holds no space

    def json_format(self, required: bool) -> dict:
        # An optional address may also be sent empty (""), which is no address: JSON Schema's "email" format
        # would refuse it, so it is said only of a required one (the server checks any address given).
        return {"format": "email"} if required else {}


@register
class PhoneType(StringType):
    """A phone number: digits, spaces, +, - and brackets."""

    name = "phone"
    default_max_length = limits.PHONE
    wtforms_class = TelField  # a phone's keypad, and the browser offers the number it knows
    autocomplete = "tel"

    def problem(self, spec, value):
        if not re.fullmatch(PHONE_DIGITS, value):
            return _l("Enter a phone number: digits, spaces, +, - and brackets.")
        return None

    def pattern(self, required: bool) -> str:
        return f"^{PHONE_DIGITS}$" if required else f"^(?:{PHONE_DIGITS})?$"


def line(max_length: int = limits.LINE, required: bool = True, description: str = "") -> Any:
    """The API schema of one line of text in a body (a call's name, a partner's country)."""
    return FIELD_TYPES["string"].text_schema(max_length, required, description)


def lines(max_length: int = limits.TEXT, required: bool = False, description: str = "") -> Any:
    """The API schema of a text of several lines in a body (a comment, a reason, a description)."""
    return FIELD_TYPES["text"].text_schema(max_length, required, description)


def email(required: bool = True, description: str = "") -> Any:
    """The API schema of an e-mail address in a body (a commission member's)."""
    return FIELD_TYPES["email"].text_schema(limits.EMAIL, required, description)


def email_input(label, required: bool = True, **options):
    """The WTForms field of an e-mail address in a page's form (signing up, a staff account)."""
    return FIELD_TYPES["email"].text_input(label, limits.EMAIL, required, **options)


def password_input(label, *validators, **options):
    """The WTForms field of a password, as typed (not stripped), checked by ``validators`` and for NUL.

    A password is hashed, never stored or shown, so other invisible characters do no harm, and refusing
    them would lock out an account whose password holds one.  NUL alone is refused: no keyboard types it,
    and code in C ends a text there, so a hash of it may differ from one place to another.
    """
    return PasswordField(label, validators=[
        *validators, Length(max=limits.PASSWORD, message=too_long(limits.PASSWORD)), _no_nul], **options)


def line_input(label, max_length: int = limits.LINE, required: bool = True, **options):
    """The WTForms field of one line of text in a page's form (a call's name, a partner's country)."""
    return FIELD_TYPES["string"].text_input(label, max_length, required, **options)


def lines_input(label, max_length: int = limits.TEXT, required: bool = False, **options):
    """The WTForms field of a text of several lines in a page's form (a comment, a reason)."""
    return FIELD_TYPES["text"].text_input(label, max_length, required, **options)


def text_refusal(value: str, max_length: int, several_lines: bool = True) -> str | None:
    """Say why an operation refuses a text (too long, or a character refused), or None.

    The forms and the API's shapes have checked it already; an operation checks again for the callers
    that pass neither (the CLI, a page's value read outside a form).
    """
    if len(value) > max_length:
        return str(too_long(max_length))
    problem = FIELD_TYPES["text" if several_lines else "string"].problem(None, value)
    return str(problem) if problem else None
