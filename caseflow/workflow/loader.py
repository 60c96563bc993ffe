"""Read workflow TOML files into specs and validate them.

``load_workflows(folder)`` reads every ``*.toml`` file (the file name is the
case type) and raises :class:`WorkflowError` naming the file and every problem
found, so a broken file stops start-up with a message an office clerk can act
on.
"""

from __future__ import annotations

import re
import tomllib
from collections import deque
from decimal import Decimal
from pathlib import Path

from babel.numbers import is_currency

from caseflow.fields import FIELD_TYPES
from caseflow.i18n import text
from caseflow.workflow.registry import CHECKS
from caseflow.workflow.spec import (
    COMMENT_MODES,
    DOCUMENT_TYPES,
    LIST_VALUES,
    ROLES,
    SEAT_POOLS,
    TIE_BREAKS,
    Choice,
    Deadline,
    Derived,
    Document,
    Export,
    Field,
    Organisation,
    ReferenceList,
    Rule,
    Scoring,
    State,
    Subject,
    Transition,
    Workflow,
)

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
STYLES = ("primary", "danger")
OUTCOMES = ("", "positive", "negative")

_TOP_KEYS = {
    "label", "description", "reference_prefix", "initial", "needs_call", "seats", "submitted_by",
    "renewable_from", "states", "transitions", "fields", "rules", "derived", "export",
    "apply_label", "submit_label", "created_label", "created_told", "variant_field", "scoring", "documents",
    "deadlines", "lists",
    "subject", "organisation", "period_label", "links_to", "queue",
}  # fmt: skip
_STATE_KEYS = {"name", "label", "terminal", "intake", "holds_seat", "outcome", "actor", "next_step"}
_TRANSITION_KEYS = {
    "name", "label", "done", "told", "sources", "dest", "roles", "guards", "comment", "style", "auto", "batch",
    "comment_from",
}  # fmt: skip
# The keys every field may set; its type's class adds its own (``FieldType.options``).
_FIELD_KEYS = {"name", "label", "type", "required", "help", "prefill", "recorded_at", "changed_by", "applies_when"}


class WorkflowError(Exception):
    """A workflow file is broken; the message names the file and each problem."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s):\n{lines}")


def load_workflows(folder: str | Path) -> dict[str, Workflow]:
    """Load and validate every workflow file in ``folder``, keyed by case type."""
    folder = Path(folder)
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        raise WorkflowError(str(folder), ["no workflow files (*.toml) in this folder"])
    workflows = {path.stem: load_workflow(path) for path in paths}
    for workflow in workflows.values():  # what a file names of another file
        if workflow.links_to and workflow.links_to not in workflows:
            raise WorkflowError(workflow.source, [f"links_to: {workflow.links_to!r} is not a case type"])
    return workflows


def load_workflow(path: str | Path) -> Workflow:
    """Load one workflow file and validate it; raise WorkflowError on any problem."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise WorkflowError(str(path), [f"not valid TOML: {error}"]) from None
    return parse_workflow(path.stem, raw, source=str(path))


