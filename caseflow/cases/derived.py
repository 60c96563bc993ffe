"""Values the engine works out from an application's form (``[[derived]]`` in a workflow).

They are computed once, when the case is submitted, and stored with its
data: a fee stays what it was when the application was made, even if the
office edits a list later.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.models.cases import ReferenceItem
from caseflow.workflow.spec import Workflow


def normalise(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def derive(session: Session, workflow: Workflow, data: dict[str, Any]) -> dict[str, Any]:
    """Return each derived value of ``workflow`` for ``data``: the first case whose condition holds."""
    values = {}
    for item in workflow.derived:
        case = next((case for case in item.cases if _holds(session, case.get("when"), data)), None)
        if case is not None and not case.get("omit"):  # omit: nothing is owed (an exempt person's duty)
            values[item.name] = case["value"]
    return values


def _holds(session: Session, when: dict | None, data: dict[str, Any]) -> bool:
    if when is None:
        return True
    value = data.get(when["field"])
    if "equals" in when:
        return value == when["equals"]
    if "not_equals" in when:
        return value != when["not_equals"]
    listed = session.scalars(select(ReferenceItem.value).where(ReferenceItem.list_name == when["in_list"]))
    return normalise(value) in {normalise(v) for v in listed}
