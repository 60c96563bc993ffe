"""Field types: each is one class in the registry, serving the file's checks, the page's form, the API's
schema, the stored value and what a page shows; a new type is one class and nothing else."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated

import pytest
from pydantic import TypeAdapter, ValidationError
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField

from caseflow.api.schemas.workflows import application_data
from caseflow.fields import FIELD_TYPES, ChoiceSources, FieldType
from caseflow.fields.base import register
from caseflow.workflow.loader import parse_workflow
from caseflow.workflow.spec import Choice, Field

EVERY_KIND = {
    "string": {}, "text": {}, "email": {}, "phone": {}, "integer": {"min": Decimal(1), "max": Decimal(7)},
    "decimal": {"min": Decimal(0), "max": Decimal(5)}, "date": {}, "faculty": {}, "partner": {},
    "choice": {"choices": (Choice("a", "Alpha"), Choice("b", "Beta"))}, "country": {"stateless": True},
    "room": {}, "year": {"min": Decimal(1990), "max": Decimal(2100)},
}
SOURCES = ChoiceSources(faculties=lambda: [("IT", "Information technology")], partners=lambda: [("TU", "TU")],
                        rooms=lambda: [("1", "Hostel No. 1, 101"), ("2", "Hostel No. 1, 102", {"disabled": True})])


def test_every_registered_type_is_covered_here():
    assert set(EVERY_KIND) == set(FIELD_TYPES)


@pytest.mark.parametrize("kind", sorted(EVERY_KIND))
@pytest.mark.parametrize("required", [True, False])
def test_each_type_gives_a_page_field_an_api_schema_and_a_display(kind, required):
    spec = Field(name="answer", label="Answer", type=kind, required=required, **EVERY_KIND[kind])
    form = type("Answers", (Form,), {"answer": spec.kind.wtforms_field(spec, SOURCES)})()
    assert form.answer.label.text == "Answer"
    schema = TypeAdapter(spec.kind.schema(spec)).json_schema()
    assert schema["description"].startswith("Answer")
    assert spec.kind.display(spec, None, SOURCES) == "—"


@pytest.mark.parametrize(("kind", "sent", "stored"), [
    ("string", "  Asel  ", "Asel"),
    ("integer", 3, 3),
    ("decimal", 4.567, 4.57),
    ("date", "2027-04-12", "2027-04-12"),
    ("choice", "b", "b"),
    ("country", "KG", "KG"),
    ("country", "XXA", "XXA"),
])
def test_what_the_api_takes_is_stored_as_json(kind, sent, stored):
    spec = Field(name="answer", label="Answer", type=kind, **EVERY_KIND[kind])
    value = TypeAdapter(spec.kind.schema(spec)).validate_python(sent, strict=False)
    assert spec.kind.to_json(spec, value) == stored


@pytest.mark.parametrize(("kind", "sent"), [
    ("integer", "3"), ("integer", 3.0), ("integer", True), ("integer", 8), ("decimal", "4.5"),
    ("decimal", float("nan")), ("string", "tab\there"), ("string", "   "), ("string", "x" * 201),
    ("text", "nul\x00"), ("email", "not-an-address"), ("phone", "call me"), ("date", "12.04.2027"),
    ("choice", "c"), ("country", "Germany"), ("country", "kg"),
])
def test_what_the_type_refuses_in_json(kind, sent):
    spec = Field(name="answer", label="Answer", type=kind, **EVERY_KIND[kind])
    with pytest.raises(ValidationError):
        TypeAdapter(spec.kind.schema(spec)).validate_json(TypeAdapter(object).dump_json(sent), strict=True)


def test_the_page_and_the_api_refuse_a_control_character_with_the_same_words():
    spec = Field(name="answer", label="Answer", type="string")
    form = type("Answers", (Form,), {"answer": spec.kind.wtforms_field(spec, SOURCES)})(
        formdata=MultiDict({"answer": "a\x1bb"}))
    assert not form.validate()
    with pytest.raises(ValidationError) as refused:
        TypeAdapter(spec.kind.schema(spec)).validate_python("a\x1bb")
    assert form.answer.errors[0] == refused.value.errors()[0]["msg"]


# Every control character (C0, DEL, C1) and every bidirectional embedding, override and isolate.
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7f, 0xa0))]
BIDI = [chr(c) for c in (*range(0x202a, 0x202f), *range(0x2066, 0x206a))]


def _answers(kind: str, value: str):
    spec = Field(name="answer", label="Answer", type=kind)
    form = type("Answers", (Form,), {"answer": spec.kind.wtforms_field(spec, SOURCES)})(
        formdata=MultiDict({"answer": value}))
    return spec, form


@pytest.mark.parametrize(("kind", "character"), [
    pytest.param(kind, character, id=f"{kind}-U+{ord(character):04X}")
    for kind in ("string", "text", "email") for character in CONTROLS + BIDI
    if not (kind == "text" and character in "\t\n\r")  # a text of several lines holds tabs and line breaks
])
def test_the_page_the_api_and_its_pattern_refuse_control_and_bidi_characters_alike(kind, character):
    value = f"name{character}@example.org" if kind == "email" else f"Name {character}here"
    spec, form = _answers(kind, value)
    assert not form.validate()
    with pytest.raises(ValidationError) as refused:
        TypeAdapter(spec.kind.schema(spec)).validate_python(value)
    assert form.answer.errors == [refused.value.errors()[0]["msg"]]
    assert "invisible control characters" in form.answer.errors[0]
    assert not re.search(spec.kind.pattern(True), value)


@pytest.mark.parametrize("kind", ["string", "text"])
@pytest.mark.parametrize("mark", ["\u200e", "\u200f", "\u061c"], ids=["lrm", "rlm", "alm"])
def test_direction_marks_are_kept_in_a_name(kind, mark):
    value = f"\u0639\u0644\u064a{mark} (Ali)"
    spec, form = _answers(kind, value)
    assert form.validate() and form.answer.data == value
    assert TypeAdapter(spec.kind.schema(spec)).validate_python(value) == value
    assert re.search(spec.kind.pattern(True), value)


def test_a_text_of_several_lines_is_stored_with_one_kind_of_line_break_from_the_page_and_the_api():
    sent = "  First\r\n\tsecond\rthird\n  "
    spec, form = _answers("text", sent)
    assert form.validate()
    assert form.answer.data == TypeAdapter(spec.kind.schema(spec)).validate_python(sent) == "First\n\tsecond\nthird"


def test_a_year_is_shown_as_a_year_and_a_count_grouped(app):
    """The trial read "Year of enrolment 2,023" (and "2 023" in Russian)."""
    from flask_babel import force_locale

    year = Field(name="enrolled_in", label="Year", type="year", min=Decimal(1990), max=Decimal(2100))
    count = Field(name="places", label="Places", type="integer")
    for language in ("en", "ru", "ky"):
        with force_locale(language):
            assert year.kind.display(year, 2023, SOURCES) == "2023"
    assert count.kind.display(count, 12000, SOURCES) == "12,000"


def test_a_faculty_is_shown_by_its_name_and_a_choice_by_its_label():
    faculty = Field(name="faculty", label="Faculty", type="faculty")
    choice = Field(name="kind", label="Kind", type="choice", choices=(Choice("a", "Alpha"),))
    assert faculty.kind.display(faculty, "IT", SOURCES) == "Information technology"
    assert choice.kind.display(choice, "a", SOURCES) == "Alpha"


def test_a_stored_date_goes_back_into_the_form_as_a_day():
    spec = Field(name="start", label="Start", type="date")
    assert spec.kind.to_form(spec, "2027-04-12") == date(2027, 4, 12)
    assert spec.kind.to_form(spec, "not a day") is None


def _form(fields: list[dict]) -> dict:
    return {"label": "Form", "reference_prefix": "F", "initial": "open", "needs_call": False,
            "states": [{"name": "open", "label": "Open"}, {"name": "closed", "label": "Closed", "terminal": True}],
            "transitions": [{"name": "close", "label": "Close", "done": "Closed", "told": "It is closed.",
                             "sources": ["open"], "dest": "closed",
                             "roles": ["office_staff"]}],
            "fields": fields}


@pytest.mark.parametrize(("field", "message"), [
    ({"name": "n", "type": "string", "choices": [{"value": "a"}]}, "field 'n': unknown key 'choices'"),
    ({"name": "n", "type": "integer", "max_length": 3}, "field 'n': unknown key 'max_length'"),
    ({"name": "n", "type": "choice"}, "field 'n': a choice field needs 'choices'"),
    ({"name": "n", "type": "colour"}, "type must be one of"),
    ({"name": "n", "type": "partner"}, "a 'partner' field needs needs_call = true"),
])
def test_the_file_may_give_a_field_only_what_its_type_has(field, message):
    with pytest.raises(Exception, match=re.escape(message)):
        parse_workflow("form", _form([field]))


@pytest.fixture
def grade_type():
    """A field type the engine does not have: a school grade from A to F, declared as one class."""

    @register
    class GradeType(FieldType):
        name = "grade"

        def problem(self, spec, value):
            return None if value in "ABCDEF" and len(value) == 1 else "A grade from A to F."

        def wtforms_field(self, spec, sources):
            return StringField(**self.wtforms_options(spec))

        def schema(self, spec):
            return Annotated[str, self.schema_field(spec, max_length=1), self._schema_check(spec)]

        def display(self, spec, stored, sources):
            return f"Grade {stored}"

    yield GradeType
    del FIELD_TYPES["grade"]


def test_a_new_field_type_is_one_class(grade_type):
    workflow = parse_workflow("form", _form([{"name": "grade", "label": "Final grade", "type": "grade"}]))
    spec = workflow.field("grade")
    data = application_data(workflow)
    assert data.model_validate_json('{"grade": "B"}').grade == "B"
    with pytest.raises(ValidationError, match="A grade from A to F"):
        data.model_validate_json('{"grade": "Z"}')
    form = type("Answers", (Form,), {"grade": spec.kind.wtforms_field(spec, SOURCES)})(
        formdata=MultiDict({"grade": "Q"}))
    assert not form.validate() and form.grade.errors == ["A grade from A to F."]
    assert spec.kind.display(spec, "B", SOURCES) == "Grade B"
    assert data.model_json_schema()["properties"]["grade"]["maxLength"] == 1


def test_the_api_says_what_a_faculty_value_is():
    spec = Field(name="faculty", label="Faculty", type="faculty")
    description = TypeAdapter(spec.kind.schema(spec)).json_schema()["description"]
    assert description == "Faculty (a faculty code from GET /faculties)"
