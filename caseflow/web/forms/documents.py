"""The forms of the document pages: upload, review and removal (each with its CSRF token)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length

from caseflow import limits
from caseflow.fields.text import strip
from caseflow.i18n import lazy_gettext as _l


class UploadForm(FlaskForm):
    """One file for one checklist entry; what the file is, the operation checks by its content."""

    kind = HiddenField(validators=[InputRequired(message=_l("Choose one of the documents this application "
                                                             "asks for."))])
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose a file to upload."))])


class ReviewForm(FlaskForm):
    """Accept a document, or reject it with the reason the applicant reads."""

    decision = HiddenField()
    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[Length(max=limits.REASON)])


class RemoveForm(FlaskForm):
    """Remove a document: only the CSRF token."""
