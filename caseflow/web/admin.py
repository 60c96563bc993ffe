"""The administrators' pages: staff accounts, faculties and the reference lists workflows use."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from wtforms import SelectChoice

from caseflow import countries
from caseflow.accounts.auth import me
from caseflow.accounts.lifecycle import change_account
from caseflow.accounts.operations import create_user, revoke_token, save_faculty, tokens_of
from caseflow.cases import queries
from caseflow.cases.operations import add_list_item, declared_lists, remove_list_item
from caseflow.cases.rooms import HOSTEL, ROOM_PLACES, add_room, all_rooms
from caseflow.errors import Forbidden, Invalid
from caseflow.extensions import db
from caseflow.i18n import _
from caseflow.models.accounts import User
from caseflow.timeutil import utcnow
from caseflow.web.access import admin_only, page_number
from caseflow.web.account import tell_revoked
from caseflow.web.accounts import show_errors
from caseflow.web.filters import role_label
from caseflow.web.forms.accounts import (
    ROLE_LABELS,
    AccountForm,
    FacultyForm,
    FacultyRenameForm,
    ListItemForm,
    RoomForm,
    StaffUserForm,
)
from caseflow.web.forms.base import PageForm
from caseflow.workflow.spec import ReferenceList

USERS_PER_PAGE = 50


@admin_only
def admin_users():
    form = StaffUserForm()
    form.faculty.choices = _faculty_choices()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data, form.role.data,
                               form.faculty.data or None, form.full_name.data)
        except Invalid as error:
            fields = {"email": "email", "password": "password", "role": "role", "faculty": "faculty"}
            problems = show_errors(form, error, fields)
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


def _faculty_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("— none —")), *(SelectChoice(code, name) for code, name in queries.faculty_choices())]


@admin_only
def edit_user(user_id: int):
    """Change an account's role or faculty, or switch it off or on."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = AccountForm(data={"role": user.role, "faculty": user.faculty_code or "", "active": "1" if user.active
                             else "0"})
    form.faculty.choices = _faculty_choices()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            change_account(me(), user_id, form.role.data, form.faculty.data or None, form.active.data == "1")
        except Invalid as error:
            problems = show_errors(form, error, {"role": "role", "faculty": "faculty"})
        except Forbidden as error:
            problems = [error.message]
        else:
            flash(_("Account changed: %(email)s.", email=user.email), "success")
            return redirect(url_for("accounts.admin_users"), code=303)
    status = 422 if form.errors or problems else 200
    return render_template("accounts/admin_user.html", form=form, problems=problems, user=user,
                           tokens=tokens_of(user.id), now=utcnow()), status


@admin_only
def revoke_user_token(user_id: int, token_id: int):
    if not PageForm().validate():
        abort(400)
    tell_revoked(revoke_token(token_id, owner_id=user_id))
    return redirect(url_for("accounts.edit_user", user_id=user_id), code=303)


def _faculties_page(add_form: FacultyForm, rename_errors: dict[str, list[str]] | None = None, status=200):
    return render_template("accounts/admin_faculties.html", form=add_form, faculties=queries.faculties(),
                           rename_errors=rename_errors or {}), status


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


def reference_lists() -> dict[str, tuple[ReferenceList, list[str]]]:
    """Return every reference list, the workflows' and the office calendar's, with its values (one query)."""
    declared = declared_lists()
    values = queries.reference_items(list(declared))
    return {name: (declared[name], values.get(name, [])) for name in sorted(declared)}


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
                shown = countries.name(form.value.data) if lists[name][0].values == "country" else form.value.data
                if form.remove.data:
                    remove_list_item(name, form.value.data)
                    flash(_("Removed %(value)s from the list.", value=shown), "success")
                else:
                    add_list_item(name, form.value.data)
                    flash(_("Added %(value)s to the list.", value=shown), "success")
                return redirect(url_for("accounts.admin_lists"), code=303)
            except Invalid as error:
                errors[name] = error.errors.get("value", [error.message])
    return render_template("accounts/admin_lists.html", lists=lists, errors=errors,
                           country_options=countries.options()), 422 if errors else 200


@admin_only
def admin_rooms():
    """The hostel's rooms and their places taken; an admin adds a room."""
    form = RoomForm(data={"building": HOSTEL, "places": ROOM_PLACES} if request.method == "GET" else None)
    if request.method == "POST" and form.validate_on_submit():
        try:
            room = add_room(form.building.data, form.number.data, form.places.data)
        except Invalid as error:
            for key, messages in error.errors.items():
                form[key].errors = [*form[key].errors, *messages]
        else:
            flash(_("Room added: %(room)s.", room=room.name), "success")
            return redirect(url_for("accounts.admin_rooms"), code=303)
    status = 422 if form.errors else 200
    return render_template("accounts/admin_rooms.html", rooms=all_rooms(), form=form), status
