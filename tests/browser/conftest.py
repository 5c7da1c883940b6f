"""Browser fixtures: the built site on 127.0.0.1 and the system Chromium driven by Playwright.

No Chromium means a loud failure, never a skip: `.ci/run` installs Debian's chromium package.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from site_checks import CHROMIUM_ARGS, chromium_path, serve

ROOT = Path(__file__).resolve().parents[2]
# Waits, never limits (ms): on a loaded machine a click's effect or a page load can take far
# longer than Playwright's defaults (30 s; 5 s for expect). Nothing here times how long it took.
ACTION_TIMEOUT = 120_000
HTML = ROOT / "_build" / "html"
RESULTS = ROOT / "_build" / "test-results"


@pytest.fixture(scope="session")
def site_url() -> str:
    if not (HTML / "index.html").is_file():
        pytest.fail("the book is not built: run `make book` (make test builds it first)")
    with serve(HTML) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    from playwright.sync_api import expect

    expect.set_options(timeout=ACTION_TIMEOUT)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        original = browser.new_context

        def new_context(**options):
            context = original(**options)
            context.set_default_timeout(ACTION_TIMEOUT)
            return context

        browser.new_context = new_context
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        RESULTS.mkdir(parents=True, exist_ok=True)
        name = "".join(ch if ch.isalnum() else "_" for ch in request.node.name)
        page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
        print(f"screenshot saved: {RESULTS / f'{name}.png'}")
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
