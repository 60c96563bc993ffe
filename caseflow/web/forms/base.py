"""The base of every page form: WTForms' own messages ("This field is required.") from our catalogues.

WTForms translates its messages into Russian but not into Kyrgyz, and its
catalogue would escape the pseudo-locale test; so forms read them from ours
(``flask translations update`` brings them there, with WTForms' Russian).
"""

from __future__ import annotations

import secrets

from flask import request
from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField
from wtforms.validators import Optional, Regexp

from caseflow.cases.replay import RequestKey


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


def submission_field() -> HiddenField:
    """A form's one-time token: new each time the form is shown, the same in every copy of one sending.

    Sent twice (a double click, a reload, a slow connection's retry), the
    form finds what its first sending did instead of doing it again
    (``cases.replay``).
    """
    return HiddenField(default=lambda: secrets.token_hex(16),
                       validators=[Optional(), Regexp(r"^[0-9a-f]{32}$")])


def submitted(form) -> RequestKey | None:
    """The sending's key, from the form's one-time token (None from a page older than the token)."""
    return RequestKey(form.submission.data) if form.submission.data else None


class PageForm(FlaskForm):
    """A form of a page, with its CSRF token."""

    class Meta(TranslatedMeta, FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            # A page's form is what a browser posts: form fields (and files), never a JSON body, which
            # Flask-WTF would read too; a JSON login then escaped what the login limits count by.
            wrapped = super().wrap_formdata(form, formdata)
            return None if wrapped is not None and request.is_json and not request.form else wrapped


class SubForm(Form):
    """A form inside another (one row of a list), without a token of its own."""

    class Meta(TranslatedMeta):
        pass
