"""Cases, their append-only history, calls, partners, reference lists, commissions and scores."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, event, false, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow import limits
from caseflow.extensions import db
from caseflow.i18n import in_reader_language
from caseflow.models.accounts import User
from caseflow.timeutil import utcnow


class Call(db.Model):
    """A call for applications of one case type, e.g. "Erasmus+ 2027", with a deadline."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(50))
    deadline_at: Mapped[datetime]
    # The call's own capacity, for case types whose seats come from the call
    # (an event's places, a scholarship's awards); None means no limit.
    seats: Mapped[int | None] = mapped_column(default=None)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The value of the workflow's variant field for every application (e.g. the programme).
    variant: Mapped[str | None] = mapped_column(String(50), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The language the name and description were written in, and the same texts in other languages
    # ({"ky": {"name": ..., "description": ...}}): a reader sees theirs, else the texts as written.
    language: Mapped[str] = mapped_column(String(8), default="en")
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    # When and where it happens, for kinds whose workflow names a period (``period_label``): an event's days,
    # the days the stays must fall in.  Empty: none given.
    first_day: Mapped[date | None] = mapped_column(default=None)
    last_day: Mapped[date | None] = mapped_column(default=None)
    # The time of day it starts on its first day and ends on its last (an event's hours); empty: not given.
    starts_at: Mapped[time | None] = mapped_column(default=None)
    ends_at: Mapped[time | None] = mapped_column(default=None)
    place: Mapped[str] = mapped_column(String(limits.LINE), default="", server_default="")
    contact: Mapped[str] = mapped_column(String(limits.LINE), default="", server_default="")
    # Applicants may choose a partner with no seat left, as reserves (else a full partner cannot be chosen).
    reserve_list: Mapped[bool] = mapped_column(default=False, server_default=false())

    partners: Mapped[list[Partner]] = relationship(
        back_populates="call", order_by="Partner.name", cascade="all, delete-orphan"
    )

    def is_open(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) < self.deadline_at

    @property
    def shown_name(self) -> str:
        return self._shown("name", self.name)

    @property
    def shown_description(self) -> str:
        return self._shown("description", self.description or "")

    def _shown(self, key: str, written: str) -> str:
        texts = {language: text.get(key, "") for language, text in (self.translations or {}).items()}
        return in_reader_language(texts, written)


class Partner(db.Model):
    """A partner institution of a call with its number of seats."""

    __tablename__ = "partners"
    __table_args__ = (UniqueConstraint("call_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(100))
    seats: Mapped[int]

    call: Mapped[Call] = relationship(back_populates="partners")


class Room(db.Model):
    """A room of a hostel for foreign students, with its places (seed: "1 room seats 4 students")."""

    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("building", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building: Mapped[str] = mapped_column(String(limits.LINE))
    number: Mapped[str] = mapped_column(String(limits.CHOICE))
    places: Mapped[int]

    @property
    def name(self) -> str:
        return f"{self.building}, {self.number}"


class ReferenceItem(db.Model):
    """One entry of a named list that workflows refer to and admins edit.

    E.g. ``labour_migration_agreement``: the states whose citizens pay the
    lower work-permit duty.  Values are compared without case or spaces.
    """

    __tablename__ = "reference_items"

    list_name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)


class Case(db.Model):
    """One application; once stored, its ``state`` is written only by the one move (assigning it raises)."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_type_state", "type", "state"),
        Index("ix_cases_faculty_state", "faculty_code", "state"),
        Index("ix_cases_partner_state", "partner_id", "state"),
        Index("ix_cases_room_state", "room_id", "state"),
        Index("ix_cases_applicant_call", "applicant_id", "call_id"),
        # One case per submission: a form or a client sending the same request again gets the same case.
        Index("ix_cases_applicant_request", "applicant_id", "request_key", unique=True),
        # The duplicate-person check: the same passport, or the same name and date of birth, in a type.
        Index("ix_cases_type_passport", "type", "subject_passport"),
        Index("ix_cases_type_person", "type", "subject_key", "subject_birth_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(40), unique=True)
    type: Mapped[str] = mapped_column(String(50))
    state: Mapped[str] = mapped_column(String(50))
    version: Mapped[int] = mapped_column(default=1)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # the account that submitted it
    # Whom it is about (the workflow's [subject]), copied from the form when it is submitted: the person
    # the pages name and the mails write to, who may be someone other than the submitter.  Their account,
    # once they have one with that address, follows the case as its own.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", name="fk_cases_subject_id_users"), index=True,
                                                  default=None)
    subject_name: Mapped[str] = mapped_column(String(limits.LINE), default="", server_default="")
    subject_key: Mapped[str] = mapped_column(String(limits.LINE), default="", server_default="")  # name, folded
    subject_email: Mapped[str | None] = mapped_column(String(320), default=None)
    subject_birth_date: Mapped[date | None] = mapped_column(default=None)
    subject_passport: Mapped[str | None] = mapped_column(String(40), default=None)  # letters and digits only
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    # The hostel room its place is in, once assigned (a field that binds "room" sets it).
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", name="fk_cases_room_id_rooms"), default=None)
    faculty_code: Mapped[str | None] = mapped_column(ForeignKey("faculties.code"))
    # The case this one renews (e.g. last year's work permit).
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    # The case of another type this one goes with (a hostel request: the student's admission), found when
    # it is submitted (the workflow's ``links_to``).
    linked_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", name="fk_cases_linked_id_cases"),
                                                  index=True, default=None)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The submission that made it (a page form's one-time token, an API client's Idempotency-Key) and the
    # digest of what that request said, so that the same key with other content can be refused.
    request_key: Mapped[str | None] = mapped_column(String(limits.REQUEST_KEY), default=None)
    request_digest: Mapped[str | None] = mapped_column(String(64), default=None)

    applicant: Mapped[User] = relationship(lazy="raise", foreign_keys=[applicant_id])
    call: Mapped[Call | None] = relationship(lazy="raise")
    # Set (not stored) when an operation answers a request sent before with the case it made or moved then.
    replayed = False
    partner: Mapped[Partner | None] = relationship(lazy="raise")


class StateWrittenOutsideTheMove(RuntimeError):
    """Code other than the one move tried to change a stored case's state."""


@event.listens_for(Case.state, "set")
def _state_changes_only_by_the_move(case: Case, value, old, initiator) -> None:
    # The one move (cases.moves.move) writes the state with an UPDATE that checks the version, appends the
    # history line, the mail and the deadlines in the same transaction, then sets the loaded attribute
    # without this event.  Anything else assigning it would change a case behind its history's back.
    if inspect(case).has_identity:
        raise StateWrittenOutsideTheMove(
            f"the state of case {case.id} changes only through the move (cases.moves.move)")


class CaseEvent(db.Model):
    """One line of a case's history; rows are only ever inserted."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_at", "case_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(50))  # a kind of line of caseflow.history, e.g. "case.created"
    transition: Mapped[str | None] = mapped_column(String(50))
    from_state: Mapped[str | None] = mapped_column(String(50))
    to_state: Mapped[str] = mapped_column(String(50))
    comment: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    # The request that fired it (a form's one-time token, an Idempotency-Key): sent again, it changes nothing.
    request_key: Mapped[str | None] = mapped_column(String(limits.REQUEST_KEY), default=None)

    actor: Mapped[User | None] = relationship(lazy="raise")


class CommissionMember(db.Model):
    """A member of a call's selection commission: scores the call's cases in the scoring stage."""

    __tablename__ = "commission_members"

    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)

    user: Mapped[User] = relationship(lazy="raise")


class Score(db.Model):
    """One commission member's score of one case; the member may change it until the ranking closes."""

    __tablename__ = "scores"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    comment: Mapped[str] = mapped_column(Text, default="")
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)

    member: Mapped[User] = relationship(lazy="raise")
