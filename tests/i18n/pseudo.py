"""A pseudo-locale: every message of the template wrapped in ⟦…⟧, and a reader of pages that finds words left out.

A page rendered in it shows each translated text as ⟦text⟧.  Any word outside
the brackets reached the page without passing through a catalogue: a string
never marked, a label printed raw, a date or list glued by hand.  What people
typed (names, comments, the demo's descriptions) is data and is taken out
first; so are Babel's own words for the locale (month names), which a real
locale translates.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from caseflow.cli.translations import template

OPEN, CLOSE = "⟦", "⟧"
INNERMOST = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")

# Words that are the same in every language: codes, names, formats.
PROPER = {
    "Erasmus", "JSPS", "KSTU", "PDF", "JPEG", "PNG", "ZIP", "CSV", "XLSX", "API", "English", "UTC", "ISO",
    "Asia", "Bishkek", "GPA", "PhD", "CEFR", "A1", "A2", "B1", "B2", "C1", "C2",
}


def write_pseudo_catalogue(folder: Path, locale: str = "en") -> None:
    """Compile the pseudo catalogue as ``locale``'s, in ``folder`` (a BABEL_TRANSLATION_DIRECTORIES entry)."""
    pot = template()
    catalog = Catalog(locale=locale, charset="utf-8")
    for message in pot:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            string = tuple(f"{OPEN}{form}{CLOSE}" for form in (message.id[0], message.id[1]))
        else:
            string = f"{OPEN}{message.id}{CLOSE}"
        catalog.add(message.id, string, context=message.context)
    target = folder / locale / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with (target / "messages.mo").open("wb") as file:
        write_mo(file, catalog)


# Not read as words: scripts, styles, and <code>, which pages keep for machine names (an audit entry's action
# and the values it recorded), the same in every language.
MACHINE_TEXT = ("script", "style", "code")


class _Visible(HTMLParser):
    """The text a person sees or hears: text nodes (not scripts or styles) and the attributes read aloud."""

    READ = {"title", "placeholder", "aria-label", "alt"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in MACHINE_TEXT:
            self._hidden += 1
        values = dict(attrs)
        for name in self.READ & values.keys():
            self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button"):
            self.parts.append(values.get("value") or "")

    def handle_endtag(self, tag):
        if tag in MACHINE_TEXT:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def babel_words(locale: str = "en") -> set[str]:
    """Words Babel writes for ``locale`` (months, days, units, list joiners): a real locale has its own."""
    data = Locale.parse(locale)
    words: set[str] = {"AM", "PM", "at"}

    def take(value):
        if isinstance(value, str):
            words.update(WORD.findall(value))
        elif hasattr(value, "values"):
            for item in value.values():
                take(item)

    # data.territories: the names of countries (caseflow.countries takes them from Babel).
    for table in (data.months, data.days, data._data["unit_patterns"], data.list_patterns, data.territories):
        take(table)
    return words


def untranslated(text: str, data: list[str], allowed: set[str]) -> list[str]:
    """Return the words of ``text`` that no catalogue gave, once ``data`` (what people typed) is taken out."""
    text = " ".join(text.split())
    for value in sorted(set(data), key=len, reverse=True):
        if value and value in text:  # whole words only: a typed "no" leaves "Economics" alone
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text)
    while True:
        stripped = INNERMOST.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    return [word for word in WORD.findall(text) if word not in allowed]
