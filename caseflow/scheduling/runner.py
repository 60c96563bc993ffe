"""The one scheduler process: a few fixed jobs in APScheduler's in-memory store.

APScheduler 3 cannot share a job store between processes, so the jobs are
few and fixed (sweeps), and everything they act on lives in our own tables:
a second scheduler, or one restarted after a crash, finds the same work and
the outbox's claims keep each message to one sender.  Web workers never start
it.  ``misfire_grace_time`` defaults to one second: a sweep that runs late
must still run, so it is set wide, with ``coalesce`` so a backlog runs once.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from caseflow.notify.delivery import deliver_due
from caseflow.scheduling.digest import send_digests
from caseflow.scheduling.scan import scan

log = logging.getLogger(__name__)

OUTBOX_EVERY_SECONDS = 15
SCAN_EVERY_SECONDS = 60
DIGEST_EVERY_SECONDS = 600  # the digest goes out from 8:00; each run after that finds it sent


def _in_app(app: Flask, job):
    def run():
        with app.app_context():
            try:
                report = job()
            except Exception:  # a failing round must not stop the scheduler; the next one retries
                log.exception("scheduled job %s failed", job.__name__)
                return
            log.info("%s: %s", job.__name__, report)

    run.__name__ = job.__name__
    return run


def build_scheduler(app: Flask, kind: type[BaseScheduler] = BlockingScheduler) -> BaseScheduler:
    """Return the scheduler with its jobs, not started (``flask scheduler`` starts it and blocks)."""
    scheduler = kind(timezone="UTC", job_defaults={
        "coalesce": True, "misfire_grace_time": 3600, "max_instances": 1})
    scheduler.add_job(_in_app(app, scan), "interval", seconds=SCAN_EVERY_SECONDS, id="scan_deadlines")
    scheduler.add_job(_in_app(app, send_digests), "interval", seconds=DIGEST_EVERY_SECONDS, id="send_digests")
    scheduler.add_job(_in_app(app, deliver_due), "interval", seconds=OUTBOX_EVERY_SECONDS, id="deliver_outbox")
    return scheduler