def parse_workflow(name: str, raw: dict, source: str = "<memory>") -> Workflow:
    """Build a Workflow from parsed TOML and validate it."""
    problems: list[str] = []
    if not NAME.match(name):
        problems.append(f"the file name {name!r} must be lower-case letters, digits and _")
    _unknown_keys(raw, _TOP_KEYS, "the file", problems)
    for key in ("label", "initial", "reference_prefix"):
        if not isinstance(raw.get(key), str) or not raw.get(key):
            problems.append(f"{key!r} is missing (a non-empty string)")

    states = tuple(_parse_state(item, i, problems) for i, item in enumerate(_tables(raw, "states", problems)))
    state_names = [s.name for s in states]
    _duplicates(state_names, "state", problems)
    open_names = [s.name for s in states if not s.terminal]
    transitions = tuple(
        _parse_transition(item, i, open_names, problems)
        for i, item in enumerate(_tables(raw, "transitions", problems))
    )
    _duplicates([t.name for t in transitions], "transition", problems)
    fields = tuple(
        _parse_field(item, i, problems)
        for i, item in enumerate(_tables(raw, "fields", problems, required=False))
    )
    _duplicates([f.name for f in fields], "field", problems)
    rules = tuple(
        _parse_rule(item, f"rules[{i}]", problems)
        for i, item in enumerate(_tables(raw, "rules", problems, required=False))
    )

    derived = tuple(
        _parse_derived(item, i, problems)
        for i, item in enumerate(_tables(raw, "derived", problems, required=False))
    )
    lists = tuple(
        _parse_list(item, i, problems) for i, item in enumerate(_tables(raw, "lists", problems, required=False))
    )
    workflow = Workflow(
        name=name,
        label=text(raw.get("label", "")),
        description=text(raw.get("description", "")),
        reference_prefix=str(raw.get("reference_prefix", "")),
        initial=str(raw.get("initial", "")),
        states=states,
        transitions=transitions,
        fields=fields,
        rules=rules,
        derived=derived,
        lists=lists,
        submitted_by=tuple(raw.get("submitted_by", ("applicant",))),
        export=_parse_export(raw.get("export"), problems),
        renewable_from=tuple(raw.get("renewable_from", ())),
        apply_label=text(raw.get("apply_label", "")),
        submit_label=text(raw.get("submit_label", "")),
        created_label=text(raw.get("created_label", "")),
        created_told=text(raw.get("created_told", "")),
        needs_call=bool(raw.get("needs_call", True)),
        seats=str(raw.get("seats", "")),
        variant_field=str(raw.get("variant_field", "")),
        period_label=text(raw.get("period_label", "")),
        links_to=str(raw.get("links_to", "")),
        queue_columns=_parse_queue(raw.get("queue"), problems),
        scoring=_parse_scoring(raw.get("scoring"), problems),
        deadlines=tuple(
            _parse_deadline(item, i, problems)
            for i, item in enumerate(_tables(raw, "deadlines", problems, required=False))
        ),
        documents=tuple(
            _parse_document(item, i, problems)
            for i, item in enumerate(_tables(raw, "documents", problems, required=False))
        ),
        subject=_parse_person(raw.get("subject"), Subject, problems),
        organisation=_parse_person(raw.get("organisation"), Organisation, problems),
        source=source,
    )
    if not problems:
        problems.extend(validate(workflow))
    if problems:
        raise WorkflowError(source, problems)
    return workflow


