"""Every page of the built book, opened in headless Chromium as a reader on an intranet would.

For each page in the table of contents: no console error, no failed request, no request to another
host; every chart has drawn; every widget preview has rendered; axe-core finds no serious or
critical WCAG 2.1 A/AA violation.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from nbval_run import toc_docnames  # noqa: E402
from site_checks import PageLog, open_page, pages_containing  # noqa: E402

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = toc_docnames(ROOT / "_toc.yml")


@pytest.mark.parametrize("docname", PAGES)
def test_page_loads_clean_and_self_contained(page, site_url: str, docname: str) -> None:
    log = open_page(page, site_url, docname)
    assert not log.external, f"requests to other hosts: {log.external}"
    assert not log.failed, f"failed requests: {log.failed}"
    assert not log.errors, f"console errors: {log.errors}"


@pytest.mark.parametrize("docname", PAGES)
def test_charts_and_widget_previews_render(page, site_url: str, docname: str) -> None:
    open_page(page, site_url, docname)
    charts = page.locator(".l4l-vega")
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("data-drawn") == "yes", f"chart {i} did not draw"
        assert chart.locator("svg, canvas").count() > 0, f"chart {i} has no SVG or canvas"
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    rendered = page.locator(".widget-subarea > *").count()
    assert rendered >= views, f"{views} widget previews on the page, {rendered} rendered"


def test_charts_that_scroll_on_a_phone_can_be_reached_by_keyboard(browser, site_url: str) -> None:
    pages = pages_containing(ROOT / "_build" / "html", PAGES, 'class="l4l-vega')
    assert pages, "no page of the book holds a chart"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    scrolling = 0
    try:
        for docname in pages:
            page = context.new_page()
            open_page(page, site_url, docname)
            figures = page.evaluate(
                """() => [...document.querySelectorAll('figure.l4l-chart-drawn')].map(f => ({
                    scrolls: f.scrollWidth > f.clientWidth + 1,
                    tabindex: f.getAttribute('tabindex'),
                    label: f.getAttribute('aria-label')}))"""
            )
            for i, figure in enumerate(figures):
                if figure["scrolls"]:
                    scrolling += 1
                    assert figure["tabindex"] == "0" and figure["label"], (
                        f"{docname}: chart {i} scrolls sideways but cannot be reached by keyboard"
                    )
            page.close()
    finally:
        context.close()
    assert scrolling, "no chart scrolls on a 390 px screen, so this test checked nothing"


@pytest.mark.parametrize("docname", PAGES)
def test_no_serious_accessibility_violations(page, site_url: str, docname: str) -> None:
    open_page(page, site_url, docname)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in serious
    ]
    assert not serious, "axe-core violations:\n" + "\n".join(details)


def test_landing_page_navigation_reaches_every_page(page, site_url: str) -> None:
    open_page(page, site_url, PAGES[0])
    hrefs = page.locator("nav.bd-docs-nav a.reference").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )
    for docname in PAGES[1:]:
        assert any(h.endswith(f"/{docname}.html") for h in hrefs), f"{docname} not in navigation"


def test_search_finds_pages_offline(page, site_url: str) -> None:
    log = PageLog(page, site_url)
    page.goto(f"{site_url}/search.html?q=learning", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=180_000)
    assert page.locator("#search-results ul.search li").count() > 0
    assert not log.external and not log.errors
