"""The base of every page form: WTForms' own messages ("This field is required.") from our catalogues.

WTForms translates its messages into Russian but not into Kyrgyz, and its
catalogue would escape the pseudo-locale test; so forms read them from ours
(``flask translations update`` brings them there, with WTForms' Russian).
"""

from __future__ import annotations

from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms import Form


class CatalogueTranslations:
    """WTForms' translations interface over the request's catalogue (WTForms fills in the numbers itself)."""

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = CatalogueTranslations()


class TranslatedMeta:
    def get_translations(self, form):
        return TRANSLATIONS


class PageForm(FlaskForm):
    """A form of a page, with its CSRF token."""

    class Meta(TranslatedMeta):
        pass


class SubForm(Form):
    """A form inside another (one row of a list), without a token of its own."""

    class Meta(TranslatedMeta):
        pass
