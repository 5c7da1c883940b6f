"""Vega-Lite charts of scored teams: relationship vs investment, and one member's item profile.

Each chart has a title and a ``description`` (the accessible text), and never relies on colour
alone: relationship bands have both a colour and a shape, and values are written as text too.

Pure Python: the specs are plain Vega-Lite v5 dicts built from :class:`~widgets.core.scoring.Score`
records, with their data inline, so they are built the same way in the browser (Pyodide, no
Altair or pandas) as in a notebook. ``widgets.frames`` wraps them for scored DataFrames.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from ..content.instrument import SCALE, Instrument, load_instrument
from ..core.scoring import Score, item_rows

SCHEMA_URL = "https://vega.github.io/schema/vega-lite/v5.20.1.json"
# Altair's default view size; the charts set their own width and height, this keeps specs alike.
VIEW_CONFIG = {"view": {"continuousWidth": 300, "continuousHeight": 300}}

# Colour-blind-safe diverging palette (ColorBrewer RdBu) and one shape per band, lowest first.
BAND_COLOURS = ("#b2182b", "#ef8a62", "#7f7f7f", "#67a9cf", "#2166ac")
BAND_SHAPES = ("triangle-down", "diamond", "square", "circle", "triangle-up")
UNRATED_COLOUR = "#bdbdbd"
ZONE_COLOUR = "#b2182b"
AGGREGATE_ABOVE = 500
LABEL_AT_MOST = 40
INDEX_BIN = 0.05

POINTS, LABELS, ZONE, PROFILE = "team_points", "team_labels", "left_behind_zone", "item_profile"


def left_behind_zone(instrument: Instrument | None = None) -> dict[str, float]:
    """The corner of the chart where left-behind members fall: totals and investment limits."""
    inst = instrument or load_instrument()
    rule = inst.left_behind
    top_total = max(inst.band(key).max for key in rule["relationship_bands"])
    limit = next(b.below for b in inst.investment_bands if b.key == rule["investment_band"])
    low, _ = inst.total_range
    return {"x": low - 0.5, "x2": top_total + 0.5, "y": 0.0, "y2": float(limit or 0.0)}


def _field(name: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"field": name, "type": kind, **extra}


# ---------------------------------------------------------------------------------- team chart


def team_chart_spec(
    scores: Sequence[Score],
    instrument: Instrument | None = None,
    *,
    subtitle: str | None = None,
    aggregate_above: int = AGGREGATE_ABOVE,
) -> dict[str, Any]:
    """Relationship total (x) against investment index (y), band by colour and shape.

    Members not fully rated yet, and members with no investment recorded, are left out (the
    description says how many). Teams with more than ``aggregate_above`` members placed are drawn
    as counts per cell (size = number of people), without names, so the chart stays fast and
    readable. The chart's structure depends only on the instrument, so it is built once and
    reused; each call fills in the data, the subtitle and the description.
    """
    inst = instrument or load_instrument()
    rated = [s for s in scores if s.total is not None]
    placed = [s for s in rated if s.investment_index is not None]
    aggregated = len(placed) > aggregate_above
    labels: list[dict[str, Any]] = []
    if aggregated:
        points = _aggregate(placed)
    else:
        points = [_point(s) for s in placed]
        if len(points) <= LABEL_AT_MOST:
            labels = [dict(p) for p in points if p["left_behind"]]
    spec = json.loads(_team_template(*_template_key(inst), aggregated, bool(labels)))
    spec["datasets"][POINTS] = points
    spec["datasets"][LABELS] = labels
    spec["title"]["subtitle"] = [s for s in (subtitle, inst.note) if s]
    spec["description"] = _team_description(
        rated=rated,
        placed=len(placed),
        unrated=len(scores) - len(rated),
        aggregated=aggregated,
        inst=inst,
        subtitle=subtitle,
    )
    return spec


def _point(score: Score) -> dict[str, Any]:
    assert score.band is not None
    return {
        "member": score.name,
        "total": score.total,
        "band_label": score.band.label,
        "investment_index": score.investment_index,
        "investment_band": score.investment_band.key,
        "flags": "; ".join(score.flags) or "none",
        "left_behind": score.left_behind,
    }


def _aggregate(placed: Sequence[Score]) -> list[dict[str, Any]]:
    """People per (total, band, investment cell), for teams too large to draw one point each."""
    cells: dict[tuple[int, str, float], list[int]] = {}
    for s in placed:
        assert s.total is not None and s.band is not None and s.investment_index is not None
        key = (s.total, s.band.label, round(round(s.investment_index / INDEX_BIN) * INDEX_BIN, 2))
        counts = cells.get(key)
        if counts is None:
            cells[key] = [1, int(s.left_behind)]
        else:
            counts[0] += 1
            counts[1] += s.left_behind
    return [
        {"total": t, "band_label": b, "investment_index": i, "people": n, "left_behind": behind}
        for (t, b, i), (n, behind) in sorted(cells.items())
    ]


def _template_key(
    inst: Instrument,
) -> tuple[tuple[str, ...], tuple[int, int], tuple[tuple[str, float], ...]]:
    """What the chart's structure depends on: band labels, score range and the zone."""
    labels = tuple(band.label for band in inst.bands)
    low, high = inst.total_range
    return labels, (low, high), tuple(left_behind_zone(inst).items())