def validate(workflow: Workflow) -> list[str]:
    """Return the structural problems of a parsed workflow (empty when sound)."""
    problems: list[str] = []
    names = {s.name for s in workflow.states}
    if workflow.initial not in names:
        problems.append(f"the initial state {workflow.initial!r} is not a declared state")
        return problems
    if workflow.state(workflow.initial).terminal:
        problems.append(f"the initial state {workflow.initial!r} is terminal")
    if not workflow.terminal_states:
        problems.append("no state is marked terminal = true; a case could never close")
    field_names = {f.name for f in workflow.fields}
    for t in workflow.transitions:
        where = f"transition {t.name!r}"
        for source in t.sources:
            if source not in names:
                problems.append(f"{where}: unknown source state {source!r}")
            elif workflow.state(source).terminal:
                problems.append(f"{where}: source {source!r} is terminal; a closed case cannot move")
        if t.dest not in names:
            problems.append(f"{where}: unknown destination state {t.dest!r}")
        for role in t.roles:
            if role not in ROLES:
                problems.append(f"{where}: unknown role {role!r} (known: {', '.join(ROLES)})")
        for guard in t.guards:
            problems.extend(_check_params(guard, where, field_names))
            if guard.when is not None and guard.when["field"] not in field_names:
                problems.append(f"{where}: a guard's applies_when names an unknown field {guard.when['field']!r}")
    for rule in workflow.rules:
        problems.extend(_check_params(rule, f"rule {rule.name!r}", field_names))
        if rule.when is not None and rule.when["field"] not in field_names:
            problems.append(f"rule {rule.name!r}: applies_when names an unknown field {rule.when['field']!r}")
    if workflow.period_label and not workflow.needs_call:
        problems.append("period_label needs needs_call = true: the period is the call's")
    if workflow.variant_field:
        variant = workflow.variant
        if variant is None or not variant.choices:
            problems.append(f"variant_field {workflow.variant_field!r} must name a choice field of this workflow")
        elif not workflow.needs_call:
            problems.append("variant_field needs needs_call = true: the call fixes the value")
    if workflow.scoring is not None:
        problems.extend(_scoring_problems(workflow, field_names))
    declared_lists = {item.name for item in workflow.lists}
    for item in workflow.derived:
        for case in item.cases:
            listed = (case.get("when") or {}).get("in_list")
            if listed is not None and listed not in declared_lists:
                problems.append(f"derived {item.name!r}: list {listed!r} is not declared in [[lists]]")
    _duplicates([d.kind for d in workflow.documents], "document", problems)
    _duplicates([d.name for d in workflow.deadlines], "deadline", problems)
    for deadline in workflow.deadlines:
        counted_from = workflow.field(deadline.from_field) if deadline.from_field else None
        if deadline.from_field and (counted_from is None or counted_from.type != "date"):
            problems.append(f"deadline {deadline.name!r}: from_field must name a date field of this workflow")
        if deadline.due == "call_deadline" and not workflow.needs_call:
            problems.append(f"deadline {deadline.name!r}: due = \"call_deadline\" needs needs_call = true")
        if deadline.opens != "entry" and not deadline.state:
            continue  # runs in whatever state the case is in when it opens
        if deadline.state not in names:
            problems.append(f"deadline {deadline.name!r}: state {deadline.state!r} is not a state")
        elif workflow.state(deadline.state).terminal and deadline.notify == "actor":
            problems.append(f"deadline {deadline.name!r}: nobody acts in the terminal state {deadline.state!r}")
    for document in workflow.documents:
        where = f"document {document.kind!r}"
        if document.step and document.step not in names:
            problems.append(f"{where}: step {document.step!r} is not a state")
        if document.when is not None and document.when["field"] not in field_names:
            problems.append(f"{where}: applies_when names an unknown field {document.when['field']!r}")
    for state in workflow.states:
        if state.actor and state.actor not in ROLES:
            problems.append(f"state {state.name!r}: unknown actor role {state.actor!r}")
        if not state.terminal and not workflow.transitions_from(state.name):
            problems.append(
                f"state {state.name!r} is not terminal and has no transition out of it; "
                "mark it terminal = true or add a way out"
            )
    reachable = _reachable(workflow)
    for state in workflow.states:
        if state.name not in reachable:
            problems.append(f"state {state.name!r} cannot be reached from {workflow.initial!r}")
    for binds in sorted({f.kind.binds for f in workflow.fields if f.kind.binds}):
        bound = [f.name for f in workflow.fields if f.kind.binds == binds]
        if len(bound) > 1:
            problems.append(f"fields {', '.join(map(repr, bound))}: at most one field may be of a type that "
                            f"chooses the case's {binds}")
    for item in workflow.fields:
        if item.when is not None and (not workflow.variant_field or item.when["field"] != workflow.variant_field):
            problems.append(f"field {item.name!r}: applies_when names the variant field (the call's programme); "
                            "a form is built for its call")
        for name in filter(None, (item.recorded_at, *item.changed_by)):
            recorder = workflow.transition(name)
            if recorder is None or recorder.auto:
                problems.append(f"field {item.name!r}: recorded_at and changed_by name transitions people fire")
        if item.shared_by and (workflow.field(item.shared_by) is None or not workflow.field(item.shared_by).choices):
            problems.append(f"field {item.name!r}: shared_by names a choice field of the file")
        if item.kind.needs_call and not workflow.needs_call:
            problems.append(f"field {item.name!r}: a {item.type!r} field needs needs_call = true (its value is "
                            "something of the call)")
    problems.extend(_seat_problems(workflow))
    if workflow.export is not None:
        known = field_names | {d.name for d in workflow.derived} | {"reference", "state"}
        for column in workflow.export.columns:
            if column not in known:
                problems.append(f"[export]: column {column!r} is not a field of this workflow")
        if workflow.export.state and workflow.export.state not in workflow.open_states:
            problems.append(f"[export]: state {workflow.export.state!r} is not an open state")
        if workflow.export.when is not None and workflow.export.when["field"] not in field_names:
            problems.append("[export]: applies_when names an unknown field")
    problems.extend(_person_problems(workflow))
    for column in workflow.queue_columns:
        if column not in field_names:
            problems.append(f"[queue]: column {column!r} is not a field of this workflow")
    for state in workflow.renewable_from:
        if state not in names:
            problems.append(f"renewable_from: unknown state {state!r}")
    for role in workflow.submitted_by:
        if role not in ROLES:
            problems.append(f"submitted_by: unknown role {role!r} (known: {', '.join(ROLES)})")
    for t in workflow.transitions:
        if t.comment_from and (not t.auto or t.comment_from not in field_names):
            problems.append(f"transition {t.name!r}: comment_from needs auto = true and a field of this workflow")
    for item in workflow.derived:
        if item.name in field_names:
            problems.append(f"derived {item.name!r}: a field has this name already")
        for case in item.cases:
            when = case.get("when")
            if when is not None and when.get("field") not in field_names:
                problems.append(f"derived {item.name!r}: when names an unknown field {when.get('field')!r}")
    return problems


