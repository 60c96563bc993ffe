"""A Babel extractor for workflow files: their labels are messages of the catalogues.

Registered as the ``caseflow_workflow`` extractor (``babel.extractors`` entry
point in setup.cfg) and named in ``babel.cfg`` for ``workflows/*.toml``, so
``make translations`` brings a new workflow file's words to every catalogue.
The loader wraps the same keys' values in ``caseflow.i18n.Text``; a test
checks that every text a loaded workflow shows is one this extractor finds.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator

# The keys whose values people read (at any depth: a state's label, a choice's, a rule's message).
TEXT_KEYS = frozenset({
    "label", "description", "help", "next_step", "message", "apply_label", "submit_label", "created_label",
    "created_told", "period_label", "button", "done", "told",
})  # fmt: skip


def texts(raw: object, where: str = "") -> Iterator[tuple[str, str]]:
    """Yield (where, text) for every text of a parsed workflow file, in file order."""
    if isinstance(raw, dict):
        name = raw.get("name") or raw.get("kind") or raw.get("value")
        here = f"{where}[{name}]" if where and isinstance(name, str) else where
        for key, value in raw.items():
            if key in TEXT_KEYS and isinstance(value, str) and value:
                yield f"{here}.{key}" if here else key, value
            else:
                yield from texts(value, f"{here}.{key}" if here else key)
    elif isinstance(raw, list):
        for item in raw:
            yield from texts(item, where)


def extract_workflow(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor: yield (line, None, message, [where]) for each text of a workflow file."""
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    lines = source.splitlines()
    for where, message in texts(tomllib.loads(source)):
        yield _line_of(lines, message), None, message, [where]


def _line_of(lines: list[str], message: str) -> int:
    """The first line holding the start of ``message`` (a translator opens the file there)."""
    start = message.split("\n", 1)[0][:40]
    return next((number for number, line in enumerate(lines, 1) if start in line), 1)