@lru_cache(maxsize=32)
def _team_template(
    labels: tuple[str, ...],
    total_range: tuple[int, int],
    zone: tuple[tuple[str, float], ...],
    aggregated: bool,
    labelled: bool,
) -> str:
    """The team chart without its data, as JSON text (each call decodes a fresh copy)."""
    low, high = total_range
    x_scale = {"domain": [low - 1, high + 1], "nice": False, "zero": False}
    y_scale = {"domain": [0, 1], "nice": False}
    x = _field("total", "quantitative", title=f"Relationship total ({low}-{high}, your view)")
    x["scale"] = x_scale
    y = _field("investment_index", "quantitative", title="Development investment index (0-1)")
    y["scale"] = y_scale
    # Below the plot, so the chart fits the book's text column (a legend at the side widened it
    # past the column and made it scroll).
    legend = {"title": "Relationship band", "orient": "bottom", "direction": "horizontal"}
    colours = {"domain": list(labels), "range": list(BAND_COLOURS[: len(labels)])}
    shapes = {"domain": list(labels), "range": list(BAND_SHAPES[: len(labels)])}
    colour = _field("band_label", "nominal", scale=colours, legend=legend)
    shape = _field("band_label", "nominal", scale=shapes, legend=legend)

    zone_layer = {
        "data": {"name": ZONE},
        "mark": {"type": "rect", "color": ZONE_COLOUR, "opacity": 0.12},
        "encoding": {
            "x": _field("x", "quantitative", scale=x_scale),
            "x2": {"field": "x2"},
            "y": _field("y", "quantitative", scale=y_scale),
            "y2": {"field": "y2"},
        },
    }
    zone_text = {
        "data": {"name": ZONE},
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "dx": 4,
            "dy": 4,
            "color": ZONE_COLOUR,
            "fontWeight": "bold",
        },
        "encoding": {
            "x": _field("x", "quantitative", scale=x_scale),
            "y": _field("y2", "quantitative", scale=y_scale),
            "text": _field("label", "nominal"),
        },
    }
    if aggregated:
        mark = {
            "type": "point",
            "filled": True,
            "opacity": 0.75,
            "stroke": "black",
            "strokeWidth": 0.5,
        }
        encoding = {
            "x": x,
            "y": y,
            "color": colour,
            "shape": shape,
            "size": _field("people", "quantitative", title="People", scale={"range": [20, 600]}),
            "tooltip": [
                _field("total", "quantitative", title="Relationship total"),
                _field("band_label", "nominal", title="Band"),
                _field(
                    "investment_index",
                    "quantitative",
                    title="Investment index (cell)",
                    format=".2f",
                ),
                _field("people", "quantitative", title="People"),
                _field("left_behind", "quantitative", title="Of whom left behind"),
            ],
        }
    else:
        mark = {
            "type": "point",
            "filled": True,
            "size": 110,
            "opacity": 0.9,
            "stroke": "black",
            "strokeWidth": 0.6,
        }
        encoding = {
            "x": x,
            "y": y,
            "color": colour,
            "shape": shape,
            "tooltip": [
                _field("member", "nominal", title="Member"),
                _field("total", "quantitative", title="Relationship total"),
                _field("band_label", "nominal", title="Band"),
                _field("investment_index", "quantitative", title="Investment index", format=".2f"),
                _field("investment_band", "nominal", title="Investment band"),
                _field("flags", "nominal", title="Flags"),
            ],
        }
    layers = [zone_layer, zone_text, {"data": {"name": POINTS}, "mark": mark, "encoding": encoding}]
    if labelled:
        layers.append(
            {
                "data": {"name": LABELS},
                "mark": {"type": "text", "align": "left", "dx": 8, "dy": -6, "fontSize": 11},
                "encoding": {
                    "x": _field("total", "quantitative"),
                    "y": _field("investment_index", "quantitative"),
                    "text": _field("member", "nominal"),
                },
            }
        )
    spec = {
        "$schema": SCHEMA_URL,
        "config": VIEW_CONFIG,
        "layer": layers,
        "title": {"text": "Who gets your development effort?", "anchor": "start", "subtitle": []},
        "description": "",
        "width": 520,
        "height": 340,
        "datasets": {ZONE: [{**dict(zone), "label": "Left-behind zone"}]},
    }
    return json.dumps(spec)


