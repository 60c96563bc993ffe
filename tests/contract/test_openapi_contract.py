"""The API does what its OpenAPI document says: schemathesis against the app served by gunicorn on loopback.

The demo's data on the test's database (SQLite, or PostgreSQL with
CASEFLOW_TEST_DATABASE_URL), one bearer token per role, and for each role a
bounded run with a fixed seed and every check on (tests/contract/schemathesis.toml
says the one setting that differs from schemathesis' defaults, and why).  Its
NDJSON report is read back: no failure, no server error, and at least 1,000
requests for each role.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CONFIG = Path(__file__).with_name("schemathesis.toml")
ROLES = {"applicant": "applicant", "faculty screener": "screener.it", "office staff": "office", "admin": "admin"}
EXAMPLES = 30  # per operation and phase: over 2,000 requests a role
MIN_REQUESTS = 1000

pytestmark = pytest.mark.contract


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flask(env: dict, *arguments: str) -> str:
    done = subprocess.run([str(BIN / "flask"), "--app", "caseflow", *arguments], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def served(database_url, tmp_path):
    """The app with the demo's data, served by gunicorn (2 workers) on a loopback port; its tokens per role."""
    env = {**os.environ, "CASEFLOW_DATABASE_URL": database_url, "CASEFLOW_STORAGE_DIR": str(tmp_path / "documents"),
           "CASEFLOW_SECRET_KEY": "contract-test", "CASEFLOW_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    env.pop("CASEFLOW_TEST_DATABASE_URL", None)
    _flask(env, "init-db")
    _flask(env, "demo")
    tokens = {role: _flask(env, "create-token", f"{user}@demo.example.org").strip().splitlines()[-1]
              for role, user in ROLES.items()}
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"], env=env,
                              cwd=ROOT, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/openapi.json", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield base, tokens
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _run(base: str, token: str, report: Path) -> list[dict]:
    done = subprocess.run(
        [str(BIN / "schemathesis"), "--config-file", str(CONFIG), "run", f"{base}/openapi.json",
         "--header", f"Authorization: Bearer {token}", "--checks", "all", "--max-examples", str(EXAMPLES),
         "--no-color", "--report", "ndjson", "--report-dir", str(report)],
        cwd=report.parent, capture_output=True, text=True, timeout=1200)
    assert list(report.glob("*.ndjson")), done.stdout[-3000:] + done.stderr[-3000:]
    return [json.loads(line) for path in report.glob("*.ndjson") for line in path.read_text().splitlines()]


def _outcome(events: list[dict]) -> tuple[int, list[str], Counter]:
    """Count the requests, list the failures (operation, check, message) and the responses' statuses."""
    requests, failures, statuses = 0, set(), Counter()
    for event in events:
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished.get("recorder") or {}
        for interaction in (recorder.get("interactions") or {}).values():
            requests += 1
            if interaction.get("response"):
                statuses[interaction["response"]["status_code"]] += 1
        for checks in (recorder.get("checks") or {}).values():
            for check in checks:
                if check["status"] == "failure":
                    failure = check["failure_info"]["failure"]
                    first_line = (failure.get("message") or "").strip().splitlines()[:1]
                    failures.add(f"{failure['operation']}: {failure['title']}: {''.join(first_line)}")
    return requests, sorted(failures), statuses


def test_every_role_gets_exactly_what_the_openapi_document_says(served, tmp_path):
    base, tokens = served
    outcomes = {}
    for role, token in tokens.items():
        requests, failures, statuses = _outcome(_run(base, token, tmp_path / role.replace(" ", "-")))
        outcomes[role] = (requests, failures, {s: n for s, n in statuses.items() if s >= 500})
    report = "\n".join(f"{role}: {requests} requests, {len(failures)} failures, server errors {errors}\n  "
                       + "\n  ".join(failures) for role, (requests, failures, errors) in outcomes.items())
    for requests, failures, errors in outcomes.values():
        assert requests >= MIN_REQUESTS and not failures and not errors, report
