"""``flask --app caseflow ...`` commands, for operators; each docstring is its help text.

This package sits on top of the others: a command may call anything, nothing calls a command.
"""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from caseflow.accounts.operations import (
    create_token,
    create_user,
    find_user,
    revoke_token,
    tokens_of,
)
from caseflow.cli import mail
from caseflow.cli.backup import backup_command, restore_command
from caseflow.cli.documents import purge_documents_command
from caseflow.cli.translations import translations_group
from caseflow.demo import load_demo
from caseflow.errors import CaseError
from caseflow.extensions import db
from caseflow.reference_data import seed_reference_data
from caseflow.timeutil import iso_utc
from caseflow.workflow import WorkflowError, load_workflows
from caseflow.workflow.spec import ROLES


def init_app(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(create_user_command)
    app.cli.add_command(create_token_command)
    app.cli.add_command(tokens_command)
    app.cli.add_command(revoke_token_command)
    app.cli.add_command(workflows_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(purge_documents_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(translations_group)
    for command in (mail.deliver_mail_command, mail.mail_catcher_command, mail.scheduler_command,
                    mail.reminders_command, mail.dev_command):
        app.cli.add_command(command)


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("init-db")
def init_db() -> None:
    """Migrate the database to the newest schema and seed the faculties."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    seed_reference_data()
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES), help="The account's role.")
@click.option("--faculty", default=None, help="Faculty code (faculty screeners only).")
@click.option("--name", "full_name", default="", help="Full name shown to others.")
@click.option("--password", default=None, help="Password; asked for when not given.")
def create_user_command(email: str, role: str, faculty: str | None, full_name: str, password: str | None) -> None:
    """Create an account with a role (staff accounts are created this way or by admins)."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password, role, faculty, full_name)
    except CaseError as error:
        _fail("; ".join(m for messages in error.errors.values() for m in messages) or error.message)
    click.echo(f"Created {role} {user.email}")


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for (shown in the lists of tokens).")
@click.option("--days", type=click.IntRange(1, 3650), default=None, help="Days it lasts; default: until revoked.")
def create_token_command(email: str, name: str, days: int | None) -> None:
    """Create an API token for an account and print it on the last line (shown only once)."""
    user = find_user(email)
    if user is None:
        _fail(f"no account with the e-mail address {email}")
    secret = create_token(user, name, days)
    click.echo(f"API token for {user.email} (store it now; it is kept only as a hash):")
    click.echo(secret)


@click.command("tokens")
@click.argument("email")
def tokens_command(email: str) -> None:
    """List an account's API tokens: id, name, created, last used, expires (UTC)."""
    user = find_user(email)
    if user is None:
        _fail(f"no account with the e-mail address {email}")
    for token in tokens_of(user.id):
        click.echo("\t".join([str(token.id), token.name or "-", iso_utc(token.created_at),
                              iso_utc(token.last_used_at) or "never", iso_utc(token.expires_at) or "until revoked"]))


@click.command("revoke-token")
@click.argument("token_id", type=int)
def revoke_token_command(token_id: int) -> None:
    """Revoke an API token by its id (see `tokens EMAIL`); programs using it are refused at once."""
    try:
        token = revoke_token(token_id)
    except CaseError as error:
        _fail(error.message)
    click.echo(f"Revoked token {token.id} ({token.name or 'no name'})")


@click.group("workflows")
def workflows_group() -> None:
    """Inspect the workflow files."""


@workflows_group.command("check")
@click.argument("folder", required=False)
def workflows_check(folder: str | None) -> None:
    """Validate every workflow file (default: the configured folder); exit 1 on a problem."""
    folder = folder or current_app.config["CASEFLOW_WORKFLOWS_DIR"]
    try:
        workflows = load_workflows(folder)
    except WorkflowError as error:
        _fail(str(error))
    for name, workflow in workflows.items():
        click.echo(
            f"{name}: ok ({len(workflow.states)} states, {len(workflow.transitions)} transitions, "
            f"{len(workflow.fields)} fields, {len(workflow.rules)} rules)"
        )


@click.command("demo")
def demo_command() -> None:
    """Load the demo call, one user of every role and cases in every state; print the logins."""
    created, logins = load_demo()
    click.echo("Demo data loaded." if created else "Demo data exists already.")
    click.echo(f"Demo logins (password for all: {logins['password']}):")
    for role, email in logins["users"]:
        click.echo(f"  {role:<17} {email}")
