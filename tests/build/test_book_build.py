"""The strict book build: it succeeds, every page exists, and nothing points at another host."""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "scripts"))
from nbval_run import is_myst_notebook, toc_docnames  # noqa: E402

# Attributes through which a page makes the browser fetch something.
FETCHING = {
    ("script", "src"),
    ("link", "href"),
    ("img", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
}


class _Fetches(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (tag, name) in FETCHING:
                rel = dict(attrs).get("rel") or ""
                if tag == "link" and not re.search(r"stylesheet|preload|icon|modulepreload", rel):
                    continue  # navigation links (next, prev, index) fetch nothing
                self.urls.append(value)


def test_strict_build_succeeds(build: subprocess.CompletedProcess[str]) -> None:
    assert build.returncode == 0, "strict build failed:\n" + (build.stdout + build.stderr)[-8000:]
    assert "Built the book" in build.stdout and "index.html" in build.stdout


def test_every_toc_page_is_built(build: subprocess.CompletedProcess[str]) -> None:
    missing = [d for d in toc_docnames(ROOT / "_toc.yml") if not (HTML / f"{d}.html").is_file()]
    assert not missing, f"pages in _toc.yml with no HTML: {missing}"


def test_no_execution_reports(build: subprocess.CompletedProcess[str]) -> None:
    reports = HTML / "reports"
    assert not reports.exists() or not any(reports.iterdir()), "a notebook failed to execute"


def test_pages_fetch_nothing_from_other_hosts(build: subprocess.CompletedProcess[str]) -> None:
    offenders = []
    for page in sorted(HTML.rglob("*.html")):
        parser = _Fetches()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            parsed = urlparse(url)
            if parsed.scheme in ("http", "https") or url.startswith("//"):
                offenders.append(f"{page.relative_to(HTML)}: {url}")
    assert not offenders, "pages fetch from other hosts:\n" + "\n".join(offenders)


def test_footer_states_both_licences(build: subprocess.CompletedProcess[str]) -> None:
    index = (HTML / "intro.html").read_text(encoding="utf-8")
    assert "CC BY 4.0" in index and "MIT" in index


def test_every_notebook_page_can_be_downloaded(build: subprocess.CompletedProcess[str]) -> None:
    for docname in toc_docnames(ROOT / "_toc.yml"):
        source = ROOT / f"{docname}.md"
        if source.is_file() and is_myst_notebook(source):
            assert (HTML / "_sources" / f"{docname}.ipynb").is_file(), docname


def test_vendored_libraries_are_served_with_licences(
    build: subprocess.CompletedProcess[str],
) -> None:
    lib = HTML / "_static" / "lib"
    for name in ("requirejs", "html-manager", "vega", "vega-lite", "vega-embed"):
        assert (lib / name / "LICENSE").is_file(), f"{name} is served without its licence"
