"""The live demo app in headless Chromium: Voici + Pyodide, served by a plain static server.

Builds _build/html/live (or reuses it with LIVE_REUSE=1), serves _build/html on 127.0.0.1 and
drives the app as a reader would: slider, toggle, chart, CSV import, download, saving in the
browser and finding it again after a reload. Fails on any request to another host and on any
console error (the page's, the kernel worker's or the service worker's).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START = 180_000  # ms: the first visit downloads and starts Python
STEP = 60_000
APP = "/live/voici/render/demo_app.html"


class Watch:
    """Every request and every console error of a browser context, its workers included."""

    def __init__(self, context):
        self.requests: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("weberror", lambda e: self.errors.append(f"uncaught: {e.error}"))

    def page(self, page):
        page.on("console", self._console("page"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("worker", lambda w: w.on("console", self._console(f"worker {w.url}")))
        return page

    def _console(self, where):
        def on(msg):
            if msg.type == "error":
                self.errors.append(f"{where}: {msg.text}")

        return on

    def foreign(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlparse(u).scheme in {"http", "https", "ws", "wss"}
            and urlparse(u).hostname != "127.0.0.1"
        ]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: apt-get install -y chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_app(page, server):
    page.goto(server + APP)
    page.locator(".live-result").wait_for(timeout=START)
    return page


def test_demo_app_runs_offline_in_the_browser(browser, server, tmp_path):
    context = browser.new_context(accept_downloads=True)
    watch = Watch(context)
    page = watch.page(context.new_page())
    open_app(page, server)
    result = page.locator(".live-result")
    sync_api.expect(result).to_have_text("6.5 hours a quarter", timeout=STEP)
    # a data file built in beside the notebook is readable from Python
    sync_api.expect(page.locator(".live-echo")).to_have_text(
        "No file imported yet (example file: 3 rows)", timeout=STEP
    )

    # the chart is drawn, without Vega's action menu
    page.locator(".live-chart .vega-embed svg, .live-chart .vega-embed canvas").first.wait_for(
        timeout=STEP
    )
    assert page.locator(".vega-actions").count() == 0
    assert page.get_by_text("Open in Vega Editor").count() == 0

    # an input changes the computed value
    page.get_by_role("button", name="monthly").click()
    sync_api.expect(result).to_have_text("1.5 hours a quarter", timeout=STEP)
    slider = page.locator(".widget-slider .ui-slider-handle, .widget-slider [role=slider]").first
    slider.focus()
    page.keyboard.press("ArrowRight")
    sync_api.expect(result).to_have_text("2.25 hours a quarter", timeout=STEP)

    # import a CSV file with the file chooser; its content is echoed
    csv_file = tmp_path / "team.csv"
    csv_file.write_text("name,minutes\nAda,30\nGrace,45\n")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import CSV").click()
    chooser.value.set_files(str(csv_file))
    sync_api.expect(page.locator(".live-echo")).to_have_text(
        "Imported 2 rows from team.csv: Ada, Grace", timeout=STEP
    )

    # download the export (an <a download> with a data: URL, inside an HTML widget)
    link = page.locator(".live-download a[download]")
    sync_api.expect(link).to_have_text("Download one-to-ones.csv", timeout=STEP)
    with page.expect_download() as dl:
        link.click()
    saved_to = tmp_path / "export.csv"
    dl.value.save_as(saved_to)
    assert dl.value.suggested_filename == "one-to-ones.csv"
    assert saved_to.read_text().splitlines() == [
        "name,minutes,hours_a_quarter",
        "Ada,30,2.25",
        "Grace,45,2.25",
    ]

    # save in the browser (the JupyterLite drive, kept in IndexedDB), reload, find it
    page.get_by_role("button", name="Save in this browser").click()
    sync_api.expect(page.locator(".live-saved")).to_have_text(
        "Saved live-demo-state.json (45 minutes, monthly)", timeout=STEP
    )
    page.reload()
    page.locator(".live-result").wait_for(timeout=START)
    sync_api.expect(page.locator(".live-saved")).to_have_text(
        "Found saved live-demo-state.json: 45 minutes, monthly", timeout=STEP
    )
    sync_api.expect(page.locator(".live-result")).to_have_text("2.25 hours a quarter", timeout=STEP)

    context.close()
    assert watch.foreign() == []
    assert watch.errors == []
    assert any(u.endswith("/static/pyodide/pyodide.asm.wasm") for u in watch.requests)
