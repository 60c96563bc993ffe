"""The home page: a welcome for visitors, the queues for staff, "my applications" for applicants."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from caseflow.cases import queries
from caseflow.catalog import catalog
from caseflow.models.cases import Call, Case
from caseflow.web.access import me, page_number
from caseflow.workflow.spec import Workflow

MY_CASES_PAGE_SIZE = 50


def home():
    if not current_user.is_authenticated:
        return render_template("cases/welcome.html", workflows=list(catalog()))
    if current_user.is_staff:
        return redirect(url_for("cases.queue"))
    my_cases = queries.visible_cases(me(), page=page_number(), per_page=MY_CASES_PAGE_SIZE)
    return render_template("cases/home.html", cases=my_cases, offers=_open_offers())


def _open_offers() -> list[tuple[Workflow, Call | None, Case | None]]:
    """List what an applicant may apply to now: each open call, or the type itself if it needs none, with
    their case in that call where its rules take one case per call (then "Apply" is not offered)."""
    offers: list[tuple[Workflow, Call | None, Case | None]] = []
    for workflow in catalog():
        if workflow.needs_call:
            calls = queries.open_calls(workflow.name)
            earlier = queries.one_per_call_cases(me(), calls)
            offers.extend((workflow, call, earlier.get(call.id)) for call in calls)
        else:
            offers.append((workflow, None, None))
    return offers
