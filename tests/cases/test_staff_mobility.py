"""Erasmus+ staff mobility: stays of 5 days or more, the students' selection path."""

from __future__ import annotations

import pytest

from caseflow.cases.operations import create_case
from caseflow.catalog import catalog
from caseflow.errors import Invalid
from tests.factories import sample_data

TYPE = "staff_mobility"


@pytest.mark.parametrize(
    ("start", "end", "accepted"),
    [("2027-04-12", "2027-04-16", True), ("2027-04-12", "2027-04-15", False), ("2027-04-16", "2027-04-12", False)],
)
def test_stay_lasts_five_days_or_more(users, make_call, start, end, accepted):
    # Seed: "KSTU faculty and staff ... have the opportunity to go to the partner
    # university for a period of 5 days or more, to teach, conduct research and
    # participate in internships."
    data = sample_data(TYPE, start_date=start, end_date=end)
    if accepted:
        assert create_case(catalog()[TYPE], users["applicant"], data, make_call(TYPE)).state == "submitted"
    else:
        with pytest.raises(Invalid) as caught:
            create_case(catalog()[TYPE], users["applicant"], data, make_call(TYPE))
        assert caught.value.errors["eligibility"]


def test_staff_stay_is_screened_by_the_staff_members_faculty(make_case, make_user):
    case = make_case(TYPE, state="accepted", faculty="IT")
    assert case.state == "accepted" and case.reference.startswith("STM-")


def test_a_mobility_call_does_not_take_staff_applications(users, make_call):
    with pytest.raises(Invalid) as caught:
        create_case(catalog()[TYPE], users["applicant"], sample_data(TYPE), make_call("mobility"))
    assert "call" in caught.value.errors
