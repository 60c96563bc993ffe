"""Fields whose value is one of a list: the file's choices, a faculty, one of the call's partners."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, ValidationInfo
from wtforms import SelectChoice, SelectField
from wtforms.validators import ValidationError

from caseflow import countries, limits
from caseflow.fields.base import FieldType, refusal, register
from caseflow.i18n import lazy_gettext as _l

CHOOSE = _l("— choose —")
NOT_LISTED = _l("Choose one of the listed options.")


class _OneOf(FieldType):
    """A value from a list; the list is the file's, or comes from elsewhere (``ChoiceSources``)."""

    max_length = limits.CHOICE

    def choices(self, spec, sources):
        return sources.get(self.source)

    def wtforms_field(self, spec, sources):
        options = self.choices(spec, sources) or []
        # An option may carry its <option>'s attributes third, e.g. {"disabled": True} for a full partner.
        allowed = {option[0] for option in options if not (option[2:] and option[2].get("disabled"))}

        def one_of(form, field):
            if field.data not in (None, "") and field.data not in allowed:
                raise ValidationError(NOT_LISTED)

        # validate_choice=False: one_of gives the message, and an empty choice is "required".
        # SelectChoice, not (value, label) tuples: WTForms 3.3 deprecates tuples (a warning, an error in tests).
        return SelectField(validate_choice=False,
                           choices=[SelectChoice("", CHOOSE), *(SelectChoice(o[0], o[1], *o[2:]) for o in options)],
                           **self.wtforms_options(spec, one_of))

    def schema(self, spec):
        return Annotated[str, self.schema_field(spec, max_length=self.max_length), AfterValidator(self._listed(spec))]

    def _listed(self, spec):
        """The API's check of a value against a list the schema cannot hold (today's faculties, a call's
        partners), from the ``choices`` (ChoiceSources) the body is checked with."""

        def check(value, info: ValidationInfo):
            sources = (info.context or {}).get("choices")
            options = self.choices(spec, sources) if sources is not None else None
            if options is not None and value not in {option[0] for option in options}:
                raise refusal(NOT_LISTED)
            return value

        return check


@register
class ChoiceType(_OneOf):
    """One of the ``choices`` the file lists ({ value, label })."""

    name = "choice"
    options = frozenset({"choices"})

    def problems(self, spec):
        return [] if spec.choices else [f"field {spec.name!r}: a choice field needs 'choices'"]

    def choices(self, spec, sources):
        return [(c.value, c.label) for c in spec.choices]

    def schema(self, spec):
        return Annotated[Literal[tuple(c.value for c in spec.choices)], self.schema_field(spec)]


@register
class FacultyType(_OneOf):
    """A faculty's code from the reference table; it routes the case to that faculty's screeners."""

    name = "faculty"
    binds = "faculty"
    source = "faculties"
    max_length = limits.FACULTY_CODE
    described = "a faculty code from GET /faculties"


@register
class PartnerType(_OneOf):
    """The name of one of the call's partners; the case holds a seat of that partner."""

    name = "partner"
    binds = "partner"
    needs_call = True
    source = "partners"
    max_length = limits.LINE
    described = "the name of one of the call's partners"

    def display(self, spec, stored, sources):
        return "—" if stored in (None, "") else str(stored)  # the name itself; the call's list is not loaded


@register
class RoomType(_OneOf):
    """A hostel room (its id); the case's place is in it, and a room's places are never over-filled."""

    name = "room"
    binds = "room"
    source = "rooms"
    options = frozenset({"shared_by"})
    max_length = 12
    described = "the id of a hostel room with a free place"


# A country in a JSON body: its ISO 3166-1 alpha-2 code (the schema lists them), e.g. "KG".
COUNTRY_CODE = Literal[countries.CODES]


@register
class CountryType(_OneOf):
    """A country, stored as its ISO 3166-1 code and shown by its name in the reader's language.

    ``stateless = true`` (a nationality) also offers ICAO's XXA, a stateless person.
    """

    name = "country"
    options = frozenset({"stateless"})
    max_length = 3
    described = "an ISO 3166-1 alpha-2 code, e.g. KG; XXA: stateless, where allowed"

    def choices(self, spec, sources):
        return countries.options(stateless=spec.stateless)

    def schema(self, spec):
        codes = (*countries.CODES, countries.STATELESS) if spec.stateless else countries.CODES
        return Annotated[Literal[codes], self.schema_field(spec)]

    def display(self, spec, stored, sources):
        return "—" if stored in (None, "") else countries.name(stored)  # an old text as it was typed
