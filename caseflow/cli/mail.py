"""``flask --app caseflow deliver-mail | reminders | mail-catcher | dev | scheduler``: mail and the clock."""

from __future__ import annotations

import contextlib
import os
import time
from datetime import datetime

import click
from apscheduler.schedulers.background import BackgroundScheduler
from flask import current_app
from werkzeug.serving import run_simple

from caseflow.notify import catcher
from caseflow.notify.catcher import caught_mail_folder
from caseflow.notify.delivery import deliver_due, outbox_counts
from caseflow.scheduling.digest import send_digests
from caseflow.scheduling.runner import build_scheduler
from caseflow.scheduling.scan import scan
from caseflow.timeutil import to_utc


@click.command("deliver-mail")
def deliver_mail_command() -> None:
    """Send the outbox's due messages now and say what happened."""
    report = deliver_due()
    click.echo(f"Outbox: {report}.")
    for line in report.errors:
        click.echo(f"  {line}")
    counts = outbox_counts()
    click.echo(f"Waiting: {counts.get('pending', 0)}; failed for good: {counts.get('failed', 0)}.")


@click.command("reminders")
@click.option("--now", "moment", default=None, metavar="2027-03-01T09:00",
              help="Scan as if at this moment (office time unless an offset is given); default: now.")
def reminders_command(moment: str | None) -> None:
    """Run one deadline scan (reminders, escalations), then deliver the outbox; twice sends nothing new."""
    at = None
    if moment is not None:
        try:
            parsed = datetime.fromisoformat(moment)
        except ValueError:
            raise click.BadParameter("give a date and time like 2027-03-01T09:00", param_hint="--now") from None
        at = to_utc(parsed, current_app.config["CASEFLOW_TIMEZONE"])
    click.echo(f"Scan: {scan(at)}.")
    click.echo(f"Digests: {send_digests(at)}.")
    click.echo(f"Outbox: {deliver_due(at)}.")


@click.command("mail-catcher")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=int)
def mail_catcher_command(host: str, port: int) -> None:
    """Run a local SMTP server that keeps every message for /admin/mail (development only)."""
    folder = caught_mail_folder()
    controller = catcher.start(folder, host, port)
    click.echo(f"Catching mail on {host}:{port} into {folder} (Ctrl-C stops).")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


@click.command("dev")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def dev_command(host: str, port: int) -> None:
    """Serve for development: the pages, the scheduler and a local mail catcher, in this one process."""
    app = current_app._get_current_object()
    if "CASEFLOW_BASE_URL" not in os.environ:  # links in mails point where this serves, not a default port
        app.config["CASEFLOW_BASE_URL"] = f"http://{host}:{port}"
    mail_host, mail_port = app.config["CASEFLOW_MAIL_SERVER"], app.config["CASEFLOW_MAIL_PORT"]
    try:
        controller = catcher.start(caught_mail_folder(), mail_host, mail_port)
    except OSError as error:
        raise click.ClickException(f"cannot catch mail on {mail_host}:{mail_port} ({error}); "
                                   "is another caseflow running? Set CASEFLOW_MAIL_PORT.") from None
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start()
    click.echo(f"Mail to {mail_host}:{mail_port} is kept for /admin/mail; the scheduler delivers it.")
    try:
        # Not app.run(): Flask ignores it inside a CLI command.
        run_simple(host, port, app, threaded=True)
    finally:
        scheduler.shutdown(wait=False)
        controller.stop()


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the scheduled jobs (outbox delivery) until stopped: one such process per installation."""
    click.echo("Scheduler running (Ctrl-C stops).")
    with contextlib.suppress(KeyboardInterrupt, SystemExit):
        build_scheduler(current_app._get_current_object()).start()
