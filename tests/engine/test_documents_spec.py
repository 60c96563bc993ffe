"""The ``[[documents]]`` checklist of a workflow file is validated like the rest of it."""

from __future__ import annotations

from caseflow.workflow import load_workflow
from tests.engine.test_loader import WORKFLOWS, mobility, problems_of


def test_a_document_with_an_unknown_step_type_or_condition_is_reported():
    raw = mobility()
    raw["documents"] = [
        {"kind": "passport", "label": "Passport", "step": "limbo", "accept": ["exe"]},
        {"kind": "passport", "label": "Again"},
        {"kind": "cv", "label": "CV", "colour": "blue"},
    ]
    problems = problems_of(raw)
    assert "document 'passport': accept lists some of pdf, jpeg, png" in problems
    assert "document 'cv': unknown key 'colour'" in problems
    raw["documents"] = raw["documents"][:2]
    raw["documents"][0]["accept"] = ["pdf"]
    problems = problems_of(raw)
    assert "document 'passport': step 'limbo' is not a state" in problems
    assert "document 'passport' is declared twice" in problems


def test_a_condition_on_the_form_is_worded_for_the_applicant():
    workflow = load_workflow(WORKFLOWS / "admission.toml")
    (visa,) = [d for d in workflow.documents if d.kind == "visa_support_request"]
    assert workflow.condition(visa) == "Do you need visa support (an invitation)?: Yes"
    assert visa not in workflow.documents_for({"visa_support": "no"})
    assert visa in workflow.documents_for_call(None)  # listed before applying, with its condition
