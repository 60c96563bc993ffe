"""The workflow engine: case types as data, checked at start-up; no Flask, no database."""

from caseflow.workflow.loader import WorkflowError, load_workflow, load_workflows
from caseflow.workflow.spec import Field, Rule, State, Transition, Workflow

__all__ = [
    "Field",
    "Rule",
    "State",
    "Transition",
    "Workflow",
    "WorkflowError",
    "load_workflow",
    "load_workflows",
]
