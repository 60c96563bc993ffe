"""Frozen descriptions of a workflow, as read from its TOML file.

Nothing here knows a state's or a case type's name: the engine and the views
ask these objects (``state.terminal``, ``transition.roles``) instead.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal

ROLES = ("applicant", "faculty_screener", "office_staff", "admin")
STAFF_ROLES = ("faculty_screener", "office_staff", "admin")

FIELD_TYPES = (
    "string",  # one line of text
    "text",  # several lines
    "email",
    "phone",
    "integer",
    "decimal",
    "choice",  # one of `choices`
    "faculty",  # a faculty code from the reference table; routes the case to that faculty
    "partner",  # the name of one of the call's partners; the case holds that partner's seat
    "date",  # a calendar day, stored as YYYY-MM-DD
)
SEAT_POOLS = ("", "partner", "call")  # where a case's seat comes from: its partner or its call


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
    # Identifies the applicant's application for the one-per-call rule etc.
    prefill: str | None = None  # "email" or "full_name": prefilled from the account

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
    label: str
    sources: tuple[str, ...]
    dest: str
    roles: tuple[str, ...]
    guards: tuple[Rule, ...] = ()
    comment: str = "optional"  # "required", "optional" or "none"
    style: str = "primary"  # "primary" or "danger": how the button looks
    auto: bool = False  # fired by the engine as soon as its guards pass, never by a person

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
    needs_call: bool = True
    seats: str = ""  # "partner" or "call": the pool whose seats `holds_seat` states occupy
    source: str = ""  # the file it came from, for error messages

    def state(self, name: str) -> State:
        for state in self.states:
            if state.name == name:
                return state
        raise KeyError(name)

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

    def fields_of_type(self, type_: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.type == type_)

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

    def path_to(self, target: str) -> tuple[Transition, ...]:
        """Return the shortest list of transitions people fire to bring a new case to ``target``.

        Raises ValueError when only automatic transitions lead there (e.g. a
        waiting list, reached when a pool is full).
        """
        queue: deque[tuple[str, tuple[Transition, ...]]] = deque([(self.initial, ())])
        seen = {self.initial}
        while queue:
            state, steps = queue.popleft()
            if state == target:
                return steps
            for transition in self.transitions_from(state):
                if transition.dest not in seen and not transition.auto:
                    seen.add(transition.dest)
                    queue.append((transition.dest, (*steps, transition)))
        raise ValueError(f"people cannot bring a {self.name} case to {target!r}")

    def main_path(self) -> tuple[State, ...]:
        """Return the states an application passes through when all goes well.

        Follows, from the initial state, the first transition into a state not
        yet seen, preferring non-terminal states and then positive outcomes; the
        status page draws this as the timeline.
        """
        path = [self.state(self.initial)]
        seen = {self.initial}
        while not path[-1].terminal:
            options = [
                self.state(t.dest)
                for t in self.transitions_from(path[-1].name)
                if t.dest not in seen and "applicant" not in t.roles and not t.auto
            ]
            if not options:
                break
            options.sort(key=lambda s: (s.terminal, s.outcome != "positive"))
            path.append(options[0])
            seen.add(options[0].name)
        return tuple(path)
