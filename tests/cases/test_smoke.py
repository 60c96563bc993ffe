from caseflow.cases.queries import case_history


def test_make_case_reaches_accepted_with_full_history(make_case):
    case = make_case(state="accepted")
    assert case.state == "accepted"
    assert case.version == 5
    events = case_history(case.id)
    assert [e.to_state for e in events] == [
        "submitted", "faculty_screening", "office_interview", "partner_nomination", "accepted"]
