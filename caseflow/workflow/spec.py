"""Frozen descriptions of a workflow, as read from its TOML file.

Nothing here knows a state's or a case type's name: the engine and the views
ask these objects (``state.terminal``, ``transition.roles``) instead.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from caseflow.fields import FIELD_TYPES, FieldType
from caseflow.formats import listing

ROLES = ("applicant", "faculty_screener", "office_staff", "admin")
STAFF_ROLES = ("faculty_screener", "office_staff", "admin")

COMMENT_MODES = ("required", "optional", "none")  # whether a transition asks for a comment
DOCUMENT_TYPES = ("pdf", "jpeg", "png")  # what an uploaded document may be, by its content


@dataclass(frozen=True)
class SeatPoolKind:
    """Where the seats of a workflow's ``holds_seat`` states come from (its ``seats``).

    ``cases.seats`` counts and locks them in the database; this says what a
    workflow file must have for the pool to make sense.
    """

    name: str
    places_of_call: bool  # the call's own places (its ``seats``); otherwise each chosen partner's seats
    chosen_by: str = ""  # the field binding that picks the pool for each case ("partner"), if the case picks it


SEAT_POOLS = {
    "partner": SeatPoolKind("partner", places_of_call=False, chosen_by="partner"),
    "call": SeatPoolKind("call", places_of_call=True),
}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str
    required: bool = True
    help: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    max_length: int | None = None
    places: int | None = None
    choices: tuple[Choice, ...] = ()
    prefill: str | None = None  # "email" or "full_name": prefilled from the account
    min_age: int | None = None  # a date of birth: never in the future, and at least this many years ago
    stateless: bool = False  # a country that may also be "stateless" (a nationality)
    shared_by: str = ""  # a room: shared only by cases with one answer to this choice field (women or men)
    not_past: bool = False  # a day: today or later
    not_future: bool = False  # a day: today or earlier
    # Filled in by whoever fires this transition (the permit's number when it is issued), not by the
    # applicant: the application form leaves it out.
    recorded_at: str = ""
    # Transitions whose firer may change this answer of the application (the office changes a full partner).
    changed_by: tuple[str, ...] = ()
    # Asked only when the call's programme is one of these (the variant field): {"field": ..., "in": (...)}.
    when: dict | None = field(default=None, hash=False, compare=False)

    def applies_to(self, data: dict) -> bool:
        return self.when is None or data.get(self.when["field"]) in self.when["in"]

    @property
    def kind(self) -> FieldType:
        """The field's type: how it is filled in, checked, stored and shown (``caseflow.fields``)."""
        return FIELD_TYPES[self.type]

    def choice_label(self, value: object) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.label
        return "" if value is None else str(value)


@dataclass(frozen=True)
class Rule:
    """A named check with its parameters; ``name`` selects the function in the registry."""

    name: str
    params: dict = field(default_factory=dict, hash=False, compare=False)
    message: str = ""  # replaces the check's own reasons when it fails
    label: str = ""  # the condition in the applicant's words, shown before they apply
    # Applies only when a field has one of these values, e.g. a rule of one
    # scholarship programme: {"field": "programme", "in": ("jsps_postdoc",)}.
    when: dict | None = field(default=None, hash=False, compare=False)

    def applies_to(self, data: dict) -> bool:
        return self.when is None or data.get(self.when["field"]) in self.when["in"]


@dataclass(frozen=True)
class Document:
    """One entry of a workflow's document checklist (``[[documents]]``).

    ``applies_when`` limits it to some cases, like a rule's (the employer's
    list, the visa-support request of an applicant who asked for it).
    """

    kind: str
    label: str
    required: bool = True
    accept: tuple[str, ...] = DOCUMENT_TYPES
    step: str = ""  # the state whose stage needs it; empty: the intake stage
    help: str = ""
    when: dict | None = field(default=None, hash=False, compare=False)

    def applies_to(self, data: dict) -> bool:
        return self.when is None or data.get(self.when["field"]) in self.when["in"]


