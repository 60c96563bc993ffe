"""Number fields: a whole number, a year, a decimal number (a grade average), each with optional bounds."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Annotated

from wtforms import DecimalField, IntegerField
from wtforms.validators import NumberRange, StopValidation

from caseflow.fields.base import FieldType, register
from caseflow.formats import number
from caseflow.i18n import lazy_gettext as _l


def as_number(value: Decimal | None) -> int | float | None:
    """Return a bound read from a file as a plain number (2, not 2.0 or Decimal('2'))."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class DecimalInput(DecimalField):
    """A number with decimals as people type it in Russian and Kyrgyz too: "4,6" is 4.6."""

    def process_formdata(self, valuelist):
        super().process_formdata([value.strip().replace(",", ".", 1) for value in valuelist])


def _read(form, field):
    # "4,6" is no number: say only that, not also that it is out of range.
    if field.data is None and field.process_errors:
        raise StopValidation()


def _finite(form, field):
    # DecimalField reads "NaN", "Infinity" and "sNaN"; NumberRange then fails
    # on sNaN with a ValueError (a server error), and NaN is no grade anyway.
    if isinstance(field.data, Decimal) and not field.data.is_finite():
        raise StopValidation(_l("Enter a number."))


class _Number(FieldType):
    options = frozenset({"min", "max"})
    is_number = True

    def bounds(self, spec) -> dict:
        return {key: as_number(value) for key, value in (("ge", spec.min), ("le", spec.max)) if value is not None}

    def shown(self, stored):
        return number(stored) if isinstance(stored, (int, float, Decimal)) else str(stored)

    def range_validator(self, spec) -> list:
        if spec.min is None and spec.max is None:
            return []
        return [NumberRange(min=as_number(spec.min), max=as_number(spec.max))]


@register
class IntegerType(_Number):
    """A whole number; in JSON an integer (``"3"`` and ``3.0`` are refused)."""

    name = "integer"

    def wtforms_field(self, spec, sources):
        return IntegerField(**self.wtforms_options(spec, _read, *self.range_validator(spec)))

    def schema(self, spec):
        return Annotated[int, self.schema_field(spec, **self.bounds(spec))]


@register
class YearType(IntegerType):
    """A calendar year (of enrolment): a whole number shown as a year is written, "2023", never "2,023"."""

    name = "year"

    def shown(self, stored):
        return str(stored)


@register
class DecimalType(_Number):
    """A number with decimals, stored rounded to ``places`` (default 2); in JSON a number, never text."""

    name = "decimal"
    options = frozenset({"min", "max", "places"})

    def places(self, spec) -> int:
        return spec.places if spec.places is not None else 2

    def wtforms_field(self, spec, sources):
        return DecimalInput(places=spec.places,
                            **self.wtforms_options(spec, _read, _finite, *self.range_validator(spec)))

    def schema(self, spec):
        return Annotated[float, self.schema_field(spec, allow_inf_nan=False, **self.bounds(spec))]

    def to_json(self, spec, value):
        if value is None or value == "":
            return None
        with localcontext() as exact:  # rounding a huge number needs more digits than the default 28
            exact.prec = 400
            return float(round(Decimal(str(value)), self.places(spec)))
