"""Altair charts of scored teams: relationship vs investment, and one member's item profile.

Each chart has a title and a ``description`` (the accessible text), and never relies on colour
alone: relationship bands have both a colour and a shape, and values are written as text too.
"""

from __future__ import annotations

import json
from functools import lru_cache

import altair as alt
import pandas as pd

from ..content.instrument import SCALE, Instrument, load_instrument
from ..core.scoring import item_profile
from ..core.teamfile import MEMBER
from .vegalite import VegaLiteChart

# Colour-blind-safe diverging palette (ColorBrewer RdBu) and one shape per band, lowest first.
BAND_COLOURS = ("#b2182b", "#ef8a62", "#7f7f7f", "#67a9cf", "#2166ac")
BAND_SHAPES = ("triangle-down", "diamond", "square", "circle", "triangle-up")
ZONE_COLOUR = "#b2182b"
AGGREGATE_ABOVE = 500
LABEL_AT_MOST = 40
INDEX_BIN = 0.05


def _band_scales(inst: Instrument) -> tuple[alt.Scale, alt.Scale]:
    labels = [band.label for band in inst.bands]
    colours = list(BAND_COLOURS[: len(labels)])
    shapes = list(BAND_SHAPES[: len(labels)])
    return alt.Scale(domain=labels, range=colours), alt.Scale(domain=labels, range=shapes)


def left_behind_zone(instrument: Instrument | None = None) -> dict[str, float]:
    """The corner of the chart where left-behind members fall: totals and investment limits."""
    inst = instrument or load_instrument()
    rule = inst.left_behind
    top_total = max(inst.band(key).max for key in rule["relationship_bands"])
    limit = next(b.below for b in inst.investment_bands if b.key == rule["investment_band"])
    low, _ = inst.total_range
    return {"x": low - 0.5, "x2": top_total + 0.5, "y": 0.0, "y2": float(limit or 0.0)}


def team_chart(
    scored: pd.DataFrame,
    instrument: Instrument | None = None,
    *,
    subtitle: str | None = None,
    aggregate_above: int = AGGREGATE_ABOVE,
) -> VegaLiteChart:
    """Relationship total (x) against investment index (y), band by colour and shape.

    Teams larger than ``aggregate_above`` are drawn as counts per cell (size = number of people),
    without names, so the chart stays fast and readable; the description says so. The chart's
    structure depends only on the instrument, so it is built and validated once and reused; each
    call fills in the data, the title and the description.
    """
    inst = instrument or load_instrument()
    zone = left_behind_zone(inst)
    placed = scored[scored["investment_index"].notna()]
    missing = len(scored) - len(placed)
    aggregated = len(placed) > aggregate_above
    if aggregated:
        data = _aggregate(placed, inst)
        labels = data.iloc[0:0]
    else:
        data = placed[[MEMBER, *POINT_COLUMNS]].copy()
        data["flags"] = data["flags"].replace("", "none")
        labels = data[data["left_behind"]] if len(data) <= LABEL_AT_MOST else data.iloc[0:0]
    spec = json.loads(_team_template(_template_key(inst), aggregated, len(labels) > 0))
    spec["datasets"] = {
        **spec.get("datasets", {}),
        POINTS: json.loads(data.to_json(orient="records")),
        LABELS: json.loads(labels.to_json(orient="records")),
    }
    spec["title"]["subtitle"] = [s for s in (subtitle, inst.note) if s]
    spec["description"] = _team_description(
        scored, placed, missing, aggregated, zone, inst, subtitle
    )
    return VegaLiteChart(spec)


POINTS, LABELS = "team_points", "team_labels"
POINT_COLUMNS = [
    "total",
    "band_label",
    "investment_index",
    "investment_band",
    "flags",
    "left_behind",
]
_INSTRUMENTS: dict[tuple, Instrument] = {}


def _template_key(inst: Instrument) -> tuple:
    """What the chart's structure depends on: band labels, score range, zone and the note."""
    zone = left_behind_zone(inst)
    key = (
        tuple(band.label for band in inst.bands),
        tuple(inst.total_range),
        tuple(sorted(zone.items())),
        inst.note,
    )
    _INSTRUMENTS.setdefault(key, inst)
    return key


