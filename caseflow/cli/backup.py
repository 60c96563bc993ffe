"""``flask --app caseflow backup PATH`` and ``restore PATH``: the database and the documents in one file.

A backup holds the database's copy (see snapshots.py), the documents' files
when they live in a folder (``CASEFLOW_STORAGE=local``; with the database
storage their bytes are in the copy already) and a manifest: its format,
when it was made, the database's kind, schema and Alembic revision, the rows
of every table and each part's SHA-256.  It holds no setting and no secret
key: those belong to the server it is restored on.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.exc import OperationalError

from caseflow.cli import snapshots
from caseflow.cli.archive import DOCUMENTS, ArchiveWriter, BackupError, unpack
from caseflow.documents.storage import Damaged, storage
from caseflow.extensions import db
from caseflow.timeutil import iso_utc, utcnow


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{table} {number}" for table, number in sorted(counts.items()))


def _reported(step, *arguments):
    """Run a step of a backup or restore; its refusals and an unreachable database become the message."""
    try:
        return step(*arguments)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    except OperationalError as error:
        raise click.ClickException(f"cannot reach the database: {error.orig}") from None


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write the database and the documents' files to the new file PATH (a .tar.gz), while the app runs."""
    manifest = _reported(make_backup, path)
    if manifest["damaged_documents"]:
        click.echo(f"Warning: documents missing or damaged, not in the backup: {len(manifest['damaged_documents'])} "
                   f"(storage keys {', '.join(manifest['damaged_documents'])})", err=True)
    click.echo(f"Backup written to {path}: {_summary(manifest['counts'])}.")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that holds data (everything in it is lost).")
def restore_command(path: Path, force: bool) -> None:
    """Put the backup PATH back: checked first, then the documents' files and the database, then counted."""
    manifest, checked = _reported(restore_backup, path, force)
    click.echo(f"Restored {path} (made {manifest['created_at']}): {_summary(manifest['counts'])}; "
               f"documents whose bytes match their SHA-256: {checked}.")


def make_backup(path: Path) -> dict:
    """Write a backup of the configured database and documents to ``path``; return its manifest."""
    if path.exists():
        raise BackupError(f"{path} exists already: a backup never overwrites a file; give a new name")
    if not path.parent.is_dir():
        raise BackupError(f"no folder {path.parent} to write {path.name} in")
    local = current_app.config["CASEFLOW_STORAGE"] == "local"
    files = storage()
    with tempfile.TemporaryDirectory(prefix="caseflow-backup-") as work, ArchiveWriter(path) as archive:
        snapshot = snapshots.take(db.engine, Path(work))
        archive.add_file(snapshot.part, snapshot.path)
        damaged = []
        # The files of exactly the documents in the copy; one written after it is not there, nor needed.
        for key, sha256 in snapshot.census.documents if local else ():
            try:
                archive.add_bytes(DOCUMENTS + key, files.read(key, sha256))
            except Damaged:
                damaged.append(key)
        manifest = {
            "created_at": iso_utc(utcnow()),
            "dialect": db.engine.dialect.name,
            "schema": snapshot.schema,
            "alembic_revision": snapshot.census.revision,
            "storage": current_app.config["CASEFLOW_STORAGE"],
            "counts": snapshot.census.counts,
            "damaged_documents": damaged,
        }
        archive.finish(manifest)
    return manifest


def restore_backup(path: Path, force: bool) -> tuple[dict, int]:
    """Restore the backup at ``path`` into the configured database and storage; return its manifest and
    how many documents' bytes were checked after."""
    with tempfile.TemporaryDirectory(prefix="caseflow-restore-") as work:
        folder = Path(work)
        manifest = unpack(path, folder)
        _check_target(manifest, force)
        # Files before rows, as an upload does: a restore that fails later leaves only unused files.
        files = storage()
        for part in sorted(manifest["files"]):
            if part.startswith(DOCUMENTS):
                files.before(part.removeprefix(DOCUMENTS), (folder / part).read_bytes())
        db.session.remove()  # end this command's own reads: their locks would stop the restore
        part = "database.sqlite3" if manifest["dialect"] == "sqlite" else "database.pgdump"
        snapshots.restore(db.engine, folder / part)
    return manifest, _verify(manifest)


def _check_target(manifest: dict, force: bool) -> None:
    """Refuse a database of another kind, schema or storage, or one holding data unless ``force``."""
    dialect, configured = db.engine.dialect.name, current_app.config["CASEFLOW_STORAGE"]
    if manifest.get("dialect") != dialect:
        raise BackupError(f"this is a backup of a {manifest.get('dialect')} database; the configured one is "
                          f"{dialect}; nothing was changed")
    if manifest.get("storage") != configured:
        raise BackupError(f"this backup keeps documents in the {manifest.get('storage')} storage; this server "
                          f"is configured for {configured} (CASEFLOW_STORAGE); nothing was changed")
    with db.engine.connect() as connection:
        schema = snapshots.schema_of(connection)
        holds = {table: number for table, number in snapshots.census(connection).counts.items() if number}
    if schema != manifest.get("schema"):
        raise BackupError(f"this backup holds the tables of schema {manifest.get('schema')}; the configured "
                          f"database puts them in {schema} (its search_path); nothing was changed")
    if holds and not force:
        raise BackupError(f"the database {db.engine.url.render_as_string(hide_password=True)} holds data "
                          f"({_summary(holds)}); restoring replaces all of it: add --force to do so; "
                          f"nothing was changed")


def _verify(manifest: dict) -> int:
    """Count the restored rows against the manifest and check each document's bytes; return how many."""
    with db.engine.connect() as connection:
        found = snapshots.census(connection)
    if found.counts != manifest["counts"]:
        differences = {table: (manifest["counts"].get(table), found.counts.get(table))
                       for table in set(found.counts) | set(manifest["counts"])
                       if manifest["counts"].get(table) != found.counts.get(table)}
        raise BackupError(f"restored, but the rows differ from the backup's (table: backup, now): {differences}")
    files, skipped, damaged = storage(), set(manifest["damaged_documents"]), []
    checked = 0
    for key, sha256 in found.documents:
        if key in skipped:
            continue
        try:
            files.read(key, sha256)
            checked += 1
        except Damaged:
            damaged.append(key)
    db.session.remove()
    if damaged:
        raise BackupError(f"restored, but documents' bytes are missing or changed: {len(damaged)} "
                          f"(storage keys {', '.join(damaged)})")
    return checked
