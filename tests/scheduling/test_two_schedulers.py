"""Two scheduler processes against one database send each escalation exactly once (real processes)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

from sqlalchemy import update

from caseflow.extensions import db
from caseflow.models.deadlines import CaseDeadline

LONG_OVERDUE = datetime(2026, 11, 2, 12, 0)


def test_two_reminder_processes_at_once_send_each_escalation_once(app, database_url, make_case, make_user, smtp):
    cases = [make_case(state="faculty_screening", applicant=make_user()) for _ in range(8)]
    db.session.execute(update(CaseDeadline).values(due_at=LONG_OVERDUE, remind_at=LONG_OVERDUE))
    db.session.commit()
    env = {**os.environ, "CASEFLOW_DATABASE_URL": database_url, "CASEFLOW_MAIL_PORT": str(smtp.port),
           "CASEFLOW_MAIL_BATCH_SIZE": "3", "CASEFLOW_DEFAULT_LOCALE": "en"}
    command = [sys.executable, "-m", "flask", "--app", "caseflow", "reminders", "--now", "2026-11-30T10:00"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    overdue = [m for m in smtp.messages if "Overdue" in m["Subject"]]
    assert sorted(m["Subject"].split("]")[0] + "]" for m in overdue) == sorted(f"[{c.reference}]" for c in cases)
    assert len({m["Message-ID"] for m in overdue}) == len(cases)
