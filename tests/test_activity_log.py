"""The operators' log: one JSON line per committed submission or move, none for a refused one."""

from __future__ import annotations

import json
import logging

import pytest

from caseflow.cases.operations import apply_transition
from caseflow.errors import CaseError


def lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "caseflow.activity"]


def test_each_committed_change_is_one_line(caplog, make_case, users):
    caplog.set_level(logging.INFO, logger="caseflow.activity")
    case = make_case()
    apply_transition(case.id, "send_to_faculty", users["office"], case.version, "Complete.")
    logged = lines(caplog)
    assert logged[0] == {"event": "case.created", "case": case.id, "actor": users["applicant"].id}
    assert logged[-1] == {"event": "case.transitioned", "case": case.id, "transition": "send_to_faculty",
                          "from": "submitted", "to": "faculty_screening", "actor": users["office"].id,
                          "commented": True}


def test_a_refused_change_leaves_no_line(caplog, make_case, users):
    case = make_case()
    caplog.set_level(logging.INFO, logger="caseflow.activity")
    with pytest.raises(CaseError):
        apply_transition(case.id, "accept", users["office"], case.version)
    assert lines(caplog) == []
