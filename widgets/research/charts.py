"""Altair charts for Part I ("How relationships and learning go together").

Each builder takes a table from :mod:`widgets.research_data` or :mod:`widgets.illustrations` and
returns an ``alt.Chart`` (or layered chart) with a title and a ``description`` (the accessible
text). Categories are told apart by shape, dash or text as well as colour.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping

import altair as alt
import pandas as pd

from .illustrations import POLICY_LABELS

# Diagram geometry for the Bezuijen et al. (2010) model, in the 0-100 data units of both axes.
_BOX_HALF_WIDTH = 12.5
_BOX_HALF_HEIGHT = 11.0
_DIAGRAM_WIDTH = 560
_DIAGRAM_HEIGHT = 330
_HIDDEN_AXIS = alt.Axis(labels=False, ticks=False, domain=False, grid=False, title=None)
_RATER_COLOURS = {"Employee": "#dbe9f6", "Leader": "#fde6cf", "Employee and leader": "#e3f1dc"}


def _wrap(text: str, width: int = 20) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _diagram_edges(paths: pd.DataFrame) -> pd.DataFrame:
    """Clip each path to the sides of its two boxes and compute the arrow-head angle on screen.

    A path leaves the right side of its source box. It enters the left side of its target box,
    except into the last column, where a path from well above or below enters the top or bottom
    side, so that the paths converging on the outcome leave room for their labels.
    """
    rows = []
    last_column = paths["x_to"].max()
    for _, path in paths.iterrows():
        x0, y0 = path["x_from"] + _BOX_HALF_WIDTH, path["y_from"]
        x1, y1 = path["x_to"] - _BOX_HALF_WIDTH, path["y_to"]
        rise = path["y_to"] - path["y_from"]
        if path["x_to"] == last_column and abs(rise) > 2 * _BOX_HALF_HEIGHT:
            x1 = path["x_to"] - _BOX_HALF_WIDTH / 2
            y1 = path["y_to"] - _BOX_HALF_HEIGHT if rise > 0 else path["y_to"] + _BOX_HALF_HEIGHT
        dx = (x1 - x0) * _DIAGRAM_WIDTH / 100
        dy = -(y1 - y0) * _DIAGRAM_HEIGHT / 100
        # A label sits above a level path, and below and to the right of a sloping one.
        level = abs(y1 - y0) < 1
        rows.append(
            {
                "from": path["from"],
                "to": path["to"],
                "kind": path["kind"],
                "label": _wrap(str(path.get("label", "") or ""), 12),
                "x0": x0,
                "y0": y0,
                "x1": x1,
                "y1": y1,
                "xm": (x0 + x1) / 2 + (0 if level else 7),
                "ym": (y0 + y1) / 2 + (9 if level else -8),
                "angle": math.degrees(math.atan2(dy, dx)),
            }
        )
    return pd.DataFrame(rows)


def bezuijen_model_chart(measures: pd.DataFrame, paths: pd.DataFrame) -> alt.LayerChart:
    """Diagram of what Bezuijen et al. (2010) measured, who rated it, and which paths they reported.

    ``measures`` and ``paths`` come from :func:`widgets.research_data.bezuijen_measures` and
    :func:`widgets.research_data.bezuijen_paths`.
    """
    nodes = measures.copy()
    nodes["x_left"] = nodes["x"] - _BOX_HALF_WIDTH
    nodes["x_right"] = nodes["x"] + _BOX_HALF_WIDTH
    nodes["y_low"] = nodes["y"] - _BOX_HALF_HEIGHT
    nodes["y_high"] = nodes["y"] + _BOX_HALF_HEIGHT
    nodes["name"] = nodes["measure"].map(_wrap)
    nodes["rater_text"] = "rated by " + nodes["rated_by"].str.lower()
    nodes["y_name"] = nodes["y"] + 3
    nodes["y_rater"] = nodes["y"] - 7
    edges = _diagram_edges(paths)

    x = alt.X("x:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS)
    dash = alt.StrokeDash(
        "kind:N",
        scale=alt.Scale(domain=["reported", "not reported"], range=[[1, 0], [5, 4]]),
        legend=alt.Legend(title="Path", orient="bottom"),
    )
    lines = (
        alt.Chart(edges)
        .mark_rule(strokeWidth=2, color="#333333")
        .encode(
            x=alt.X("x0:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS),
            y=alt.Y("y0:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS),
            x2="x1:Q",
            y2="y1:Q",
            strokeDash=dash,
            tooltip=[
                alt.Tooltip("from:N", title="From"),
                alt.Tooltip("to:N", title="To"),
                alt.Tooltip("kind:N", title="Path"),
            ],
        )
    )
    heads = (
        alt.Chart(edges)
        .mark_point(shape="triangle-right", filled=True, size=90, color="#333333", opacity=1)
        .encode(
            x=alt.X("x1:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS),
            y=alt.Y("y1:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS),
            angle=alt.Angle("angle:Q", scale=None),
        )
    )
    edge_labels = (
        alt.Chart(edges[edges["label"] != ""])
        .mark_text(fontSize=10, fontStyle="italic", lineBreak="\n", color="#222222")
        .encode(
            x=alt.X("xm:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS),
            y=alt.Y("ym:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS),
            text="label:N",
        )
    )
    box_encoding = dict(
        x=alt.X("x_left:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS),
        x2="x_right:Q",
        y=alt.Y("y_low:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS),
        y2="y_high:Q",
        fill=alt.Fill(
            "rated_by:N",
            scale=alt.Scale(domain=list(_RATER_COLOURS), range=list(_RATER_COLOURS.values())),
            legend=alt.Legend(title="Rated by", orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("measure:N", title="Measure"),
            alt.Tooltip("rated_by:N", title="Rated by"),
            alt.Tooltip("role_label:N", title="Role in the findings"),
        ],
    )
    # A variable that was measured but has no reported role gets a dashed outline.
    boxes = (
        alt.Chart(nodes[nodes["role"] != "measured"])
        .mark_rect(cornerRadius=6, stroke="#333333", strokeWidth=1.5)
        .encode(**box_encoding)
    )
    dashed_boxes = (
        alt.Chart(nodes[nodes["role"] == "measured"])
        .mark_rect(cornerRadius=6, stroke="#333333", strokeWidth=1.5, strokeDash=[5, 4])
        .encode(**box_encoding)
    )
    names = (
        alt.Chart(nodes)
        .mark_text(fontSize=12, fontWeight="bold", lineBreak="\n", baseline="middle")
        .encode(
            x=x,
            y=alt.Y("y_name:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS),
            text="name:N",
        )
    )
    raters = (
        alt.Chart(nodes)
        .mark_text(fontSize=9.5, fontStyle="italic")
        .encode(
            x=x,
            y=alt.Y("y_rater:Q", scale=alt.Scale(domain=[0, 100]), axis=_HIDDEN_AXIS),
            text="rater_text:N",
        )
    )
    del y
    return (
        alt.layer(lines, heads, edge_labels, boxes, dashed_boxes, names, raters)
        .properties(
            width=_DIAGRAM_WIDTH,
            height=_DIAGRAM_HEIGHT,
            title=alt.Title(
                "What Bezuijen et al. (2010) measured, and the paths they reported",
                subtitle="1,112 employees and 233 leaders in 7 Dutch organisations; "
                "dashed = measured, not reported as a mediator",
            ),
            description=(
                "Diagram. Relationship quality (LMX), rated by employees, leads to goal "
                "specificity (rated by employees) and goal difficulty (rated by leaders), which "
                "both lead to engagement in learning activities (rated by employees and by "
                "leaders): the two goal properties are the reported mediators, and the "
                "goal-difficulty path is stronger where LMX is high. Feedback, rated by "
                "employees, is drawn dashed: it was measured but is not reported as a mediator."
            ),
        )
        .configure_view(stroke=None)
    )


def investment_chart(simulation: pd.DataFrame) -> alt.FacetChart:
    """Cumulative development hours per member under two ways of sharing a budget (synthetic)."""
    data = simulation.copy()
    members = list(dict.fromkeys(data["member"]))
    quarters = int(data["quarter"].max())
    at_end = data["quarter"] == quarters
    data["end_label"] = ""
    named = at_end & (data["policy"] != "equal")
    data.loc[named, "end_label"] = (
        data.loc[named, "member"]
        + " ("
        + data.loc[named, "relationship"].round().astype(int).astype(str)
        + ")"
    )
    # Under equal shares every line ends at the same point: one label instead of a pile-up.
    first_equal = at_end & (data["policy"] == "equal") & (data["member"] == members[0])
    data.loc[first_equal, "end_label"] = f"all {len(members)} members"
    base = alt.Chart().encode(
        x=alt.X("quarter:Q", title="Quarter", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("hours:Q", title="Development hours received (cumulative)"),
    )
    member_colour = alt.Color("member:N", scale=alt.Scale(domain=members), legend=None)
    lines = base.mark_line(point=True).encode(
        color=member_colour,
        shape=alt.Shape("member:N", scale=alt.Scale(domain=members), legend=None),
        detail="member:N",
        tooltip=[
            "member:N",
            alt.Tooltip("relationship:Q", title="Relationship score"),
            "quarter:Q",
            alt.Tooltip("hours:Q", format=".0f", title="Hours"),
        ],
    )
    labels = (
        base.transform_filter(alt.datum.end_label != "")
        .mark_text(align="left", dx=6, fontSize=11)
        .encode(text="end_label:N", color=member_colour)
    )
    return (
        alt.layer(lines, labels, data=data)
        .properties(width=190, height=250)
        .facet(
            column=alt.Column(
                "policy_label:N",
                title=None,
                sort=[POLICY_LABELS["proportional"], POLICY_LABELS["equal"]],
                header=alt.Header(labelFontSize=12, labelFontWeight="bold"),
            ),
        )
        .properties(
            title=alt.Title(
                "Synthetic illustration: the same budget, shared two ways",
                subtitle="Each line is one (invented) team member; the number after the name is "
                "their relationship score (7-35)",
            ),
            description=(
                "Synthetic illustration, not data. Two panels show cumulative development hours "
                f"over {quarters} quarters for {len(members)} invented team members. Left: "
                "hours shared in proportion to relationship score, so the lines fan out and "
                "the gap between the closest and the most distant member grows every quarter. "
                "Right: hours shared equally, so all lines coincide."
            ),
        )
    )


def variance_share_chart(table: pd.DataFrame) -> alt.LayerChart:
    """The manager's share of variance across unit averages versus across people (toy model)."""
    levels = ["Across unit averages", "Across individual people"]
    table = table.sort_values("team_size")
    last = table[table["team_size"] == table["team_size"].max()]
    units = table[table["level"] == levels[0]]["share"]
    people = table[table["level"] == levels[1]]["share"]
    sizes = table[table["level"] == levels[0]]["team_size"]
    base = alt.Chart(table).encode(
        x=alt.X("team_size:Q", title="People per unit"),
        y=alt.Y(
            "share:Q",
            title="Share of variance the manager effect accounts for",
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, 1]),
        ),
    )
    lines = base.mark_line(point=True).encode(
        strokeDash=alt.StrokeDash(
            "level:N", scale=alt.Scale(domain=levels, range=[[1, 0], [6, 4]]), legend=None
        ),
        shape=alt.Shape("level:N", scale=alt.Scale(domain=levels), legend=None),
        color=alt.Color("level:N", scale=alt.Scale(domain=levels), legend=None),
        tooltip=["level:N", "team_size:Q", alt.Tooltip("share:Q", format=".0%")],
    )
    labels = (
        alt.Chart(last)
        .mark_text(align="right", dy=-12, fontSize=12)
        .encode(
            x="team_size:Q",
            y="share:Q",
            text="level:N",
            color=alt.Color("level:N", scale=alt.Scale(domain=levels), legend=None),
        )
    )
    return alt.layer(lines, labels).properties(
        width=480,
        height=300,
        title=alt.Title(
            "Toy model: one world, two percentages",
            subtitle="Synthetic numbers; not Gallup's data or method",
        ),
        description=(
            "Synthetic toy model. As units get larger, the share of the variance in unit "
            "averages that the manager effect accounts for rises from "
            f"{units.iloc[0]:.0%} to {units.iloc[-1]:.0%} at {sizes.iloc[-1]} people per unit, "
            "while the share of the variance across individual people stays at "
            f"{people.iloc[0]:.0%} whatever the unit size."
        ),
    )


