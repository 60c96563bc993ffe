"""axe-core in the browser tests: every page they open is checked for accessibility, at its size.

axe-core comes from the npm registry, fetched once by the test set-up into a
cache (``npm pack``), never from a CDN while the tests run.  It is injected
through the DevTools protocol (``page.evaluate``), which the pages' strict
Content-Security-Policy does not block, and a serious or critical violation
fails the test with what axe says and where.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from functools import cache
from pathlib import Path

AXE_VERSION = "4.14.1"
CACHE = Path(os.environ.get("CASEFLOW_AXE_CACHE", Path.home() / ".cache" / "caseflow-axe"))
FAILING = ("serious", "critical")


@cache
def axe_source() -> str:
    """The text of axe.min.js, fetched from the npm registry the first time."""
    script = CACHE / f"axe-core-{AXE_VERSION}" / "package" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed once, to fetch axe-core from the npm registry")
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "pack", f"axe-core@{AXE_VERSION}", "--silent", "--pack-destination", str(CACHE)],
                       check=True, capture_output=True, timeout=300)
        with tarfile.open(CACHE / f"axe-core-{AXE_VERSION}.tgz") as archive:
            archive.extractall(CACHE / f"axe-core-{AXE_VERSION}", filter="data")
    return script.read_text(encoding="utf-8")


def violations(page) -> list[str]:
    """Run axe on the page as it is now; return its serious and critical violations, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{page.url} [{v['impact']}] {v['id']}: {v['help']} — "
            + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                        for node in v["nodes"][:3])
            for v in found if v["impact"] in FAILING]


class Audit:
    """Checks each page a test's browser opens (after each ``goto``, and when it ends)."""

    def __init__(self):
        self.found: list[str] = []

    def watch(self, page):
        goto = page.goto

        def checked_goto(url, **options):
            response = goto(url, **options)
            self.check(page)
            return response

        page.goto = checked_goto
        return page

    def check(self, page) -> None:
        if page.is_closed() or page.url == "about:blank":  # a page the test opened and never used
            return
        page.wait_for_load_state("load")
        for line in violations(page):
            if line not in self.found:
                self.found.append(line)
