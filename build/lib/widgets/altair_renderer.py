"""Make Altair charts work offline everywhere: a renderer that emits the standard Vega-Lite output.

JupyterLab and Voila draw ``application/vnd.vegalite.v5+json`` with their own bundled Vega; the
book draws it with the vendored copy (see ``widgets.book.renderers``). The plain-text fallback is
the chart's description, so a screen reader or a text-only export still says what it shows.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from .views.vegalite import VegaLiteChart, mimebundle

__all__ = ["RENDERER", "VegaLiteChart", "enable_offline_charts"]

RENDERER = "leading_for_learning"


def _render(spec: dict[str, Any], **_: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    return mimebundle(spec)


def enable_offline_charts() -> None:
    """Register and enable the offline renderer, and a theme with readable, system-font text."""
    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, _render)
    alt.renderers.enable(RENDERER)
    # Data stays inline in the spec (no files written next to the notebook), and large
    # organisation-wide files are allowed: the tools aggregate before charting where it matters.
    alt.data_transformers.disable_max_rows()
