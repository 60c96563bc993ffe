"""The base of every field type, and the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar, Protocol

from pydantic import AfterValidator, BeforeValidator
from pydantic import Field as SchemaField
from pydantic_core import PydanticCustomError
from wtforms.validators import InputRequired, Optional, ValidationError

from caseflow.i18n import lazy_gettext as _l
from caseflow.i18n import lazy_ngettext


class Field(Protocol):
    """What a field type reads of a field's declaration (``workflow.spec.Field`` is one)."""

    name: str
    label: str
    type: str
    required: bool
    help: str
    min: Decimal | None
    max: Decimal | None
    max_length: int | None
    places: int | None
    choices: tuple


FIELD_TYPES: dict[str, FieldType] = {}

# The one wording of a value that must be given, in the pages (WTForms says it too) and in the API, and of
# a text that is too long.
REQUIRED = _l("This field is required.")


def too_long(limit: int):
    """Say that a text is over its limit of ``limit`` characters (a lazy text: forms are built once)."""
    return lazy_ngettext("At most %(num)d character.", "At most %(num)d characters.", limit)


def register(cls: type[FieldType]) -> type[FieldType]:
    """Add a field type to the registry under its ``name``."""
    if cls.name in FIELD_TYPES:
        raise ValueError(f"field type {cls.name!r} registered twice")
    FIELD_TYPES[cls.name] = cls()
    return cls


@dataclass
class ChoiceSources:
    """Where the choices of fields not listed in the file come from, each asked for once and only if needed.

    ``faculties`` gives (code, name) from the reference table; ``partners``
    gives (name, label) of the call's partners; ``rooms`` (id, label) of the hostel's rooms.  An option
    may have a third element, its <option>'s attributes ({"disabled": True}: full).  None: the list is not
    known, and not checked.
    """

    faculties: Callable[[], list[tuple[str, str]]] | None = list
    partners: Callable[[], list[tuple[str, str]]] | None = list
    rooms: Callable[[], list[tuple]] | None = list
    _cache: dict = field(default_factory=dict, repr=False)

    def get(self, source: str) -> list[tuple[str, str]] | None:
        """Return the list; None when it is not known (e.g. the call an application names does not exist)."""
        if getattr(self, source) is None:
            return None
        if source not in self._cache:
            self._cache[source] = list(getattr(self, source)())
        return self._cache[source]


def refusal(message: str) -> PydanticCustomError:
    """Return the schema error that carries one of our messages as it is (braces are pydantic's)."""
    return PydanticCustomError("caseflow", str(message).replace("{", "{{").replace("}", "}}"))


def only_null(message: str) -> BeforeValidator:
    """A schema check of a key that may be left out or sent as null, and refuses any value saying why."""

    def check(value):
        if value is not None:
            raise refusal(message)
        return value

    return BeforeValidator(check)


class FieldType:
    """One kind of application field.  Subclasses set ``name`` and override what differs."""

    name: ClassVar[str]
    # The keys a field of this type may set in the file, besides name, label, type, required, help, prefill.
    options: ClassVar[frozenset[str]] = frozenset()
    # What the field's value means to the engine besides being data: "faculty" routes the case to that
    # faculty's screeners; "partner" chooses the call's partner whose seat the case holds.
    binds: ClassVar[str] = ""
    needs_call: ClassVar[bool] = False  # its value refers to something of the call
    is_number: ClassVar[bool] = False  # a number a ranking can break ties by
    described: ClassVar[str] = ""  # what a value is, for the API's description (after the label)
    # The ChoiceSources list a value must be in, when it is not the file's: "faculties" or "partners".
    source: ClassVar[str] = ""

    # -- the file
    def problems(self, spec: Field) -> list[str]:
        """Return what is wrong with this field's declaration beyond its keys (e.g. a choice without choices)."""
        return []

    # -- checking a value, the same for the pages and the API
    def problem(self, spec: Field, value: Any) -> str | None:
        """Return why ``value`` (of the right Python type, not empty) is refused, or None."""
        return None

    def _page_check(self, spec: Field):
        def check(form, wtforms_field):
            if wtforms_field.data not in (None, ""):
                message = self.problem(spec, wtforms_field.data)
                if message:
                    raise ValidationError(message)
        return check

    def _schema_check(self, spec: Field | None) -> AfterValidator:
        def check(value):
            if value not in (None, ""):
                message = self.problem(spec, value)
                if message:
                    raise refusal(message)
            return value
        return AfterValidator(check)

    # -- the pages
    def wtforms_field(self, spec: Field, sources: ChoiceSources):
        """Return the unbound WTForms field of the application form."""
        raise NotImplementedError

    def wtforms_options(self, spec: Field, *validators, required=None) -> dict:
        """The label, help and validators of the field's WTForms field, ending with ``problem``'s check."""
        presence = (required or InputRequired)() if spec.required else Optional()
        return {"label": spec.label, "description": spec.help,
                "validators": [presence, *validators, self._page_check(spec)]}

    # -- the API
    def schema(self, spec: Field) -> Any:
        """Return the pydantic type of the field's value in a JSON body (optional ones may also be null)."""
        raise NotImplementedError

    def schema_field(self, spec: Field, json_schema: dict | None = None, **constraints) -> Any:
        """The description (the label, and what the value is) and the constraints of the field's schema."""
        described = f"{spec.label} ({self.described})" if self.described else spec.label
        return SchemaField(description=described, json_schema_extra=json_schema, **constraints)

    # -- the stored value
    def choices(self, spec: Field, sources: ChoiceSources) -> list[tuple[str, str]] | None:
        """Return the (value, label) pairs a value must be one of; None when any value of the type will do."""
        return None

    def to_json(self, spec: Field, value: Any) -> Any:
        """Return the value as stored in a case's data (JSON), from a form's or a body's Python value."""
        return None if value == "" else value

    def to_form(self, spec: Field, stored: Any) -> Any:
        """Return the value a form field holds for a stored value (e.g. a date from its ISO text)."""
        return stored

    def display(self, spec: Field, stored: Any, sources: ChoiceSources) -> str:
        """Return the stored value as a page shows it ("—" when there is none)."""
        if stored is None or stored == "":
            return "—"
        options = self.choices(spec, sources)
        if options is not None:
            return str({option[0]: option[1] for option in options}.get(stored, stored))
        return self.shown(stored)

    def shown(self, stored: Any) -> str:
        """A stored value in the reader's words (a date, a number as their language writes it)."""
        return str(stored)
