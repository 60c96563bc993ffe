"""The checklist guard: a case does not move on from a stage while a document it needs there is
missing or rejected.

Every transition out of the stage is held back, the engine's automatic ones
too, except those that close the case without success (a refusal, a
withdrawal): an incomplete application can always be turned down.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseflow.formats import listing
from caseflow.i18n import _
from caseflow.models.documents import Document, outstanding
from caseflow.workflow.spec import Transition, Workflow


def document_problems(session: Session, workflow: Workflow, case, transition: Transition) -> list[str]:
    """Return why ``transition`` must wait for documents (naming them), or nothing."""
    dest = workflow.state(transition.dest)
    if dest.terminal and dest.outcome != "positive":
        return []
    needed = workflow.needed_to_leave(case.state, case.data or {})
    if not needed:
        return []  # no query for the many stages that need no document
    statuses = dict(session.execute(
        select(Document.kind, Document.status)
        .where(Document.case_id == case.id, Document.kind.in_([d.kind for d in needed]))
    ).all())
    missing, rejected = outstanding(needed, statuses)
    reasons = []
    if missing:
        reasons.append(_("Documents missing: %(documents)s.", documents=listing(d.label for d in missing)))
    if rejected:
        reasons.append(_("Documents rejected and not yet replaced: %(documents)s.",
                         documents=listing(d.label for d in rejected)))
    return reasons
