"""``/admin/audit``: the audit log for admins, filtered, paged, and as a CSV file."""

from __future__ import annotations

import json
from datetime import UTC
from zoneinfo import ZoneInfo

from flask import Response, current_app, render_template, request
from wtforms import SelectChoice

from caseflow.audit import ACTIONS
from caseflow.cases import audit_log
from caseflow.cases.exports import to_csv
from caseflow.i18n import _
from caseflow.web.access import admin_only, page_number
from caseflow.web.forms.audit import AuditFilterForm

PER_PAGE = 50


def _filters() -> tuple[AuditFilterForm, audit_log.AuditFilter | None]:
    """The form as asked in the address, and the filter it gives (None: the form is refused)."""
    form = AuditFilterForm(formdata=request.args)
    form.action.choices = [SelectChoice("", _("— any —")),
                           *(SelectChoice(action, label) for action, label in ACTIONS.items())]
    if request.args and not form.validate():
        return form, None
    return form, audit_log.AuditFilter(action=form.action.data or "", actor=form.actor.data or "",
                                       target=form.target.data or "", since=form.since.data,
                                       until=form.until.data)


def shown(values: dict) -> str:
    """An entry's values as one line of text: key: value, …"""
    return "; ".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in values.items())


def _refused(form: AuditFilterForm):
    """The page with the filters' messages beside them, and no list."""
    return render_template("accounts/audit.html", form=form, page=None, args={}), 422


@admin_only
def audit_page():
    form, filters = _filters()
    if filters is None:
        return _refused(form)
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("accounts/audit.html", form=form, page=audit_log.entries(filters, page_number(), PER_PAGE),
                           args=args, shown=shown, actions=ACTIONS)


@admin_only
def audit_file():
    form, filters = _filters()
    if filters is None:
        return _refused(form)
    headers = [_("When (office time)"), _("Who"), _("From address"), _("Action"), _("Code"), _("What"), _("Before"),
               _("After")]
    # The file keeps the exact moment (ISO 8601 with the office's offset), for whoever compares it with other logs.
    zone = ZoneInfo(current_app.config["CASEFLOW_TIMEZONE"])
    rows = [[entry.at.replace(tzinfo=UTC).astimezone(zone).isoformat(timespec="seconds"), entry.actor,
             entry.address, str(ACTIONS[entry.action]), entry.action, entry.target,
             json.dumps(entry.before, ensure_ascii=False), json.dumps(entry.after, ensure_ascii=False)]
            for entry in audit_log.all_entries(filters)]
    return Response(to_csv(headers, rows), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'})
