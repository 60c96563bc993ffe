"""Plain helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

from sqlalchemy import select

from caseflow.cases.queries import case_history
from caseflow.demo import SAMPLES, sample_application
from caseflow.extensions import db
from caseflow.models.cases import Call, CaseEvent, Partner


def mobility_data(**overrides) -> dict:
    """Return valid mobility application data for the test call's partner "TH Wildau"."""
    return sample_data("mobility", **overrides)


def sample_data(case_type: str, **overrides) -> dict:
    """Return valid application data of ``case_type`` for the test calls (partner "TH Wildau")."""
    partner = {"partner": "TH Wildau", "country": "DE"} if "partner" in SAMPLES[case_type] else {}
    return sample_application(case_type, **{**partner, **overrides})


def path_to(workflow, target: str) -> tuple:
    """Return the transitions people fire to bring a new case to ``target``."""
    return workflow.path_to(target)


def state_history(case_id: int) -> list[CaseEvent]:
    """Return a case's history lines of its creation and its transitions (not its documents' lines), as
    committed."""
    db.session.rollback()  # end this session's read snapshot (SQLite WAL) before looking
    return [event for event in case_history(case_id) if event.action in ("case.created", "case.transitioned")]


def stored_call(call_id: int) -> tuple:
    """Return a call's stored (name, deadline_at, seats, description) and its partners' rows, as committed."""
    db.session.rollback()  # end this session's read snapshot (SQLite WAL) before looking
    call = db.session.execute(
        select(Call.name, Call.deadline_at, Call.seats, Call.description).where(Call.id == call_id)
    ).one()
    partners = db.session.execute(
        select(Partner.id, Partner.name, Partner.country, Partner.seats)
        .where(Partner.call_id == call_id).order_by(Partner.id)
    ).all()
    return tuple(call), [tuple(p) for p in partners]


def partner_dicts(rows: list[tuple]) -> list[dict]:
    """Turn ``stored_call``'s partner rows into the dicts a call's body or form lists."""
    return [dict(zip(("id", "name", "country", "seats"), row, strict=True)) for row in rows]
