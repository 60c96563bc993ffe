"""The backup file: one gzip-compressed tar of the database's copy, the documents' files and a manifest.

One file, not a folder, because one file is what an operator copies off the
machine, and what `tar -tzf` lists without caseflow.  The manifest comes last
(it names every other part's SHA-256, known only once each part is written);
a restore reads the whole archive into a working folder and checks every part
against it before it touches the database or the documents.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
import time
import zlib
from gzip import BadGzipFile
from pathlib import Path
from typing import BinaryIO

FORMAT = "caseflow-backup"
VERSION = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents/"
# Every name a backup may hold; anything else (a path that climbs out, a link) means it is not ours.
_PART = re.compile(r"^(manifest\.json|database\.(sqlite3|pgdump)|documents/[0-9a-f]{40})$")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made or restored; the message tells the operator why."""


def _digest(stream: BinaryIO, out: BinaryIO | None = None) -> str:
    hasher = hashlib.sha256()
    while chunk := stream.read(_CHUNK):
        hasher.update(chunk)
        if out is not None:
            out.write(chunk)
    return hasher.hexdigest()


class ArchiveWriter:
    """Write a backup to a temporary file beside ``path`` and move it there only when it is whole."""

    def __init__(self, path: Path):
        self.path = path
        self.checksums: dict[str, str] = {}
        self._finished = False

    def __enter__(self) -> ArchiveWriter:
        handle, self._temporary = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.")
        # It holds passports and everyone's data: readable by the operator's account only.
        os.chmod(self._temporary, 0o600)
        self._file = os.fdopen(handle, "wb")
        self._tar = tarfile.open(fileobj=self._file, mode="w:gz", compresslevel=6)
        return self

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(time.time())
        return info

    def add_file(self, name: str, source: Path) -> None:
        with source.open("rb") as stream:
            self.checksums[name] = _digest(stream)
            stream.seek(0)
            self._tar.addfile(self._info(name, source.stat().st_size), stream)

    def add_bytes(self, name: str, content: bytes) -> None:
        self.checksums[name] = hashlib.sha256(content).hexdigest()
        self._tar.addfile(self._info(name, len(content)), io.BytesIO(content))

    def finish(self, manifest: dict) -> None:
        """Write the manifest, naming every part written so far with its SHA-256."""
        content = json.dumps({"format": FORMAT, "version": VERSION, **manifest, "files": self.checksums},
                             indent=2, sort_keys=True).encode()
        self._tar.addfile(self._info(MANIFEST, len(content)), io.BytesIO(content))
        self._finished = True

    def __exit__(self, kind, error, trace) -> None:
        whole = False
        try:
            self._tar.close()
            self._file.flush()
            os.fsync(self._file.fileno())
            whole = kind is None and self._finished
        finally:
            self._file.close()
            if whole:
                os.replace(self._temporary, self.path)
            else:  # a backup cut short must not lie about as if it were one
                Path(self._temporary).unlink(missing_ok=True)


def unpack(path: Path, into: Path) -> dict:
    """Extract the backup at ``path`` into the folder ``into``, check every part, and return its manifest."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    found: dict[str, str] = {}
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                if not member.isfile() or not _PART.match(member.name) or member.name in found:
                    raise BackupError(f"{path} is not a caseflow backup: it holds {member.name!r}")
                target = into / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as stream, target.open("wb") as out:
                    found[member.name] = _digest(stream, out)
    except (tarfile.TarError, EOFError, zlib.error, BadGzipFile) as error:
        raise BackupError(f"{path} is not a readable caseflow backup (cut short or damaged: {error})") from None
    if MANIFEST not in found:
        raise BackupError(f"{path} is not a caseflow backup: it has no {MANIFEST}")
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{path} is damaged: its {MANIFEST} is not JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a caseflow backup")
    if manifest.get("version") != VERSION:
        raise BackupError(f"{path} is a backup of format {manifest.get('version')!r}; this caseflow reads "
                          f"format {VERSION}")
    expected = manifest.get("files") or {}
    del found[MANIFEST]
    for name in sorted(set(expected) | set(found)):
        if name not in found:
            raise BackupError(f"{path} is damaged: {name} is missing; nothing was changed")
        if name not in expected:
            raise BackupError(f"{path} is damaged: {name} is not in its manifest; nothing was changed")
        if expected.get(name) != found[name]:
            raise BackupError(f"{path} is damaged: {name} does not match its checksum; nothing was changed")
    return manifest