def _team_description(
    *,
    rated: Sequence[Score],
    placed: int,
    unrated: int,
    aggregated: bool,
    inst: Instrument,
    subtitle: str | None,
) -> str:
    low, high = inst.total_range
    zone = left_behind_zone(inst)
    behind = [s.name for s in rated if s.left_behind]
    parts = [
        f"Scatter chart{f' ({subtitle})' if subtitle else ''} of {placed} team members: "
        f"relationship total from {low} to {high} across, development investment index from 0 to 1 "
        "up; colour and shape both show the relationship band.",
        f"The shaded bottom-left corner is the left-behind zone (total up to {int(zone['x2'])} and "
        f"investment below {zone['y2']:.1f}); {len(behind)} of {len(rated)} "
        f"{'rated ' if unrated else ''}members fall in it.",
    ]
    if aggregated:
        parts.append(
            f"The team is large ({placed} members placed), so people with the same total and "
            f"a similar investment index (cells of {INDEX_BIN}) are drawn as one point sized by "
            "how many they are, and names are not shown."
        )
    elif 0 < len(behind) <= 10:
        parts.append("Left behind: " + ", ".join(behind) + ".")
    missing = len(rated) - placed
    if missing:
        parts.append(f"{missing} member(s) with no investment recorded are not shown.")
    if unrated:
        parts.append(
            f"{unrated} member(s) still need rating (not every item answered) and are not shown."
        )
    parts.append(inst.note)
    return " ".join(parts)


# -------------------------------------------------------------------------------- item profile


