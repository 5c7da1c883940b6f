"""What keeps the pages light must not take anything away from them.

The theme's Font Awesome script is not loaded (its stylesheet and web font draw the icons), and
the ipywidgets 7 modules of the HTML manager live in files of their own that load on demand
(``scripts/split_widget_bundle.py``). These tests open real pages in Chromium and check that every
icon still draws, that pages with widget previews skip the ipywidgets 7 files, and that state
saved by ipywidgets 7 still renders.
"""

from __future__ import annotations

import json
from pathlib import Path

from site_checks import PageLog, open_page, pages_containing
from test_site import PAGES

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
ON_DEMAND = ("html-manager/base7.js", "html-manager/controls7.js")

ICONS = """() => [...document.querySelectorAll('i[class*="fa-"]')].map(i => {
    const before = getComputedStyle(i, '::before');
    return {cls: i.className, content: before.content, font: before.fontFamily};
})"""


def test_theme_icons_draw_without_the_icon_script(page, site_url: str) -> None:
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    open_page(page, site_url, PAGES[0])
    assert not [u for u in requested if "fontawesome.js" in u], "the icon script was loaded"
    icons = page.evaluate(ICONS)
    assert len(icons) >= 3, f"expected the theme's header and navigation icons, found {icons}"
    blank = [
        i
        for i in icons
        if i["content"] in ("none", "normal", '""') or "Font Awesome" not in i["font"]
    ]
    assert not blank, f"icons with no glyph from the Font Awesome font: {blank}"
    loaded = page.evaluate(
        """async () => { await document.fonts.ready;
            return [...document.fonts].filter(f => f.family.includes('Font Awesome')
                && f.status === 'loaded').length; }"""
    )
    assert loaded >= 1, "the Font Awesome web font did not load"
    widths = page.evaluate(
        """() => [...document.querySelectorAll('i[class*="fa-"]')]
            .filter(i => i.offsetParent !== null).map(i => i.getBoundingClientRect().width)"""
    )
    assert widths and min(widths) > 4, f"visible icons without a drawn glyph: widths {widths}"


def test_the_notebook_download_link_draws_its_icon(page, site_url: str) -> None:
    pages = pages_containing(HTML, PAGES, "l4l-notebook-download")
    assert pages, "no page offers its notebook for download"
    open_page(page, site_url, pages[0])
    before = page.evaluate(
        """() => { const s = getComputedStyle(
            document.querySelector('.l4l-notebook-download'), '::before');
            return {font: s.fontFamily, content: s.content}; }"""
    )
    assert "Font Awesome" in before["font"] and before["content"] not in ("none", "normal"), before


def test_widget_pages_skip_the_ipywidgets7_modules(page, site_url: str) -> None:
    pages = pages_containing(HTML, PAGES, "application/vnd.jupyter.widget-view+json")
    assert pages, "no page of the book holds a widget preview; the tools chapters should"
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    open_page(page, site_url, pages[0])
    assert any("html-manager/embed-amd.js" in u for u in requested), "no widget manager loaded"
    loaded = [u for u in requested if u.split("?")[0].endswith(ON_DEMAND)]
    assert not loaded, f"ipywidgets 7 modules loaded on an ipywidgets 8 page: {loaded}"
    assert page.locator(".widget-subarea > *").count() > 0


def _ipywidgets7_page() -> str:
    """A page holding the kind of state ipywidgets 7 saves (controls 1.5.0, base 1.2.0)."""
    state = {
        "version_major": 2,
        "version_minor": 0,
        "state": {
            "slider": {
                "model_module": "@jupyter-widgets/controls",
                "model_module_version": "1.5.0",
                "model_name": "IntSliderModel",
                "state": {
                    "description": "Saved by ipywidgets 7",
                    "layout": "IPY_MODEL_layout",
                    "style": "IPY_MODEL_style",
                    "max": 10,
                    "value": 4,
                },
            },
            "layout": {
                "model_module": "@jupyter-widgets/base",
                "model_module_version": "1.2.0",
                "model_name": "LayoutModel",
                "state": {},
            },
            "style": {
                "model_module": "@jupyter-widgets/controls",
                "model_module_version": "1.5.0",
                "model_name": "SliderStyleModel",
                "state": {},
            },
        },
    }
    view = {"version_major": 2, "version_minor": 0, "model_id": "slider"}
    return f"""<!DOCTYPE html><html lang="en"><head><title>ipywidgets 7 state</title>
<script src="_static/lib/requirejs/require.js"></script>
<script src="_static/widgets-config.js"></script>
<script src="_static/lib/html-manager/embed-amd.js"></script></head><body><main>
<script type="application/vnd.jupyter.widget-state+json">{json.dumps(state)}</script>
<div><script type="application/vnd.jupyter.widget-view+json">{json.dumps(view)}</script></div>
</main></body></html>"""


def test_ipywidgets7_state_still_renders_and_its_modules_load_on_demand(
    page, site_url: str
) -> None:
    url = f"{site_url}/l4l-ipywidgets7-check.html"
    log = PageLog(page, site_url)
    # Registered after the log's guard, so it answers first: the page exists only in this test.
    page.route(url, lambda route: route.fulfill(content_type="text/html", body=_ipywidgets7_page()))
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(url, wait_until="load")
    page.wait_for_selector(".widget-subarea .widget-slider", timeout=180_000)
    assert "Saved by ipywidgets 7" in page.inner_text(".widget-subarea")
    # Anything that asks require.js for the standalone ipywidgets 7 module gets it from the site.
    version = page.evaluate(
        """() => new Promise((resolve, reject) => window.require(
            ['@jupyter-widgets/controls7'], m => resolve(typeof m.IntSliderModel), reject))"""
    )
    assert version == "function"
    assert any(u.split("?")[0].endswith("html-manager/controls7.js") for u in requested)
    assert not log.external and not log.failed and not log.errors, (
        log.external,
        log.failed,
        log.errors,
    )
