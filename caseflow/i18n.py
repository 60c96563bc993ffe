"""Translation markers usable with or without a Flask application, and the languages we speak.

The workflow engine runs in tests without an app; Flask-Babel's ``gettext``
needs one.  These wrappers translate when an app context exists and fall back
to the marked English text otherwise, so every string is marked once, here or
in templates.

A workflow file's labels are English msgids (``workflows/*.toml`` is their one
source; ``caseflow.workflow.extract`` brings them to the catalogues).  The
loader wraps each in a :class:`Text`, translated each time it is shown, in the
language of whoever reads it.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import get_locale, lazy_gettext
from flask_babel import gettext as _flask_gettext
from flask_babel import ngettext as _flask_ngettext
from flask_babel import pgettext as _flask_pgettext
from flask_babel.speaklater import LazyString
from markupsafe import escape

# The languages of the catalogues, each named in itself (the switch shows these names untranslated:
# a Kyrgyz reader looks for "Кыргызча", whatever language the page is in).
LANGUAGES = {"ru": "Русский", "ky": "Кыргызча", "en": "English"}
SOURCE_LANGUAGE = "en"  # the msgids are English


def locale_or_default(saved: str | None) -> str:
    """A person's saved language if we speak it, else the office's default (``CASEFLOW_DEFAULT_LOCALE``)."""
    return saved if saved in LANGUAGES else current_app.config["CASEFLOW_DEFAULT_LOCALE"]


def reader_locale() -> str | None:
    """The language of whoever reads now (the request's, or the one a mail is written in); None outside an app."""
    return str(get_locale()) if has_app_context() else None


def in_reader_language(texts: dict | None, original: str) -> str:
    """A text typed in several languages (a faculty's name): the reader's, else the one first written."""
    return (texts or {}).get(reader_locale()) or original


def gettext(text: str, **variables: object) -> str:
    """Translate ``text`` and fill in ``%(name)s`` variables."""
    if has_app_context():
        return _flask_gettext(text, **variables)
    return text % variables if variables else text


def pgettext(context: str, text: str, **variables: object) -> str:
    """Translate ``text`` in ``context``, where one English word needs different ones elsewhere."""
    if has_app_context():
        return _flask_pgettext(context, text, **variables)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: object) -> str:
    """Translate a text whose form depends on ``num``."""
    if has_app_context():
        return _flask_ngettext(singular, plural, num, **variables)
    variables.setdefault("num", num)
    return (singular if num == 1 else plural) % variables


def lazy_ngettext(singular: str, plural: str, num: int, **variables: object) -> LazyString:
    """``ngettext``, translated when it is turned into text (a form's message, built once)."""
    return LazyString(ngettext, singular, plural, num, **variables)


class Text(LazyString):
    """A label from a workflow file: English in the file, translated whenever it is turned into text.

    Equal and hashed by its English msgid, so a frozen spec holding it hashes
    the same in every language; escaped in templates like any other text (a
    label is not markup).  Where a plain ``str`` is needed (JSON, a database
    column, a spreadsheet cell), ``str(label)`` gives the reader's language.
    """

    def __init__(self, msgid: str):
        super().__init__(gettext, msgid)
        self.msgid = msgid

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return self.msgid == other.msgid
        return str(self) == other

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __bool__(self) -> bool:
        return bool(self.msgid)

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __reduce__(self):
        return (Text, (self.msgid,))


def words(value: object) -> object:
    """A lazy text (a label, a lazy message) as its words in the current language; any other value as it is."""
    return str(value) if isinstance(value, LazyString) else value


def text(value: object) -> Text | str:
    """Return ``value`` as a translatable label; an empty one stays ``""`` (msgid "" is the catalogue's header)."""
    value = "" if value is None else str(value)
    return Text(value) if value else ""


_ = gettext

__all__ = [
    "LANGUAGES", "SOURCE_LANGUAGE", "Text", "_", "gettext", "in_reader_language", "lazy_gettext", "lazy_ngettext",
    "locale_or_default", "ngettext", "pgettext", "reader_locale", "text", "words",
]
