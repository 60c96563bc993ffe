"""``flask translations``: bring every message to the catalogues, and compile them.

The ``.po`` files in ``caseflow/translations/<lang>/LC_MESSAGES/`` are the
source; the template (``messages.pot``) and the compiled ``.mo`` files are
generated and never committed.  The template holds what ``babel.cfg`` names
(our Python, our templates, the workflow files through their extractor) and
WTForms' own messages, which our forms show and WTForms translates into
Russian but not into Kyrgyz.
"""

from __future__ import annotations

from pathlib import Path

import click
import wtforms
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from caseflow.i18n import LANGUAGES, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOGUES = ROOT / "caseflow" / "translations"
DOMAIN = "messages"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "lazy_ngettext": (1, 2),
            "pgettext": ((1, "c"), 2)}
COMMENT_TAGS = ("Translators:",)


def po_path(language: str, folder: Path = CATALOGUES) -> Path:
    return folder / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language)


def template() -> Catalog:
    """Extract every message people may read into one catalogue template."""
    catalog = Catalog(project="caseflow", msgid_bugs_address="", charset="utf-8")
    with (ROOT / "babel.cfg").open(encoding="utf-8") as file:
        method_map, options_map = parse_mapping_cfg(file)
    sources = [(ROOT, method_map, options_map)]
    # WTForms' validators and fields: their default messages ("This field is required.").
    sources.append((Path(wtforms.__file__).parent, [("**.py", "python")], {}))
    for folder, methods, options in sources:
        for filename, lineno, message, comments, context in extract_from_dir(
                str(folder), methods, options, KEYWORDS, COMMENT_TAGS, strip_comment_tags=True):
            where = (filename if folder == ROOT else f"wtforms/{filename}", lineno)
            catalog.add(message, None, [where], auto_comments=comments, context=context)
    return catalog


def update(languages: tuple[str, ...] = tuple(LANGUAGES)) -> dict[str, tuple[int, int]]:
    """Update (or start) each language's ``.po`` from a fresh template; return (translated, total) per language."""
    pot = template()
    CATALOGUES.mkdir(exist_ok=True)
    with (CATALOGUES / f"{DOMAIN}.pot").open("wb") as file:
        write_po(file, pot, width=100)
    counts = {}
    for language in languages:
        path = po_path(language)
        if path.exists():
            catalog = read_catalogue(path, language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, project="caseflow", charset="utf-8")
        catalog.update(pot, no_fuzzy_matching=True)
        if language == SOURCE_LANGUAGE:  # the msgids are English: the English catalogue starts as their copy
            for message in catalog:
                if message.id and not _translated(message):
                    message.string = message.id
        _take_wtforms_translations(catalog, language)
        with path.open("wb") as file:
            write_po(file, catalog, width=100, ignore_obsolete=True, include_previous=False)
        messages = [m for m in catalog if m.id]
        counts[language] = (sum(1 for m in messages if _translated(m)), len(messages))
    return counts


def _take_wtforms_translations(catalog: Catalog, language: str) -> None:
    """Fill WTForms' own messages that are still empty with WTForms' translation, where it ships one (ru)."""
    theirs_path = Path(wtforms.__file__).parent / "locale" / language / "LC_MESSAGES" / "wtforms.po"
    if not theirs_path.exists():
        return
    theirs = read_catalogue(theirs_path, language)
    for message in catalog:
        translated = theirs.get(message.id)
        usable = translated is not None and _translated(translated)
        if message.id and not _translated(message) and usable \
                and len(_forms(translated.string)) == len(_forms(message.string)):
            message.string = translated.string


def _forms(string) -> tuple:
    return string if isinstance(string, tuple) else (string,)


def compile_all(folder: Path = CATALOGUES) -> list[Path]:
    """Compile every ``.po`` under ``folder`` to its ``.mo`` (fuzzy entries left out, as gettext does)."""
    written = []
    for path in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = path.parent.parent.name
        catalog = read_catalogue(path, language)
        with path.with_suffix(".mo").open("wb") as file:
            write_mo(file, catalog, use_fuzzy=False)
        written.append(path.with_suffix(".mo"))
    return written


def _translated(message) -> bool:
    return not message.fuzzy and all(_forms(message.string))


@click.group("translations")
def translations_group() -> None:
    """The catalogues of caseflow/translations (ru, ky, en)."""


@translations_group.command("update")
def update_command() -> None:
    """Extract every message, update each language's .po (new ones untranslated) and compile them."""
    for language, (done, total) in update().items():
        click.echo(f"{language}: {done} of {total} messages translated")
    compile_all()


@translations_group.command("compile")
def compile_command() -> None:
    """Compile each language's .po to the .mo the application reads."""
    for path in compile_all():
        click.echo(f"compiled {path.relative_to(ROOT)}")
