"""Named rules and guards: the checks a workflow file names, implemented once.

A workflow lists ``[[rules]]`` (checked when an application is submitted) and
``guards`` on transitions (checked before the transition fires).  Both are
looked up here by name; an unknown name is a validation error at start-up.

Each check is a small function ``check(ctx, **params) -> list[str]`` that
returns the reasons it fails (empty when it passes).  ``ctx`` is a
:class:`CheckContext`: the submitted data plus the few database facts a check
may need, which the caller (``cases.operations``) supplies; so this module
stays pure and testable without a database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from caseflow import formats
from caseflow.formats import listing
from caseflow.i18n import _, ngettext
from caseflow.timeutil import as_day as _day
from caseflow.timeutil import office_today, utcnow, years_before

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


class CheckContext(Protocol):
    """What a check may look at."""

    data: dict[str, Any]

    def field_label(self, name: str) -> str: ...

    def choice_label(self, name: str, value: Any) -> str: ...

    def missing_required_fields(self) -> list[str]: ...

    def earlier_case(self, same_call: bool, level_field: str = "") -> EarlierCase | None:
        """Return the applicant's latest other case of this type that is not closed negatively: in this
        call, or (``same_call`` false) in any call of the programme, at the same ``level_field`` value."""

    def seats_left(self) -> int | None:
        """Return the free seats of the case's pool, not counting the case (None: no limit)."""

    def seat_pool_name(self) -> str:
        """Return the name of the case's pool (its partner or its call)."""

    def commission_size(self) -> int:
        """Return how many members the case's call has on its selection commission."""

    def keeps_reserve_list(self) -> bool:
        """Return whether the case's call lets applicants choose a pool with no seat left, as reserves."""

    def call_period(self) -> tuple[date, date] | None:
        """Return the first and last day of the case's call's period, if the call gives one."""

    def running_deadline(self, name: str) -> tuple[str, datetime] | None:
        """Return the label and the due moment (naive UTC) of the case's open deadline ``name``, if one runs."""


@dataclass(frozen=True)
class EarlierCase:
    """An applicant's earlier case that a once-only rule counts."""

    reference: str
    state: str  # its state's label
    call: str  # its call's name
    still_open: bool  # not closed yet: withdrawing it makes room for a new one


Check = Callable[..., list[str]]


@dataclass(frozen=True)
class RegisteredCheck:
    function: Check
    params: frozenset[str]  # parameters the file must give
    optional: frozenset[str] = field(default_factory=frozenset)
    routes: bool = False  # a condition on the form's data alone that routes a case one way or another
    one_per_call: bool = False  # refuses a second case in a call while the first is not rejected or withdrawn


CHECKS: dict[str, RegisteredCheck] = {}


def check(name: str, *, params: tuple[str, ...] = (), optional: tuple[str, ...] = (), routes: bool = False,
          one_per_call: bool = False):
    """Register ``function`` as the check called ``name`` with its parameters."""

    def decorate(function: Check) -> Check:
        if name in CHECKS:
            raise ValueError(f"check {name!r} registered twice")
        CHECKS[name] = RegisteredCheck(function, frozenset(params), frozenset(optional), routes, one_per_call)
        return function

    return decorate


def run_check(name: str, ctx: CheckContext, params: dict, message: str = "") -> list[str]:
    """Run the named check; a workflow's own ``message`` replaces the default reasons."""
    reasons = CHECKS[name].function(ctx, **params)
    if reasons and message:
        return [message]
    return reasons


class FormLabels:
    """The label look-ups every check context offers; needs ``workflow`` and ``data`` attributes."""

    workflow: Any
    data: dict[str, Any]

    def field_label(self, name: str) -> str:
        spec = self.workflow.field(name)
        return spec.label if spec else name

    def choice_label(self, name: str, value: Any) -> str:
        spec = self.workflow.field(name)
        return spec.choice_label(value) if spec else str(value)

    def missing_required_fields(self) -> list[str]:
        # The application's own fields: those a later transition records are not missing before it.
        return [f.label for f in self.workflow.form_fields_for(self.data)
                if f.required and self.data.get(f.name) in (None, "")]


