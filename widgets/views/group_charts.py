"""Vega-Lite bar charts of a workshop group's results, sized to be read on a projector.

Pure Python (plain Vega-Lite dicts with their data inline), so the facilitator dashboard draws
them the same way in the browser (Pyodide) as on a workshop server. Counts are written beside
each bar, so nothing depends on colour. The caller checks the minimum group size first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .charts import SCHEMA_URL, VIEW_CONFIG

BAR_COLOUR = "#1f6f8b"
TEXT_COLOUR = "#0f3d4c"


def group_bar_spec(
    title: str,
    unit: str,
    categories: Sequence[str],
    counts: Sequence[int],
    description: str,
    *,
    large: bool = False,
) -> dict[str, Any]:
    """One bar per category with its count written beside it; ``large`` to project it."""
    font = 22 if large else 13
    limit = 600 if large else 300  # long category labels are written out, not cut
    values = [
        {"category": str(category), "count": int(count)}
        for category, count in zip(categories, counts, strict=True)
    ]
    encoding = {
        "y": {"field": "category", "type": "nominal", "sort": [v["category"] for v in values],
              "title": "", "axis": {"title": "", "labelFontSize": font, "labelLimit": limit}},
        "x": {"field": "count", "type": "quantitative", "title": f"Number of {unit}",
              "scale": {"domainMin": 0, "nice": True},
              "axis": {"tickMinStep": 1, "format": "d", "labelFontSize": font,
                       "titleFontSize": font}},
        "tooltip": [{"field": "category", "type": "nominal", "title": "Category"},
                    {"field": "count", "type": "quantitative", "title": unit}],
    }  # fmt: skip
    return {
        "$schema": SCHEMA_URL,
        "config": {**VIEW_CONFIG, "title": {"fontSize": font + 6}},
        "data": {"values": values},
        "title": title,
        "description": description,
        "width": 560 if large else 380,
        "height": {"step": 56 if large else 28},
        "encoding": encoding,
        "layer": [
            {"mark": {"type": "bar", "color": BAR_COLOUR}},
            {
                "mark": {
                    "type": "text",
                    "align": "left",
                    "dx": 6,
                    "color": TEXT_COLOUR,
                    "fontSize": font,
                },
                "encoding": {"text": {"field": "count", "type": "quantitative"}},
            },
        ],
    }
