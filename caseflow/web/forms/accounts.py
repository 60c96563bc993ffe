"""Forms of the account pages: log in, sign up, staff accounts, faculties.

These forms check what a browser sends (presence, shape, lengths from
``caseflow.limits``); the rules of an account (a used address, a role's
faculty, a password's length) are ``accounts.operations``', whose messages
they show beside the fields.
"""

from __future__ import annotations

from wtforms import HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp
from wtforms.widgets import EmailInput

from caseflow import limits
from caseflow.accounts.operations import MIN_PASSWORD
from caseflow.fields.text import email_input, line_input, password_input, strip
from caseflow.i18n import LANGUAGES, _, lazy_ngettext
from caseflow.i18n import lazy_gettext as _l
from caseflow.web.forms.base import PageForm
from caseflow.workflow.spec import STAFF_ROLES

# How each role is called on the pages (the role keys are the engine's).
ROLE_LABELS = {
    "applicant": _l("Applicant"),
    "faculty_screener": _l("Faculty screener"),
    "office_staff": _l("International office"),
    "admin": _l("Administrator"),
}



class LanguageForm(PageForm):
    """The switch on every page: one button per language; ``next`` is the page to go back to."""

    lang = SelectField(choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
                       validators=[InputRequired()])
    next = HiddenField()


class LoginForm(PageForm):
    # The address is looked up, not judged: only its characters are checked (one refused by a newer
    # e-mail rule than the account's still logs in).
    email = line_input(_l("E-mail address"), limits.EMAIL, widget=EmailInput())
    password = password_input(_l("Password"), InputRequired())
    next = HiddenField()

    def refusal(self) -> str:
        """The one message the page shows when the form does not validate: what is missing, or wrong."""
        given = self.email.data and self.password.data
        wrong = [str(message) for field in (self.email, self.password) for message in field.errors] if given else []
        return wrong[0] if wrong else _("Enter your e-mail address and your password.")


class SignupForm(PageForm):
    email = email_input(_l("E-mail address"), render_kw={"autocomplete": "email"})
    full_name = line_input(_l("Full name"), limits.LINE, render_kw={"autocomplete": "name"})
    password = password_input(
        _l("Password"),
        # create_user checks the length too; checking here shows it with the other mistakes at once.
        InputRequired(),
        Length(min=MIN_PASSWORD, message=lazy_ngettext("A password needs at least %(num)d character.",
                                                       "A password needs at least %(num)d characters.",
                                                       MIN_PASSWORD)),
        description=lazy_ngettext("At least %(num)d character.", "At least %(num)d characters.", MIN_PASSWORD),
        render_kw={"minlength": MIN_PASSWORD, "autocomplete": "new-password"},
    )
    password_again = password_input(
        _l("Password again"),
        InputRequired(),
        EqualTo("password", message=_l("The two passwords differ.")),
        render_kw={"autocomplete": "new-password"},
    )


class StaffUserForm(SignupForm):
    """An admin creates a staff account and gives it a first password."""

    role = SelectField(_l("Role"), choices=[SelectChoice(role, ROLE_LABELS[role]) for role in STAFF_ROLES])
    faculty = SelectField(
        _l("Faculty"),
        validators=[Optional()],
        validate_choice=False,  # create_user names an unknown faculty
        description=_l("Only for faculty screeners: they see the cases of this faculty."),
    )


class FacultyForm(PageForm):
    code = StringField(
        _l("Code"),
        filters=[strip],
        validators=[
            InputRequired(),
            Length(max=limits.FACULTY_CODE),
            Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Letters, digits, - and _ only.")),
        ],
        description=_l("A short code such as IT; it cannot be changed later."),
    )
    name = line_input(_l("Name"), limits.LINE)


class FacultyRenameForm(PageForm):
    code = HiddenField(validators=[InputRequired()])
    name = line_input(_l("New name"), limits.LINE)


class ListItemForm(PageForm):
    """Add a value to a reference list, or remove one (``remove`` set)."""

    list_name = HiddenField(validators=[InputRequired()])
    value = line_input(_l("Value"), limits.LINE)
    remove = HiddenField()