@dataclass
class DataOnly(FormLabels):
    """The context for routing checks: the form's data and its labels, no database."""

    workflow: Any
    data: dict[str, Any]


def one_per_call(workflow: Any) -> bool:
    """Whether a workflow's rules allow one case per applicant and call (while it is not closed negatively)."""
    return any(CHECKS[rule.name].one_per_call for rule in workflow.rules)


def routes_allow(workflow: Any, transition: Any, data: dict[str, Any]) -> bool:
    """Return whether the routing guards of ``transition`` pass for ``data`` (other guards are not run).

    Pages use it to leave out what the case's own data rules out (the
    enrolment step of a preparatory course, the visa step nobody asked for).
    """
    context = DataOnly(workflow, data)
    return all(
        not run_check(guard.name, context, guard.params)
        for guard in transition.guards
        if CHECKS[guard.name].routes and guard.applies_to(data)
    )


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@check("min_value", params=("field", "min"))
def min_value(ctx: CheckContext, field: str, min: Any) -> list[str]:
    """The number in ``field`` is at least ``min``."""
    value = _decimal(ctx.data.get(field))
    if value is None or value < Decimal(str(min)):
        return [
            _(
                "%(field)s must be at least %(min)s (given: %(value)s).",
                field=ctx.field_label(field),
                min=formats.number(Decimal(str(min))),
                value="—" if value is None else formats.number(value),
            )
        ]
    return []


@check("min_value_by_choice", params=("field", "by", "thresholds"))
def min_value_by_choice(ctx: CheckContext, field: str, by: str, thresholds: dict) -> list[str]:
    """The number in ``field`` reaches the threshold for the choice made in ``by``.

    E.g. the Erasmus+ GPA: from 4.5 for technical specialties, 4.7 for economic.
    """
    kind = ctx.data.get(by)
    if kind not in thresholds:
        return [_("%(field)s is not one of the accepted kinds.", field=ctx.field_label(by))]
    minimum = Decimal(str(thresholds[kind]))
    value = _decimal(ctx.data.get(field))
    if value is None or value < minimum:
        return [
            _(
                "%(field)s must be at least %(min)s for %(kind)s (given: %(value)s).",
                field=ctx.field_label(field),
                min=formats.number(minimum),
                kind=ctx.choice_label(by, kind),
                value="—" if value is None else formats.number(value),
            )
        ]
    return []


@check("min_cefr_level", params=("field", "min"))
def min_cefr_level(ctx: CheckContext, field: str, min: str) -> list[str]:
    """The CEFR level in ``field`` is ``min`` or higher (A1 < A2 < B1 < B2 < C1 < C2)."""
    level = ctx.data.get(field)
    if level not in CEFR_LEVELS or CEFR_LEVELS.index(level) < CEFR_LEVELS.index(min):
        return [
            _(
                "%(field)s must be %(min)s or higher (given: %(value)s).",
                field=ctx.field_label(field),
                min=min,
                value=level or "—",
            )
        ]
    return []


@check("one_application_per_call", one_per_call=True)
def one_application_per_call(ctx: CheckContext) -> list[str]:
    """Only one application per call while the earlier one is not rejected or withdrawn."""
    earlier = ctx.earlier_case(same_call=True)
    if earlier is None:
        return []
    if earlier.still_open:
        return [_("You already have an application in this call, %(reference)s (“%(state)s”). Withdraw it "
                  "first to apply again.", reference=earlier.reference, state=earlier.state)]
    return [_("Your application %(reference)s to this call is “%(state)s”: one application per call.",
              reference=earlier.reference, state=earlier.state)]


@check("once_per_programme", params=("level",), one_per_call=True)
def once_per_programme(ctx: CheckContext, level: str) -> list[str]:
    """Once per programme and level of study, over all its calls: an earlier case at the same level that is
    not rejected or withdrawn refuses a new one (Erasmus+: "only 1 time for an educational program")."""
    in_call = ctx.earlier_case(same_call=True)
    if in_call is not None and in_call.still_open:
        return one_application_per_call(ctx)  # withdrawing it makes room for another
    earlier = ctx.earlier_case(same_call=False, level_field=level) or in_call
    if earlier is None:
        return []
    return [_("You took part in this programme at this level of study already: %(reference)s (%(call)s) is "
              "“%(state)s”. Participation is possible only once for an educational programme; you may apply "
              "again for another level of study.", reference=earlier.reference, call=earlier.call,
              state=earlier.state)]


