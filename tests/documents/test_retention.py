"""Retention: ``flask purge-documents --older-than 3y`` removes closed cases' documents, keeps the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from caseflow.cases.operations import apply_transition
from caseflow.cases.queries import case_history
from caseflow.documents.retention import parse_period, purge_documents
from caseflow.documents.storage import new_key, storage
from caseflow.extensions import db
from caseflow.models.cases import Case
from caseflow.models.documents import Document, StoredFile
from caseflow.timeutil import utcnow
from tests.documents_helpers import supply_documents

BACKENDS = ["local", "database"]


@pytest.fixture(params=BACKENDS)
def backend(request, app):
    app.config["CASEFLOW_STORAGE"] = request.param
    return request.param


def closed_case(make_case, users, years_ago: float):
    case = make_case("mobility", documents=False)
    documents = supply_documents(case, users["applicant"])
    case = apply_transition(case.id, "withdraw", users["applicant"], case.version)
    case = db.session.get(Case, case.id)
    case.updated_at = utcnow() - timedelta(days=365 * years_ago)
    db.session.commit()
    return case, documents


def test_documents_of_cases_closed_over_3_years_ago_go_and_the_history_stays(backend, make_case, users):
    old, (old_document,) = closed_case(make_case, users, 3.5)
    recent, (recent_document,) = closed_case(make_case, users, 1)
    running = make_case("mobility", applicant=users["other_applicant"])
    report = purge_documents(parse_period("3y"))
    assert (report.cases, report.documents) == (1, 1)
    assert storage().load(old_document.storage_key) is None
    assert storage().load(recent_document.storage_key) is not None
    remaining = set(db.session.scalars(select(Document.case_id)))
    assert remaining == {recent.id, running.id}
    actions = [e.action for e in case_history(old.id)]
    assert "document.uploaded" in actions and actions[-1] == "document.deleted"
    assert purge_documents(parse_period("3y")).documents == 0  # run again: nothing more


def test_a_dry_run_only_counts(backend, make_case, users):
    _old, (document,) = closed_case(make_case, users, 4)
    assert purge_documents(parse_period("3y"), dry_run=True).documents == 1
    assert storage().load(document.storage_key) is not None


def test_files_left_over_by_a_failed_upload_are_removed_after_a_day(backend, app):
    key = new_key()
    files = storage()
    files.before(key, b"left over")
    if backend == "database":
        from caseflow.database import write_transaction

        with write_transaction() as session:
            files.within(session, key, b"left over")
    assert purge_documents(parse_period("3y")).orphans == 0  # too young: may be an upload in progress
    assert purge_documents(parse_period("3y"), now=utcnow() + timedelta(days=2)).orphans == 1
    assert files.load(key) is None
    assert db.session.scalar(select(StoredFile.key)) is None


@pytest.mark.parametrize("text", ["3", "y", "0y", "-1y", "3 years", ""])
def test_a_period_it_cannot_read_is_refused(runner, text):
    result = runner.invoke(args=["purge-documents", "--older-than", text])
    assert result.exit_code == 2 and "3y, 18m, 6w or 90d" in result.output


def test_the_command_reports_what_it_removed(runner, make_case, users):
    closed_case(make_case, users, 4)
    result = runner.invoke(args=["purge-documents", "--older-than", "3y"])
    assert result.exit_code == 0 and "documents removed: 1" in result.output
