"""A calendar day, stored as YYYY-MM-DD."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from wtforms import DateField

from caseflow.fields.base import FieldType, register
from caseflow.formats import day


@register
class DateType(FieldType):
    """A day, e.g. the start of a stay; in JSON the text YYYY-MM-DD."""

    name = "date"
    described = "YYYY-MM-DD"

    def wtforms_field(self, spec, sources):
        return DateField(**self.wtforms_options(spec))

    def schema(self, spec):
        return Annotated[date, self.schema_field(spec)]

    def to_json(self, spec, value):
        return value.isoformat() if isinstance(value, date) else super().to_json(spec, value)

    def shown(self, stored):
        try:
            return day(stored if isinstance(stored, date) else date.fromisoformat(str(stored)))
        except ValueError:  # not a day (an old value): as it is
            return str(stored)

    def to_form(self, spec, stored):
        if isinstance(stored, str):
            try:
                return date.fromisoformat(stored)
            except ValueError:
                return None
        return stored
