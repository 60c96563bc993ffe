"""The README's "Adding a case type" example is a valid workflow file."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from caseflow.workflow.loader import parse_workflow

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_example_workflow_loads():
    text = README.read_text(encoding="utf-8")
    match = re.search(r"`workflows/(\w+)\.toml`:\n\n```toml\n(.*?)```", text, re.S)
    assert match, "the README lost its example workflow"
    workflow = parse_workflow(match.group(1), tomllib.loads(match.group(2)), source="README.md")
    assert workflow.seats == "call"
    assert [t.name for t in workflow.transitions if t.auto] == ["move_up"]
