"""Where the bytes of documents live: a local folder (default) or the database, chosen by configuration.

Keys are random (``new_key``), never derived from what an uploader sent.
The folder back-end writes before the database transaction and deletes after
it (no file I/O inside a transaction); the database back-end writes and
deletes inside it, so the row and its bytes commit together.  Either way the
caller keeps the SHA-256 in the document row and ``read`` checks it.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from caseflow.extensions import db
from caseflow.models.documents import StoredFile

BACKENDS = ("local", "database")


class Damaged(Exception):
    """A stored file is gone or no longer matches its SHA-256."""


def new_key() -> str:
    return secrets.token_hex(20)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class Storage:
    """The steps of keeping a file around a write transaction; each back-end does its part of them."""

    def before(self, key: str, content: bytes) -> None:
        """Keep ``content`` before the transaction that records it."""

    def within(self, session: Session, key: str, content: bytes) -> None:
        """Keep ``content`` inside that transaction."""

    def remove_within(self, session: Session, key: str) -> None:
        """Drop a file inside the transaction that drops its row."""

    def remove_after(self, key: str) -> None:
        """Drop a file once the transaction that dropped its row has committed (or a failed one's file)."""

    def load(self, key: str) -> bytes | None:
        raise NotImplementedError

    def keys_older_than(self, moment: datetime) -> Iterator[str]:
        """Yield the keys of files stored before ``moment`` (for removing orphans)."""
        raise NotImplementedError

    def read(self, key: str, expected_sha256: str) -> bytes:
        """Return the file's bytes, or raise Damaged when it is missing or changed."""
        content = self.load(key)
        if content is None or sha256(content) != expected_sha256:
            raise Damaged(key)
        return content


class FolderStorage(Storage):
    """Files under a folder outside anything the web server serves, in 256 sub-folders by key."""

    def __init__(self, root: Path):
        self.root = root

    def _path(self, key: str) -> Path:
        if len(key) != 40 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("not a storage key")  # keys are ours; anything else is a bug, not a path
        return self.root / key[:2] / key

    def before(self, key: str, content: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Write then rename: a reader never sees half a file, a crash leaves only a temporary file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def remove_after(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def load(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    def keys_older_than(self, moment: datetime) -> Iterator[str]:
        limit = moment.timestamp()
        for path in self.root.glob("??/*"):
            if not path.name.startswith(".") and path.stat().st_mtime < limit:
                yield path.name


class DatabaseStorage(Storage):
    """Files in the ``stored_files`` table: every web host sharing the database sees them."""

    def within(self, session: Session, key: str, content: bytes) -> None:
        session.add(StoredFile(key=key, content=content))

    def remove_within(self, session: Session, key: str) -> None:
        session.execute(delete(StoredFile).where(StoredFile.key == key))

    def load(self, key: str) -> bytes | None:
        return db.session.scalar(select(StoredFile.content).where(StoredFile.key == key))

    def keys_older_than(self, moment: datetime) -> Iterator[str]:
        yield from db.session.scalars(select(StoredFile.key).where(StoredFile.created_at < moment))


def storage() -> Storage:
    """Return the configured back-end (``CASEFLOW_STORAGE``)."""
    if current_app.config["CASEFLOW_STORAGE"] == "database":
        return DatabaseStorage()
    return FolderStorage(Path(current_app.config["CASEFLOW_STORAGE_DIR"]))
