"""Delivering the outbox: claim due messages, send them over one SMTP connection, record the outcome.

The claim is its own short transaction (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so two delivery runs never take the same message; SQLite has one
writer at a time).  Sending happens outside any transaction.  A claimed
message is held for a lease: if the run dies, the message is due again when
the lease ends, and its stable Message-ID lets a receiver recognise a second
copy of a message the server had already accepted.

Flask-Mail builds the messages (its ``Message``); the connection is our own
``smtplib`` one because Flask-Mail's has no timeout and ignores refused
recipients.
"""

from __future__ import annotations

import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.charset import QP, Charset
from email.header import Header
from email.utils import formataddr, parseaddr

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import and_, or_, select, update

from caseflow.database import write_transaction
from caseflow.extensions import db
from caseflow.i18n import _, gettext
from caseflow.models.outbox import FAILED, PENDING, SENT, OutboxMessage
from caseflow.timeutil import utcnow

# Minutes to wait before the next attempt, by the number of attempts made.
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 720)
MAX_ROUNDS = 100  # batches per run: a run ends even if messages keep arriving


@dataclass
class Report:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retried} to retry, {self.failed} failed"


@dataclass(frozen=True)
class Claimed:
    id: int
    recipient: str
    subject: str
    template: str
    context: dict
    message_id: str
    attempts: int
    locale: str


class ConnectionFailed(Exception):
    """The server could not be reached or dropped us: no message's fault."""


def deliver_due(now: datetime | None = None) -> Report:
    """Send every message due at ``now`` (default: the present), batch after batch."""
    report = Report()
    for _round in range(MAX_ROUNDS):
        at = now or utcnow()
        token, batch = claim(at)
        if not batch:
            break
        outcomes = send(batch)
        record(token, batch, outcomes, at, report)
        if any(outcome is not None and outcome[0] == "connection" for outcome in outcomes.values()):
            break  # the server is away: the rest waits for the next run
    return report


def claim(now: datetime) -> tuple[str, list[Claimed]]:
    """Take up to a batch of due messages for this run; return the claim's token and the messages."""
    config = current_app.config
    size = config["CASEFLOW_MAIL_BATCH_SIZE"]
    lease = timedelta(seconds=max(300, config["CASEFLOW_MAIL_TIMEOUT_SECONDS"] * (size + 1)))
    token = secrets.token_hex(16)
    table = OutboxMessage.__table__
    due = (
        select(table.c.id)
        .where(table.c.status == PENDING, table.c.next_attempt_at <= now,
               or_(table.c.claimed_until.is_(None), table.c.claimed_until < now))
        .order_by(table.c.id)
        .limit(size)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite's BEGIN IMMEDIATE already excludes others
    )
    with write_transaction() as session:
        rows = session.execute(
            update(table).where(table.c.id.in_(due.scalar_subquery()))
            .values(claimed_until=now + lease, claim_token=token)
            .returning(table.c.id, table.c.recipient, table.c.subject, table.c.template, table.c.context,
                       table.c.message_id, table.c.attempts, table.c.locale)
        ).all()
    return token, sorted((Claimed(*row) for row in rows), key=lambda item: item.id)


def send(batch: list[Claimed]) -> dict[int, tuple[str, str] | None]:
    """Send ``batch`` over one connection; return each message's failure (kind, reason) or None if sent.

    kind is "permanent" (the server refused it for good: 5xx), "temporary"
    (4xx) or "connection" (the server is away; the message is not at fault).
    """
    outcomes: dict[int, tuple[str, str] | None] = {}
    config = current_app.config
    sender = config["CASEFLOW_MAIL_DEFAULT_SENDER"]
    try:
        server = _connect(config)
    except (OSError, smtplib.SMTPException) as error:
        return {item.id: ("connection", _describe(error)) for item in batch}
    try:
        for item in batch:
            try:
                data = _message(item, sender).as_bytes()
            except UnicodeError as error:  # e.g. a non-ASCII local part ("ayşe@"), which Flask-Mail cannot write
                outcomes[item.id] = ("permanent", _("This address cannot be written in a mail (%(error)s).",
                                                    error=type(error).__name__))
                continue
            try:
                refused = server.sendmail(parseaddr(sender)[1], [item.recipient], data)
            except smtplib.SMTPRecipientsRefused as error:
                code, reason = next(iter(error.recipients.values()))
                outcomes[item.id] = (_kind(code), f"{code} {_text(reason)}")
            except smtplib.SMTPResponseException as error:
                outcomes[item.id] = (_kind(error.smtp_code), f"{error.smtp_code} {_text(error.smtp_error)}")
            except (OSError, smtplib.SMTPServerDisconnected) as error:
                for rest in batch:  # this one and every one not tried yet
                    outcomes.setdefault(rest.id, ("connection", _describe(error)))
                break
            else:
                outcomes[item.id] = None if not refused else ("permanent", str(refused))
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
    return outcomes


