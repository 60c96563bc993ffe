"""Forms of the account pages: log in, sign up, staff accounts, faculties.

These forms check what a browser sends (presence, shape, lengths from
``caseflow.limits``); the rules of an account (a used address, a role's
faculty, a password's length) are ``accounts.operations``', whose messages
they show beside the fields.
"""

from __future__ import annotations

from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import EmailInput

from caseflow import limits
from caseflow.accounts.operations import MIN_PASSWORD, TOKEN_LIFETIMES
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
    """The address and the name; the password is chosen on the page the mailed link opens."""

    email = email_input(_l("E-mail address"), render_kw={"autocomplete": "email"})
    full_name = line_input(_l("Full name"), limits.LINE, render_kw={"autocomplete": "name"})


class NewPasswordForm(PageForm):
    """A new password, typed twice."""

    password = password_input(
        _l("New password"),
        # The operations check the length too; checking here shows it with the other mistakes at once.
        InputRequired(),
        Length(min=MIN_PASSWORD, message=lazy_ngettext("A password needs at least %(num)d character.",
                                                       "A password needs at least %(num)d characters.",
                                                       MIN_PASSWORD)),
        description=lazy_ngettext("At least %(num)d character.", "At least %(num)d characters.", MIN_PASSWORD),
        render_kw={"minlength": MIN_PASSWORD, "autocomplete": "new-password"},
    )
    password_again = password_input(
        _l("New password again"),
        InputRequired(),
        EqualTo("password", message=_l("The two passwords differ.")),
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current = password_input(_l("Current password"), InputRequired(), render_kw={"autocomplete": "current-password"})


class ForgotPasswordForm(PageForm):
    # Looked up, as on the login form: only its characters are checked.
    email = line_input(_l("E-mail address"), limits.EMAIL, widget=EmailInput(), render_kw={"autocomplete": "email"})


def _faculty_field():
    return SelectField(
        _l("Faculty"),
        validators=[Optional()],
        validate_choice=False,  # the operation names an unknown faculty
        description=_l("Only for faculty screeners: they see the cases of this faculty."),
    )


class StaffUserForm(SignupForm, NewPasswordForm):
    """An admin creates a staff account and gives it a first password."""

    role = SelectField(_l("Role"), choices=[SelectChoice(role, ROLE_LABELS[role]) for role in STAFF_ROLES])
    faculty = _faculty_field()


class AccountForm(PageForm):
    """An admin changes an existing account: its role, its faculty, whether it may log in."""

    role = SelectField(_l("Role"), choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()])
    faculty = _faculty_field()
    active = SelectField(_l("Status"), choices=[SelectChoice("1", _l("active")), SelectChoice("0", _l("switched off"))],
                         description=_l("A switched-off account cannot log in, and its sessions and tokens stop "
                                        "working at once."))


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


class RoomForm(PageForm):
    building = line_input(_l("Building"), limits.LINE)
    number = line_input(_l("Room"), limits.CHOICE)
    places = IntegerField(_l("Places"), validators=[InputRequired(), NumberRange(min=1, max=limits.ROOM_PLACES)])


class FacultyRenameForm(PageForm):
    code = HiddenField(validators=[InputRequired()])
    name = line_input(_l("New name"), limits.LINE)


class ListItemForm(PageForm):
    """Add a value to a reference list, or remove one (``remove`` set)."""

    list_name = HiddenField(validators=[InputRequired()])
    value = line_input(_l("Value"), limits.LINE)
    remove = HiddenField()


class TokenForm(PageForm):
    """A new API token: what it is for, and how long it lasts."""

    name = line_input(_l("What it is for"), limits.TOKEN_NAME,
                      description=_l("E.g. the faculty's import script; you see it in the list of your tokens."))
    days = SelectField(_l("Lasts"), default="90", choices=[
        SelectChoice(str(days) if days else "", lazy_ngettext("%(num)d day", "%(num)d days", days) if days
                     else _l("until revoked")) for days in TOKEN_LIFETIMES])
