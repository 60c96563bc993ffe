"""The case pages' forms: the application (built from the workflow's field types), an action, a call."""

from __future__ import annotations

from flask import current_app
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    TimeField,
)
from wtforms.validators import (
    InputRequired,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from caseflow import countries, limits
from caseflow.cases.operations import Schedule
from caseflow.errors import OUTSIDE_CALENDAR
from caseflow.fields import ChoiceSources
from caseflow.fields.choices import CHOOSE, NOT_LISTED
from caseflow.fields.text import line_input, lines_input
from caseflow.i18n import LANGUAGES
from caseflow.i18n import lazy_gettext as _l
from caseflow.routing import ID_PATTERN
from caseflow.timeutil import to_utc
from caseflow.web.forms.base import PageForm, SubForm, submission_field
from caseflow.workflow.loader import NAME
from caseflow.workflow.spec import Workflow


class ApplicationFormBase(PageForm):
    """Base of every generated application form."""

    submission = submission_field()

    def cleaned_data(self, workflow: Workflow) -> dict:
        """Return the field values as they are stored (JSON), in the workflow's order."""
        return {spec.name: spec.kind.to_json(spec, self[spec.name].data) for spec in workflow.form_fields
                if spec.name in self}


def form_values(workflow: Workflow, data: dict) -> dict:
    """Turn stored data (JSON values) into the values the form's fields hold, e.g. dates."""
    values = {spec.name: spec.kind.to_form(spec, data.get(spec.name)) for spec in workflow.form_fields}
    return {name: value for name, value in values.items() if value is not None}


def application_form_class(workflow: Workflow, sources: ChoiceSources,
                           variant: str | None = None) -> type[ApplicationFormBase]:
    """Build the form class of ``workflow``'s application to a call of ``variant`` (its programme), its lists
    from ``sources`` (faculties, partners)."""
    asked = workflow.form_fields_for({workflow.variant_field: variant}) if workflow.variant_field \
        else workflow.form_fields
    attributes = {spec.name: spec.kind.wtforms_field(spec, sources) for spec in asked}
    return type(f"{workflow.name.title()}ApplicationForm", (ApplicationFormBase,), attributes)


class TransitionForm(PageForm):
    """The form behind every action button on a case page."""

    # A name as the workflow files write them: a crafted one is a damaged form, never echoed in a message.
    transition = HiddenField(validators=[InputRequired(), Regexp(NAME)])
    version = HiddenField(validators=[InputRequired(), Regexp(r"^\d+$")])
    comment = lines_input(_l("Comment"), limits.TEXT)
    submission = submission_field()
    # Ticked to confirm a move that closes the case for good (Workflow.asks_confirmation).
    confirmed = BooleanField(_l("Yes: this closes the case, and it cannot be undone."))

    def recorded(self, workflow: Workflow) -> dict:
        """The values of the fields its transition records (``recorded_at``), as they are stored."""
        return {spec.name: spec.kind.to_json(spec, self[spec.name].data)
                for spec in workflow.recorded_fields(self.transition.data or "")}


def transition_form_class(workflow: Workflow, transition: str,
                          sources: ChoiceSources | None = None) -> type[TransitionForm]:
    """The action form of ``transition``: the comment, and the fields it records (a permit's number) or
    changes (the partner), their lists from ``sources``."""
    fields = workflow.recorded_fields(transition)
    if not fields:
        return TransitionForm
    attributes = {spec.name: spec.kind.wtforms_field(spec, sources or ChoiceSources()) for spec in fields}
    return type(f"{transition.title()}Form", (TransitionForm,), attributes)


def _a_country(form, field):
    if field.data and not countries.is_code(field.data):
        raise ValidationError(NOT_LISTED)


class NoteForm(PageForm):
    note = lines_input(_l("Internal note"), limits.TEXT, required=True,
                       description=_l("For the staff: the applicant never sees it, and nobody is mailed."))


class PartnerForm(SubForm):
    # Set for a call's existing partner when the call is edited; empty for a new one.
    id = HiddenField(validators=[Optional(), Regexp(f"^{ID_PATTERN}$", message=_l("Not a partner of this call."))])
    name = line_input(_l("Partner institution"), limits.LINE)
    country = SelectField(_l("Country"), validate_choice=False, validators=[InputRequired(), _a_country],
                          choices=lambda: [SelectChoice("", CHOOSE), *(SelectChoice(code, name)
                                                                       for code, name in countries.options())])
    seats = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=1, max=limits.PARTNER_SEATS)])


