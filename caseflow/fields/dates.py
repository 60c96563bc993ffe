"""A calendar day, stored as YYYY-MM-DD."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from wtforms import DateField

from caseflow.fields.base import FieldType, register
from caseflow.formats import day
from caseflow.i18n import _, ngettext
from caseflow.timeutil import office_today, years_before


@register
class DateType(FieldType):
    """A day, e.g. the start of a stay; in JSON the text YYYY-MM-DD."""

    name = "date"
    described = "YYYY-MM-DD"
    # min_age: the day is a date of birth, so never after today and at least that many years before it
    # (the work permit's "18 years of age or older").  not_past: today or later (a move-in); not_future:
    # today or earlier (the day a permit was issued).
    options = frozenset({"min_age", "not_past", "not_future"})

    def problem(self, spec, value):
        today = office_today()
        if spec.not_past and value < today:
            return _("This day is in the past; give today or a later day.")
        if spec.not_future and value > today:
            return _("This day is in the future; give today or an earlier day.")
        if spec.min_age is None:
            return None
        if value > today:
            return _("A date of birth cannot be in the future.")
        latest = years_before(today, spec.min_age)
        if value > latest:
            return ngettext("At least %(num)d year of age: born on %(day)s or earlier.",
                            "At least %(num)d years of age: born on %(day)s or earlier.",
                            spec.min_age, day=day(latest))
        return None

    def wtforms_field(self, spec, sources):
        return DateField(**self.wtforms_options(spec))

    def schema(self, spec):
        return Annotated[date, self.schema_field(spec), self._schema_check(spec)]

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
