"""The facilitator's dashboard: read handed-in summaries, show and export anonymous group results.

Pure functions read uploads, tabulate, chart and export a :func:`group_summary`; each refuses to
show or write anything while the group is below the minimum size. :class:`FacilitatorDashboard`
is the thin ipywidgets view the workshop's Voila page displays.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import altair as alt
import ipywidgets as w
import pandas as pd
from IPython.display import display

from ..base.csvwrite import csv_text
from ..base.errors import InputError, Problem
from ..base.escaping import escape_html
from ..base.storage import atomic_write_text
from ..content.organisation import MIN_GROUP_SIZE_FLOOR, check_min_group_size, load_organisation
from ..core.summary import (
    DEFAULT_MIN_GROUP_SIZE,
    band_keys,
    category_labels,
    group_summary,
    investment_band_keys,
    pattern_keys,
    read_summary,
    timing_keys,
)
from ..views.downloads import download_link
from ..views.vegalite import VegaLiteChart

EXPORT_FORMATS = (".csv", ".json")


SECTIONS = (
    ("band_counts", "Relationship band", "members", band_keys),
    ("investment_band_counts", "Development investment", "members", investment_band_keys),
    ("investment_patterns", "Investment pattern", "participants", pattern_keys),
    ("planned_conversations", "Planned conversations", "conversations", timing_keys),
)


# ---------------------------------------------------------------------------------------------
# Reading uploads


def read_uploads(files: Iterable[tuple[str, bytes]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Read uploaded files as summaries: return the valid ones and one message per rejected file."""
    accepted: list[dict[str, Any]] = []
    rejected: list[str] = []
    for name, content in files:
        try:
            accepted.append(read_summary(bytes(content), source=name))
        except InputError as error:
            rejected.append(str(error))
    return accepted, rejected


def upload_key(name: str, content: bytes) -> str:
    """Identify an uploaded file by name and content, so uploading it twice counts it once."""
    return name + ":" + hashlib.sha256(bytes(content)).hexdigest()


# ---------------------------------------------------------------------------------------------
# Tables, exports and charts: each refuses while the group is suppressed


def require_shown(group: Mapping[str, Any], what: str) -> None:
    """Raise InputError if ``group`` is suppressed: nothing may be shown or written from it."""
    if group.get("suppressed", True):
        needed = group.get("needed", "more")
        raise InputError(
            Problem(
                f"the {what} is withheld: fewer summaries than the minimum group size of "
                f"{group.get('min_group_size', DEFAULT_MIN_GROUP_SIZE)} ({needed} more needed)",
                "collect more summaries; never lower the minimum to get results for a small group",
            )
        )


def group_table(group: Mapping[str, Any]) -> pd.DataFrame:
    """Group results as a long table: section, category, what is counted, count."""
    require_shown(group, "group table")
    labels = category_labels()
    rows = [
        {"section": "Group", "category": "Participants", "unit": "participants",
         "count": group["participants"]},
        {"section": "Group", "category": "Team members scored", "unit": "members",
         "count": group["members"]},
        {"section": "Group", "category": "Members left behind", "unit": "members",
         "count": group["left_behind"]},
        {"section": "Group", "category": "Participants with someone left behind",
         "unit": "participants", "count": group["participants_with_left_behind"]},
        {"section": "Group", "category": "Participants who planned a conversation",
         "unit": "participants", "count": group["participants_with_plans"]},
        {"section": "Group", "category": "Conversation plans made", "unit": "plans",
         "count": group["plans"]},
        {"section": "Group", "category": "Left-behind members with a plan", "unit": "members",
         "count": group["left_behind_with_plan"]},
    ]  # fmt: skip
    for key, section, unit, keys in SECTIONS:
        for category in keys():
            rows.append(
                {
                    "section": section,
                    "category": labels[key].get(category, category),
                    "unit": unit,
                    "count": int(group[key][category]),
                }
            )
    return pd.DataFrame(rows, columns=["section", "category", "unit", "count"])


def group_to_csv(group: Mapping[str, Any]) -> str:
    """Group results as CSV text (safe to open in a spreadsheet); refuses when suppressed."""
    table = group_table(group)
    return csv_text(list(table.columns), table.itertuples(index=False, name=None))


def group_to_json(group: Mapping[str, Any]) -> str:
    """Group results as JSON text; refuses when suppressed."""
    require_shown(group, "group export")
    document = {"kind": "leading-for-learning-group-results", "format_version": 1, **group}
    return json.dumps(document, indent=2) + "\n"