@dataclass(frozen=True)
class Deadline:
    """A time limit that runs while a case is in ``state`` (``[[deadlines]]`` in a workflow file).

    It opens when the case enters the state and closes when it leaves.  Its
    length is ``working_days`` (weekends and holidays do not count) or
    calendar ``days``.  ``remind_before`` lists the days before the due day
    when whoever must act is reminded (on the working day before, if that day
    is off); ``escalate`` tells the head of the office once it is overdue.
    """

    name: str
    label: str
    state: str
    working_days: int | None = None
    days: int | None = None
    years: int | None = None  # ends the day before the anniversary of its first day
    from_field: str = ""  # a date field whose day it counts from (the day a permit was issued), not entry
    remind_before: tuple[int, ...] = ()
    notify: str = "applicant"  # "applicant" (e-mailed) or "actor" (staff: in their daily digest)
    escalate: bool = False
    # "entry": opens when the case enters `state`; "document_rejected": opens when a document of the
    # case is rejected (in whatever state it is) and closes once none is rejected any more.
    opens: str = "entry"
    until: str = ""  # "documents_supplied": closes early once the checklist's required documents are all there
    due: str = ""  # "call_deadline": due when the case's call closes, instead of after a number of days


@dataclass(frozen=True)
class Derived:
    """A value the engine works out from the form when the case is submitted (e.g. a fee).

    ``cases`` are tried in order; the first whose ``when`` holds gives the
    value (``omit = true``: none, e.g. no duty for an exempt person).  A ``when`` is ``{field, equals}``,
    ``{field, not_equals}`` or ``{field, in_list}`` (a
    reference list the admins edit); a case without ``when`` always holds.
    """

    name: str
    label: str
    cases: tuple[dict, ...] = field(hash=False, compare=False)
    currency: str = ""  # an amount of money in this currency (ISO 4217, "KGS"): shown as the reader writes it


@dataclass(frozen=True)
class Subject:
    """Who a case is about (``[subject]``): the fields that name the person, who is not always whoever
    submitted the form (the office files a work permit for a new employee).

    The engine copies them to the case when it is submitted: queues, pages,
    mails and the duplicate-person check read the case's copy.
    """

    label: str  # what pages call the person ("Applicant", "Foreign specialist")
    name: str  # the field names
    email: str = ""
    birth_date: str = ""
    passport: str = ""


@dataclass(frozen=True)
class Organisation:
    """The organisation a case is also for (``[organisation]``), e.g. the employer, and its contact person,
    who is mailed what the subject is."""

    label: str
    name: str  # the field names
    contact_name: str = ""
    contact_email: str = ""


@dataclass(frozen=True)
class ReferenceList:
    """A list of values the admins keep (``[[lists]]``), which a workflow looks values up in."""

    name: str
    label: str
    help: str = ""
    values: str = "text"  # one of LIST_VALUES: what each entry is ("country": an ISO 3166 code)


LIST_VALUES = ("text", "country", "date")


@dataclass(frozen=True)
class Export:
    """A table of a type's cases for other offices (e.g. the migration service's personal cards).

    It holds open cases only, each person once; ``when`` limits it to some cases (the employees' permits,
    not the employer's), and ``state`` is the stage whose queue offers it, with those cases (one submission).
    """

    name: str  # the file name in /api/v1/exports/<name>.xlsx
    columns: tuple[str, ...]  # field names, in order; the headers are their labels
    label: str = ""  # the sheet's name (Excel keeps 31 characters)
    button: str = ""  # what the button on the ``state`` queue says
    state: str = ""
    when: dict | None = field(default=None, hash=False, compare=False)

    def applies_to(self, data: dict) -> bool:
        return self.when is None or data.get(self.when["field"]) in self.when["in"]


