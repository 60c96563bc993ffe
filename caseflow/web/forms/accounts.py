"""Forms of the account pages: log in, sign up, staff accounts, faculties.

These forms check what a browser sends (presence, shape, lengths from
``caseflow.limits``); the rules of an account (a used address, a role's
faculty, a password's length) are ``accounts.operations``', whose messages
they show beside the fields.
"""

from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, Regexp

from caseflow import limits
from caseflow.accounts.operations import MIN_PASSWORD, TOKEN_LIFETIMES
from caseflow.fields.text import line_input, strip
from caseflow.i18n import LANGUAGES, lazy_ngettext
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
    email = EmailField(_l("E-mail address"), filters=[strip], validators=[InputRequired(), Length(max=limits.EMAIL)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=limits.PASSWORD)])
    next = HiddenField()


class SignupForm(PageForm):
    """The address and the name; the password is chosen on the page the mailed link opens."""

    email = EmailField(
        _l("E-mail address"),
        filters=[strip],
        validators=[InputRequired(), Email(check_deliverability=False), Length(max=limits.EMAIL)],
        render_kw={"autocomplete": "email"},
    )
    full_name = line_input(_l("Full name"), limits.LINE, render_kw={"autocomplete": "name"})


class NewPasswordForm(PageForm):
    """A new password, typed twice."""

    password = PasswordField(
        _l("Password"),
        # The operations check the length too; checking here shows it with the other mistakes at once.
        validators=[
            InputRequired(),
            Length(min=MIN_PASSWORD, max=limits.PASSWORD,
                   message=lazy_ngettext("A password needs at least %(num)d character.",
                                          "A password needs at least %(num)d characters.", MIN_PASSWORD)),
        ],
        description=lazy_ngettext("At least %(num)d character.", "At least %(num)d characters.", MIN_PASSWORD),
        render_kw={"minlength": MIN_PASSWORD, "autocomplete": "new-password"},
    )
    password_again = PasswordField(
        _l("Password again"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=limits.PASSWORD)],
                            render_kw={"autocomplete": "current-password"})


class ForgotPasswordForm(PageForm):
    email = EmailField(_l("E-mail address"), filters=[strip], validators=[InputRequired(), Length(max=limits.EMAIL)],
                       render_kw={"autocomplete": "email"})


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
