"""A live server and a real Chromium (Debian's package) for the browser tests."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.e2e.axe import Audit

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("CASEFLOW_REQUIRE_BROWSER"):
        raise pytest.UsageError("CASEFLOW_REQUIRE_BROWSER is set but no chromium is installed")
    skip = pytest.mark.skip(reason="no chromium on this machine (apt-get install chromium)")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture
def live_server(app):
    """Serve ``app`` on a free loopback port in a thread; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def axe():
    """An accessibility audit of every page the test opens (axe-core): serious or critical fails it."""
    audit = Audit()
    yield audit
    assert not audit.found, "axe-core finds:\n" + "\n".join(audit.found)


@pytest.fixture
def new_page(browser, live_server, axe):
    """Open a fresh browser context (its own cookies) on the live server; axe checks each page it opens."""
    contexts, pages = [], []

    def open_page(**options):
        context = browser.new_context(base_url=live_server, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        pages.append(axe.watch(context.new_page()))
        return pages[-1]

    yield open_page
    for page in pages:  # the page each ended on, too
        axe.check(page)
    for context in contexts:
        context.close()