@dataclass(frozen=True)
class Scoring:
    """Competitive selection by a commission (the ``[scoring]`` table of a workflow file).

    Each member of the call's commission scores every case waiting in
    ``state``; closing the ranking orders the cases by their mean score,
    breaks ties by ``tie_break`` in order, fires ``select`` on the best (as
    many as the call has places left) and ``reject`` on the others.
    """

    state: str
    select: str  # transition fired on the cases ranked within the places
    reject: str  # transition fired on the others
    min: Decimal = Decimal(0)
    max: Decimal = Decimal(10)
    # Keys from TIE_BREAKS, or a number field of the form ("field:gpa": higher first).
    tie_break: tuple[str, ...] = ("min_score", "submitted_at")

    @property
    def transitions(self) -> tuple[str, str]:
        return (self.select, self.reject)


# How ties of the mean score may be broken (besides "field:<a number field>", higher first):
# the higher lowest score (a candidate no member rated poorly), the earlier application.
TIE_BREAKS = ("min_score", "submitted_at")


@dataclass(frozen=True)
class State:
    name: str
    label: str
    terminal: bool = False
    intake: bool = False
    holds_seat: bool = False  # a case here occupies a seat of its pool (the workflow's `seats`)
    outcome: str = ""  # "positive" / "negative" / "" (for colours and wording)
    actor: str = ""  # the role that acts next, shown on the status page
    next_step: str = ""  # what happens next, in the applicant's words


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button: what staff do ("Record: partner accepts")
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    guards: tuple[Rule, ...] = ()
    comment: str = "optional"  # "required", "optional" or "none"
    style: str = "primary"  # "primary" or "danger": how the button looks
    auto: bool = False  # fired by the engine as soon as its guards pass, never by a person
    batch: int = 0  # with auto: fired on the `batch` oldest cases of a call at once, when that many wait
    comment_from: str = ""  # with auto: the history comment is this field's value (e.g. the exemption)
    done: str = ""  # what the history says happened, in the past tense ("Partner accepted")
    told: str = ""  # what the case's people are told by mail ("The partner university has accepted you.")

    @property
    def comment_required(self) -> bool:
        return self.comment == "required"


