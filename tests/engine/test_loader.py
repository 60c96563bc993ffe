"""Workflow files: every real one loads; each kind of broken file is caught with a clear message."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from caseflow.workflow import WorkflowError, load_workflow, load_workflows
from caseflow.workflow.loader import parse_workflow

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"
REAL_FILES = sorted(WORKFLOWS.glob("*.toml"))


@pytest.mark.parametrize("path", REAL_FILES, ids=[p.stem for p in REAL_FILES])
def test_every_real_workflow_file_loads_and_validates(path):
    workflow = load_workflow(path)
    assert workflow.name == path.stem
    assert workflow.terminal_states
    assert workflow.main_path()[-1].terminal


def mobility() -> dict:
    return tomllib.loads((WORKFLOWS / "mobility.toml").read_text())


def problems_of(raw: dict) -> str:
    with pytest.raises(WorkflowError) as caught:
        parse_workflow("broken", raw, source="workflows/broken.toml")
    assert "workflows/broken.toml" in str(caught.value)
    return str(caught.value)


def _state(raw, name):
    return next(s for s in raw["states"] if s["name"] == name)


def _transition(raw, name):
    return next(t for t in raw["transitions"] if t["name"] == name)


def test_unreachable_state_is_reported():
    raw = mobility()
    raw["states"].append({"name": "limbo", "label": "Limbo", "terminal": True})
    assert "state 'limbo' cannot be reached from 'submitted'" in problems_of(raw)


def test_dead_end_state_is_reported():
    raw = mobility()
    _state(raw, "accepted")["terminal"] = False
    _transition(raw, "withdraw")["sources"] = ["submitted"]  # "*" would give it a way out
    assert "state 'accepted' is not terminal and has no transition out of it" in problems_of(raw)


def test_workflow_without_terminal_state_is_reported():
    raw = mobility()
    for state in raw["states"]:
        state["terminal"] = False
    raw["transitions"].append({"name": "reopen", "done": "Reopened", "told": "Your case is open again.",
                               "sources": ["accepted", "rejected", "withdrawn"], "dest": "submitted",
                               "roles": ["admin"]})
    assert "no state is marked terminal" in problems_of(raw)


def test_unknown_role_is_reported():
    raw = mobility()
    _transition(raw, "pass_screening")["roles"] = ["dean"]
    assert "transition 'pass_screening': unknown role 'dean'" in problems_of(raw)


def test_unknown_destination_and_source_are_reported():
    raw = mobility()
    _transition(raw, "nominate")["dest"] = "nowhere"
    _transition(raw, "pass_screening")["sources"] = ["somewhere"]
    text = problems_of(raw)
    assert "transition 'nominate': unknown destination state 'nowhere'" in text
    assert "transition 'pass_screening': unknown source state 'somewhere'" in text


def test_transition_out_of_a_terminal_state_is_reported():
    raw = mobility()
    raw["transitions"].append({"name": "reopen", "done": "Reopened", "told": "Your case is open again.",
                               "sources": ["rejected"], "dest": "submitted", "roles": ["admin"]})
    assert "source 'rejected' is terminal" in problems_of(raw)


def test_unknown_initial_state_is_reported():
    raw = mobility()
    raw["initial"] = "draft"
    assert "the initial state 'draft' is not a declared state" in problems_of(raw)


def test_unknown_rule_and_guard_names_are_reported():
    raw = mobility()
    raw["rules"].append({"name": "min_shoe_size"})
    _transition(raw, "nominate")["guards"] = [{"name": "moon_is_full"}]
    text = problems_of(raw)
    assert "rule 'min_shoe_size': unknown check 'min_shoe_size'" in text
    assert "unknown check 'moon_is_full'" in text


def test_rule_with_missing_or_unknown_parameter_or_field_is_reported():
    raw = mobility()
    raw["rules"][0] = {"name": "min_value", "field": "shoe_size", "minimum": 2}
    text = problems_of(raw)
    assert "parameter 'min' is missing" in text
    assert "unknown parameter 'minimum'" in text
    assert "field = 'shoe_size' is not a field of this workflow" in text


def test_duplicate_names_and_unknown_keys_are_reported():
    raw = mobility()
    raw["states"].append(dict(_state(raw, "accepted")))
    _transition(raw, "withdraw")["colour"] = "red"
    text = problems_of(raw)
    assert "state 'accepted' is declared twice" in text
    assert "transition 'withdraw': unknown key 'colour'" in text


def test_field_type_and_choices_are_checked():
    raw = mobility()
    raw["fields"][0]["type"] = "colour"
    next(f for f in raw["fields"] if f["name"] == "specialty_kind").pop("choices")
    text = problems_of(raw)
    assert "field 'full_name': type must be one of" in text
    assert "field 'specialty_kind': a choice field needs 'choices'" in text


def test_invalid_toml_names_the_file(tmp_path):
    path = tmp_path / "oops.toml"
    path.write_text("label = \n")
    with pytest.raises(WorkflowError) as caught:
        load_workflow(path)
    assert str(path) in str(caught.value) and "not valid TOML" in str(caught.value)


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(WorkflowError, match="no workflow files"):
        load_workflows(tmp_path)


def test_withdraw_star_means_every_open_state():
    workflow = load_workflow(WORKFLOWS / "mobility.toml")
    assert set(workflow.transition("withdraw").sources) == set(workflow.open_states)


def test_field_limits_must_be_numbers():
    raw = mobility()
    gpa = next(f for f in raw["fields"] if f["name"] == "gpa")
    gpa["min"] = "zero"
    gpa["places"] = "two"
    text = problems_of(raw)
    assert "field 'gpa': min must be a number" in text
    assert "field 'gpa': places must be a whole number" in text


def conference() -> dict:
    return tomllib.loads((WORKFLOWS / "conference_registration.toml").read_text())


def test_automatic_transition_must_not_name_roles():
    raw = conference()
    _transition(raw, "move_up")["roles"] = ["office_staff"]
    assert "transition 'move_up': an automatic transition (auto = true) is fired by the engine" in problems_of(raw)


def test_a_transition_says_what_happened_and_what_the_applicant_is_told():
    """Its button ("Record: partner accepts") is what staff do; the history and the mail need their own words."""
    raw = mobility()
    del _transition(raw, "partner_accepts")["done"]
    _transition(raw, "partner_declines")["told"] = ""
    problems = problems_of(raw)
    assert "transition 'partner_accepts': 'done' is missing (what the history says happened" in problems
    assert "transition 'partner_declines': 'told' is missing (what its mail tells the applicant" in problems


@pytest.mark.parametrize("path", REAL_FILES, ids=[p.stem for p in REAL_FILES])
def test_no_history_line_or_mail_quotes_a_button(path):
    workflow = load_workflow(path)
    for transition in workflow.transitions:
        assert transition.told not in (transition.label, transition.done), transition.name


def test_a_pool_the_applicant_chooses_must_refuse_a_full_one():
    raw = mobility()
    raw["rules"] = [r for r in raw["rules"] if r["name"] != "chosen_pool_has_seats"]
    assert "seats = 'partner': the applicant chooses the pool, so declare the rule chosen_pool_has_seats" in \
        problems_of(raw)


def test_transition_without_roles_must_be_automatic():
    raw = conference()
    del _transition(raw, "confirm")["roles"]
    assert "transition 'confirm': 'roles' must list who may fire it (or set auto = true)" in problems_of(raw)


def test_seat_states_need_a_seat_pool():
    raw = conference()
    del raw["seats"]
    assert "states hold seats (holds_seat = true) but the file does not say whose: set seats" in problems_of(raw)


@pytest.mark.parametrize(("seats", "message"), [
    ("hostel", "seats must be one of"),
    ("partner", "seats = 'partner' needs a field of type 'partner'"),
])
def test_seat_pool_must_exist(seats, message):
    raw = conference()
    raw["seats"] = seats
    assert message in problems_of(raw)


def test_seat_guard_without_seat_states_is_reported():
    raw = conference()
    for state in raw["states"]:
        state.pop("holds_seat", None)
    assert "a guard counts seats but no state has holds_seat = true" in problems_of(raw)


def test_automatic_transitions_are_not_on_the_main_path():
    workflow = load_workflow(WORKFLOWS / "conference_registration.toml")
    assert [s.name for s in workflow.main_path()] == ["registered", "confirmed", "attended"]
