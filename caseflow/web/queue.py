"""Staff work queues: how many cases wait in each stage, and one stage's cases, the most urgent first."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from caseflow.cases import queries
from caseflow.catalog import catalog
from caseflow.timeutil import utcnow
from caseflow.web.access import me, page_number, staff_only

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
        groups.append((workflow, stages))
    return render_template("cases/queue.html", groups=groups, commissions=queries.commission_calls(me()))


@staff_only
def stage(case_type: str, state: str):
    workflow = catalog().get(case_type)
    if workflow is None or state not in {s.name for s in workflow.states}:
        abort(404)
    page = queries.stage_queue(me(), case_type, state, page=page_number(), per_page=QUEUE_PAGE_SIZE)
    return render_template("cases/stage.html", workflow=workflow, state=workflow.state(state), cases=page,
                           faculty_names=dict(queries.faculty_choices()), now=utcnow())