@dataclass(frozen=True)
class Workflow:
    name: str  # the type key: the file's name
    label: str
    description: str
    reference_prefix: str
    initial: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...] = ()
    derived: tuple[Derived, ...] = ()
    lists: tuple[ReferenceList, ...] = ()
    submitted_by: tuple[str, ...] = ("applicant",)  # the roles that may submit a case of this type
    export: Export | None = None
    renewable_from: tuple[str, ...] = ()  # states from which a case may be renewed by a new, linked case
    # How the pages word applying, when "Apply" does not fit (an event: "Register").
    apply_label: str = ""  # the link to the form
    submit_label: str = ""  # the form's button
    created_label: str = ""  # the first line of the history
    created_told: str = ""  # what the submission's mail tells them ("We have received your registration.")
    needs_call: bool = True
    seats: str = ""  # a key of SEAT_POOLS: the pool whose seats `holds_seat` states occupy; empty: none
    # A choice field whose value the call fixes for all its applications (which scholarship programme).
    variant_field: str = ""
    # What its calls' period is (an event's days, the stays' period): its calls then give one, first and last day.
    period_label: str = ""
    links_to: str = ""  # a case type: a new case goes with its subject's latest case of it (that counts)
    queue_columns: tuple[str, ...] = ()  # the fields a stage's queue shows beside the person (``[queue]``)
    scoring: Scoring | None = None
    documents: tuple[Document, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    subject: Subject | None = None  # None: the case is about the account that submitted it
    organisation: Organisation | None = None
    source: str = ""  # the file it came from, for error messages

    def state(self, name: str) -> State:
        for state in self.states:
            if state.name == name:
                return state
        raise KeyError(name)

    def state_label(self, name: str | None) -> str:
        """A state's label; a name the file no longer declares (old cases may hold one) is shown as it is."""
        if name is None:
            return ""
        return next((s.label for s in self.states if s.name == name), name)

    def transition(self, name: str) -> Transition | None:
        for transition in self.transitions:
            if transition.name == name:
                return transition
        return None

    def field(self, name: str) -> Field | None:
        for item in self.fields:
            if item.name == name:
                return item
        return None

    def bound_field(self, binds: str) -> Field | None:
        """The field whose value means ``binds`` to the engine ("faculty", "partner"), if the form has one."""
        return next((f for f in self.fields if f.kind.binds == binds), None)

    @property
    def queue_fields(self) -> tuple[Field, ...]:
        """The fields a stage's queue shows for each case: the file's ``[queue] columns``, else the faculty
        and the partner, where the form has them."""
        if self.queue_columns:
            return tuple(self.field(name) for name in self.queue_columns)
        return tuple(f for f in (self.faculty_field, self.partner_field) if f is not None)

    @property
    def faculty_field(self) -> Field | None:
        """The field that routes a case to a faculty's screeners."""
        return self.bound_field("faculty")

    @property
    def partner_field(self) -> Field | None:
        """The field that chooses the call's partner, whose seat the case holds."""
        return self.bound_field("partner")

    @property
    def seat_pool(self) -> SeatPoolKind | None:
        """Where the seats of its ``holds_seat`` states come from; None when its cases hold no seat."""
        return SEAT_POOLS.get(self.seats)

    @property
    def variant(self) -> Field | None:
        return self.field(self.variant_field) if self.variant_field else None

    @property
    def form_fields(self) -> tuple[Field, ...]:
        """The fields the applicant fills in: all but the one the call fixes and those recorded later."""
        return tuple(f for f in self.fields if f.name != self.variant_field and not f.recorded_at)

    def form_fields_for(self, data: dict) -> tuple[Field, ...]:
        """The fields an application with ``data`` (its call's programme) is asked: those whose
        ``applies_when`` holds (a Chinese-semester applicant sees no JSPS field)."""
        return tuple(f for f in self.form_fields if f.applies_to(data))

    def recorded_fields(self, transition: str) -> tuple[Field, ...]:
        """The fields whoever fires ``transition`` fills in (``recorded_at``) or changes (``changed_by``)."""
        return tuple(f for f in self.fields if f.recorded_at == transition or transition in f.changed_by)

    def rules_for(self, data: dict) -> tuple[Rule, ...]:
        """The eligibility rules that apply to an application with ``data`` (its programme's)."""
        return tuple(rule for rule in self.rules if rule.applies_to(data))

    def rules_for_call(self, variant: str | None) -> tuple[Rule, ...]:
        """The rules an application to a call of this variant (e.g. programme) must meet."""
        return self.rules_for({self.variant_field: variant}) if self.variant_field else self.rules

    def deadline(self, name: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.name == name), None)

    def deadlines_of(self, state: str) -> tuple[Deadline, ...]:
        return tuple(d for d in self.deadlines if d.opens == "entry" and d.state == state)

    def documents_for(self, data: dict) -> tuple[Document, ...]:
        """The checklist of one application, from its data."""
        return tuple(d for d in self.documents if d.applies_to(data))

    def documents_for_call(self, variant: str | None) -> tuple[Document, ...]:
        """The checklist shown before applying to a call: its programme's documents, and those that
        depend on the applicant's answers (each read with its ``condition``)."""
        return tuple(
            d for d in self.documents
            if d.when is None or d.when["field"] != self.variant_field or variant in d.when["in"]
        )

    @property
    def intake_state(self) -> str:
        """The stage where a new case waits: the state flagged ``intake``, else the initial one."""
        return next((s.name for s in self.states if s.intake), self.initial)

    def needed_to_leave(self, state: str, data: dict) -> tuple[Document, ...]:
        """The required documents a case in ``state`` must have (none missing or rejected) to move on:
        those whose ``step`` is that state (no step: the intake stage)."""
        return tuple(d for d in self.documents_for(data) if d.required and self.step_of(d) == state)

    def step_of(self, document: Document) -> str:
        """The state a case cannot leave while ``document`` is missing or rejected."""
        return document.step or self.intake_state

    def applicant_may_remove(self, document: Document | None, state: str) -> bool:
        """Return whether an applicant may remove this document while the case is in ``state``.

        A required document may go only while its stage (or the intake stage)
        runs: later, removing it would leave a case past that stage without
        it.  It can still be replaced until accepted.
        """
        return document is None or not document.required or state in {self.intake_state, self.step_of(document)}

    def document(self, kind: str) -> Document | None:
        return next((d for d in self.documents if d.kind == kind), None)

    def document_label(self, kind: str) -> str:
        """The checklist's label of ``kind``; the kind itself if the file no longer lists it."""
        spec = self.document(kind)
        return spec.label if spec is not None else kind

    def condition(self, document: Document) -> str:
        """Say when a document is asked for, e.g. "Permit: Work permit for the employee"; empty if always."""
        if document.when is None or document.when["field"] == self.variant_field:
            return ""
        spec = self.field(document.when["field"])
        return f"{spec.label}: {listing((spec.choice_label(v) for v in document.when['in']), 'or')}"

    def asks_confirmation(self, transition: Transition) -> bool:
        """Whether a page asks to confirm ``transition`` first: an applicant's move that closes the case
        for good without success (withdrawing, cancelling), which nobody can undo."""
        dest = self.state(transition.dest)
        return "applicant" in transition.roles and dest.terminal and dest.outcome == "negative"

    def is_collective(self, transition: Transition) -> bool:
        """Whether ``transition`` is fired for many cases at once (closing a ranking), never on one alone."""
        return self.scoring is not None and transition.name in self.scoring.transitions

    def transitions_from(self, state: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if state in t.sources)

    @property
    def terminal_states(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states if s.terminal)

    @property
    def open_states(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states if not s.terminal)

    @property
    def seat_states(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states if s.holds_seat)

    @property
    def waiting_states(self) -> tuple[str, ...]:
        """States without a seat that an automatic transition leads out of into one (waiting lists)."""
        seats = set(self.seat_states)
        return tuple(
            s.name for s in self.states
            if s.name not in seats and any(t.auto and t.dest in seats for t in self.transitions_from(s.name))
        )

    @property
    def closed_negative_states(self) -> tuple[str, ...]:
        """Terminal states with a negative outcome: a case there no longer counts (rejected, withdrawn)."""
        return tuple(s.name for s in self.states if s.terminal and s.outcome == "negative")

    def path_to(self, target: str, engine_steps: bool = False) -> tuple[Transition, ...]:
        """Return the transitions people fire, on the shortest path to ``target``.

        Automatic transitions on the way are left out (the engine fires them
        when their guards pass: the case's data, a full pool...) unless
        ``engine_steps``.  Raises ValueError when ``target`` cannot be reached.
        """
        queue: deque[tuple[str, tuple[Transition, ...]]] = deque([(self.initial, ())])
        seen = {self.initial}
        while queue:
            state, steps = queue.popleft()
            if state == target:
                return steps
            for transition in self.transitions_from(state):
                if transition.dest not in seen:
                    seen.add(transition.dest)
                    kept = engine_steps or not transition.auto
                    queue.append((transition.dest, (*steps, transition) if kept else steps))
        raise ValueError(f"a {self.name} case cannot reach {target!r}")

    def main_path(self, allowed: Callable[[Transition], bool] | None = None) -> tuple[State, ...]:
        """Return the states an application passes through when all goes well.

        Follows, from the initial state, a transition into a state not yet
        seen, preferring open states, then positive outcomes, then what people
        do over what the engine does by itself; never a negative end.
        ``allowed`` prunes transitions that cannot apply to one case (its data
        routes it elsewhere).  The status page draws this as the timeline.
        """
        path = [self.state(self.initial)]
        seen = {self.initial}
        while not path[-1].terminal:
            options = [
                (self.state(t.dest), t)
                for t in self.transitions_from(path[-1].name)
                if t.dest not in seen and self.state(t.dest).outcome != "negative" and (allowed is None or allowed(t))
            ]
            if not options:
                break
            options.sort(key=lambda option: (option[0].terminal, option[0].outcome != "positive", option[1].auto))
            path.append(options[0][0])
            seen.add(options[0][0].name)
        return tuple(path)
