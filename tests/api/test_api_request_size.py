"""How large a JSON body may be: 1 MB, refused with 413 naming that limit (issue 12, point 10).

The upload's limit (CASEFLOW_MAX_UPLOAD_MB) is for documents only; its 413
is tested with the uploads (test_api_documents.py).
"""

from __future__ import annotations

from api_helpers import assert_error, count_cases, count_state_events

from caseflow import limits


def test_a_body_over_1_mb_is_413_naming_that_limit_and_changes_nothing(as_user, make_case):
    case = make_case("mobility")
    office = as_user("office")
    response = office.fire(case.id, "send_to_faculty", case.version, "x" * limits.REQUEST_BYTES)
    assert assert_error(response, 413)["error"] == ("The request is too large: a body without a document may be "
                                                   "at most 1 MB.")
    assert count_state_events(case.id) == 1
    big = b'{"type": "mobility", "note": "' + b"x" * limits.REQUEST_BYTES + b'"}'
    response = office.send_json("POST", "/cases", big)
    assert assert_error(response, 413)["error"].startswith("The request is too large")
    assert count_cases() == 1
