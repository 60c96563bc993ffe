"""Staff work queues: how many cases wait in each stage, and one stage's cases, the most urgent first."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from caseflow.accounts.permissions import SEES_EVERY_CASE
from caseflow.cases import queries
from caseflow.catalog import catalog
from caseflow.timeutil import utcnow
from caseflow.web.access import me, page_number, staff_only
from caseflow.web.case_page import shown_sources

QUEUE_PAGE_SIZE = 25


@staff_only
def queue():
    counts = queries.queue_counts(me())
    role = current_user.role
    groups = []
    for workflow in catalog():
        stages = []
        for state in workflow.states:
            acts = any(role in t.roles for t in workflow.transitions_from(state.name))
            stages.append((state, counts.get((workflow.name, state.name), 0), acts))
        # A role that acts in no stage of a kind (a screener and work permits) is not shown its queue.
        if any(acts for _state, _count, acts in stages) or role in SEES_EVERY_CASE:
            groups.append((workflow, stages))
    return render_template("cases/queue.html", groups=groups, commissions=queries.commission_calls(me()))


@staff_only
def stage(case_type: str, state: str):
    workflow = catalog().get(case_type)
    if workflow is None or state not in {s.name for s in workflow.states}:
        abort(404)
    page = queries.stage_queue(me(), case_type, state, page=page_number(), per_page=QUEUE_PAGE_SIZE)
    sources = shown_sources()
    columns = workflow.queue_fields
    rows = [(queued, [spec.kind.display(spec, (queued.case.data or {}).get(spec.name), sources) for spec in columns])
            for queued in page.items]
    return render_template("cases/stage.html", workflow=workflow, state=workflow.state(state), cases=page,
                           columns=columns, rows=rows, now=utcnow())
