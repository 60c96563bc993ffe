"""Login, logout, sign-up and the admin's account pages.

Pages that are not case pages answer 403 with a message to a logged-in user
whose role may not use them (a case page answers 404: invisible means absent).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from urllib.parse import urljoin, urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import SelectChoice

from caseflow.accounts.forms import (
    ROLE_LABELS,
    FacultyForm,
    FacultyRenameForm,
    ListItemForm,
    LoginForm,
    SignupForm,
    StaffUserForm,
)
from caseflow.accounts.models import User
from caseflow.accounts.operations import create_user, find_user, save_faculty
from caseflow.accounts.permissions import can_manage_accounts
from caseflow.cases import queries
from caseflow.cases.errors import Invalid
from caseflow.cases.operations import add_list_item, remove_list_item
from caseflow.catalog import catalog
from caseflow.extensions import login_manager
from caseflow.i18n import _
from caseflow.scheduling.deadlines import DATE_LISTS

bp = Blueprint("accounts", __name__)

# Any fixed origin will do: a target is safe when joining it to an origin
# leaves that origin unchanged.
_ORIGIN = "https://caseflow.invalid/"
USERS_PER_PAGE = 50


def is_safe_next(target: str | None) -> bool:
    """Return whether ``target`` is a path on this site, safe to redirect to after login.

    Refused: absolute URLs, scheme-relative ``//host``, backslashes (browsers
    read ``/\\host`` as ``//host``), control characters (browsers drop tabs
    and newlines, so ``/\\t/host`` becomes ``//host``), and anything that has
    a scheme or a host once joined to our origin.
    """
    if not target or len(target) > 2000:
        return False
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return False
    joined, origin = urlsplit(urljoin(_ORIGIN, target)), urlsplit(_ORIGIN)
    return (joined.scheme, joined.netloc) == (origin.scheme, origin.netloc)


def forbidden(message: str):
    """Render the 403 page with a message saying why."""
    return render_template("error.html", status=403, message=message), 403


def requires(predicate: Callable[[User], bool], message: Callable[[], str]):
    """Let a view run only for logged-in users for whom ``predicate`` holds; 403 otherwise."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not predicate(current_user):
                return forbidden(message())
            return view(*args, **kwargs)

        return guarded

    return decorate


admin_only = requires(can_manage_accounts, lambda: _("Only administrators may manage accounts and faculties."))


@bp.app_template_filter("role_label")
def role_label(role: str | None) -> str:
    """Show a role key the way people call it."""
    return str(ROLE_LABELS.get(role, role or ""))


def _home_or(target: str | None):
    return redirect(target if is_safe_next(target) else url_for("cases.home"), code=303)


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a password of anyone")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated:
        return _home_or(form.next.data)
    error = None
    if form.validate_on_submit():
        user = find_user(form.email.data)
        if user is None:
            check_password_hash(_dummy_hash(), form.password.data)  # answer as slowly as for a real account
        elif user.check_password(form.password.data):
            if user.active:
                login_user(user)
                session.permanent = True  # lasts CASEFLOW_SESSION_HOURS, not until the browser closes
                flash(_("Welcome, %(name)s.", name=user.display_name), "success")
                return _home_or(form.next.data)
            error = _("This account is switched off. Ask the international office.")
        error = error or _("Wrong e-mail or password.")
    elif form.is_submitted():
        error = _("Enter your e-mail address and your password.")
    status = 422 if error else 200
    return render_template("accounts/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("cases.home"), code=303)


def _show_errors(form, error: Invalid, fields: dict[str, str]) -> list[str]:
    """Put an operation's field errors beside the form's fields; return the rest."""
    others = []
    for key, messages in error.errors.items():
        target = fields.get(key)
        if target is not None:
            form[target].errors = [*form[target].errors, *messages]
        else:
            others.extend(messages)
    return others or ([] if error.errors else [error.message])


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    next_target = request.args.get("next", "")
    if current_user.is_authenticated:
        return _home_or(next_target)
    form = SignupForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data, "applicant", None, form.full_name.data)
        except Invalid as error:
            problems = _show_errors(form, error, {"email": "email", "password": "password"})
        else:
            login_user(user)
            session.permanent = True
            flash(_("Your account is ready. Welcome, %(name)s.", name=user.display_name), "success")
            return _home_or(next_target)
    status = 422 if form.errors or problems else 200
    return render_template("accounts/signup.html", form=form, problems=problems, next=next_target), status


