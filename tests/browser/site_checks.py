"""What every browser test shares: the system Chromium, a static server on 127.0.0.1, and the
record of what a page did while it loaded (errors, failed requests, requests to other hosts).

Used by the browser suite (conftest.py, test_site.py, the Voila fixtures) and by the fork test,
which opens a customised copy's pages the same way.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
]

# Waits, never limits: on a loaded machine a page can take long to settle; a page that never
# settles still fails, after this long (ms).
SETTLE_TIMEOUT = 180_000
ALL_CHARTS_SETTLED = """() => [...document.querySelectorAll('.l4l-vega')]
    .every(el => el.dataset.drawn === 'yes' || el.dataset.drawn === 'error')"""
ALL_WIDGETS_SETTLED = """() => [...document.querySelectorAll(
        'script[type="application/vnd.jupyter.widget-view+json"]')]
    .every(s => s.previousElementSibling
        && s.previousElementSibling.classList.contains('widget-subarea')
        && s.previousElementSibling.children.length > 0)"""


def pages_containing(html: Path, docnames: list[str], marker: str) -> list[str]:
    """The built pages, among ``docnames``, whose HTML holds ``marker`` (a class, a MIME type)."""
    return [
        d
        for d in docnames
        if (html / f"{d}.html").is_file() and marker in (html / f"{d}.html").read_text("utf-8")
    ]


def chromium_path() -> str:
    """The system Chromium; its absence fails the test loudly, never skips it."""
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    found = shutil.which("chromium")
    if found:
        return found
    pytest.fail(
        "NO CHROMIUM FOUND: the browser tests cannot run. Install Debian's `chromium` package "
        "(apt-get install chromium); .ci/run does this on CI.",
        pytrace=False,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a built site on a free 127.0.0.1 port; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    socketserver.TCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class PageLog:
    """What a page did while loading: errors, failures and requests that left 127.0.0.1."""

    def __init__(self, page, base: str) -> None:
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.external: list[str] = []
        host = urlparse(base).hostname
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on(
            "requestfailed",
            lambda r: r.url not in self.external and self.failed.append(f"{r.url}: {r.failure}"),
        )
        page.on(
            "response", lambda r: r.status >= 400 and self.failed.append(f"{r.url}: {r.status}")
        )

        def guard(route) -> None:
            url = route.request.url
            if urlparse(url).scheme in ("data", "blob", "about") or urlparse(url).hostname == host:
                route.continue_()
            else:
                self.external.append(url)
                route.abort()

        page.route("**/*", guard)

    def problems(self) -> list[str]:
        """Everything that went wrong, one line each; empty when the page loaded clean."""
        return (
            [f"request to another host: {u}" for u in self.external]
            + [f"failed request: {f}" for f in self.failed]
            + [f"console error: {e}" for e in self.errors]
        )


def open_page(page, site_url: str, docname: str) -> PageLog:
    """Load a page and wait until its charts have drawn and its widget previews rendered."""
    log = PageLog(page, site_url)
    page.goto(f"{site_url}/{docname}.html", wait_until="load")
    page.wait_for_function(ALL_CHARTS_SETTLED, timeout=SETTLE_TIMEOUT)
    page.wait_for_function(ALL_WIDGETS_SETTLED, timeout=SETTLE_TIMEOUT)
    page.wait_for_load_state("networkidle")
    return log
