"""A case's documents (one current file per checklist entry) and the database storage back-end."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db
from caseflow.timeutil import utcnow

# The review statuses, as the API names them.
UPLOADED, ACCEPTED, REJECTED = "uploaded", "accepted", "rejected"
STATUSES = (UPLOADED, ACCEPTED, REJECTED)


def outstanding(needed: Iterable[Any], statuses: Mapping[str, str]) -> tuple[list[Any], list[Any]]:
    """Split the ``needed`` checklist entries (anything with a ``kind``) that hold a case back into
    (missing, rejected), given each uploaded kind's status."""
    needed = list(needed)
    return ([d for d in needed if d.kind not in statuses],
            [d for d in needed if statuses.get(d.kind) == REJECTED])


class Document(db.Model):
    """The current file of one checklist entry (``kind``) of one case.

    A replacement overwrites the row (new bytes, status ``uploaded``); the
    case history keeps every earlier upload and review.  ``storage_key`` is a
    random name: nothing the uploader sent ends up in a path.
    """

    __tablename__ = "documents"
    # AUTOINCREMENT on SQLite: ids of removed documents are never given again (history lines name them).
    __table_args__ = (UniqueConstraint("case_id", "kind"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20), default=UPLOADED)
    reason: Mapped[str] = mapped_column(Text, default="")  # why it was rejected, for the applicant
    file_name: Mapped[str] = mapped_column(String(200))  # the uploader's name for it, cleaned; shown, never a path
    file_type: Mapped[str] = mapped_column(String(10))  # what its content is: pdf, jpeg or png
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)


class StoredFile(db.Model):
    """The bytes of a document when ``CASEFLOW_STORAGE=database`` (several web hosts, one PostgreSQL)."""

    __tablename__ = "stored_files"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