@lru_cache(maxsize=32)
def _team_template(key: tuple, aggregated: bool, labelled: bool) -> str:
    """The team chart without its data, built by Altair and validated once, as JSON text."""
    inst = _INSTRUMENTS[key]
    low, high = inst.total_range
    zone = left_behind_zone(inst)
    colour_scale, shape_scale = _band_scales(inst)
    x_scale = alt.Scale(domain=[low - 1, high + 1], nice=False, zero=False)
    y_scale = alt.Scale(domain=[0, 1], nice=False)
    x = alt.X("total:Q", title=f"Relationship total ({low}-{high}, your view)", scale=x_scale)
    y = alt.Y("investment_index:Q", title="Development investment index (0-1)", scale=y_scale)
    # Below the plot, so the chart fits the book's text column (a legend at the side widened it
    # past the column and made it scroll).
    legend = alt.Legend(title="Relationship band", orient="bottom", direction="horizontal")
    colour = alt.Color("band_label:N", scale=colour_scale, legend=legend)
    shape = alt.Shape("band_label:N", scale=shape_scale, legend=legend)

    zone_frame = pd.DataFrame([{**zone, "label": "Left-behind zone"}])
    zone_layer = (
        alt.Chart(zone_frame)
        .mark_rect(color=ZONE_COLOUR, opacity=0.12)
        .encode(x=alt.X("x:Q", scale=x_scale), x2="x2", y=alt.Y("y:Q", scale=y_scale), y2="y2")
    )
    zone_text = (
        alt.Chart(zone_frame)
        .mark_text(align="left", baseline="top", dx=4, dy=4, color=ZONE_COLOUR, fontWeight="bold")
        .encode(x=alt.X("x:Q", scale=x_scale), y=alt.Y("y2:Q", scale=y_scale), text="label:N")
    )
    points_data = alt.Data(name=POINTS)
    if aggregated:
        points = (
            alt.Chart(points_data)
            .mark_point(filled=True, opacity=0.75, stroke="black", strokeWidth=0.5)
            .encode(
                x=x,
                y=y,
                color=colour,
                shape=shape,
                size=alt.Size("people:Q", title="People", scale=alt.Scale(range=[20, 600])),
                tooltip=[
                    alt.Tooltip("total:Q", title="Relationship total"),
                    alt.Tooltip("band_label:N", title="Band"),
                    alt.Tooltip(
                        "investment_index:Q", title="Investment index (cell)", format=".2f"
                    ),
                    alt.Tooltip("people:Q", title="People"),
                    alt.Tooltip("left_behind:Q", title="Of whom left behind"),
                ],
            )
        )
    else:
        points = (
            alt.Chart(points_data)
            .mark_point(filled=True, size=110, opacity=0.9, stroke="black", strokeWidth=0.6)
            .encode(
                x=x,
                y=y,
                color=colour,
                shape=shape,
                tooltip=[
                    alt.Tooltip(f"{MEMBER}:N", title="Member"),
                    alt.Tooltip("total:Q", title="Relationship total"),
                    alt.Tooltip("band_label:N", title="Band"),
                    alt.Tooltip("investment_index:Q", title="Investment index", format=".2f"),
                    alt.Tooltip("investment_band:N", title="Investment band"),
                    alt.Tooltip("flags:N", title="Flags"),
                ],
            )
        )
    layers = [zone_layer, zone_text, points]
    if labelled:
        layers.append(
            alt.Chart(alt.Data(name=LABELS))
            .mark_text(align="left", dx=8, dy=-6, fontSize=11)
            .encode(x="total:Q", y="investment_index:Q", text=f"{MEMBER}:N")
        )
    title = alt.TitleParams("Who gets your development effort?", subtitle=[], anchor="start")
    chart = alt.layer(*layers).properties(title=title, description="", width=520, height=340)
    return json.dumps(chart.to_dict())


def _aggregate(placed: pd.DataFrame, inst: Instrument) -> pd.DataFrame:
    """People per (total, investment cell, band), for teams too large to draw one point each."""
    cells = placed.assign(
        investment_index=(placed["investment_index"] / INDEX_BIN).round() * INDEX_BIN,
        left_behind=placed["left_behind"].astype(int),
    )
    grouped = (
        cells.groupby(["total", "band_label", "investment_index"], observed=True)
        .agg(people=(MEMBER, "size"), left_behind=("left_behind", "sum"))
        .reset_index()
    )
    grouped["investment_index"] = grouped["investment_index"].round(2)
    return grouped


