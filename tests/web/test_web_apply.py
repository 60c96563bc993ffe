"""Applying: choosing a call, the generated form, eligibility, and what is stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from web_helpers import (
    application_form,
    count_cases,
    current_step,
    error_beside,
    submit,
    text,
)

from caseflow.cases.operations import Schedule, create_case, update_call
from caseflow.catalog import catalog
from caseflow.errors import Invalid
from caseflow.timeutil import office_today, utcnow
from tests.factories import sample_data


@pytest.fixture
def applicant(login, users):
    return login(users["applicant"])


def test_applying_stores_the_case_and_shows_its_status_page(applicant, make_call):
    call = make_call()
    form_page = applicant.get("/apply/mobility")
    assert form_page.status_code == 200
    assert f"Call: {call.name}" in text(form_page)
    # Prefilled from the account (fields with prefill = "full_name" / "email").
    assert 'id="full_name" maxlength="200" name="full_name" required type="text" value="Asel Applicant"' in (
        form_page.get_data(as_text=True))

    response = submit(applicant, "/apply/mobility", application_form(), action=f"/apply/mobility?call={call.id}")
    assert response.status_code == 303
    assert count_cases() == 1
    page = applicant.get(response.headers["Location"])
    workflow = catalog()["mobility"]
    initial = workflow.state(workflow.initial)
    reference = f"MOB-{utcnow().year}-00001"
    assert f"Your application was submitted. Its reference is {reference}." in text(page)
    assert f"Application {reference}" in text(page)
    assert "Submitted" in current_step(page) and str(initial.label) in current_step(page)
    assert str(initial.next_step) in text(page)
    assert "TH Wildau (Germany)" in text(page)


def test_several_open_calls_are_offered_first(applicant, make_call):
    make_call(name="Erasmus+ Spring")
    second = make_call(name="Erasmus+ Autumn")
    page = applicant.get("/apply/mobility")
    assert "Choose a call" in text(page)
    assert "Erasmus+ Spring" in text(page) and "Erasmus+ Autumn" in text(page)
    form_page = applicant.get(f"/apply/mobility?call={second.id}")
    assert "Call: Erasmus+ Autumn" in text(form_page)
    assert 'name="partner"' in form_page.get_data(as_text=True)


@pytest.mark.parametrize("query", ["?call=abc", "?call=999999999999999999999", "?call=-1", "?call=", "?x=%00",
                                   "?call=%C2%B2", "?call=%EF%BC%91"])
def test_garbage_call_parameter_shows_the_open_calls(applicant, make_call, query):
    make_call(name="Erasmus+ Spring")
    make_call(name="Erasmus+ Autumn")
    page = applicant.get("/apply/mobility" + query)
    assert page.status_code == 200
    assert "Erasmus+ Spring" in text(page)


def test_a_closed_call_cannot_be_chosen(applicant, make_call):
    closed = make_call(deadline=utcnow() - timedelta(days=1))
    page = applicant.get(f"/apply/mobility?call={closed.id}")
    assert "That call is not open." in text(page)
    assert "No call for this programme is open at the moment." in text(page)
    response = submit(applicant, "/calls", application_form(), action=f"/apply/mobility?call={closed.id}")
    assert response.status_code == 422
    assert count_cases() == 0


def test_ineligible_application_names_every_failed_rule_and_stores_nothing(applicant, make_call):
    call = make_call()
    form = application_form(enrolled_in=str(office_today().year), gpa="4.2", language_level="B1")
    response = submit(applicant, "/apply/mobility", form, action=f"/apply/mobility?call={call.id}")
    assert response.status_code == 422
    page = text(response)
    assert "Your application does not meet these conditions:" in page
    assert "You must have studied at the university for at least 2 years by the start of the mobility" in page
    assert "Average grade (GPA, 0–5) must be at least 4.5 for Technical (given: 4.2)." in page
    assert "Language level (CEFR) must be B2 or higher (given: B1)." in page
    # Every rule the workflow gives its own message for is named in those words.
    for rule in catalog()["mobility"].rules:
        if rule.message:
            assert str(rule.message) in page
    assert count_cases() == 0
    # The form keeps what was typed.
    assert 'value="PI-1-22"' in response.get_data(as_text=True)


def test_second_application_in_the_same_call_is_refused(applicant, make_call, make_case, users):
    call = make_call()
    make_case(call=call, applicant=users["applicant"])
    response = submit(applicant, "/apply/mobility", application_form(), action=f"/apply/mobility?call={call.id}")
    assert response.status_code == 422
    assert "You already have an application in this call" in text(response)
    assert count_cases() == 1


def test_field_errors_are_shown_beside_the_fields(applicant, make_call):
    call = make_call()
    form = application_form(phone="call me", gpa="excellent", faculty="", study_year="9")
    response = submit(applicant, "/apply/mobility", form, action=f"/apply/mobility?call={call.id}")
    assert response.status_code == 422
    assert "phone number" in error_beside(response, "phone")
    assert error_beside(response, "gpa")
    assert "This field is required." in error_beside(response, "faculty")
    assert "between 1 and 7" in error_beside(response, "study_year")
    assert "Please correct the following" in text(response)
    assert count_cases() == 0


def test_a_partner_not_in_the_call_is_refused_beside_the_field(applicant, make_call):
    call = make_call()
    response = submit(applicant, "/apply/mobility", application_form(partner="Sorbonne"),
                      action=f"/apply/mobility?call={call.id}")
    assert response.status_code == 422
    assert "Choose one of the listed options." in error_beside(response, "partner")
    assert count_cases() == 0


def test_staff_cannot_apply(login, users, make_call):
    make_call()
    for role in ("office", "screener", "admin"):
        response = login(users[role]).get("/apply/mobility")
        assert response.status_code == 403
        assert "Staff accounts cannot apply." in text(response)


def test_unknown_case_type_is_404(applicant):
    assert applicant.get("/apply/nonsense").status_code == 404
    assert applicant.get("/apply/%2e%2e").status_code == 404


def test_anonymous_visitor_is_asked_to_log_in_first(client, make_call):
    make_call()
    response = client.get("/apply/mobility")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/apply/mobility"


def test_no_open_call_says_so(applicant):
    page = applicant.get("/apply/mobility")
    assert page.status_code == 200
    assert "No call for this programme is open at the moment." in text(page)


def test_form_lists_the_conditions_before_the_applicant_fills_it_in(applicant, make_call):
    make_call()
    page = text(applicant.get("/apply/mobility"))
    assert "Who can apply" in page
    assert "at least 4.5 (technical specialties) or 4.7 (economic specialties)" in page
    assert "B2 (upper-intermediate) or higher" in page


def test_a_full_partner_is_shown_so_and_cannot_be_chosen(applicant, make_call, make_case, make_user):
    call = make_call(partners=[{"name": "TH Wildau", "country": "DE", "seats": 1},
                               {"name": "TH Köln", "country": "DE", "seats": 1}])
    make_case(state="partner_nomination", call=call, applicant=make_user(), partner="TH Wildau")  # its one seat
    page = applicant.get(f"/apply/mobility?call={call.id}").get_data(as_text=True)
    assert '<option disabled value="TH Wildau">TH Wildau (Germany) — no seat left</option>' in page
    response = submit(applicant, f"/apply/mobility?call={call.id}", application_form(partner="TH Wildau"))
    assert response.status_code == 422 and "Choose one of the listed options." in error_beside(response, "partner")
    assert count_cases() == 1


@pytest.mark.parametrize("case_type", ["mobility", "staff_mobility"])  # the trial's staff mobility took one
def test_a_call_with_a_reserve_list_takes_a_full_partner(users, make_call, make_case, make_user, case_type):
    call = make_call(case_type, partners=[{"name": "TH Wildau", "country": "DE", "seats": 1}])
    make_case(case_type, state="partner_nomination", call=call, applicant=make_user(), faculty="IT")
    with pytest.raises(Invalid) as refused:
        create_case(catalog()[case_type], users["applicant"], sample_data(case_type, partner="TH Wildau"), call)
    assert refused.value.errors["eligibility"] == ["TH Wildau has no seat left in this call; choose another."]
    update_call(call.id, call.name, call.deadline_at, [{"id": p.id, "name": p.name, "country": p.country,
                                                        "seats": p.seats} for p in call.partners],
                schedule=Schedule(reserve_list=True, first_day=None))
    made = create_case(catalog()[case_type], users["applicant"], sample_data(case_type, partner="TH Wildau"), call)
    assert made.state == "submitted"
