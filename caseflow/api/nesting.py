"""How deep a JSON body may nest, found before it is parsed.

pydantic's parser gives up at a depth of its own (about 200) and calls such a
body "not valid JSON", which it is not; a body is read only after this check,
which says what is wrong: objects and lists nested deeper than
``limits.JSON_DEPTH``.  The scan is a few linear passes of C code over the
bytes, however they nest.
"""

from __future__ import annotations

from itertools import accumulate

from caseflow import limits
from caseflow.i18n import _

OPENING, CLOSING = b"[{", b"]}"
NOT_BRACKETS = bytes(b for b in range(256) if b not in OPENING + CLOSING)
STEP = [1 if b in OPENING else -1 if b in CLOSING else 0 for b in range(256)]


def depth(raw: bytes) -> int:
    """Return how deep the objects and lists of a JSON text nest (0 for a bare value)."""
    # Without its escaped backslashes and quotes, every quote of a JSON text opens or closes a string:
    # the brackets that count are those between the strings (the even pieces).
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = b"".join(unescaped.split(b'"')[::2]).translate(None, NOT_BRACKETS)
    return max(accumulate(map(STEP.__getitem__, brackets)), default=0)


def too_deep(raw: bytes) -> str | None:
    """Say why a body nests too deeply to be read, or None."""
    if raw.count(b"[") + raw.count(b"{") <= limits.JSON_DEPTH:  # the usual body: too few brackets to scan
        return None
    if depth(raw) <= limits.JSON_DEPTH:
        return None
    return _("The body nests objects and lists more than %(max)d levels deep.", max=limits.JSON_DEPTH)
