"""Tables of cases for other offices, as a workflow's ``[export]`` declares them (CSV and XLSX)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from caseflow.fields import ChoiceSources
from caseflow.i18n import _
from caseflow.models.cases import Case
from caseflow.timeutil import as_day
from caseflow.workflow.spec import Workflow


def exported(workflow: Workflow, cases: list[Case]) -> list[Case]:
    """The cases an export holds: open ones its ``applies_when`` takes, each person once (the latest case)."""
    kept: dict[object, Case] = {}
    for case in cases:
        if case.state in workflow.open_states and workflow.export.applies_to(case.data or {}):
            person = case.subject_passport or (case.subject_key, case.subject_birth_date) \
                if case.subject_passport or case.subject_birth_date else ("case", case.id)
            kept.pop(person, None)
            kept[person] = case
    return list(kept.values())


def table(workflow: Workflow, cases: list[Case]) -> tuple[list[str], list[list[Any]]]:
    """Return the export's headers (field labels) and one row per case (a day as a date)."""
    columns = workflow.export.columns
    derived = {d.name: d for d in workflow.derived}
    own = {"reference": _("Reference"), "state": _("State")}  # the case's own columns, beside its fields

    def header(column: str) -> str:
        if column in derived:
            return str(derived[column].label)
        spec = workflow.field(column)
        return str(spec.label) if spec else own.get(column, column)

    # A value picked from a list is written by its label (a choice's, a country's name), once looked up a column.
    labels = {}
    for column in columns:
        spec = workflow.field(column)
        options = spec.kind.choices(spec, ChoiceSources(faculties=None, partners=None)) if spec else None
        if options:
            labels[column] = {option[0]: str(option[1]) for option in options}

    days = {column for column in columns if (spec := workflow.field(column)) is not None and spec.type == "date"}

    def cell(case: Case, column: str) -> Any:
        if column == "reference":
            return case.reference
        if column == "state":
            return str(workflow.state_label(case.state))
        value = (case.data or {}).get(column)
        if column in days and value:
            return as_day(value) or value  # a real date in the sheet, ISO in a CSV; an old text as it was
        return labels[column].get(value, value) if column in labels else value

    return [header(c) for c in columns], [[cell(case, c) for c in columns] for case in cases]


# A text starting with one of these is a formula to a spreadsheet program (OWASP, "CSV Injection"): a name
# "=HYPERLINK(...)" typed by an applicant must reach the office's sheet as the text it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold (an ESC, a NUL): openpyxl refuses them; the export drops them.
_UNWRITABLE = ILLEGAL_CHARACTERS_RE


def safe_cell(value: Any) -> Any:
    """A cell's value as text that no spreadsheet program runs: a formula-like text gets a leading '."""
    if not isinstance(value, str):
        return value
    value = _UNWRITABLE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(headers: list[str], rows: list[list[Any]]) -> bytes:
    """Write the table as CSV, UTF-8 with a byte-order mark so spreadsheet programs read the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(header) for header in headers])
    writer.writerows([["" if value is None else safe_cell(value) for value in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_name(title: str) -> str:
    """The title within Excel's 31 characters, cut between words; without the characters a sheet name refuses."""
    title = "".join(" " if char in "[]:*?/\\" else char for char in str(title)).strip()
    if len(title) <= 31:
        return title or "Sheet"
    cut = title[:31].rsplit(" ", 1)[0]
    return cut if len(cut) >= 10 else title[:31]


def to_xlsx(headers: list[str], rows: list[list[Any]], title: str) -> bytes:
    """Write the table as an Excel workbook: bold headers, frozen first row, readable widths."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_name(title)
    sheet.append([safe_cell(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            elif isinstance(cell.value, date):
                cell.number_format = "DD.MM.YYYY"  # as the office's forms write a day
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(row[index - 1] or "")) for row in rows])
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(60, width + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
