"""``GET /api/v1/exports/<name>.<format>``: a type's cases as a table (the workflow's ``[export]``)."""

from __future__ import annotations

from flask import Response, request
from flask_login import current_user, login_required

from caseflow.accounts.permissions import can_export
from caseflow.api.blueprint import bp
from caseflow.cases import exports, queries
from caseflow.catalog import catalog
from caseflow.errors import Forbidden, Invalid, NotFound
from caseflow.i18n import _
from caseflow.timeutil import utcnow

MAX_ROWS = 10_000
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@bp.get("/exports/<name>.<fmt>")
@login_required
def export_cases(name: str, fmt: str):
    workflow = next((w for w in catalog() if w.export is not None and w.export.name == name), None)
    if workflow is None or fmt not in FORMATS:
        raise NotFound(_("No such export."))
    user = current_user._get_current_object()
    if not can_export(user):
        raise Forbidden(_("Exports hold personal data; only the international office may download them."))
    states = request.args.getlist("state")
    known = {s.name for s in workflow.states}
    if any(state not in known for state in states):
        message = _("Unknown state; one of: %(states)s.", states=", ".join(sorted(known)))
        raise Invalid(message, {"state": [message]})
    raw_ids = [part for value in request.args.getlist("ids") for part in value.split(",") if part.strip()]
    if not all(part.strip().isascii() and part.strip().isdigit() and len(part.strip()) < 10 for part in raw_ids):
        message = _("ids is a comma-separated list of case ids.")
        raise Invalid(message, {"ids": [message]})
    cases = queries.cases_for_export(user, workflow.name, states, [int(p) for p in raw_ids], MAX_ROWS)
    headers, rows = exports.table(workflow, cases)
    body = exports.to_csv(headers, rows) if fmt == "csv" else exports.to_xlsx(headers, rows, workflow.label)
    filename = f"{name}-{utcnow():%Y-%m-%d}.{fmt}"
    return Response(body, mimetype=FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