def _scoring_problems(workflow: Workflow, field_names: set[str]) -> list[str]:
    scoring, problems = workflow.scoring, []
    if scoring.state not in {s.name for s in workflow.states}:
        return [f"[scoring]: unknown state {scoring.state!r}"]
    for name in scoring.transitions:
        transition = workflow.transition(name)
        if transition is None or scoring.state not in transition.sources or transition.auto:
            problems.append(f"[scoring]: {name!r} must be a transition out of {scoring.state!r} that people fire")
    if scoring.min >= scoring.max:
        problems.append("[scoring]: min must be below max")
    if not workflow.needs_call or workflow.seat_pool is None or not workflow.seat_pool.places_of_call:
        problems.append("[scoring]: a ranking awards the call's places; set needs_call = true and seats = 'call'")
    for key in scoring.tie_break:
        name = key.removeprefix("field:")
        if key not in TIE_BREAKS and not (key.startswith("field:") and name in field_names
                                           and workflow.field(name).kind.is_number):
            problems.append(f"[scoring]: tie_break {key!r} is neither one of {', '.join(TIE_BREAKS)} "
                            "nor field:<a number field>")
    return problems


DEADLINE_NOTIFY = ("applicant", "actor")
DEADLINE_OPENS = ("entry", "document_rejected")
DEADLINE_UNTIL = ("", "documents_supplied")
DEADLINE_DUE = ("", "call_deadline")


def _parse_deadline(item: dict, index: int, problems: list[str]) -> Deadline:
    name = _name(item, f"deadlines[{index}]", problems)
    where = f"deadline {name!r}"
    _unknown_keys(item, {"name", "label", "state", "working_days", "days", "years", "from_field", "remind_before",
                         "notify", "escalate", "opens", "until", "due"}, where, problems)
    opens, until, due = (str(item.get(key, default)) for key, default in (("opens", "entry"), ("until", ""),
                                                                          ("due", "")))
    for key, value, allowed in (("opens", opens, DEADLINE_OPENS), ("until", until, DEADLINE_UNTIL),
                                ("due", due, DEADLINE_DUE)):
        if value not in allowed:
            problems.append(f"{where}: {key} is one of {', '.join(repr(a) for a in allowed)}")
    length = {key: item[key] for key in ("working_days", "days", "years") if key in item}
    if due:
        if length:
            problems.append(f"{where}: a deadline due = {due!r} has no working_days or days")
    elif len(length) != 1 or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0
                                     for v in length.values()):
        problems.append(f"{where}: give its length as working_days, days or years, a whole number above 0")
    remind = item.get("remind_before", [])
    if not isinstance(remind, list) or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0
                                               for v in remind):
        problems.append(f"{where}: remind_before lists whole numbers of days before the due day")
        remind = []
    if item.get("notify", "applicant") not in DEADLINE_NOTIFY:
        problems.append(f"{where}: notify is one of {', '.join(DEADLINE_NOTIFY)}")
    if opens == "entry" and not isinstance(item.get("state"), str):
        problems.append(f"{where}: 'state' names the state it runs in")
    return Deadline(name=name, label=text(item.get("label", name)), state=str(item.get("state", "")),
                    working_days=length.get("working_days"), days=length.get("days"), years=length.get("years"),
                    from_field=str(item.get("from_field", "")),
                    remind_before=tuple(sorted(set(remind), reverse=True)), notify=str(item.get("notify", "applicant")),
                    escalate=bool(item.get("escalate", False)), opens=opens, until=until, due=due)


