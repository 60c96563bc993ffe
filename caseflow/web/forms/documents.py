"""The forms of the document pages: upload, review and removal (each with its CSRF token)."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import InputRequired

from caseflow import limits
from caseflow.fields.text import lines_input
from caseflow.i18n import lazy_gettext as _l
from caseflow.web.forms.base import PageForm


class UploadForm(PageForm):
    """One file for one checklist entry; what the file is, the operation checks by its content."""

    kind = HiddenField(validators=[InputRequired(message=_l("Choose one of the documents this application "
                                                             "asks for."))])
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file to upload."))])


class ReviewForm(PageForm):
    """Accept a document, or reject it with the reason the applicant reads."""

    decision = HiddenField()
    reason = lines_input(_l("Reason"), limits.REASON)


class RemoveForm(PageForm):
    """Remove a document: only the CSRF token."""
