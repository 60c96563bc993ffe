"""Who a case is about: the person its workflow's ``[subject]`` names, copied from the form when it is
submitted, and the same person in another open case of the type.

The subject is not always whoever submitted the form: the office files a
work permit for a new employee, who is the one the queue, the pages and the
mails name.  A subject's own account (an applicant who filed for
themselves, or any account with the subject's address) follows the case.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from caseflow import history
from caseflow.accounts import links
from caseflow.accounts.operations import normalise_email
from caseflow.accounts.permissions import can_invite, can_view
from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.errors import Conflict, Forbidden, NotFound
from caseflow.extensions import db
from caseflow.i18n import _, locale_or_default, ngettext
from caseflow.models.accounts import User
from caseflow.models.cases import Case
from caseflow.notify.outbox import Recipient, case_link, enqueue
from caseflow.routing import site_url
from caseflow.timeutil import as_day, utcnow
from caseflow.workflow.spec import Workflow

NOT_LETTERS = re.compile(r"[\W_]+")


def name_key(name: str) -> str:
    """A name as two spellings of it compare: case and accents folded, spaces and punctuation dropped."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return NOT_LETTERS.sub(" ", "".join(c for c in folded if not unicodedata.combining(c))).strip()


def passport_key(number: object) -> str | None:
    """A passport number as two spellings of it compare: letters and digits, in capitals."""
    key = NOT_LETTERS.sub("", str(number or "")).upper()
    return key or None


def subject_columns(session: Session, workflow: Workflow, data: dict, submitter: User) -> dict:
    """The case's subject columns for an application with ``data`` that ``submitter`` sends."""
    spec = workflow.subject
    files_for_self = submitter.role == "applicant"
    if spec is None:  # the case is about the account that submitted it
        name, email, born, passport = submitter.full_name or submitter.email, submitter.email, None, None
    else:
        name = str(data.get(spec.name) or "").strip()
        email = normalise_email(str(data.get(spec.email) or "")) if spec.email else ""
        born = as_day(data.get(spec.birth_date)) if spec.birth_date else None
        passport = passport_key(data.get(spec.passport)) if spec.passport else None
    if files_for_self:
        account = submitter.id
    else:  # staff file it: the account with the subject's address, if one has been made (its owner proved it)
        account = session.scalar(select(User.id).where(User.email == email, User.active.is_(True))) if email else None
    return {"subject_id": account, "subject_name": name or submitter.display_name, "subject_key": name_key(name),
            "subject_email": email or None, "subject_birth_date": born, "subject_passport": passport}


def same_person(workflow: Workflow, case: Case) -> list[Case]:
    """The other open cases of the type about the same person: the same passport number, or the same name
    and date of birth.  Staff see them as a warning; nothing is refused for it."""
    if case.state not in workflow.open_states:
        return []
    matches = []
    if case.subject_passport:
        matches.append(Case.subject_passport == case.subject_passport)
    if case.subject_key and case.subject_birth_date:
        matches.append(and_(Case.subject_key == case.subject_key, Case.subject_birth_date == case.subject_birth_date))
    if not matches:
        return []
    return list(db.session.scalars(
        select(Case).where(Case.type == case.type, Case.id != case.id, Case.state.in_(workflow.open_states),
                           or_(*matches)).order_by(Case.id).limit(20)))


def invite(case_id: int, actor: User) -> bool:
    """Mail the case's subject a link to follow it on its status page; return whether they had an account.

    A subject without an account gets a sign-up link for the address the form
    gave (their new account then follows every case filed for it); one with
    an account is linked to the case now, and told to log in.  Office staff
    and admins only; the history records the invitation.
    """
    with write_transaction() as session:
        case = session.scalar(select(Case).where(Case.id == case_id).with_for_update()
                              .execution_options(populate_existing=True))
        if case is None or not can_view(actor, case):
            raise NotFound(_("There is no such case."))
        if not can_invite(actor, case):
            raise Forbidden(_("Only the international office invites people to follow a case."))
        if case.subject_id is not None:
            raise Conflict(_("%(name)s follows this case already, with their own account.", name=case.subject_name))
        if not case.subject_email:
            raise Conflict(_("The application gives no e-mail address for %(name)s.", name=case.subject_name))
        workflow = catalog()[case.type]
        account = session.scalar(select(User).where(User.email == case.subject_email))
        reference, now = case.reference, utcnow()
        if account is not None:
            case.subject_id = account.id
            recipient = Recipient.of_account(account.email, account.full_name, account.locale)
            link = case_link(case.id)
        else:
            recipient = Recipient(case.subject_email, case.subject_name, locale_or_default(None))
            link = site_url(f"/signup/{links.make(links.SIGNUP, {'e': case.subject_email, 'n': case.subject_name})}")

        def opening() -> str:  # in the recipient's language: called while the mail is composed, not before
            if account is not None:
                return _("Log in with your account to follow it:")
            return ngettext("Create your account within %(num)d hour to follow it:",
                            "Create your account within %(num)d hours to follow it:",
                            links.lifetime_hours(links.SIGNUP))

        enqueue(session, f"case-invitation:{case.id}:{secrets.token_hex(8)}", recipient, "account_link", now,
                lambda: (_("[%(reference)s] Follow your application", reference=reference), {
                    "paragraphs": [_("The international office has filed the application %(reference)s "
                                     "(%(programme)s) about you.", reference=reference, programme=workflow.label),
                                   opening()],
                    "link": link,
                    "after": [_("Its status page shows where it stands and what happens next.")]}),
                case_id=case.id)
        history.record(session, case.id, history.SUBJECT_INVITED, actor.id, now, to_state=case.state,
                       changes={"name": case.subject_name, "email": case.subject_email})
    return account is not None


def linked_case(session: Session, workflow: Workflow, submitter: User, columns: dict) -> int | None:
    """The subject's latest case of the type ``workflow`` links to (``links_to``: a hostel request's admission)
    that is not closed negatively, if any: theirs by account, or by the subject's address."""
    other = catalog().get(workflow.links_to) if workflow.links_to else None
    if other is None:
        return None
    owner = columns.get("subject_id") or submitter.id
    whose = [Case.applicant_id == owner, Case.subject_id == owner]
    if columns.get("subject_email"):
        whose.append(Case.subject_email == columns["subject_email"])
    return session.scalar(select(Case.id).where(Case.type == other.name, or_(*whose),
                                                Case.state.not_in(other.closed_negative_states))
                          .order_by(Case.id.desc()).limit(1))