def group_size_chart(group_sizes: Mapping[str, int], rules: pd.DataFrame) -> alt.LayerChart:
    """Synthetic team sizes against minimum-group-size thresholds, with what each would hide."""
    teams = pd.DataFrame({"team": list(group_sizes), "size": list(group_sizes.values())})
    top = int(rules["min_group_size"].max())
    teams["status"] = teams["size"].map(
        lambda n: (
            "shown at every threshold"
            if n >= top
            else "hidden at the higher threshold"
            if n >= int(rules["min_group_size"].min())
            else "hidden at every threshold"
        )
    )
    order = list(teams.sort_values("size")["team"])
    bars = (
        alt.Chart(teams)
        .mark_bar(stroke="#333333", strokeWidth=0.5)
        .encode(
            y=alt.Y("team:N", sort=order, title=None),
            x=alt.X("size:Q", title="People who answered the survey"),
            fill=alt.Fill(
                "status:N",
                legend=alt.Legend(title=None, orient="bottom"),
                scale=alt.Scale(
                    domain=[
                        "shown at every threshold",
                        "hidden at the higher threshold",
                        "hidden at every threshold",
                    ],
                    range=["#4c78a8", "#f2b36b", "#d9d9d9"],
                ),
            ),
            tooltip=["team:N", "size:Q", "status:N"],
        )
    )
    sizes = bars.mark_text(align="left", dx=4, fontSize=11).encode(
        text="size:Q", fill=alt.value("#222222")
    )
    thresholds = rules.drop_duplicates("min_group_size").copy()
    thresholds["label"] = "minimum " + thresholds["min_group_size"].astype(str)
    lines = (
        alt.Chart(thresholds)
        .mark_rule(strokeWidth=2, color="#222222")
        .encode(
            x="min_group_size:Q",
            strokeDash=alt.StrokeDash(
                "label:N", legend=None, scale=alt.Scale(range=[[6, 4], [1, 0]])
            ),
        )
    )
    line_labels = (
        alt.Chart(thresholds)
        .mark_text(align="left", dx=4, dy=-4, fontSize=11, fontWeight="bold", baseline="bottom")
        .encode(x="min_group_size:Q", y=alt.value(0), text="label:N")
    )
    return alt.layer(bars, sizes, lines, line_labels).properties(
        width=440,
        height=alt.Step(22),
        title=alt.Title(
            "Synthetic illustration: which team reports a minimum group size would hide",
            subtitle="Invented team sizes; vertical lines at the thresholds in use",
        ),
        description=(
            "Synthetic illustration. Horizontal bars give the number of respondents in each of "
            f"{len(teams)} invented teams, sorted by size, with vertical lines at minimum group "
            f"sizes {' and '.join(thresholds['min_group_size'].astype(str))}. Teams smaller "
            "than a threshold would have their results hidden at that threshold; the bar labels "
            "give each team's size."
        ),
    )


