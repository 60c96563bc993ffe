"""Every case type reaches every end state through the pages, with the Flask test client.

The same routes as the API test (``tests/end_states.py``), each taken once
for every role that may take its last step.  The applicant
follows the apply link on their home page and posts the form the page
renders; each person then posts the action form their case page renders for
their step (its action, hidden fields and button taken from the HTML, so a
missing button fails the test; the documents a stage needs are uploaded
first through the operation), and the status page ends showing the end
state, the closed case and every step and upload in its history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from web_helpers import current_step, text, visible

from caseflow.catalog import catalog
from tests.end_states import ROUTES, Cast, Plan, drive_every_role


@dataclass
class Control:
    kind: str  # "input", "select" or "textarea"
    type: str = ""
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    controls: dict[str, Control] = field(default_factory=dict)
    buttons: list[str] = field(default_factory=list)

    def hidden(self) -> dict[str, str]:
        return {name: c.value for name, c in self.controls.items() if c.kind == "input" and c.type == "hidden"}


class FormParser(HTMLParser):
    """Collect a page's forms: where they post, their controls and the text of their buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Control | None = None
        self._text: list[str] | None = None  # a textarea's or a button's content being read
        self._textarea: Control | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(attributes.get("action", ""), attributes.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attributes.get("name"):
            self._form.controls[attributes["name"]] = Control("input", attributes.get("type", "text"),
                                                              attributes.get("value", ""))
        elif tag == "select":
            self._select = self._form.controls[attributes["name"]] = Control("select")
        elif tag == "option" and self._select is not None:
            self._select.options.append(attributes["value"])
        elif tag == "textarea":
            self._textarea = self._form.controls[attributes["name"]] = Control("textarea")
            self._text = []
        elif tag == "button":
            self._text = []

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value, self._textarea, self._text = "".join(self._text), None, None
        elif tag == "button" and self._form is not None and self._text is not None:
            self._form.buttons.append(" ".join("".join(self._text).split()))
            self._text = None


def forms_on(response) -> list[Form]:
    parser = FormParser()
    parser.feed(response.get_data(as_text=True))
    return parser.forms


def action_form(response, transition: str) -> Form:
    """Return the form the case page renders for ``transition``; fail, naming what it offers, if none."""
    forms = [f for f in forms_on(response) if "transition" in f.controls]
    found = [f for f in forms if f.controls["transition"].value == transition]
    assert len(found) == 1, f"the page offers {[f.controls['transition'].value for f in forms]}, not {transition!r}"
    return found[0]


def as_posted(value) -> str:
    return "" if value is None else str(value)


def apply_on_the_pages(client, plan: Plan, call) -> int:
    """Follow the home page's apply link, fill in the form it shows, send it; return the new case's id."""
    home = client.get("/").get_data(as_text=True)
    wanted = f"/apply/{plan.workflow.name}" + (f"?call={call.id}" if call is not None else "")
    assert f'href="{wanted}"' in home, f"the home page has no link to {wanted}"
    form = next(f for f in forms_on(client.get(wanted)) if f.action.startswith(f"/apply/{plan.workflow.name}"))
    posted = dict(form.hidden())
    workflow = plan.workflow
    # The form asks what the call's programme asks (applies_when), not another programme's fields.
    asked = workflow.form_fields_for({workflow.variant_field: call.variant} if workflow.variant_field else {})
    assert not {spec.name for spec in workflow.form_fields if spec not in asked} & set(form.controls)
    for spec in asked:
        control = form.controls.get(spec.name)
        assert control is not None, f"the form has no field {spec.name!r}"
        value = as_posted(plan.data.get(spec.name))
        if control.kind == "select":
            assert value in control.options, (spec.name, value, control.options)
        posted[spec.name] = value
    assert form.buttons == [plan.workflow.submit_label or "Submit application"]
    response = client.post(form.action, data=posted)
    assert response.status_code == 303, text(response)
    match = re.fullmatch(r"/cases/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    assert "Its reference is " in text(client.get(response.headers["Location"]))
    return int(match.group(1))


def press(client, case_id: int, step):
    """Press ``step``'s button on the case page, with its comment; return the page it leads to."""
    form = action_form(client.get(f"/cases/{case_id}"), step.transition.name)
    assert form.method == "post" and form.buttons == [step.transition.label]
    posted = form.hidden()
    if step.comment:
        assert "comment" in form.controls, f"no comment box beside {step.transition.label!r}"
        posted["comment"] = step.comment
    if "confirmed" in form.controls:  # a move that closes the case for good asks to be confirmed
        posted["confirmed"] = "y"
    for name, value in step.recorded.items():  # what the action records, in the fields beside its button
        assert name in form.controls, f"no {name} beside {step.transition.label!r}"
        posted[name] = value
    response = client.post(form.action, data=posted)
    assert response.status_code == 303, text(response)
    return client.get(response.headers["Location"])


def history_actions(response) -> list[str]:
    block = re.search(r'<ol class="history">(.*?)</ol>', response.get_data(as_text=True), re.S).group(1)
    return [visible(item) for item in re.findall(r"<li>(.*?)</li>", block, re.S)]


def test_routes_cover_every_end_state_of_every_case_type(app):
    expected = {(w.name, end) for w in catalog() for end in w.terminal_states}
    assert expected, "no end states loaded"
    assert {(route.case_type, route.end) for route in ROUTES} == expected


def _reach_end_state(login, cast: Cast, plan: Plan, applicant, call, group: list) -> None:
    workflow = plan.workflow
    mine = login(applicant)
    clients = {"applicant": mine}
    case_id = apply_on_the_pages(mine, plan, call)
    seen = None
    for step in plan.steps:
        step.supply_documents(case_id, applicant)
        client = clients.get(step.role) or clients.setdefault(step.role, login(cast.for_role(step.role, applicant)))
        seen = press(client, case_id, step)
        after = workflow.state(step.state_after).label
        assert f"{step.transition.done}. The case is now “{after}”." in text(seen)

    page = mine.get(f"/cases/{case_id}")
    assert page.status_code == 200
    shown = text(page)
    state_badge = re.search(r'<span class="state [^"]*">(.*?)</span>', page.get_data(as_text=True)).group(1)
    assert state_badge == plan.end_label
    assert str(plan.end_label) in current_step(page) and "the case ended here" in current_step(page)
    assert str(workflow.state(plan.route.end).next_step) in shown and "This case is closed." in shown
    for shown_to in (page, seen or page):  # a closed case offers no button: to the applicant, to the last actor
        assert "What you can do" not in text(shown_to)
        assert not [f for f in forms_on(shown_to) if "transition" in f.controls]

    rows = history_actions(page)
    expected = [workflow.created_label or "Application submitted",
                *[e.transition.done if e.transition else e.document.label for e in plan.history]]
    assert len(rows) == len(expected), rows
    for row, action, event in zip(rows, expected, (None, *plan.history), strict=True):
        assert str(action) in row
        if event is not None:
            if event.transition is not None:
                assert f"to “{workflow.state(event.to_state).label}”" in row
            assert ("The system" in row) == (event.role is None)
            assert str(event.comment) in row  # the reason given, or the exemption ground the engine wrote

    office = login(cast.by_role["office_staff"])
    for member in group:  # the whole group moved on with the case that completed it
        assert str(plan.end_label) in current_step(office.get(f"/cases/{member.id}"))


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_case_reaches_end_state_on_the_pages(route, subtests, login, users, make_user, make_call, make_case):
    drive_every_role(route, _reach_end_state, login, subtests, users, make_user, make_call, make_case)