def item_profile_spec(score: Score, instrument: Instrument | None = None) -> dict[str, Any]:
    """One bar per item for the member (your answer, 1-5) with the anchor label in the tooltip.

    If the member's own rating is recorded it is drawn as a black tick on each bar. A member not
    fully rated yet is drawn in grey, without a total or band; unanswered items have no bar.
    """
    inst = instrument or load_instrument()
    rows = item_rows(score, inst)
    for row in rows:
        row["label"] = f"{row['number']}. {row['theme']}"
    has_theirs = any(row["member_score"] is not None for row in rows)
    band = score.band
    if band is not None:
        colour = BAND_COLOURS[[b.key for b in inst.bands].index(band.key)]
    else:
        colour = UNRATED_COLOUR
    order = tuple(row["label"] for row in rows)
    spec = json.loads(_profile_template(order, colour, has_theirs))

    if band is not None:
        subtitle = [f"{band.label} band ({score.total} of {inst.total_range[1]}). {inst.note}"]
    else:
        answered = sum(row["score"] is not None for row in rows)
        subtitle = [f"Not rated yet ({answered} of {len(rows)} items answered). {inst.note}"]
    if has_theirs:
        subtitle.append("Bars: your answers. Black ticks: their own answers.")
    described = "; ".join(
        f"{row['theme']} {row['score']} ({row['anchor']})"
        if row["score"] is not None
        else f"{row['theme']} not answered yet"
        for row in rows
    )
    description = (
        f"Bar chart of your answers about {score.name}, one bar per item from 1 (lowest anchor) "
        f"to 5 (highest): {described}."
    )
    if band is not None:
        description += f" Total {score.total}, {band.label} band."
    else:
        description += " Not every item is answered yet, so there is no total or band."
    if has_theirs:
        theirs = "; ".join(
            f"{row['theme']} {int(row['member_score'])}"
            for row in rows
            if row["member_score"] is not None
        )
        description += f" Their own answers, drawn as ticks: {theirs}."
    description += f" {inst.note}"

    spec["title"] = {"text": f"Item profile: {score.name}", "anchor": "start", "subtitle": subtitle}
    spec["description"] = description
    spec["datasets"] = {PROFILE: rows}
    return spec


@lru_cache(maxsize=64)
def _profile_template(order: tuple[str, ...], colour: str, has_theirs: bool) -> str:
    """The item profile without its data, title and description, as JSON text."""
    x_scale = {"domain": [0, SCALE[-1] + 0.6], "nice": False}
    y = _field("label", "nominal", sort=list(order), title=None, axis={"labelLimit": 260})
    x = _field(
        "score",
        "quantitative",
        title="Your answer (1 = lowest anchor, 5 = highest)",
        scale=x_scale,
        axis={"values": list(SCALE), "format": "d"},
    )
    tooltip = [
        _field("theme", "nominal", title="Theme"),
        _field("question", "nominal", title="Question"),
        _field("score", "quantitative", title="Your answer"),
        _field("anchor", "nominal", title="Your anchor"),
    ]
    if has_theirs:
        tooltip += [
            _field("member_score", "quantitative", title="Their answer"),
            _field("member_anchor", "nominal", title="Their anchor"),
        ]
    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "bar", "color": colour, "height": {"band": 0.7}},
            "encoding": {"x": x, "y": y, "tooltip": tooltip},
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 4},
            "encoding": {
                "x": x,
                "y": y,
                "text": _field("score", "quantitative"),
                "tooltip": tooltip,
            },
        },
    ]
    if has_theirs:
        layers.append(
            {
                "mark": {"type": "tick", "color": "black", "thickness": 3, "size": 22},
                "encoding": {
                    "x": _field("member_score", "quantitative", scale=x_scale),
                    "y": y,
                    "tooltip": tooltip,
                },
                "transform": [{"filter": "datum.member_score != null"}],
            }
        )
    spec = {
        "$schema": SCHEMA_URL,
        "config": VIEW_CONFIG,
        "data": {"name": PROFILE},
        "layer": layers,
        "title": {},
        "description": "",
        "width": 420,
        "height": {"step": 28},
    }
    return json.dumps(spec)


# ------------------------------------------------------------------------ change over time


HISTORY = "team_history"