def situations_chart(situations: pd.DataFrame) -> alt.LayerChart:
    """The four learning situations as a two-by-two grid (McKenzie, 2013, as summarised)."""
    grid = situations.copy()
    grid["heading"] = grid["situation"].map(lambda text: _wrap(text, 30))
    grid["detail"] = grid["authority"].map(lambda text: _wrap(text, 32))
    x = alt.X(
        "direction:N",
        title=None,
        sort=["You support their learning", "You learn together"],
        axis=alt.Axis(
            orient="top",
            labelFontSize=12,
            labelFontWeight="bold",
            ticks=False,
            domain=False,
            labelAngle=0,
        ),
    )
    y = alt.Y(
        "partner:N",
        title=None,
        sort=["A direct report", "A peer"],
        axis=alt.Axis(labelFontSize=12, labelFontWeight="bold", ticks=False, domain=False),
    )
    cells = (
        alt.Chart(grid)
        .mark_rect(stroke="white", strokeWidth=6)
        .encode(
            x=x,
            y=y,
            fill=alt.Fill(
                "partner:N",
                legend=None,
                scale=alt.Scale(domain=["A direct report", "A peer"], range=["#dbe9f6", "#e3f1dc"]),
            ),
            tooltip=["situation:N", "authority:N", "what_helps:N", "watch_out_for:N"],
        )
    )
    headings = (
        alt.Chart(grid)
        .mark_text(fontSize=12.5, fontWeight="bold", dy=-24, lineBreak="\n")
        .encode(x=x, y=y, text="heading:N")
    )
    details = (
        alt.Chart(grid)
        .mark_text(fontSize=11, lineBreak="\n", dy=8)
        .encode(x=x, y=y, text="detail:N")
    )
    return (
        alt.layer(cells, headings, details)
        .properties(
            width=alt.Step(255),
            height=alt.Step(120),
            title=alt.Title(
                "Four learning situations: who with, and who learns",
                subtitle="Situations from McKenzie (2013) as summarised; the grid and the notes on "
                "authority are this book's",
            ),
            description=(
                "Two-by-two grid. Rows: a direct report, a peer. Columns: you support their "
                "learning, you learn together. Coaching a direct report and co-creating knowledge "
                "with a direct report sit in the first row, where formal authority is present; "
                "mentoring a peer and learning with a peer as equals sit in the second row, where "
                "authority rests on expertise or is shared."
            ),
        )
        .configure_view(stroke=None)
    )