class StaffChoices(SelectMultipleField):
    """Accounts chosen from a list; one not offered gets a message a person can act on."""

    def pre_validate(self, form):
        offered = {value for value, *_rest in self.choices}
        if any(value not in offered for value in self.data or ()):
            raise ValidationError(_l("Choose staff accounts from the list."))


class CallTextsForm(SubForm):
    """A call's name and description in one more language; empty: its readers see them as written."""

    name = line_input(_l("Name"), limits.LINE, required=False)
    description = lines_input(_l("Description"), limits.DESCRIPTION)


class CallForm(PageForm):
    """A call for applications: name, case type, deadline and partners."""

    name = line_input(_l("Name"), limits.LINE)
    type = SelectField(_l("Case type"), validators=[InputRequired()])
    deadline = DateTimeLocalField(
        _l("Deadline"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"],
        validators=[InputRequired()],
        description=_l("Office time, unless an offset is given."),
    )
    seats = IntegerField(
        _l("Places"),
        validators=[Optional(), NumberRange(min=1, max=limits.CALL_SEATS)],
        description=_l("For calls whose places are the call's own (an event, a scholarship); empty: no limit."),
    )
    description = lines_input(_l("Description"), limits.DESCRIPTION, description=_l(
        "Shown on the call's public page: the programme, conditions, contacts."))
    first_day = DateField(_l("First day"), validators=[Optional()], description=_l(
        "For kinds whose calls have a period (an event's days, the days the stays must fall in)."))
    last_day = DateField(_l("Last day"), validators=[Optional()])
    starts_at = TimeField(_l("Starts at"), validators=[Optional()], description=_l(
        "The time of day it starts on its first day, in office time (an event's opening); may stay empty."))
    ends_at = TimeField(_l("Ends at"), validators=[Optional()], description=_l(
        "The time of day it ends on its last day."))
    place = line_input(_l("Place"), limits.LINE, required=False)
    contact = line_input(_l("Contact"), limits.LINE, required=False,
                         description=_l("Whom applicants ask: a person, an e-mail address, a phone number."))
    reserve_list = BooleanField(_l("Keep a reserve list"), description=_l(
        "Applicants may then choose a partner with no seat left, as reserves; otherwise a full partner cannot "
        "be chosen."))
    variant = SelectField(
        _l("Programme"),
        validators=[Optional()],
        description=_l("For kinds of call with several programmes (scholarships): which one this call is."),
    )
    commission = StaffChoices(
        _l("Selection commission"),
        coerce=int,
        validators=[Optional()],
        description=_l("For calls decided by a ranking (the summer school): the staff accounts that score "
                       "the applications. Hold Ctrl to choose several."),
    )
    partners = FieldList(FormField(PartnerForm), min_entries=0, max_entries=limits.PARTNERS)

    def validate_deadline(self, field):
        if field.data is None:  # not a date at all: the field said so already
            return
        try:
            to_utc(field.data, current_app.config["CASEFLOW_TIMEZONE"])
        except ValueError:
            raise ValidationError(OUTSIDE_CALENDAR) from None

    def texts_forms(self) -> list[tuple[str, str, CallTextsForm]]:
        """(language, its name, the sub-form of the call's texts in it), for the page."""
        return [(code, language, self[f"in_{code}"].form) for code, language in LANGUAGES.items()]

    def translations(self) -> dict:
        """The texts in each language, as create_call and update_call take them."""
        return {code: {"name": self[f"in_{code}"].form.name.data or "",
                       "description": self[f"in_{code}"].form.description.data or ""} for code in LANGUAGES}

    def schedule(self) -> Schedule:
        """Its period, place and contact, as create_call and update_call take them."""
        return Schedule(self.first_day.data, self.last_day.data, self.place.data or "", self.contact.data or "",
                        bool(self.reserve_list.data), self.starts_at.data, self.ends_at.data)

    def partner_rows(self) -> list[dict]:
        """Return the partner rows as create_call and update_call take them (``id`` None: a new partner)."""
        return [
            {"id": int(row.form.id.data) if row.form.id.data else None, "name": row.form.name.data,
             "country": row.form.country.data, "seats": row.form.seats.data}
            for row in self.partners.entries
        ]

    def validate_partners(self, field):
        names = [entry.form.name.data for entry in field.entries]
        if len(names) != len(set(names)):
            raise ValidationError(_l("Each partner may be listed once."))



# One sub-form per language we speak: the call's texts for its readers (WTForms reads fields set on the class).
for _code, _language in LANGUAGES.items():
    setattr(CallForm, f"in_{_code}", FormField(CallTextsForm, label=_language))
