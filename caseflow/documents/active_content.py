"""Find what in a PDF could act on the computer of whoever opens it: scripts, automatic actions, programs, attachments.

The office opens applicants' PDFs in its browsers and in desktop readers.
A desktop reader runs a PDF's JavaScript, follows the actions it declares
for opening a document, showing a page or touching a form field, starts a
program for a Launch action, and hands out the files a PDF carries.  A
document (a passport copy, a transcript) needs none of these, and printing
it to a new PDF drops them all.

Every object reachable from the document's catalogue is visited once
(pages, annotations, form fields, outlines, the names tree, and whatever a
crafted file hides them in), reading dictionaries only: no stream is
decoded.  What no reader acts on is skipped: fonts, images and other
resources, appearance streams, the structure tree of a tagged PDF, and
metadata; they are most of a document's objects.  A file that still has
more objects than the caller allows is not read further.  A destination to open at (``/OpenAction [page /Fit]``, which
LibreOffice and Word write) or a plain go-to action moves within the
document, and is no reason to refuse it.
"""

from __future__ import annotations

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from caseflow.i18n import lazy_gettext

SCRIPT = "script"
AUTOMATIC = "automatic"
PROGRAM = "program"
ATTACHMENT = "attachment"

# What each finding is, as the uploader reads it in the refusal, in the order it is named.
WORDING = {
    SCRIPT: lazy_gettext("scripts"),
    AUTOMATIC: lazy_gettext("actions that run by themselves"),
    PROGRAM: lazy_gettext("commands that start other programs"),
    ATTACHMENT: lazy_gettext("attached files"),
}

# Action types (an action dictionary's /S) that act beyond the document: they run code or start a program.
_ACTION_KINDS = {"/JavaScript": SCRIPT, "/Launch": PROGRAM}
# Actions that only move within the document.
_MOVES = ("/GoTo",)
# Entries whose objects no reader runs or hands out (see above), not visited.
_INERT = ("/Resources", "/AP", "/StructTreeRoot", "/Metadata")


class TooManyObjects(Exception):
    """The PDF has more objects to visit than allowed: it is not read further."""


def active_content(reader: PdfReader, max_objects: int) -> list[str]:
    """Return the kinds of active content the PDF holds (SCRIPT, AUTOMATIC, PROGRAM, ATTACHMENT), in WORDING's order.

    Raise TooManyObjects past ``max_objects`` indirect objects (pypdf keeps each one it reads, about 1 KB).
    pypdf's errors for a damaged file propagate: the caller refuses it as unreadable.
    """
    found: set[str] = set()
    pending: list = [reader.trailer.raw_get("/Root")]
    seen: set[tuple[int, int]] = set()
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue  # the page tree links back up (/Parent): each object once
            seen.add((item.idnum, item.generation))
            if len(seen) > max_objects:
                raise TooManyObjects()
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams too: their dictionary, never their data
            found |= _kinds_in(item)
            # Unresolved (unlike item[key]), so that each indirect object is seen once.
            pending.extend(value for key, value in item.items() if key not in _INERT)
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return [kind for kind in WORDING if kind in found]


def _kinds_in(entry: DictionaryObject) -> set[str]:
    """Return the kinds of active content one dictionary declares by itself."""
    kinds = set()
    action = _value(entry, "/S")
    if isinstance(action, NameObject) and action in _ACTION_KINDS:
        kinds.add(_ACTION_KINDS[action])
    # /JS: a script (of a JavaScript or a rendition action); /JavaScript: the document's scripts, run when it
    # opens (the names tree); /XFA: a form in Adobe's XML format, which carries scripts of its own;
    # /OnInstantiate: a 3D model's script.
    if any(key in entry for key in ("/JS", "/JavaScript", "/XFA", "/OnInstantiate")):
        kinds.add(SCRIPT)
    # /AA: actions run on events: a page shown, a field touched, the document printed, saved or closed.
    # /OpenAction: a destination (an array) or a go-to only says where the document opens; any other action,
    # or one that chains another (/Next), runs when it opens.
    events, opening = _value(entry, "/AA"), _value(entry, "/OpenAction")
    if (isinstance(events, DictionaryObject) and events) or (isinstance(opening, DictionaryObject) and (
            _value(opening, "/S") not in _MOVES or "/Next" in opening)):
        kinds.add(AUTOMATIC)
    # /EF: a file specification carrying the file itself (an attachment, an entry of /EmbeddedFiles).
    if "/EF" in entry or _value(entry, "/Type") == "/EmbeddedFile":
        kinds.add(ATTACHMENT)
    return kinds


def _value(entry: DictionaryObject, key: str):
    """Return the entry's value for ``key``, resolved (``get`` alone leaves an indirect reference), or None."""
    value = entry.get(key)
    return None if value is None else value.get_object()
