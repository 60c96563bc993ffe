"""``make bench`` keeps working: its benchmarks run on a few rows (figures are not checked here)."""

from __future__ import annotations

import os

import pytest

from bench import scan, transitions

PG_URL = os.environ.get("CASEFLOW_TEST_DATABASE_URL")


def test_transition_benchmark_runs_on_a_tiny_database(tmp_path):
    line = transitions.run(f"sqlite:///{tmp_path / 'bench.sqlite3'}", n=3)
    assert "apply_transition median" in line and "engine overhead" in line


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="needs CASEFLOW_TEST_DATABASE_URL (PostgreSQL)"))])
def test_scan_benchmark_runs_on_tiny_databases_and_reports_both_sizes(tmp_path, capsys, backend):
    url = PG_URL if backend == "postgresql" else f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    figures = scan.run(url, sizes=(200, 2_000), due=10, repeats=2)
    assert figures.dialect == backend and set(figures.medians_ms) == {200, 2_000} and figures.ratio > 0
    report = capsys.readouterr().out
    assert "scan of 10 due deadlines" in report and "among 2,000 stored" in report and "ratio" in report
    assert list(tmp_path.iterdir()) == []  # its databases are removed