def write_group_export(group: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write group results to a .csv or .json file; refuses (writes nothing) when suppressed."""
    target = Path(path)
    if target.suffix.lower() not in EXPORT_FORMATS:
        raise InputError(
            Problem(
                "unknown export format",
                "end the file name in .csv or .json",
                value=target.name,
            )
        )
    require_shown(group, "group export")
    text = group_to_csv(group) if target.suffix.lower() == ".csv" else group_to_json(group)
    return atomic_write_text(target, text)


def _bar_chart(data: pd.DataFrame, title: str, unit: str, description: str) -> alt.Chart:
    order = list(data["category"])
    base = alt.Chart(data).encode(
        y=alt.Y("category:N", sort=order, title=None),
        x=alt.X("count:Q", title=f"Number of {unit}", axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("category:N", title="Category"), alt.Tooltip("count:Q", title=unit)],
    )
    bars = base.mark_bar(color="#1f6f8b")
    # Counts are written beside each bar, so nothing depends on colour.
    text = base.mark_text(align="left", dx=4, color="#0f3d4c").encode(text="count:Q")
    return (bars + text).properties(
        title=title, width=360, height=alt.Step(26), description=description
    )


def _section_frame(group: Mapping[str, Any], key: str, keys: list[str]) -> pd.DataFrame:
    labels = category_labels()[key]
    return pd.DataFrame(
        {"category": [labels.get(k, k) for k in keys], "count": [int(group[key][k]) for k in keys]}
    )


def _describe(data: pd.DataFrame) -> str:
    return "; ".join(f"{row.category}: {row.count}" for row in data.itertuples(index=False))


def group_band_chart(group: Mapping[str, Any]) -> alt.Chart:
    """Bar chart of team members per relationship band across the group; refuses when suppressed."""
    require_shown(group, "band chart")
    data = _section_frame(group, "band_counts", band_keys())
    return _bar_chart(
        data,
        "Relationship bands across the group",
        "members",
        f"Bar chart of {group['members']} team members from {group['participants']} "
        f"participants by relationship band. {_describe(data)}.",
    )


def group_pattern_chart(group: Mapping[str, Any]) -> alt.Chart:
    """Bar chart of participants per investment pattern; refuses when suppressed."""
    require_shown(group, "investment pattern chart")
    data = _section_frame(group, "investment_patterns", pattern_keys())
    return _bar_chart(
        data,
        "How development investment follows relationships",
        "participants",
        f"Bar chart of {group['participants']} participants by the pattern of development "
        f"investment in their team. {_describe(data)}.",
    )


def group_table_html(group: Mapping[str, Any]) -> str:
    """The group table as escaped HTML; refuses when suppressed."""
    table = group_table(group)
    return table.rename(columns=str.capitalize).to_html(
        index=False, escape=True, classes="l4l-group-table", border=0
    )


# ---------------------------------------------------------------------------------------------
# The view


class FacilitatorDashboard:
    """Upload participants' summary files; see group results only once enough are in."""

    def __init__(self, min_group_size: int | None = None):
        if min_group_size is None:  # the organisation's setting, data/organisation.yml
            min_group_size = load_organisation().min_group_size
        self.summaries: dict[str, dict[str, Any]] = {}
        self.group: dict[str, Any] = {}
        self.charts: list[alt.Chart] = []
        self.upload = w.FileUpload(
            accept=".json,application/json",
            multiple=True,
            description="Add summary files",
            layout=w.Layout(width="auto"),
        )
        self.min_size = w.BoundedIntText(
            value=check_min_group_size(min_group_size),
            min=MIN_GROUP_SIZE_FLOOR,
            max=10_000,
            description="Minimum group size",
            style={"description_width": "initial"},
            layout=w.Layout(width="16rem"),
        )
        self.clear_button = w.Button(description="Remove all summaries", icon="trash")
        self.count = w.HTML()
        self.rejected = w.HTML()
        self.status = w.HTML()
        self.table = w.HTML()
        self.chart_area = w.Output()
        self.exports = w.HTML()
        self.upload.observe(self._on_upload, names="value")
        self.min_size.observe(lambda _change: self.refresh(), names="value")
        self.clear_button.on_click(lambda _button: self.clear())
        self.widget = w.VBox(
            [
                w.HBox([self.upload, self.min_size, self.clear_button]),
                self.count,
                self.rejected,
                self.status,
                self.table,
                self.chart_area,
                self.exports,
            ]
        )
        self.refresh()

    def _ipython_display_(self) -> None:
        display(self.widget)

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = [(item["name"], bytes(item["content"])) for item in change["new"] or ()]
        if files:
            self.add_files(files)
            self.upload.value = ()

    def add_files(self, files: Iterable[tuple[str, bytes]]) -> None:
        """Read files into the collection (a file added twice counts once) and refresh."""
        messages = []
        for name, content in files:
            accepted, rejected = read_uploads([(name, content)])
            messages.extend(rejected)
            if accepted:
                self.summaries[upload_key(name, content)] = accepted[0]
        self.rejected.value = (
            "<div class='l4l-rejected' role='alert'><strong>Not added:</strong><ul>"
            + "".join(f"<li><pre>{escape_html(message)}</pre></li>" for message in messages)
            + "</ul></div>"
            if messages
            else ""
        )
        self.refresh()

    def clear(self) -> None:
        """Forget every uploaded summary (for example between two workshops)."""
        self.summaries.clear()
        self.rejected.value = ""
        self.refresh()

    def refresh(self) -> None:
        """Recompute the group view: all of it, or only the suppression notice."""
        self.count.value = f"<p>Summary files received: <strong>{len(self.summaries)}</strong></p>"
        try:
            self.group = group_summary(list(self.summaries.values()), int(self.min_size.value))
        except InputError as error:
            self.group = {"suppressed": True}
            self.status.value = f"<pre role='alert'>{escape_html(error)}</pre>"
            self._clear_results()
            return
        if self.group["suppressed"]:
            self.status.value = (
                "<p class='l4l-suppressed' role='status'>"
                f"{escape_html(self.group['message'])} No group results are shown or exported "
                "until then.</p>"
            )
            self._clear_results()
            return
        self.status.value = (
            f"<p role='status'>Group results from {self.group['participants']} participants "
            f"(minimum group size {self.group['min_group_size']}).</p>"
        )
        self.table.value = group_table_html(self.group)
        self.charts = [group_band_chart(self.group), group_pattern_chart(self.group)]
        self.chart_area.clear_output()
        with self.chart_area:
            for chart in self.charts:
                display(VegaLiteChart(chart.to_dict()))
        self.exports.value = (
            "<p>Download the group results: "
            + download_link(group_to_csv(self.group), "group-results.csv", "text/csv", "CSV")
            + " · "
            + download_link(
                group_to_json(self.group), "group-results.json", "application/json", "JSON"
            )
            + "</p>"
        )

    def _clear_results(self) -> None:
        self.table.value = ""
        self.exports.value = ""
        self.charts = []
        self.chart_area.clear_output()
