"""Seat pools: every kind a workflow file may name has its strategy; a workflow without seats holds none."""

from __future__ import annotations

from caseflow.cases import queries
from caseflow.cases.seats import NO_POOL, POOLS, pool_of
from caseflow.catalog import catalog
from caseflow.workflow.spec import SEAT_POOLS


def test_every_pool_kind_has_its_strategy():
    assert set(POOLS) == set(SEAT_POOLS)
    assert all(POOLS[name].kind is SEAT_POOLS[name] for name in POOLS)


def test_each_workflow_gets_the_pool_its_file_names(app):
    pools = {w.name: pool_of(w) for w in catalog()}
    assert pools["mobility"] is POOLS["partner"]
    assert pools["conference_registration"] is POOLS["call"]
    assert pools["work_permit"] is NO_POOL
    assert NO_POOL.pool_id(object()) is None and NO_POOL.left(None, None, NO_POOL.pool_id(object())) is None


def test_a_case_holds_a_seat_of_the_partner_it_chose(make_case, make_call):
    call = make_call()
    partner = next(p for p in call.partners if p.name == "TH Wildau")
    make_case(state="accepted", call=call)
    taken = queries.seats_taken([call.id])
    assert taken.of(partner) == 1 and taken.partner_left(partner) == partner.seats - 1
    assert taken.of(call) == 0  # a mobility case holds a partner's seat, not one of the call's own places
