"""Translation markers usable with or without a Flask application.

The workflow engine runs in tests without an app; Flask-Babel's ``gettext``
needs one.  These wrappers translate when an app context exists and fall back
to the marked English text otherwise, so every string is marked once, here or
in templates, and the languages issue only adds catalogues.
"""

from __future__ import annotations

from flask import has_app_context
from flask_babel import gettext as _flask_gettext
from flask_babel import lazy_gettext
from flask_babel import ngettext as _flask_ngettext


def gettext(text: str, **variables: object) -> str:
    """Translate ``text`` and fill in ``%(name)s`` variables."""
    if has_app_context():
        return _flask_gettext(text, **variables)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: object) -> str:
    """Translate a text whose form depends on ``num``."""
    if has_app_context():
        return _flask_ngettext(singular, plural, num, **variables)
    variables.setdefault("num", num)
    return (singular if num == 1 else plural) % variables


_ = gettext

__all__ = ["_", "gettext", "lazy_gettext", "ngettext"]