def _team_description(
    scored: pd.DataFrame,
    placed: pd.DataFrame,
    missing: int,
    aggregated: bool,
    zone: dict[str, float],
    inst: Instrument,
    subtitle: str | None,
) -> str:
    low, high = inst.total_range
    behind = scored[scored["left_behind"]]
    parts = [
        f"Scatter chart{f' ({subtitle})' if subtitle else ''} of {len(placed)} team members: "
        f"relationship total from {low} to {high} across, development investment index from 0 to 1 "
        "up; colour and shape both show the relationship band.",
        f"The shaded bottom-left corner is the left-behind zone (total up to {int(zone['x2'])} and "
        f"investment below {zone['y2']:.1f}); {len(behind)} of {len(scored)} members fall in it.",
    ]
    if aggregated:
        parts.append(
            f"The team is large ({len(placed)} members placed), so people with the same total and "
            f"a similar investment index (cells of {INDEX_BIN}) are drawn as one point sized by "
            "how "
            "many they are, and names are not shown."
        )
    elif 0 < len(behind) <= 10:
        parts.append("Left behind: " + ", ".join(str(n) for n in behind[MEMBER]) + ".")
    if missing:
        parts.append(f"{missing} member(s) with no investment recorded are not shown.")
    parts.append(inst.note)
    return " ".join(parts)


def item_profile_chart(
    scored: pd.DataFrame, member: str, instrument: Instrument | None = None
) -> alt.LayerChart:
    """One bar per item for ``member`` (your answer, 1-5) with the anchor label in the tooltip.

    If the member's own rating is recorded it is drawn as a black tick on each bar.
    """
    inst = instrument or load_instrument()
    profile = item_profile(scored, member, inst)
    profile["label"] = [
        f"{n}. {t}" for n, t in zip(profile["number"], profile["theme"], strict=True)
    ]
    order = list(profile["label"])
    row = scored[scored[MEMBER] == member].iloc[0]
    band = inst.band(row["band"])
    colour = BAND_COLOURS[[b.key for b in inst.bands].index(band.key)]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    x_scale = alt.Scale(domain=[0, SCALE[-1] + 0.6], nice=False)
    x = alt.X("score:Q", title="Your answer (1 = lowest anchor, 5 = highest)", scale=x_scale).axis(
        values=list(SCALE), format="d"
    )
    tooltip = [
        alt.Tooltip("theme:N", title="Theme"),
        alt.Tooltip("question:N", title="Question"),
        alt.Tooltip("score:Q", title="Your answer"),
        alt.Tooltip("anchor:N", title="Your anchor"),
    ]
    has_theirs = profile["member_score"].notna().any()
    if has_theirs:
        tooltip += [
            alt.Tooltip("member_score:Q", title="Their answer"),
            alt.Tooltip("member_anchor:N", title="Their anchor"),
        ]
    base = alt.Chart(profile)
    bars = base.mark_bar(color=colour, height={"band": 0.7}).encode(x=x, y=y, tooltip=tooltip)
    values = base.mark_text(align="left", dx=4).encode(x=x, y=y, text="score:Q", tooltip=tooltip)
    layers = [bars, values]
    if has_theirs:
        ticks = (
            base.transform_filter("datum.member_score != null")
            .mark_tick(color="black", thickness=3, size=22)
            .encode(x=alt.X("member_score:Q", scale=x_scale), y=y, tooltip=tooltip)
        )
        layers.append(ticks)
    subtitle = [f"{band.label} band ({row['total']} of {inst.total_range[1]}). {inst.note}"]
    if has_theirs:
        subtitle.append("Bars: your answers. Black ticks: their own answers.")
    described = "; ".join(
        f"{t} {s} ({a})"
        for t, s, a in zip(profile["theme"], profile["score"], profile["anchor"], strict=True)
    )
    description = (
        f"Bar chart of your answers about {member}, one bar per item from 1 (lowest anchor) to 5 "
        f"(highest): {described}. Total {row['total']}, {band.label} band."
    )
    if has_theirs:
        theirs = "; ".join(
            f"{t} {int(s)}"
            for t, s in zip(profile["theme"], profile["member_score"], strict=True)
            if pd.notna(s)
        )
        description += f" Their own answers, drawn as ticks: {theirs}."
    description += f" {inst.note}"
    return alt.layer(*layers).properties(
        title=alt.TitleParams(f"Item profile: {member}", subtitle=subtitle, anchor="start"),
        description=description,
        width=420,
        height=alt.Step(28),
    )
