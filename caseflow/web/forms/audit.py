"""The audit log page's filters: read from the address (GET), so a filtered list can be linked and exported."""

from __future__ import annotations

from wtforms import DateField, SelectField, ValidationError
from wtforms.validators import Optional

from caseflow import limits
from caseflow.fields.text import line_input
from caseflow.i18n import lazy_gettext as _l
from caseflow.web.forms.base import SubForm

FIRST_YEAR, LAST_YEAR = 2000, 2999  # the log holds nothing before the service and no moment past the calendar


def _plausible(_form, field) -> None:
    if field.data is not None and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("Give a day between the years 2000 and 2999."))


class AuditFilterForm(SubForm):
    action = SelectField(_l("Action"), validators=[Optional()], validate_choice=True)
    actor = line_input(_l("Who (part of the e-mail address)"), limits.EMAIL, required=False)
    target = line_input(_l("What (exactly, e.g. user:12, faculty:IT, call:3)"), limits.LINE, required=False)
    since = DateField(_l("From"), validators=[Optional(), _plausible])
    until = DateField(_l("Until"), validators=[Optional(), _plausible])
