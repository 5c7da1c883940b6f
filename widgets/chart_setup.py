"""Make Altair charts work offline everywhere: a renderer that emits the standard Vega-Lite output.

JupyterLab and Voila draw ``application/vnd.vegalite.v5+json`` with their own bundled Vega; the
book draws it with the vendored copy (see ``widgets.book_renderers``). The plain-text fallback is
the chart's description, so a screen reader or a text-only export still says what it shows.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from .book_renderers import VEGALITE_MIME

RENDERER = "leading_for_learning"


def _description(spec: dict[str, Any]) -> str:
    text = spec.get("description")
    if not text:
        title = spec.get("title", "")
        text = title.get("text", "") if isinstance(title, dict) else str(title)
    return str(text or "Chart")


def _render(spec: dict[str, Any], **_: Any) -> dict[str, Any]:
    return {VEGALITE_MIME: spec, "text/plain": _description(spec)}


class VegaLiteChart:
    """A finished Vega-Lite spec that displays like an Altair chart, without re-validating it.

    Charts the tools redraw on every change are built from a template validated once by Altair
    (see ``widgets.charts``); wrapping the result here skips Altair's per-call schema validation,
    which costs far more than the data it carries.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def to_dict(self, **_: Any) -> dict[str, Any]:
        """The Vega-Lite spec, as ``alt.Chart.to_dict`` would return it."""
        return self.spec

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return _render(self.spec)


def enable_offline_charts() -> None:
    """Register and enable the offline renderer, and a theme with readable, system-font text."""
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _render)
    alt.renderers.enable(RENDERER)
    # Data stays inline in the spec (no files written next to the notebook), and large
    # organisation-wide files are allowed: the tools aggregate before charting where it matters.
    alt.data_transformers.disable_max_rows()
