"""Renewing a work permit from its case page: the form starts from last year's answers."""

from __future__ import annotations

from web_helpers import csrf_from, text

from tests.factories import sample_data


def issued_permit(users, make_case):
    return make_case("work_permit", state="issued", applicant=users["office"], position="Professor")


def test_office_renews_an_issued_permit_from_its_page(login, users, make_case):
    previous = issued_permit(users, make_case)
    office = login(users["office"])
    page = office.get(f"/cases/{previous.id}").get_data(as_text=True)
    assert f"/apply/work_permit?renews={previous.id}" in page
    form = office.get(f"/apply/work_permit?renews={previous.id}")
    assert form.status_code == 200
    body = form.get_data(as_text=True)
    assert f"Renewal of {previous.reference}" in text(form)
    assert 'value="Professor"' in body and 'value="1980-02-01"' in body  # last year's answers, dates too
    data = {key: str(value) for key, value in sample_data("work_permit", position="Professor").items()}
    response = office.post(f"/apply/work_permit?renews={previous.id}", data={**data, "csrf_token": csrf_from(body)})
    assert response.status_code == 303
    renewal_page = text(office.get(response.headers["Location"]))
    # The clerk filed it for the employee: not "Your application was submitted".
    assert f"The application for {data['full_name']} was submitted." in renewal_page
    assert "Your application" not in renewal_page
    assert "Renews the earlier case" in renewal_page
    assert "Renewed by" in text(office.get(f"/cases/{previous.id}"))


def test_renewing_a_case_one_cannot_see_is_not_found(login, users, make_case):
    previous = issued_permit(users, make_case)
    assert login(users["applicant"]).get(f"/apply/work_permit?renews={previous.id}").status_code == 404
    assert login(users["office"]).get("/apply/work_permit?renews=abc").status_code == 404
    assert login(users["office"]).get("/apply/work_permit?renews=99999999999").status_code == 404
