"""A local SMTP server for development: keeps every message as a file for the admin page to show.

``make run`` starts it (``flask --app caseflow mail-catcher``) so that a new
user sees the mails the demo sends without a real mail server.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

from aiosmtpd.controller import Controller
from flask import current_app

MAX_SHOWN = 200


def caught_mail_folder() -> Path:
    """Return the folder the development catcher keeps mail in (the instance folder's caught-mail/)."""
    return Path(current_app.instance_path) / "caught-mail"


class Keeper:
    """An aiosmtpd handler that writes each message to ``folder`` as an .eml file."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        (self.folder / f"{stamp}-{self.count:05d}.eml").write_bytes(envelope.content)
        return "250 Message kept"


def start(folder: Path, host: str, port: int) -> Controller:
    controller = Controller(Keeper(folder), hostname=host, port=port)
    controller.start()
    return controller


@dataclass
class Caught:
    name: str
    to: str
    subject: str
    date: datetime | None  # naive UTC, as the database keeps times (pages show them in the office's zone)
    text: str


def _utc(header) -> datetime | None:
    try:
        return parsedate_to_datetime(str(header)).astimezone(UTC).replace(tzinfo=None) if header else None
    except (TypeError, ValueError):
        return None


def caught(folder: Path) -> list[Caught]:
    """Return the newest kept messages first (at most MAX_SHOWN)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:MAX_SHOWN]:
        message: EmailMessage = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(("plain",))
        found.append(Caught(path.stem, str(message["To"] or ""), str(message["Subject"] or ""),
                            _utc(message["Date"]), body.get_content() if body else ""))
    return found
