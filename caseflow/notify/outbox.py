"""Writing messages to the outbox, inside the caller's transaction.

Nothing here talks to a mail server: ``delivery`` does, after the commit.
A message's ``key`` is unique, so an operation retried after a failure cannot
queue the same message twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from caseflow import history
from caseflow.i18n import _, locale_or_default, words
from caseflow.models.accounts import User
from caseflow.models.outbox import PENDING, OutboxMessage
from caseflow.routing import site_url
from caseflow.workflow.spec import Workflow


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str  # whom the mail greets
    locale: str  # the language the mail is written in

    @classmethod
    def of_account(cls, email: str, full_name: str | None, saved_locale: str | None) -> Recipient:
        """A person greeted by name (else by address), in their saved language or else the office's default."""
        return cls(email, full_name or email, locale_or_default(saved_locale))


def recipient_of(session: Session, email: str) -> Recipient:
    """The recipient at ``email``: a person with an account reads their saved language, others the default."""
    row = session.execute(select(User.full_name, User.locale).where(User.email == email)).one_or_none()
    return Recipient.of_account(email, row.full_name if row else None, row.locale if row else None)


def enqueue(session: Session, key: str, recipient: Recipient, template: str, now: datetime,
            compose: Callable[[], tuple[str, dict]], case_id: int | None = None) -> None:
    """Queue ``templates/email/<template>.txt`` (and ``.html``) for ``recipient``, in the recipient's language.

    ``compose`` returns the subject and the template's context; it runs in the
    recipient's language, so every label it reads is theirs.  The template
    itself is rendered when the mail is sent, in the same language.
    """
    with force_locale(recipient.locale):
        subject, context = compose()
        context = plain(context)
        subject = str(subject)
    context.setdefault("name", recipient.name)
    domain = current_app.config["CASEFLOW_MAIL_DEFAULT_SENDER"].rpartition("@")[2].rstrip(">") or "caseflow"
    connection = session.connection()
    dialect_insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    # A message already queued under this key stays as it is: queuing is idempotent.
    connection.execute(dialect_insert(OutboxMessage.__table__).on_conflict_do_nothing(index_elements=["key"]).values(
        key=key, case_id=case_id, recipient=recipient.email, subject=subject[:300], template=template,
        context=context, locale=recipient.locale,
        message_id=f"<{secrets.token_hex(12)}@{domain}>", status=PENDING, attempts=0,
        next_attempt_at=now, last_error="", created_at=now,
    ))


def plain(value):
    """The context as JSON can hold it: a label (a lazy text) becomes its words in the current language."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return words(value)


def people_of(session: Session, workflow: Workflow, case) -> list[tuple[str, Recipient]]:
    """Whom the case's news goes to, each with a suffix for the message's key: its subject (their account if
    they have one, else the address the form gave, else the account that submitted it), then the contact
    of its organisation (the employer), if the form names one."""
    account = case.subject_id or (None if case.subject_email else case.applicant_id)
    if account is not None:
        row = session.execute(select(User.email, User.full_name, User.locale).where(User.id == account)).one()
        people = [("", Recipient.of_account(row.email, row.full_name, row.locale))]
    else:
        found = recipient_of(session, case.subject_email)
        people = [("", Recipient(found.email, case.subject_name or found.name, found.locale))]
    organisation = workflow.organisation
    contact = str((case.data or {}).get(organisation.contact_email) or "").strip().lower() \
        if organisation is not None and organisation.contact_email else ""
    if contact and contact != people[0][1].email:
        found = recipient_of(session, contact)
        name = str((case.data or {}).get(organisation.contact_name) or "").strip() if organisation.contact_name else ""
        people.append((":contact", Recipient(contact, name or found.name, found.locale)))
    return people


def to_people(session: Session, workflow: Workflow, case, key: str, template: str, now: datetime,
              compose: Callable[[], tuple[str, dict]],
              for_contact: Callable[[], tuple[str, dict]] | None = None) -> None:
    """Queue the message for each of the case's people (``people_of``), under ``key`` and their suffix; the
    organisation's contact gets ``for_contact``'s words if given (the case is not theirs: the employer)."""
    for suffix, recipient in people_of(session, workflow, case):
        words_for = for_contact if suffix == ":contact" and for_contact is not None else compose
        enqueue(session, key + suffix, recipient, template, now, words_for, case_id=case.id)


def case_link(case_id: int) -> str:
    return site_url(f"/cases/{case_id}")


def told(workflow: Workflow, transition: str | None) -> str:
    """What the case's people are told of a move (``None``: of the submission), in the words for them that
    the workflow file gives (a transition the file no longer declares is named as it was stored)."""
    if transition is None:
        return workflow.created_told or _("We have received your application.")
    spec = workflow.transition(transition)
    return spec.told if spec is not None else transition


def case_update(session: Session, workflow: Workflow, case, event_id: int, now: datetime, *,
                transition: str | None = None, from_state: str | None, comment: str = "") -> None:
    """Tell the applicant what happened to their case (submitted: no ``transition``; each decision), in the
    words for them (``told``), with the comment."""
    state = workflow.state(case.state)

    def compose():
        return _("[%(reference)s] %(state)s", reference=case.reference, state=state.label), {
            "reference": case.reference, "programme": workflow.label, "action": told(workflow, transition),
            # A move that keeps the state (the partner changed) says where it is, not "from X to X".
            "before": workflow.state_label(from_state) if from_state != case.state else "",
            "state": state.label, "next_step": state.next_step,
            "comment": comment, "link": case_link(case.id)}

    def for_contact():
        """The employer's contact reads whom the case is about and what happened, not the employee's words;
        the case's page and its next step are the employee's."""
        subject, context = compose()
        done = history.TRANSITIONED.describe(workflow, transition) if transition else history.CREATED.describe(
            workflow)
        return subject, {**context, "about": case.subject_name, "action": done, "next_step": "", "link": ""}

    to_people(session, workflow, case, f"case-event:{event_id}", "case_update", now, compose, for_contact)
