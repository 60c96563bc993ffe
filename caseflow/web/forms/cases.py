"""WTForms built from a workflow's fields, and the other case forms.

The same form classes validate the web pages and the JSON API (through
``caseflow.formdata``), so a rule and its message exist once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)

from caseflow.i18n import lazy_gettext as _l
from caseflow.workflow.spec import Field, Workflow, as_number

PHONE = r"^\+?[0-9][0-9 ()\-]{5,24}$"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _wtforms_field(spec: Field, faculties: list[tuple[str, str]], partners: list[tuple[str, str]]):
    validators = [InputRequired() if spec.required else Optional()]
    options = {"label": spec.label, "description": spec.help, "validators": validators}
    if spec.type in ("string", "text", "email", "phone"):
        options["filters"] = [_strip]
        validators.append(Length(max=spec.max_length or (5000 if spec.type == "text" else 200)))
    if spec.type == "decimal":
        validators.append(_finite)
    if spec.type in ("integer", "decimal") and (spec.min is not None or spec.max is not None):
        validators.append(NumberRange(min=as_number(spec.min), max=as_number(spec.max)))
    if spec.type == "string":
        return StringField(**options)
    if spec.type == "text":
        return TextAreaField(**options)
    if spec.type == "email":
        validators.append(Email(check_deliverability=False))
        return EmailField(**options)
    if spec.type == "phone":
        validators.append(Regexp(PHONE, message=_l("Enter a phone number: digits, spaces, +, - and brackets.")))
        return StringField(**options)
    if spec.type == "integer":
        return IntegerField(**options)
    if spec.type == "decimal":
        return DecimalField(places=spec.places, **options)
    if spec.type == "date":
        return DateField(**options)
    if spec.type == "choice":
        choices = [(c.value, c.label) for c in spec.choices]
    elif spec.type == "faculty":
        choices = faculties
    else:  # partner
        choices = partners
    validators.append(_one_of([value for value, _label in choices]))
    # validate_choice=False: _one_of gives the message, and an empty choice is "required".
    # SelectChoice, not (value, label) tuples: WTForms 3.3 deprecates tuples (a warning, an error in tests).
    options["choices"] = [SelectChoice("", _l("— choose —")), *(SelectChoice(v, label) for v, label in choices)]
    return SelectField(validate_choice=False, **options)


def _finite(form, field):
    # DecimalField reads "NaN", "Infinity" and "sNaN"; NumberRange then fails
    # on sNaN with a ValueError (a server error), and NaN is no grade anyway.
    if isinstance(field.data, Decimal) and not field.data.is_finite():
        raise StopValidation(_l("Enter a number."))


def _one_of(values: list[str]):
    allowed = set(values)

    def check(form, field):
        if field.data not in (None, "") and field.data not in allowed:
            raise ValidationError(_l("Choose one of the listed options."))

    return check


class ApplicationFormBase(FlaskForm):
    """Base of every generated application form."""

    def cleaned_data(self, workflow: Workflow) -> dict:
        """Return the field values as JSON-ready Python values, in the workflow's order."""
        result = {}
        for spec in workflow.form_fields:
            value = self[spec.name].data
            if isinstance(value, Decimal):
                value = float(round(value, spec.places or 2))
            elif isinstance(value, date):
                value = value.isoformat()
            if value == "":
                value = None
            result[spec.name] = value
        return result


def form_values(workflow: Workflow, data: dict) -> dict:
    """Turn stored data (JSON values) into the values the form's fields hold, e.g. dates."""
    values = {}
    for spec in workflow.form_fields:
        value = data.get(spec.name)
        if spec.type == "date" and isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
        if value is not None:
            values[spec.name] = value
    return values


def application_form_class(workflow: Workflow, faculties: list[tuple[str, str]],
                           partners: list[tuple[str, str]]) -> type[ApplicationFormBase]:
    """Build the form class of ``workflow``'s application, with today's faculties and partners."""
    attributes = {
        spec.name: _wtforms_field(spec, faculties, partners) for spec in workflow.form_fields
    }
    return type(f"{workflow.name.title()}ApplicationForm", (ApplicationFormBase,), attributes)


class TransitionForm(FlaskForm):
    """The form behind every action button on a case page."""

    transition = HiddenField(validators=[InputRequired()])
    version = HiddenField(validators=[InputRequired(), Regexp(r"^\d+$")])
    comment = TextAreaField(_l("Comment"), filters=[_strip], validators=[Optional(), Length(max=5000)])


class PartnerForm(Form):
    # Set for a call's existing partner when the call is edited; empty for a new one.
    id = HiddenField(validators=[Optional(), Regexp(r"^[1-9][0-9]{0,9}$", message=_l("Not a partner of this call."))])
    name = StringField(_l("Partner institution"), filters=[_strip], validators=[InputRequired(), Length(max=200)])
    country = StringField(_l("Country"), filters=[_strip], validators=[InputRequired(), Length(max=100)])
    seats = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=1, max=1000)])


class StaffChoices(SelectMultipleField):
    """Accounts chosen from a list; one not offered gets a message a person can act on."""

    def pre_validate(self, form):
        offered = {value for value, *_rest in self.choices}
        if any(value not in offered for value in self.data or ()):
            raise ValidationError(_l("Choose staff accounts from the list."))


class CallForm(FlaskForm):
    """A call for applications: name, case type, deadline and partners."""

    name = StringField(_l("Name"), filters=[_strip], validators=[InputRequired(), Length(max=200)])
    type = SelectField(_l("Case type"), validators=[InputRequired()])
    deadline = DateTimeLocalField(
        _l("Deadline"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d"],
        validators=[InputRequired()],
        description=_l("Office time, unless an offset is given."),
    )
    seats = IntegerField(
        _l("Places"),
        validators=[Optional(), NumberRange(min=1, max=100_000)],
        description=_l("For calls whose places are the call's own (an event, a scholarship); empty: no limit."),
    )
    description = TextAreaField(
        _l("Description"),
        filters=[_strip],
        validators=[Optional(), Length(max=20_000)],
        description=_l("Shown on the call's public page: the programme, conditions, contacts."),
    )
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
    partners = FieldList(FormField(PartnerForm), min_entries=0, max_entries=200)

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
