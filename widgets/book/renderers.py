"""MyST-NB plugin: render Vega-Lite outputs as charts drawn by the book's own copy of Vega.

Notebook cells keep the standard ``application/vnd.vegalite.v5+json`` output, which JupyterLab and
Voila draw natively. In the HTML book this plugin turns it into a placeholder plus the spec as
JSON; ``_static/vega-charts.js`` draws it with the vendored Vega, so no page loads from a CDN.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from docutils import nodes

from ..base.templating import fragment
from ..views.vegalite import VEGALITE_MIME

_HTML_BUILDERS = ("html", "dirhtml", "singlehtml", "readthedocs")


def chart_html(spec: dict[str, Any]) -> str:
    """Return the HTML placeholder for one chart: a figure, its spec and a text description."""
    description = spec.get("description") or ""
    title = spec.get("title") or ""
    if isinstance(title, dict):
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    return fragment("book.html.j2", "chart", spec=spec, label=description or title or "Chart")


class VegaLiteRenderer:
    """Render Vega-Lite 5 outputs for the HTML builders; other builders fall back to text."""

    mime_priority_overrides: ClassVar[list[tuple[str, str, int]]] = [
        (builder, VEGALITE_MIME, 1) for builder in _HTML_BUILDERS
    ]

    @staticmethod
    def handle_mime(renderer: Any, data: Any, inline: bool) -> list[nodes.Element] | None:
        """Return a raw HTML node for a Vega-Lite output, or None to let MyST-NB handle it."""
        if data.mime_type != VEGALITE_MIME:
            return None
        spec = data.content
        if isinstance(spec, str):
            spec = json.loads(spec)
        return [nodes.raw("", chart_html(spec), format="html", classes=["output", "vega-lite"])]
