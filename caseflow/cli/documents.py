"""``flask --app caseflow purge-documents``: the retention rule, for operators (e.g. from cron)."""

from __future__ import annotations

import click

from caseflow.documents.retention import parse_period, purge_documents


@click.command("purge-documents")
@click.option("--older-than", "period", required=True, metavar="3y",
              help="Remove the documents of cases closed longer ago than this: 3y, 18m, 6w or 90d.")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
def purge_documents_command(period: str, dry_run: bool) -> None:
    """Remove the documents of closed cases (bytes and rows; the history keeps a line for each)."""
    try:
        older_than = parse_period(period)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--older-than") from None
    report = purge_documents(older_than, dry_run=dry_run)
    click.echo(f"{'Would remove' if dry_run else 'Removed'}: {report}.")
