"""The running app's workflows: loaded, validated and turned into machines once."""

from __future__ import annotations

from flask import Flask, current_app

from caseflow.workflow import Workflow, load_workflows
from caseflow.workflow.machines import WorkflowMachine, build_machines

_KEY = "caseflow.catalog"


class Catalog:
    """Every workflow of the app and its shared machine, keyed by case type."""

    def __init__(self, workflows: dict[str, Workflow]):
        self.workflows = workflows
        self.machines = build_machines(workflows)
        # Equal for equal files: what is built from the workflows alone may be shared by the apps that load them.
        self.workflows_key = tuple(sorted(workflows.items()))
        self.memo: dict = {}  # what this app built from its workflows (e.g. the API's shapes)

    def get(self, case_type: str) -> Workflow | None:
        return self.workflows.get(case_type)

    def __getitem__(self, case_type: str) -> Workflow:
        return self.workflows[case_type]

    def machine(self, case_type: str) -> WorkflowMachine:
        return self.machines[case_type]

    def __iter__(self):
        return iter(self.workflows.values())


def init_app(app: Flask) -> None:
    """Load the workflows folder; a broken file stops start-up with its problems."""
    app.extensions[_KEY] = Catalog(load_workflows(app.config["CASEFLOW_WORKFLOWS_DIR"]))


def catalog() -> Catalog:
    """Return the current app's catalog."""
    return current_app.extensions[_KEY]
