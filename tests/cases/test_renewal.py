"""Work-permit renewal: "issued for one year, with the right to annual renewal"."""

from __future__ import annotations

import pytest

from caseflow.cases.operations import apply_transition, create_case
from caseflow.catalog import catalog
from caseflow.errors import Invalid
from tests.factories import sample_data

TYPE = "work_permit"


@pytest.fixture
def issued(users, make_case):
    return make_case(TYPE, state="issued", applicant=users["office"])


def renew(user, previous_id, **data):
    return create_case(catalog()[TYPE], user, sample_data(TYPE, **data), renews=previous_id)


def test_an_issued_permit_is_renewed_by_a_linked_case(users, issued):
    renewal = renew(users["office"], issued.id)
    assert (renewal.state, renewal.renews_id) == ("submitted", issued.id)


def test_a_permit_is_renewed_once_at_a_time(users, issued):
    first = renew(users["office"], issued.id)
    with pytest.raises(Invalid) as caught:
        renew(users["office"], issued.id)
    assert f"{first.reference} renews this case already." in caught.value.errors["renews"]
    apply_transition(first.id, "withdraw", users["office"], first.version)
    assert renew(users["office"], issued.id).renews_id == issued.id


def test_only_an_issued_or_expired_permit_can_be_renewed(users):
    pending = create_case(catalog()[TYPE], users["office"], sample_data(TYPE))
    with pytest.raises(Invalid) as caught:
        renew(users["office"], pending.id)
    assert caught.value.errors["renews"] == ["Only a case that is Issued or Expired can be renewed."]


@pytest.mark.parametrize("who", ["other_applicant", "applicant"])
def test_a_case_one_cannot_see_cannot_be_renewed(users, issued, who):
    with pytest.raises(Invalid) as caught:
        renew(users[who], issued.id)
    assert caught.value.errors["renews"] == ["There is no such case to renew."]


def test_a_case_of_another_type_cannot_be_renewed(users, make_case):
    mobility = make_case(state="accepted")
    with pytest.raises(Invalid):
        renew(users["office"], mobility.id)