@check("seats_available")
def seats_available(ctx: CheckContext) -> list[str]:
    """The case's pool (its partner or its call, as the workflow's ``seats`` says) has a free seat."""
    left = ctx.seats_left()
    if left is not None and left <= 0:
        return [_("%(pool)s has no seat left.", pool=ctx.seat_pool_name())]
    return []


@check("chosen_pool_has_seats")
def chosen_pool_has_seats(ctx: CheckContext) -> list[str]:
    """At submission: the pool the applicant chooses (a partner) has a free seat, unless the call keeps a
    reserve list."""
    left = ctx.seats_left()
    if left is not None and left <= 0 and not ctx.keeps_reserve_list():
        return [_("%(pool)s has no seat left in this call; choose another.", pool=ctx.seat_pool_name())]
    return []


@check("seats_full")
def seats_full(ctx: CheckContext) -> list[str]:
    """Every seat of the case's pool is taken (e.g. to put a registration on the waiting list)."""
    left = ctx.seats_left()
    if left is None or left > 0:
        return [_("%(pool)s still has seats.", pool=ctx.seat_pool_name())]
    return []


@check("field_in", params=("field", "values"), routes=True)
def field_in(ctx: CheckContext, field: str, values: list) -> list[str]:
    """The value of ``field`` is one of ``values`` (e.g. to route a case automatically)."""
    if ctx.data.get(field) not in values:
        return [_("%(field)s is not one of the expected values.", field=ctx.field_label(field))]
    return []


@check("field_not_in", params=("field", "values"), routes=True)
def field_not_in(ctx: CheckContext, field: str, values: list) -> list[str]:
    """The value of ``field`` is none of ``values``."""
    if ctx.data.get(field) in values:
        return [_("%(field)s is %(value)s.", field=ctx.field_label(field),
                  value=ctx.choice_label(field, ctx.data.get(field)))]
    return []


@check("required_when", params=("field", "when", "equals"))
def required_when(ctx: CheckContext, field: str, when: str, equals: Any) -> list[str]:
    """``field`` has a value when ``when`` equals ``equals`` (e.g. a speaker's poster title)."""
    if ctx.data.get(when) == equals and ctx.data.get(field) in (None, ""):
        return [_("%(field)s is required when %(when)s is %(value)s.", field=ctx.field_label(field),
                  when=ctx.field_label(when), value=ctx.choice_label(when, equals))]
    return []


@check("min_days_between", params=("start", "end", "min"))
def min_days_between(ctx: CheckContext, start: str, end: str, min: int) -> list[str]:
    """The period from ``start`` to ``end`` (both days counted) lasts at least ``min`` days."""
    first, last = _day(ctx.data.get(start)), _day(ctx.data.get(end))
    if first is None or last is None:
        return [_("%(start)s and %(end)s are required.", start=ctx.field_label(start), end=ctx.field_label(end))]
    if last < first:
        return [_("%(end)s is before %(start)s.", start=ctx.field_label(start), end=ctx.field_label(end))]
    days = (last - first).days + 1
    if days < min:
        return [ngettext("The stay must last at least %(num)d day (given: %(days)d).",
                         "The stay must last at least %(num)d days (given: %(days)d).", min, days=days)]
    return []


@check("within_years", params=("field", "years"))
def within_years(ctx: CheckContext, field: str, years: int) -> list[str]:
    """The day in ``field`` lies at most ``years`` years back (e.g. a PhD awarded within 6 years)."""
    day, today = _day(ctx.data.get(field)), office_today()
    if day is None:
        return [_("%(field)s is required.", field=ctx.field_label(field))]
    if day > today:
        return [_("%(field)s is in the future.", field=ctx.field_label(field))]
    if day < years_before(today, years):
        return [ngettext("%(field)s must lie within the last %(num)d year (given: %(day)s).",
                         "%(field)s must lie within the last %(num)d years (given: %(day)s).", years,
                         field=ctx.field_label(field), day=formats.day(day))]
    return []


