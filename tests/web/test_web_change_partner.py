"""A case is never stuck behind a full partner: the office changes its partner, with a comment, in the
history, and the case then holds the new partner's seat."""

from __future__ import annotations

import pytest

from caseflow.cases.operations import apply_transition
from caseflow.cases.queries import case_history
from caseflow.errors import Invalid
from caseflow.extensions import db
from caseflow.models.cases import Case, Partner
from tests.api.api_helpers import ApiClient
from tests.web.web_helpers import error_beside, submit, text

PARTNERS = [{"name": "TH Wildau", "country": "DE", "seats": 1}, {"name": "TH Köln", "country": "DE", "seats": 1}]


@pytest.fixture
def stuck(make_call, make_case, make_user):
    """A case at the interview whose partner's one seat another student holds."""
    call = make_call(partners=PARTNERS)
    stuck = make_case(state="office_interview", call=call, partner="TH Wildau")
    make_case(state="partner_nomination", call=call, applicant=make_user(), partner="TH Wildau")
    return db.session.get(Case, stuck.id)


def test_a_full_partner_blocks_the_nomination_until_the_office_changes_it(users, stuck):
    with pytest.raises(Invalid, match="no seat left"):
        apply_transition(stuck.id, "nominate", users["office"], stuck.version)
    moved = apply_transition(stuck.id, "change_partner", users["office"], stuck.version,
                             "TH Wildau is full; the student agreed to Köln.", recorded={"partner": "TH Köln"})
    assert (moved.state, moved.data["partner"]) == ("office_interview", "TH Köln")
    assert db.session.get(Partner, moved.partner_id).name == "TH Köln"
    line = case_history(moved.id)[-1]
    assert (line.transition, line.comment, line.changes["data"]) == (
        "change_partner", "TH Wildau is full; the student agreed to Köln.", {"partner": "TH Köln"})
    assert apply_transition(moved.id, "nominate", users["office"], moved.version).state == "partner_nomination"


def test_the_page_offers_the_partners_and_asks_why(login, users, stuck):
    office = login(users["office"])
    page = office.get(f"/cases/{stuck.id}").get_data(as_text=True)
    assert "Change the partner university" in page
    assert '<option disabled value="TH Wildau">TH Wildau (Germany) — no seat left</option>' in page
    form = {"transition": "change_partner", "version": str(stuck.version), "partner": "TH Köln"}
    refused = submit(office, f"/cases/{stuck.id}", form, action=f"/cases/{stuck.id}/transitions")
    assert refused.status_code == 422 and "A comment is required" in text(refused)
    full = submit(office, f"/cases/{stuck.id}", {**form, "partner": "TH Wildau", "comment": "Why not."},
                  action=f"/cases/{stuck.id}/transitions")
    assert full.status_code == 422 and "Choose one of the listed options." in error_beside(full, "partner")
    done = submit(office, f"/cases/{stuck.id}", {**form, "comment": "Köln has a seat."},
                  action=f"/cases/{stuck.id}/transitions")
    assert done.status_code == 303
    db.session.rollback()
    assert db.session.get(Case, stuck.id).data["partner"] == "TH Köln"
    history = text(office.get(f"/cases/{stuck.id}"))  # the state stays: not "from X to X"
    assert "Partner university changed — now “Office interview”" in history
    assert "from “Office interview” to “Office interview”" not in history


def test_the_api_changes_the_partner_and_refuses_one_the_call_does_not_have(client, token, users, stuck):
    api = ApiClient(client, token(users["office"]))
    body = {"transition": "change_partner", "version": stuck.version, "comment": "Full."}
    unknown = api.post(f"/cases/{stuck.id}/transitions", {**body, "data": {"partner": "MIT"}})
    assert unknown.status_code == 422 and "data.partner" in unknown.get_json()["errors"]
    done = api.post(f"/cases/{stuck.id}/transitions", {**body, "data": {"partner": "TH Köln"}})
    assert done.status_code == 200 and done.get_json()["partner"]["name"] == "TH Köln"
