"""The catalogues are complete: every message extracted is in ru, ky and en, translated, and none is fuzzy.

The .po files are the source (``make translations`` updates them); this
test fails when code, a template or a workflow file gained a message that a
catalogue lacks, or when a translation is missing, fuzzy, breaks a
placeholder, or is only the English again.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from caseflow.cli.translations import po_path, read_catalogue, template
from caseflow.i18n import LANGUAGES, SOURCE_LANGUAGE, Text
from caseflow.workflow import load_workflows
from caseflow.workflow.extract import texts

# The same in Russian and Kyrgyz as in English: codes and names.
SAME_IN_EVERY_LANGUAGE = {"A1", "A2", "B1", "B2", "C1", "C2"}


@pytest.fixture(scope="module")
def pot():
    return template()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_every_message_translated_and_none_fuzzy(pot, language):
    catalogue = read_catalogue(po_path(language), language)
    missing = [m.id for m in pot if m.id and catalogue.get(m.id, context=m.context) is None]
    assert not missing, f"run `make translations`: {language} lacks {missing[:5]}"
    untranslated, fuzzy, english = [], [], []
    for message in catalogue:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            fuzzy.append(message.id)
        if not all(forms):
            untranslated.append(message.id)
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        if language != SOURCE_LANGUAGE and forms[0] == singular and singular not in SAME_IN_EVERY_LANGUAGE:
            english.append(singular)
    assert not untranslated, f"{language}: untranslated {untranslated[:10]}"
    assert not fuzzy, f"{language}: fuzzy {fuzzy[:10]}"
    assert not english, f"{language}: left in English {english[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders(language):
    catalogue = read_catalogue(po_path(language), language)
    problems = [(message.id, [str(error) for error in errors]) for message, errors in catalogue.check()]
    assert not problems, problems[:5]


def test_russian_has_three_plural_forms_and_kyrgyz_two():
    assert read_catalogue(po_path("ru"), "ru").num_plurals == 3
    assert read_catalogue(po_path("ky"), "ky").num_plurals == 2


def test_every_label_a_workflow_shows_reaches_the_catalogue(app, pot):
    extracted = {message.id for message in pot if message.id}
    shown = set()

    def collect(value):
        if isinstance(value, Text):
            shown.add(value.msgid)
        elif isinstance(value, (tuple, list)):
            for item in value:
                collect(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                collect(getattr(value, name))

    for workflow in load_workflows(app.config["CASEFLOW_WORKFLOWS_DIR"]).values():
        collect(workflow)
    assert shown and shown <= extracted, sorted(shown - extracted)[:10]


def test_the_workflow_extractor_is_registered_for_babel():
    names = {entry.name: entry.value for entry in entry_points(group="babel.extractors")}
    assert names.get("caseflow_workflow") == "caseflow.workflow.extract:extract_workflow"


def test_the_extractor_names_where_a_text_is_in_the_file():
    raw = {"label": "Mobility", "states": [{"name": "submitted", "label": "Submitted", "next_step": "We read it."}],
           "fields": [{"name": "level", "label": "Level", "choices": [{"value": "b", "label": "Bachelor"}]}]}
    assert list(texts(raw)) == [
        ("label", "Mobility"), ("states[submitted].label", "Submitted"), ("states[submitted].next_step", "We read it."),
        ("fields[level].label", "Level"), ("fields[level].choices[b].label", "Bachelor"),
    ]