@check("max_months_between", params=("start", "end", "max"))
def max_months_between(ctx: CheckContext, start: str, end: str, max: int) -> list[str]:
    """The period from ``start`` to ``end`` ends no later than ``max`` calendar months after it starts."""
    first, last = _day(ctx.data.get(start)), _day(ctx.data.get(end))
    if first is None or last is None:
        return [_("%(start)s and %(end)s are required.", start=ctx.field_label(start), end=ctx.field_label(end))]
    months = first.month - 1 + max
    year, month = first.year + months // 12, months % 12 + 1
    limit = date(year, month, min(first.day, _month_length(year, month)))
    if last > limit:
        return [ngettext("The stay may last at most %(num)d month (until %(limit)s at the latest).",
                         "The stay may last at most %(num)d months (until %(limit)s at the latest).", max,
                         limit=formats.day(limit))]
    return []


def _month_length(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


@check("within_call_period", params=("start", "end"))
def within_call_period(ctx: CheckContext, start: str, end: str) -> list[str]:
    """The stay from ``start`` to ``end`` falls within the call's period (when the call gives one)."""
    period, first, last = ctx.call_period(), _day(ctx.data.get(start)), _day(ctx.data.get(end))
    if period is None or first is None or last is None:
        return []
    if first < period[0] or last > period[1]:
        return [_("The stay (%(first)s – %(last)s) must fall within the call's period, %(start)s – %(end)s.",
                  first=formats.day(first), last=formats.day(last), start=formats.day(period[0]),
                  end=formats.day(period[1]))]
    return []


@check("call_period_started")
def call_period_started(ctx: CheckContext) -> list[str]:
    """The call's period has begun (e.g. "attended" is recorded from an event's first day on)."""
    period = ctx.call_period()
    if period is not None and office_today() < period[0]:
        return [_("Not before the first day, %(day)s.", day=formats.day(period[0]))]
    return []


@check("years_since", params=("field", "min"), optional=("year_starts",))
def years_since(ctx: CheckContext, field: str, min: int, year_starts: str = "09-01") -> list[str]:
    """At least ``min`` academic years since the year in ``field`` (e.g. of enrolment) by the start of the
    call's period, or by today without one; an academic year starts on ``year_starts`` (MM-DD)."""
    try:
        since, (month, day) = int(ctx.data.get(field)), map(int, year_starts.split("-"))
    except (TypeError, ValueError):
        return [_("%(field)s is required.", field=ctx.field_label(field))]
    period = ctx.call_period()
    by = period[0] if period is not None else office_today()
    needed = date(since + min, month, day)
    if by < needed:
        return [ngettext("You must have studied at the university for at least %(num)d year by the start of the "
                         "mobility (%(start)s); enrolled in %(year)d, you will have from %(day)s.",
                         "You must have studied at the university for at least %(num)d years by the start of the "
                         "mobility (%(start)s); enrolled in %(year)d, you will have from %(day)s.", min,
                         start=formats.day(by), year=since, day=formats.day(needed))]
    return []


@check("deadline_passed", params=("deadline",))
def deadline_passed(ctx: CheckContext, deadline: str) -> list[str]:
    """The case's deadline ``deadline`` is over, if it runs (e.g. a permit's year, before it is marked over)."""
    running = ctx.running_deadline(deadline)
    if running is not None and running[1] > utcnow():
        label, due = running
        return [_("Not yet: “%(deadline)s” is due at the end of %(day)s.", deadline=label,
                  day=formats.office_day(due))]
    return []


@check("has_commission")
def has_commission(ctx: CheckContext) -> list[str]:
    """The case's call has a selection commission (its cases are scored and ranked)."""
    if ctx.commission_size() == 0:
        return [_("This call has no selection commission.")]
    return []


@check("no_commission")
def no_commission(ctx: CheckContext) -> list[str]:
    """The case's call has no selection commission (the office decides alone)."""
    if ctx.commission_size() > 0:
        return [_("This call has a selection commission: its ranking decides who is shortlisted.")]
    return []


@check("fields_complete")
def fields_complete(ctx: CheckContext) -> list[str]:
    """Every required form field has a value."""
    missing = ctx.missing_required_fields()
    if missing:
        return [_("These fields are missing: %(fields)s.", fields=listing(missing))]
    return []
