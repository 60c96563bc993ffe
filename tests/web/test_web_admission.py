"""Admission pages: the timeline follows the applicant's own route."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from web_helpers import current_step, visible

from caseflow.cases.operations import create_call, create_case
from caseflow.catalog import catalog
from caseflow.errors import Invalid
from caseflow.timeutil import utcnow
from tests.factories import sample_data


def timeline(response) -> list[str]:
    page = response.get_data(as_text=True)
    block = re.search(r'<ol class="timeline">(.*?)</ol>', page, re.S).group(1)
    return [visible(label) for label in re.findall(r'<span class="step-label">(.*?)</span>', block)]


def test_bachelor_timeline_has_neither_visa_step_nor_preparatory_group(login, users, make_case):
    case = make_case("admission", state="offer", level="bachelor", visa_support="no")
    steps = timeline(login(users["applicant"]).get(f"/cases/{case.id}"))
    assert steps == ["Submitted", "Document check", "Faculty review", "Offer made", "Offer accepted",
                     "Ready to enrol", "Enrolled"]


def test_preparatory_applicant_with_visa_request_sees_both_extra_steps(login, users, make_case):
    case = make_case("admission", state="offer", level="preparatory", visa_support="yes")
    response = login(users["applicant"]).get(f"/cases/{case.id}")
    assert "Visa support" in timeline(response) and "Waiting for the preparatory group" in timeline(response)
    assert "Offer made" in current_step(response)
    assert "Accept the offer" in response.get_data(as_text=True)


def test_places_are_refused_for_a_call_whose_seats_are_the_partners(app):
    with pytest.raises(Invalid) as caught:
        create_call("Erasmus+ 2031", "mobility", utcnow() + timedelta(days=9),
                    [{"name": "P", "country": "DE", "seats": 1}], seats=5)
    assert "leave Places empty" in caught.value.errors["seats"][0]


def test_case_page_shows_the_state_duty_worked_out_at_submission(login, users):
    case = create_case(catalog()["work_permit"], users["office"], sample_data("work_permit", permit="employer"))
    page = visible(login(users["office"]).get(f"/cases/{case.id}").get_data(as_text=True))
    assert "State duty 4,000 som" in page