def record(token: str, batch: list[Claimed], outcomes: dict, now: datetime, report: Report) -> None:
    """Write what happened to each claimed message, only where this run still holds the claim."""
    table = OutboxMessage.__table__
    limit = current_app.config["CASEFLOW_MAIL_MAX_ATTEMPTS"]
    with write_transaction() as session:
        for item in batch:
            outcome = outcomes.get(item.id, ("connection", _("not attempted")))
            mine = and_(table.c.id == item.id, table.c.claim_token == token)
            if outcome is None:
                values = {"status": SENT, "sent_at": now, "attempts": item.attempts + 1, "last_error": ""}
                report.sent += 1
            else:
                kind, reason = outcome
                attempts = item.attempts + 1
                gives_up = kind == "permanent" or (kind == "temporary" and attempts >= limit)
                wait = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
                values = {"status": FAILED if gives_up else PENDING, "attempts": attempts, "last_error": reason,
                          "next_attempt_at": now + timedelta(minutes=wait)}
                if gives_up:
                    report.failed += 1
                else:
                    report.retried += 1
                report.errors.append(f"{item.recipient}: {reason}")
            session.execute(update(table).where(mine).values(claimed_until=None, claim_token=None, **values))


def retry(message_id: int) -> bool:
    """Put a failed message back in the queue (an admin fixed the address or the server); False if none."""
    table = OutboxMessage.__table__
    with write_transaction() as session:
        result = session.execute(update(table).where(table.c.id == message_id, table.c.status == FAILED).values(
            status=PENDING, attempts=0, next_attempt_at=utcnow(), last_error=""))
    return result.rowcount == 1


def _connect(config) -> smtplib.SMTP:
    timeout = config["CASEFLOW_MAIL_TIMEOUT_SECONDS"]
    host, port = config["CASEFLOW_MAIL_SERVER"], config["CASEFLOW_MAIL_PORT"]
    server = (smtplib.SMTP_SSL if config["CASEFLOW_MAIL_USE_SSL"] else smtplib.SMTP)(host, port, timeout=timeout)
    try:
        if config["CASEFLOW_MAIL_USE_TLS"]:
            server.starttls()
        if config["CASEFLOW_MAIL_USERNAME"]:
            server.login(config["CASEFLOW_MAIL_USERNAME"], config["CASEFLOW_MAIL_PASSWORD"] or "")
    except BaseException:
        server.close()
        raise
    return server


def _message(item: Claimed, sender: str) -> Message:
    with force_locale(item.locale):  # the recipient's language, as the subject and the context were written
        body = render_template(f"email/{item.template}.txt", **item.context)
        html = render_template(f"email/{item.template}.html", **item.context)
        name, address = parseaddr(sender)
        # The default sender's name is a message of the catalogues ("International Office"); another is kept.
        sender = formataddr((gettext(name), address)) if name else address
    message = Message(encoded_subject(item.subject), recipients=[item.recipient], body=body, html=html,
                      sender=sender)
    message.msgId = item.message_id
    return message


def encoded_subject(subject: str) -> str:
    """The subject as RFC 2047 words that keep their spaces, folded in lines short enough to be sent as they are.

    Flask-Mail's base64 words split between words, and readers drop the space
    between two encoded words ("на факультете" became "нафакультете");
    quoted-printable words carry each space inside them.  The lines stay
    folded: one long line makes the SMTP policy Flask-Mail sets refold the
    header itself, into base64 words that lose the space where it folds
    (Python 3.11's email folding).  Flask-Mail's ``has_bad_headers`` would
    call the folds bad, but we send through smtplib, never ``Mail.send``.
    """
    if subject.isascii():
        return subject
    charset = Charset("utf-8")
    charset.header_encoding = QP
    return Header(subject, charset, header_name="Subject").encode()


def _kind(code: int) -> str:
    return "permanent" if 500 <= code < 600 else "temporary"


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):  # smtplib wraps it
        return _("the mail server did not answer in time")
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def outbox_counts() -> dict[str, int]:
    """Count the outbox's messages by status (for the admin page and the CLI)."""
    rows = db.session.execute(select(OutboxMessage.status, db.func.count()).group_by(OutboxMessage.status)).all()
    return {status: count for status, count in rows}
