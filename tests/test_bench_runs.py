"""``make bench`` keeps working: its benchmark runs on a few cases (figures are not checked here)."""

from __future__ import annotations

from bench.transitions import run


def test_transition_benchmark_runs_on_a_tiny_database(tmp_path):
    line = run(f"sqlite:///{tmp_path / 'bench.sqlite3'}", n=3)
    assert "apply_transition median" in line and "engine overhead" in line
