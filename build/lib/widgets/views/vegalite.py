"""Vega-Lite specs as notebook outputs: the standard MIME bundle, with the chart actions off.

JupyterLab, Voila and JupyterLite draw ``application/vnd.vegalite.v5+json`` with their own Vega;
the book draws it with the site's copy (``widgets.book.renderers``). Every bundle carries
``embed_options: {actions: false}`` so no "..." menu offers "Open in Vega Editor", which would send
the chart, names and scores included, to another website.
"""

from __future__ import annotations

from typing import Any

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
EMBED_OPTIONS: dict[str, Any] = {"actions": False}


def describe(spec: dict[str, Any]) -> str:
    """The chart's text alternative: its description, else its title."""
    text = spec.get("description")
    if not text:
        title = spec.get("title", "")
        text = title.get("text", "") if isinstance(title, dict) else str(title)
    return str(text or "Chart")


def mimebundle(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (data, metadata) pair IPython displays for ``spec``: chart, text fallback, no actions."""
    data = {VEGALITE_MIME: spec, "text/plain": describe(spec)}
    metadata = {VEGALITE_MIME: {"embed_options": dict(EMBED_OPTIONS)}}
    return data, metadata


class VegaLiteChart:
    """A finished Vega-Lite spec that displays like an Altair chart, with no Altair needed.

    The tools build their charts as plain specs (so they run in the browser, where Altair's
    dependencies are heavy); wrapping one here gives it the same display and ``to_dict``.
    """

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def to_dict(self, **_: Any) -> dict[str, Any]:
        """The Vega-Lite spec, as ``alt.Chart.to_dict`` would return it."""
        return self.spec

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        return mimebundle(self.spec)