def history_chart_spec(
    timeline: Sequence[Mapping[str, Any]], instrument: Instrument | None = None
) -> dict[str, Any]:
    """The team indicator (rank correlation) and the left-behind count, one point per snapshot.

    ``timeline`` is :func:`widgets.core.history.indicator_timeline`. Top: how strongly investment
    followed relationship quality at each snapshot (only where it could be computed: enough fully
    rated members with investment recorded), labelled with how many members it used. Bottom: how
    many fully rated members were in the left-behind zone. Values are written as text too.
    """
    inst = instrument or load_instrument()
    rows = [
        {
            "day": str(row["day"]),
            "rho": row["rho"] if row["computed"] else None,
            "label": f"n={row['members_used']}" if row["computed"] else "",
            "members_used": int(row["members_used"]),
            "rated": int(row["rated"]),
            "not_rated": int(row["not_rated"]),
            "left_behind": int(row["left_behind"]),
        }
        for row in timeline
    ]
    x = _field("day", "ordinal", title="Snapshot (day saved)", sort=[r["day"] for r in rows])
    tooltip = [
        _field("day", "nominal", title="Snapshot"),
        _field("rho", "quantitative", title="Rank correlation", format=".2f"),
        _field("members_used", "quantitative", title="Members used"),
        _field("left_behind", "quantitative", title="Left behind"),
        _field("not_rated", "quantitative", title="Partly rated (left out)"),
    ]
    rho_y = _field(
        "rho",
        "quantitative",
        title="Investment follows relationship (rho)",
        scale={"domain": [-1, 1]},
    )
    computed = {"filter": "datum.rho != null"}
    top = {
        "width": 420,
        "height": 180,
        "transform": [computed],
        "layer": [
            {"mark": {"type": "line", "color": "#2166ac"}, "encoding": {"x": x, "y": rho_y}},
            {
                "mark": {"type": "point", "filled": True, "size": 70, "color": "#2166ac"},
                "encoding": {"x": x, "y": rho_y, "tooltip": tooltip},
            },
            {
                "mark": {"type": "text", "dy": -12, "color": "#333"},
                "encoding": {"x": x, "y": rho_y, "text": _field("label", "nominal")},
            },
        ],
    }
    count_y = _field(
        "left_behind", "quantitative", title="In the left-behind zone", axis={"format": "d"}
    )
    bottom = {
        "width": 420,
        "height": 120,
        "layer": [
            {
                "mark": {"type": "bar", "color": ZONE_COLOUR, "opacity": 0.7},
                "encoding": {"x": x, "y": count_y, "tooltip": tooltip},
            },
            {
                "mark": {"type": "text", "dy": -6, "baseline": "bottom"},
                "encoding": {"x": x, "y": count_y, "text": _field("left_behind", "quantitative")},
            },
        ],
    }
    skipped = [r["day"] for r in rows if r["rho"] is None]
    described = "; ".join(
        f"{r['day']}: "
        + (f"rho {r['rho']:.2f} over {r['members_used']} members" if r["rho"] is not None else "")
        + ("" if r["rho"] is not None else "pattern not computed")
        + f", {r['left_behind']} left behind"
        for r in rows
    )
    description = (
        f"Two charts over {len(rows)} snapshots of your team. Top: the rank correlation between "
        "relationship total and development investment (from -1 to 1; higher means investment "
        "goes more to closer relationships). Bottom: how many fully rated members were in the "
        f"left-behind zone. {described}."
    )
    if skipped:
        description += (
            f" The pattern needs at least {int(inst.gradient['min_members'])} fully rated members "
            f"with investment recorded, so it is not drawn for {', '.join(skipped)}."
        )
    description += f" {inst.note}"
    return {
        "$schema": SCHEMA_URL,
        "config": VIEW_CONFIG,
        "datasets": {HISTORY: rows},
        "data": {"name": HISTORY},
        "title": {
            "text": "Change over time: your team",
            "anchor": "start",
            "subtitle": [
                "Your own ratings at each save; a change is a change in how you see it.",
                inst.note,
            ],
        },
        "description": description,
        "vconcat": [top, bottom],
    }
