"""Countries as ISO 3166-1 codes (the list is pycountry's), named in the reader's language (Babel's CLDR names).

A nationality, a partner's country and a reference list of states hold the
two-letter code, never a name typed by hand: "Russia" and "Russian
Federation" are one country, RU, which pays one duty.  ICAO Doc 9303's XXA
stands for a stateless person where a field allows it.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry
from babel import Locale

from caseflow.i18n import lazy_gettext, reader_locale

STATELESS = "XXA"  # ICAO Doc 9303's code of a stateless person, as a passport writes it
STATELESS_LABEL = lazy_gettext("Stateless person")
CODES = tuple(sorted(country.alpha_2 for country in pycountry.countries))
# The languages whose names are also recognised when old texts are read as codes (caseflow.i18n.LANGUAGES).
NAME_LANGUAGES = ("en", "ru", "ky")
# Where the office's usage differs from CLDR's: the republic calls itself Кыргызстан in Russian (CLDR: Киргизия).
OFFICE_NAMES = {"ru": {"KG": "Кыргызстан"}}


def is_code(value: object, stateless: bool = False) -> bool:
    return value in _code_set() or (stateless and value == STATELESS)


@cache
def _code_set() -> frozenset[str]:
    return frozenset(CODES)


def name(code: str, locale: str | None = None) -> str:
    """The country's name in ``locale`` (the reader's); an unknown value as it is (an old text)."""
    if code == STATELESS:
        return str(STATELESS_LABEL)
    names = _names(locale or reader_locale() or "en")
    return names.get(code) or str(code)


@cache
def _names(locale: str) -> dict[str, str]:
    territories = {**Locale.parse(locale).territories, **OFFICE_NAMES.get(locale, {})}
    return {code: territories.get(code) or pycountry.countries.get(alpha_2=code).name for code in CODES}


def options(stateless: bool = False, locale: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of every country, in the reader's alphabetical order; with XXA first if allowed."""
    names = _names(locale or reader_locale() or "en")
    listed = sorted(names.items(), key=lambda item: _sort_key(item[1]))
    return ([(STATELESS, str(STATELESS_LABEL))] if stateless else []) + listed


def _sort_key(text: str) -> str:
    return unicodedata.normalize("NFKD", text.casefold())


def code_of(text: object) -> str | None:
    """The code a text names: a code itself, or a country's name in English, Russian or Kyrgyz, official
    or common ("Russian Federation", "Russia", "Россия"); None if it names none (or several)."""
    key = _key(str(text or ""))
    return _by_name().get(key) if key else None


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c)).split())


@cache
def _by_name() -> dict[str, str]:
    found: dict[str, set[str]] = {}

    def add(label: str | None, code: str) -> None:
        if label:
            found.setdefault(_key(label), set()).add(code)

    for country in pycountry.countries:
        code = country.alpha_2
        for label in (code, country.alpha_3, country.name, getattr(country, "official_name", None),
                      getattr(country, "common_name", None)):
            add(label, code)
        for language in NAME_LANGUAGES:
            add(_names(language).get(code), code)
            add(Locale.parse(language).territories.get(code), code)  # CLDR's name too ("Киргизия")
    for label in ("stateless", "stateless person", "без гражданства", "лицо без гражданства", "жарандыгы жок"):
        add(label, STATELESS)
    add(STATELESS, STATELESS)
    return {key: next(iter(codes)) for key, codes in found.items() if len(codes) == 1}