def _parse_document(item: dict, index: int, problems: list[str]) -> Document:
    kind = _name(item, f"documents[{index}]", problems) if "kind" not in item else str(item["kind"])
    where = f"document {kind!r}"
    if not NAME.match(kind):
        problems.append(f"{where}: 'kind' must be lower-case letters, digits and _")
    _unknown_keys(item, {"kind", "label", "required", "accept", "step", "help", "applies_when"}, where, problems)
    accept = item.get("accept", list(DOCUMENT_TYPES))
    if not isinstance(accept, list) or not accept or not set(accept) <= set(DOCUMENT_TYPES):
        problems.append(f"{where}: accept lists some of {', '.join(DOCUMENT_TYPES)}")
        accept = list(DOCUMENT_TYPES)
    return Document(kind=kind, label=text(item.get("label", kind)), required=bool(item.get("required", True)),
                    accept=tuple(accept), step=str(item.get("step", "")), help=text(item.get("help", "")),
                    when=_parse_when(item.get("applies_when"), where, problems))


def _parse_scoring(item: object, problems: list[str]) -> Scoring | None:
    if item is None:
        return None
    if not isinstance(item, dict):
        problems.append("[scoring] must be a table")
        return None
    _unknown_keys(item, {"state", "select", "reject", "min", "max", "tie_break"}, "[scoring]", problems)
    for key in ("state", "select", "reject"):
        if not isinstance(item.get(key), str):
            problems.append(f"[scoring]: {key!r} is missing (a name)")
    bounds = {}
    for key in ("min", "max"):
        value = item.get(key, 0 if key == "min" else 10)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"[scoring]: {key} must be a number")
            value = 0
        bounds[key] = Decimal(str(value))
    tie_break = item.get("tie_break", ["min_score", "submitted_at"])
    if not isinstance(tie_break, list) or not all(isinstance(k, str) for k in tie_break):
        problems.append("[scoring]: tie_break must list keys")
        tie_break = []
    return Scoring(state=str(item.get("state")), select=str(item.get("select")), reject=str(item.get("reject")),
                   min=bounds["min"], max=bounds["max"], tie_break=tuple(tie_break))


def _parse_queue(item: object, problems: list[str]) -> tuple[str, ...]:
    if item is None:
        return ()
    columns = item.get("columns") if isinstance(item, dict) else None
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns) or set(item) != {"columns"}:
        problems.append("[queue] is a table with columns, a list of field names")
        return ()
    return tuple(columns)


# The keys of [subject] and [organisation] that name a field, and the field type each must be.
PERSON_FIELDS = {
    "subject": {"name": "string", "email": "email", "birth_date": "date", "passport": "string"},
    "organisation": {"name": "string", "contact_name": "string", "contact_email": "email"},
}
PERSON_TABLES = {Subject: "subject", Organisation: "organisation"}


def _parse_person(item: object, kind: type, problems: list[str]):
    table = PERSON_TABLES[kind]
    if item is None:
        return None
    if not isinstance(item, dict) or not all(isinstance(v, str) for v in item.values()):
        problems.append(f"[{table}] must be a table of field names (and a label)")
        return None
    _unknown_keys(item, {"label", *PERSON_FIELDS[table]}, f"[{table}]", problems)
    if not item.get("name") or not item.get("label"):
        problems.append(f"[{table}]: 'label' and 'name' (the field holding the name) are needed")
    return kind(label=text(item.get("label", "")), **{k: item.get(k, "") for k in PERSON_FIELDS[table]})


def _person_problems(workflow: Workflow) -> list[str]:
    problems = []
    for table, person in (("subject", workflow.subject), ("organisation", workflow.organisation)):
        for key, type_name in PERSON_FIELDS[table].items():
            name = getattr(person, key, "") if person is not None else ""
            spec = workflow.field(name) if name else None
            if name and (spec is None or spec.type != type_name):
                problems.append(f"[{table}]: {key} = {name!r} must name a {type_name!r} field of this workflow")
    return problems


EXPORT_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


