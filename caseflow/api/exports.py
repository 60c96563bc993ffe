"""``GET /exports/<name>.<fmt>``: a type's cases as a table (the workflow's ``[export]``)."""

from __future__ import annotations

from typing import Annotated, Literal

from flask import Response
from pydantic import Field, create_model

from caseflow.accounts.auth import me
from caseflow.api.schemas.base import Query, Setting, built
from caseflow.cases import exports, queries
from caseflow.catalog import catalog
from caseflow.errors import NotFound
from caseflow.i18n import _
from caseflow.i18n import lazy_gettext as _l
from caseflow.routing import ID_PATTERN
from caseflow.timeutil import office_today

MAX_ROWS = 10_000
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
IDS = f"^{ID_PATTERN}(?:,{ID_PATTERN})*$"


@built
def export_query(setting: Setting) -> type[Query]:
    states = tuple(sorted({s.name for w in setting.catalog if w.export for s in w.states}))
    shape = create_model(
        "ExportQuery", __base__=Query,
        state=(list[Literal[states]] | None, Field(None, description="Only cases in these states")),
        ids=(Annotated[str, Field(pattern=IDS, max_length=2000)] | None, Field(
            None, description="Only these cases (comma-separated ids)")),
    )
    shape.__messages__ = {"ids": _l("ids is a comma-separated list of case ids.")}
    return shape


def export_parameters(setting: Setting) -> dict:
    names = sorted(w.export.name for w in setting.catalog if w.export)
    return {"name": {"type": "string", "enum": names}, "fmt": {"type": "string", "enum": list(FORMATS)}}


def export_cases(name: str, fmt: str, query):
    """Download a case type's export as a table (office staff and admins).

    The columns are the workflow's [export] columns, headed by the fields' labels.  It holds the open cases
    its applies_when takes (the employees' permits), each person once; a day is a date cell.
    """
    workflow = next((w for w in catalog() if w.export is not None and w.export.name == name), None)
    if workflow is None or fmt not in FORMATS:
        raise NotFound(_("No such export."))
    states = query.state or []  # a state of another exported type matches nothing
    ids = [int(part) for part in query.ids.split(",")] if query.ids else []
    cases = exports.exported(workflow, queries.cases_for_export(me(), workflow.name, states, ids, MAX_ROWS))
    headers, rows = exports.table(workflow, cases)
    body = exports.to_csv(headers, rows) if fmt == "csv" else exports.to_xlsx(
        headers, rows, workflow.export.label or workflow.label)
    filename = f"{name}-{office_today().isoformat()}.{fmt}"  # the office's day, as its staff read it
    disposition = f'attachment; filename="{filename}"'
    return Response(body, content_type=FORMATS[fmt], headers={"Content-Disposition": disposition})
