"""How deep a JSON body may nest: refused before it is parsed, saying so (issue 12, point 10).

A body nested deeper than ``limits.JSON_DEPTH`` is a 400 that says what is
wrong (pydantic's own limit called it "not valid JSON"), and nothing changes.
"""

from __future__ import annotations

import pytest
from api_helpers import assert_error, count_cases, count_state_events

from caseflow import limits
from caseflow.api.nesting import depth

TOO_DEEP = f"The body nests objects and lists more than {limits.JSON_DEPTH} levels deep."


def lists(levels: int) -> bytes:
    """Empty lists nested ``levels`` deep."""
    return b"[" * levels + b"]" * levels


@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/cases"), ("POST", "/calls"), ("POST", "/cases/{case}/transitions"), ("PUT", "/calls/{call}"),
])
def test_a_body_nested_100000_deep_is_refused_saying_so(as_user, make_case, method, path):
    case = make_case("mobility")
    raw = b'{"data": ' + lists(100_000) + b"}"
    response = as_user("office").send_json(method, path.format(case=case.id, call=case.call_id), raw)
    body = assert_error(response, 400)
    assert body["error"] == TOO_DEEP
    assert count_cases() == 1 and count_state_events(case.id) == 1


def test_the_depth_limit_is_exact_and_brackets_in_texts_do_not_count(as_user, make_case):
    case = make_case("mobility")
    office = as_user("office")
    path = f"/cases/{case.id}/transitions"
    deepest = office.send_json("POST", path, b'{"transition": "send_to_faculty", "version": 1, "x": '
                               + lists(limits.JSON_DEPTH - 1) + b"}")  # the body's object is one level
    assert assert_error(deepest, 422, "x")["error"] != TOO_DEEP
    too_deep = office.send_json("POST", path, b'{"x": ' + lists(limits.JSON_DEPTH) + b"}")
    assert assert_error(too_deep, 400)["error"] == TOO_DEEP
    comment = '[{"quoted \\" [[": "' + "[" * 100 + '"}]'
    response = office.fire(case.id, "send_to_faculty", case.version, comment)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["history"][-1]["comment"] == comment


@pytest.mark.parametrize(("raw", "levels"), [
    (b'"x"', 0), (b"{}", 1), (b'{"a": [1, {"b": "[[[["}]}', 3), (b'{"a": "\\\\", "b": [[1]]}', 3),
    (b'["\\"[", ["\\\\\\"{"]]', 2), (lists(1000), 1000),
])
def test_depth_counts_the_brackets_outside_strings(raw, levels):
    assert depth(raw) == levels