def _parse_export(item: object, problems: list[str]) -> Export | None:
    if item is None:
        return None
    if not isinstance(item, dict):
        problems.append("[export] must be a table with name and columns")
        return None
    _unknown_keys(item, {"name", "columns", "label", "button", "state", "applies_when"}, "[export]", problems)
    name, columns = item.get("name"), item.get("columns")
    label = item.get("label", "")
    if not isinstance(label, str) or len(label) > 31:
        problems.append("[export]: label is a text of at most 31 characters (a sheet's name in Excel)")
        label = ""
    if not isinstance(name, str) or not EXPORT_NAME.match(name):
        problems.append("[export]: name must be lower-case letters, digits and - (it is the file name)")
    if not isinstance(columns, list) or not columns or not all(isinstance(c, str) for c in columns):
        problems.append("[export]: columns must list field names")
        columns = []
    return Export(name=str(name), columns=tuple(columns), label=text(label), button=text(item.get("button", "")),
                  state=str(item.get("state", "")),
                  when=_parse_when(item.get("applies_when"), "[export]", problems))


def _parse_list(item: dict, index: int, problems: list[str]) -> ReferenceList:
    name = _name(item, f"lists[{index}]", problems)
    _unknown_keys(item, {"name", "label", "help", "values"}, f"list {name!r}", problems)
    if not isinstance(item.get("label"), str) or not item.get("label"):
        problems.append(f"list {name!r}: 'label' is missing (what the admins see the list as)")
    values = item.get("values", "text")
    if values not in LIST_VALUES:
        problems.append(f"list {name!r}: values is one of {', '.join(map(repr, LIST_VALUES))}")
    return ReferenceList(name=name, label=text(item.get("label", name)), help=text(item.get("help", "")),
                         values=str(values))


def _parse_derived(item: dict, index: int, problems: list[str]) -> Derived:
    name = _name(item, f"derived[{index}]", problems)
    where = f"derived {name!r}"
    _unknown_keys(item, {"name", "label", "currency", "cases"}, where, problems)
    currency = item.get("currency", "")
    if currency and (not isinstance(currency, str) or not is_currency(currency)):
        problems.append(f"{where}: currency must be an ISO 4217 code such as \"KGS\" (got {currency!r})")
        currency = ""
    cases = item.get("cases")
    if not isinstance(cases, list) or not cases:
        problems.append(f"{where}: 'cases' must list {{ when = ..., value = ... }} tables")
        cases = []
    for case in cases:
        if not isinstance(case, dict) or ("value" not in case) == (case.get("omit") is not True):
            problems.append(f"{where}: each case needs a value, or omit = true (no value)")
            continue
        when = case.get("when")
        if when is not None and (not isinstance(when, dict) or not ({"equals", "not_equals", "in_list"} & set(when))):
            problems.append(f"{where}: when is {{ field = ..., equals = ... }}, {{ field = ..., not_equals = ... }} "
                            "or {{ field = ..., in_list = ... }}")
    return Derived(name=name, label=text(item.get("label", name)), cases=tuple(cases), currency=currency)


SEAT_CHECKS = ("seats_available", "seats_full")


def _seat_problems(workflow: Workflow) -> list[str]:
    problems = []
    pool = workflow.seat_pool
    if workflow.seats and pool is None:
        problems.append(f"seats must be one of {', '.join(map(repr, SEAT_POOLS))} (got {workflow.seats!r})")
        return problems
    if pool is not None and pool.chosen_by and workflow.bound_field(pool.chosen_by) is None:
        types = " or ".join(repr(name) for name, kind in FIELD_TYPES.items() if kind.binds == pool.chosen_by)
        problems.append(f"seats = {pool.name!r} needs a field of type {types}")
    if pool is not None and not workflow.needs_call:
        problems.append(f"seats = {pool.name!r} needs needs_call = true: the seats are the call's")
    if pool is not None and pool.chosen_by and not any(r.name == "chosen_pool_has_seats" for r in workflow.rules):
        # The form cannot offer a full partner; the API must refuse one too (a staff mobility took one).
        problems.append(f"seats = {pool.name!r}: the applicant chooses the pool, so declare the rule "
                        "chosen_pool_has_seats (a full one is refused unless the call keeps a reserve list)")
    if workflow.seat_states and pool is None:
        problems.append("states hold seats (holds_seat = true) but the file does not say whose: set seats")
    uses_seats = any(g.name in SEAT_CHECKS for t in workflow.transitions for g in t.guards)
    if uses_seats and not workflow.seat_states:
        problems.append("a guard counts seats but no state has holds_seat = true")
    return problems


def _reachable(workflow: Workflow) -> set[str]:
    seen = {workflow.initial}
    queue = deque([workflow.initial])
    while queue:
        current = queue.popleft()
        for t in workflow.transitions_from(current):
            if t.dest not in seen:
                seen.add(t.dest)
                queue.append(t.dest)
    return seen