@bp.route("/admin/users", methods=["GET", "POST"])
@admin_only
def admin_users():
    form = StaffUserForm()
    form.faculty.choices = [SelectChoice("", _("— none —")),
                            *(SelectChoice(code, name) for code, name in queries.faculty_choices())]
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data, form.role.data,
                               form.faculty.data or None, form.full_name.data)
        except Invalid as error:
            fields = {"email": "email", "password": "password", "role": "role", "faculty": "faculty"}
            problems = _show_errors(form, error, fields)
        else:
            flash(_("Account created: %(email)s (%(role)s).", email=user.email, role=role_label(user.role)),
                  "success")
            return redirect(url_for("accounts.admin_users"), code=303)
    role = request.args.get("role")
    role = role if role in ROLE_LABELS else None
    page = queries.users(role=role, page=page_number(), per_page=USERS_PER_PAGE)
    status = 422 if form.errors or problems else 200
    return render_template("accounts/admin_users.html", form=form, problems=problems, users=page,
                           role=role, roles=ROLE_LABELS), status


def page_number() -> int:
    """Return the ``?page=`` asked for; anything but a sensible positive number is page 1."""
    value = request.args.get("page", "")
    return min(int(value), 100_000) if value.isdecimal() and int(value) > 0 else 1


def _faculties_page(add_form: FacultyForm, rename_errors: dict[str, list[str]] | None = None, status=200):
    return render_template("accounts/admin_faculties.html", form=add_form, faculties=queries.faculties(),
                           rename_errors=rename_errors or {}), status


@bp.route("/admin/faculties", methods=["GET", "POST"])
@admin_only
def admin_faculties():
    form = FacultyForm()
    if form.validate_on_submit():
        code = form.code.data.upper()
        if code in {faculty.code for faculty in queries.faculties()}:
            form.code.errors = [_("A faculty with this code exists already; rename it in the list.")]
        else:
            save_faculty(code, form.name.data)
            flash(_("Faculty added: %(code)s.", code=code), "success")
            return redirect(url_for("accounts.admin_faculties"), code=303)
    return _faculties_page(form, status=422 if form.errors else 200)


@bp.route("/admin/faculties/rename", methods=["POST"])
@admin_only
def rename_faculty():
    form = FacultyRenameForm()
    known = {faculty.code for faculty in queries.faculties()}
    if form.code.data not in known:
        return _faculties_page(FacultyForm(formdata=None), {"": [_("There is no such faculty.")]}, 422)
    if not form.validate_on_submit():
        return _faculties_page(FacultyForm(formdata=None), {form.code.data: form.name.errors}, 422)
    save_faculty(form.code.data, form.name.data)
    flash(_("Faculty renamed: %(code)s.", code=form.code.data), "success")
    return redirect(url_for("accounts.admin_faculties"), code=303)


def reference_lists() -> dict[str, list[str]]:
    """Return every reference list a workflow refers to, with its values (one query)."""
    names = sorted({case["when"]["in_list"] for workflow in catalog() for item in workflow.derived
                    for case in item.cases if "in_list" in case.get("when", {})} | set(DATE_LISTS))
    values = queries.reference_items(names)
    return {name: values.get(name, []) for name in names}


@bp.route("/admin/lists", methods=["GET", "POST"])
@admin_only
def admin_lists():
    """Edit the reference lists workflows use (e.g. the labour-migration agreement states)."""
    lists = reference_lists()
    errors: dict[str, list[str]] = {}
    form = ListItemForm()
    if request.method == "POST":
        name = form.list_name.data
        if name not in lists:
            errors[""] = [_("There is no such list.")]
        elif not form.validate_on_submit():
            errors[name] = form.value.errors or [_("The form expired; send it again.")]
        else:
            try:
                if form.remove.data:
                    remove_list_item(name, form.value.data)
                    flash(_("Removed %(value)s from the list.", value=form.value.data), "success")
                else:
                    add_list_item(name, form.value.data)
                    flash(_("Added %(value)s to the list.", value=form.value.data), "success")
                return redirect(url_for("accounts.admin_lists"), code=303)
            except Invalid as error:
                errors[name] = error.errors.get("value", [error.message])
    return render_template("accounts/admin_lists.html", lists=lists, errors=errors), 422 if errors else 200
