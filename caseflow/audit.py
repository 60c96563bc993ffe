"""The one writer of the audit log, called inside the transaction of the change it records.

Written with the change, an entry exists exactly when the change does (a
refused or rolled-back change leaves none).  The actor is whoever the request
is logged in as, and the address the request came from; a command on the
server has neither.
"""

from __future__ import annotations

import getpass

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy.orm import Session

from caseflow.i18n import lazy_gettext as _l
from caseflow.models.audit import AuditEntry

COMMAND_LINE = "cli:"  # the actor of a command run on the server, before the system account's name

# Every action the log records, declared once with what the admin page calls it.
ACTIONS = {
    "account.created": _l("Account created"),
    "account.changed": _l("Account changed"),
    "account.login": _l("Login"),
    "account.login_failed": _l("Login failed"),
    "account.logout": _l("Logged out"),
    "account.sessions_ended": _l("Sessions ended"),
    "account.password_changed": _l("Password changed"),
    "account.password_reset_requested": _l("Password reset asked for"),
    "account.password_reset": _l("Password reset by e-mail"),
    "faculty.created": _l("Faculty added"),
    "faculty.renamed": _l("Faculty renamed"),
    "list.value_added": _l("Value added to a list"),
    "list.value_removed": _l("Value removed from a list"),
    "room.added": _l("Hostel room added"),
    "token.created": _l("API token created"),
    "token.revoked": _l("API token revoked"),
    "call.created": _l("Call created"),
    "call.changed": _l("Call changed"),
}


def record(session: Session, action: str, target: str = "", before: dict | None = None,
           after: dict | None = None, actor=None) -> None:
    """Add an entry for ``action`` on ``target`` (e.g. ``user:12``) with the values before and after."""
    if action not in ACTIONS:
        raise ValueError(f"undeclared audit action {action!r}")
    address, who = "", ""
    if has_request_context():
        address = request.remote_addr or ""
        if actor is None and current_user.is_authenticated:
            actor = current_user
    else:  # a command on the server: the operating-system account that ran it
        who = f"{COMMAND_LINE}{getpass.getuser()}"
    session.add(AuditEntry(action=action, target=target[:300], before=before or {}, after=after or {},
                           address=address, actor_id=actor.id if actor is not None else None,
                           actor=actor.email if actor is not None else who))


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only what differs between two snapshots, as (before, after)."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}