def _check_params(rule: Rule, where: str, field_names: set[str]) -> list[str]:
    registered = CHECKS.get(rule.name)
    if registered is None:
        return [f"{where}: unknown check {rule.name!r} (known: {', '.join(sorted(CHECKS))})"]
    problems = []
    given = set(rule.params)
    for missing in sorted(registered.params - given):
        problems.append(f"{where}: parameter {missing!r} is missing")
    for extra in sorted(given - registered.params - registered.optional):
        problems.append(f"{where}: unknown parameter {extra!r}")
    for key in ("field", "by"):
        value = rule.params.get(key)
        if value is not None and value not in field_names:
            problems.append(f"{where}: {key} = {value!r} is not a field of this workflow")
    return problems


def _tables(raw: dict, key: str, problems: list[str], required: bool = True) -> list[dict]:
    items = raw.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        problems.append(f"{key!r} must be an array of tables ([[{key}]])")
        return []
    if required and not items:
        problems.append(f"no [[{key}]] declared")
    return items


def _unknown_keys(item: dict, known: set[str], where: str, problems: list[str]) -> None:
    for key in sorted(set(item) - known):
        problems.append(f"{where}: unknown key {key!r}")


def _duplicates(names: list[str], kind: str, problems: list[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.append(f"{kind} {name!r} is declared twice")
        seen.add(name)


def _name(item: dict, where: str, problems: list[str]) -> str:
    name = item.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        problems.append(f"{where}: 'name' must be lower-case letters, digits and _ (got {name!r})")
        return str(name)
    return name


def _parse_state(item: dict, index: int, problems: list[str]) -> State:
    name = _name(item, f"states[{index}]", problems)
    where = f"state {name!r}"
    _unknown_keys(item, _STATE_KEYS, where, problems)
    outcome = item.get("outcome", "")
    if outcome not in OUTCOMES:
        problems.append(f"{where}: outcome must be one of {', '.join(map(repr, OUTCOMES))}")
    return State(
        name=name,
        label=text(item.get("label", name)),
        terminal=bool(item.get("terminal", False)),
        intake=bool(item.get("intake", False)),
        holds_seat=bool(item.get("holds_seat", False)),
        outcome=outcome,
        actor=str(item.get("actor", "")),
        next_step=text(item.get("next_step", "")),
    )


def _parse_transition(item: dict, index: int, open_states: list[str], problems: list[str]) -> Transition:
    name = _name(item, f"transitions[{index}]", problems)
    where = f"transition {name!r}"
    _unknown_keys(item, _TRANSITION_KEYS, where, problems)
    sources = item.get("sources")
    if sources == "*":
        sources = list(open_states)
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
        problems.append(f"{where}: 'sources' must be a non-empty list of state names or \"*\"")
        sources = []
    auto = item.get("auto", False)
    if not isinstance(auto, bool):
        problems.append(f"{where}: auto must be true or false")
    batch = item.get("batch", 0)
    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 0:
        problems.append(f"{where}: batch must be a whole number")
        batch = 0
    elif batch and not auto:
        problems.append(f"{where}: batch needs auto = true (the engine starts a batch, not a person)")
    roles = item.get("roles", [] if auto else None)
    if auto and roles:
        problems.append(f"{where}: an automatic transition (auto = true) is fired by the engine; give it no roles")
    elif not auto and (not isinstance(roles, list) or not roles):
        problems.append(f"{where}: 'roles' must list who may fire it (or set auto = true)")
        roles = []
    comment = item.get("comment", "optional")
    if comment not in COMMENT_MODES:
        problems.append(f"{where}: comment must be one of {', '.join(COMMENT_MODES)}")
    style = item.get("style", "primary")
    if style not in STYLES:
        problems.append(f"{where}: style must be one of {', '.join(STYLES)}")
    if not isinstance(item.get("dest"), str):
        problems.append(f"{where}: 'dest' is missing")
    guards = item.get("guards", [])
    if not isinstance(guards, list):
        problems.append(f"{where}: 'guards' must be a list of {{ name = ... }} tables")
        guards = []
    for key, what in (("done", "what the history says happened"), ("told", "what its mail tells the applicant")):
        if not isinstance(item.get(key), str) or not item[key]:
            problems.append(f"{where}: '{key}' is missing ({what}, in words for them)")
    return Transition(
        name=name,
        label=text(item.get("label", name)),
        done=text(item.get("done", "")),
        told=text(item.get("told", "")),
        sources=tuple(sources),
        dest=str(item.get("dest", "")),
        roles=tuple(str(r) for r in roles),
        guards=tuple(_parse_rule(g, f"{where} guard", problems) for g in guards),
        comment=comment,
        style=style,
        auto=auto is True,
        batch=batch,
        comment_from=str(item.get("comment_from", "")),
    )


def _parse_rule(item: object, where: str, problems: list[str]) -> Rule:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        problems.append(f"{where}: must be a table with a 'name'")
        return Rule(name="")
    params = {k: v for k, v in item.items() if k not in ("name", "message", "label", "applies_when")}
    return Rule(name=item["name"], params=params, message=text(item.get("message", "")),
                label=text(item.get("label", "")), when=_parse_when(item.get("applies_when"), where, problems))


def _parse_when(item: object, where: str, problems: list[str]) -> dict | None:
    """Read a rule's ``applies_when = { field = ..., in = [...] }`` (or ``equals = ...``)."""
    if item is None:
        return None
    values = None
    if isinstance(item, dict) and set(item) in ({"field", "in"}, {"field", "equals"}):
        values = item.get("in", [item.get("equals")])
    if not isinstance(item, dict) or not isinstance(item.get("field"), str) or not isinstance(values, list):
        problems.append(f"{where}: applies_when is {{ field = ..., in = [...] }} or {{ field = ..., equals = ... }}")
        return None
    return {"field": item["field"], "in": tuple(values)}


def _parse_field(item: dict, index: int, problems: list[str]) -> Field:
    name = _name(item, f"fields[{index}]", problems)
    where = f"field {name!r}"
    type_ = item.get("type")
    kind = FIELD_TYPES.get(type_) if isinstance(type_, str) else None
    if kind is None:
        problems.append(f"{where}: type must be one of {', '.join(FIELD_TYPES)} (got {type_!r})")
    _unknown_keys(item, _FIELD_KEYS | (kind.options if kind else set()), where, problems)
    choices = item.get("choices", [])
    parsed_choices: list[Choice] = []
    for choice in choices if isinstance(choices, list) else []:
        if isinstance(choice, dict) and "value" in choice:
            parsed_choices.append(Choice(str(choice["value"]), text(choice.get("label", choice["value"]))))
        else:
            problems.append(f"{where}: each choice needs a value ({{ value = ..., label = ... }})")
    for key in ("stateless", "not_past", "not_future"):
        if key in item and not isinstance(item[key], bool):
            problems.append(f"{where}: {key} is true or false")
    if item.get("prefill") not in (None, "email", "full_name"):
        problems.append(f"{where}: prefill must be 'email' or 'full_name'")
    number = {}
    for key in ("min", "max"):
        if key in item:
            if isinstance(item[key], bool) or not isinstance(item[key], (int, float)):
                problems.append(f"{where}: {key} must be a number")
            else:
                number[key] = Decimal(str(item[key]))
    for key, least in (("max_length", 1), ("places", 0), ("min_age", 0)):
        if key in item and (isinstance(item[key], bool) or not isinstance(item[key], int) or item[key] < least):
            problems.append(f"{where}: {key} must be a whole number from {least}")
    parsed = Field(
        name=name,
        label=text(item.get("label", name)),
        type=str(type_),
        required=bool(item.get("required", True)),
        help=text(item.get("help", "")),
        min=number.get("min"),
        max=number.get("max"),
        max_length=item.get("max_length"),
        places=item.get("places"),
        choices=tuple(parsed_choices),
        prefill=item.get("prefill"),
        min_age=item.get("min_age"),
        stateless=item.get("stateless") is True,
        shared_by=str(item.get("shared_by", "")),
        not_past=item.get("not_past") is True,
        not_future=item.get("not_future") is True,
        recorded_at=str(item.get("recorded_at", "")),
        changed_by=tuple(item.get("changed_by", ())) if isinstance(item.get("changed_by", ()), list) else (),
        when=_parse_when(item.get("applies_when"), where, problems),
    )
    if kind is not None:
        problems.extend(kind.problems(parsed))
    return parsed
