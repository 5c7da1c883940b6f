"""The facilitator's dashboard: read handed-in summaries, show and export anonymous group results.

Pure functions read uploads, tabulate, chart and export a :func:`group_summary`; each refuses to
show or write anything while the group is below the minimum size. :class:`FacilitatorDashboard`
is the thin ipywidgets view the workshop's Voila page displays.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import ipywidgets as w
from IPython.display import display

from ..base.csvwrite import csv_text
from ..base.errors import InputError, Problem
from ..base.storage import DocumentStore, atomic_write_text
from ..base.templating import fragment, join
from ..content.organisation import MIN_GROUP_SIZE_FLOOR, check_min_group_size, load_organisation
from ..core.handin import HandIn, Outcome, ReleaseGuard, guarded_group
from ..core.summary import (
    DEFAULT_MIN_GROUP_SIZE,
    band_keys,
    category_labels,
    investment_band_keys,
    pattern_keys,
    read_summary,
    timing_keys,
    validate_summary,
)
from ..views.downloads import download_link
from ..views.group_charts import group_bar_spec
from ..views.vegalite import VegaLiteChart

EXPORT_FORMATS = (".csv", ".json")
TEMPLATE = "dashboard.html.j2"
TABLE_COLUMNS = ("section", "category", "unit", "count")
STATE_KIND = "leading-for-learning-dashboard"
STATE_VERSION = 1


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


def group_table(group: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Group results as a long table (rows of section, category, unit, count)."""
    require_shown(group, "group table")
    labels = category_labels()
    rows = [
        ("Group", "Participants", "participants", group["participants"]),
        ("Group", "Team members scored", "members", group["members"]),
        ("Group", "Members left behind", "members", group["left_behind"]),
        ("Group", "Participants with someone left behind", "participants",
         group["participants_with_left_behind"]),
        ("Group", "Participants who planned a conversation", "participants",
         group["participants_with_plans"]),
        ("Group", "Conversation plans made", "plans", group["plans"]),
        ("Group", "Left-behind members with a plan", "members", group["left_behind_with_plan"]),
    ]  # fmt: skip
    for key, section, unit, keys in SECTIONS:
        for category in keys():
            rows.append(
                (section, labels[key].get(category, category), unit, int(group[key][category]))
            )
    change = group.get("change") or {}
    if change.get("computed"):  # every summary carried its earlier scoring's counts
        section = "Before and after"
        rows += [
            (section, "Members left behind, earlier scoring", "members",
             change["left_behind_before"]),
            (section, "Members left behind, now", "members", change["left_behind_now"]),
            (section, "Team members scored, earlier scoring", "members", change["members_before"]),
        ]  # fmt: skip
        for category in band_keys():
            label = labels["band_counts"].get(category, category)
            rows.append(
                (section, f"{label}, earlier scoring", "members",
                 int(change["band_counts_before"][category]))
            )  # fmt: skip
    return [dict(zip(TABLE_COLUMNS, row, strict=True)) for row in rows]


def group_to_csv(group: Mapping[str, Any]) -> str:
    """Group results as CSV text (safe to open in a spreadsheet); refuses when suppressed."""
    rows = group_table(group)
    return csv_text(list(TABLE_COLUMNS), ([row[c] for c in TABLE_COLUMNS] for row in rows))


def group_to_json(group: Mapping[str, Any]) -> str:
    """Group results as JSON text; refuses when suppressed."""
    require_shown(group, "group export")
    document = {"kind": "leading-for-learning-group-results", "format_version": 1, **group}
    document.pop("previous", None)
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


def _section(group: Mapping[str, Any], key: str, keys: list[str]) -> tuple[list[str], list[int]]:
    labels = category_labels()[key]
    return [labels.get(k, k) for k in keys], [int(group[key][k]) for k in keys]


def _describe(categories: list[str], counts: list[int]) -> str:
    return "; ".join(f"{c}: {n}" for c, n in zip(categories, counts, strict=True))


def _group_bar(
    group: Mapping[str, Any],
    what: str,
    section: tuple[str, Any],
    title: str,
    unit: str,
    description: Any,
    large: bool,
) -> VegaLiteChart:
    """One of the dashboard's bar charts: refuses when suppressed; ``description`` is given the
    categories and counts and says in words what the chart shows."""
    require_shown(group, what)
    categories, counts = _section(group, *section)
    text = f"{description(categories, counts)} {_describe(categories, counts)}."
    return VegaLiteChart(group_bar_spec(title, unit, categories, counts, text, large=large))


def group_band_chart(group: Mapping[str, Any], large: bool = False) -> VegaLiteChart:
    """Bar chart of team members per relationship band across the group; refuses when suppressed."""
    return _group_bar(
        group,
        "band chart",
        ("band_counts", band_keys()),
        "Relationship bands across the group",
        "members",
        lambda _c, _n: (
            f"Bar chart of {group['members']} team members from "
            f"{group['participants']} participants by relationship band."
        ),
        large,
    )


def group_pattern_chart(group: Mapping[str, Any], large: bool = False) -> VegaLiteChart:
    """Bar chart of participants per investment pattern; refuses when suppressed."""
    return _group_bar(
        group,
        "investment pattern chart",
        ("investment_patterns", pattern_keys()),
        "How development investment follows relationships",
        "participants",
        lambda _c, _n: (
            f"Bar chart of {group['participants']} participants by the pattern of "
            "development investment in their team."
        ),
        large,
    )


def group_conversation_chart(group: Mapping[str, Any], large: bool = False) -> VegaLiteChart:
    """Bar chart of the development conversations the group planned, by stage; refuses when
    suppressed."""
    return _group_bar(
        group,
        "planned conversations chart",
        ("planned_conversations", timing_keys()),
        "Development conversations planned",
        "conversations",
        lambda _c, counts: (
            f"Bar chart of the {sum(counts)} development conversations "
            f"{group['participants']} participants planned, by stage."
        ),
        large,
    )


def group_charts(group: Mapping[str, Any], large: bool = False) -> list[VegaLiteChart]:
    """The three charts to project: bands, investment patterns, planned conversations."""
    return [
        group_band_chart(group, large),
        group_pattern_chart(group, large),
        group_conversation_chart(group, large),
    ]


def change_html(group: Mapping[str, Any]) -> str:
    """One sentence on the left-behind pattern before and after, or why it is not shown."""
    change = group.get("change") or {}
    if not change:
        return ""
    if not change.get("computed"):
        return fragment(TEMPLATE, "change", computed=False, message=change["message"])
    message = (
        f"Across the {change['with_earlier']} participants, "
        f"{change['left_behind_before']} of {change['members_before']} team members were "
        f"left behind at the earlier scoring, and {change['left_behind_now']} of "
        f"{change['members_now']} now. These are the managers' own ratings: a change is a "
        "change in how they see their teams, and it goes with the workshop; it does not "
        "show that the workshop caused it."
    )
    return fragment(TEMPLATE, "change", computed=True, message=message)


def group_table_html(group: Mapping[str, Any]) -> str:
    """The group table as escaped HTML; refuses when suppressed."""
    return fragment(TEMPLATE, "group_table", columns=TABLE_COLUMNS, rows=group_table(group))


# ---------------------------------------------------------------------------------------------
# The view

STYLE = """<style>
.l4l-dashboard button, .l4l-dashboard .widget-toggle-button { width: auto; min-width: max-content;
  overflow: visible; }
.l4l-dashboard .l4l-upload { font-size: 0; }
.l4l-dashboard .l4l-upload::after { content: "Add summary files";
  font-size: var(--jp-widgets-font-size, 13px); }
.l4l-dashboard .l4l-upload .fa { font-size: var(--jp-widgets-font-size, 13px);
  margin-right: 0.4em; }
.l4l-dashboard .l4l-count { font-size: 1.25em; }
.l4l-presenter { font-size: 1.3em; }
.l4l-presenter .l4l-controls, .l4l-presenter .l4l-group-table, .l4l-presenter .l4l-rejected,
.l4l-presenter .l4l-exports { display: none; }
</style>"""


class FacilitatorDashboard:
    """Collect participants' summaries (files or pasted codes); show group results only once
    enough distinct participants are in, and never a change smaller than the minimum.

    ``state_path``, if given, keeps the summaries and every result already shown (the guard
    against subtraction) across page reloads, as the live dashboard does in the browser.
    """

    def __init__(
        self, min_group_size: int | None = None, state_path: str | os.PathLike[str] | None = None
    ):
        if min_group_size is None:  # the organisation's setting, data/organisation.yml
            min_group_size = load_organisation().min_group_size
        self.collection = HandIn()
        self.guard = ReleaseGuard()
        self.store = DocumentStore(state_path, STATE_KIND, STATE_VERSION) if state_path else None
        self.group: dict[str, Any] = {}
        self.shown: dict[str, Any] | None = None
        self.charts: list[VegaLiteChart] = []
        self.upload = w.FileUpload(
            accept=".json,.txt,application/json,text/plain",
            multiple=True,
            description="Add summary files",
            tooltip="Add summary files (.json, or .txt holding codes); several at once",
            layout=w.Layout(width="auto"),
        )
        self.upload.add_class("l4l-upload")
        self.codes = w.Textarea(
            placeholder="Paste summary codes here: one per line, or a whole chat transcript "
            "(everything that is not a code is ignored)",
            description="Summary codes",
            style={"description_width": "initial"},
            layout=w.Layout(width="100%", height="7em"),
        )
        self.add_codes_button = w.Button(
            description="Add codes", icon="plus", button_style="primary"
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
        self.presenter = w.ToggleButton(
            value=False, description="Presenter view", icon="desktop",
            tooltip="Full-width charts only, large enough to project",
        )  # fmt: skip
        self.count = w.HTML()
        self.rejected = w.HTML()
        self.status = w.HTML()
        self.table = w.HTML()
        self.chart_area = w.Output()
        self.exports = w.HTML()
        self.upload.observe(self._on_upload, names="value")
        self.add_codes_button.on_click(lambda _button: self.add_codes(self.codes.value))
        self.min_size.observe(lambda _change: self.refresh(), names="value")
        self.clear_button.on_click(lambda _button: self.clear())
        self.presenter.observe(self._on_presenter, names="value")
        controls = w.VBox(
            [
                self.codes,
                w.HBox([self.add_codes_button, self.upload, self.min_size, self.clear_button],
                       layout=w.Layout(flex_flow="row wrap")),
            ]
        )  # fmt: skip
        controls.add_class("l4l-controls")
        self.bar = w.HBox([self.count, self.presenter], layout=w.Layout(align_items="center"))
        self.bar.add_class("l4l-presenter-bar")
        self.rejected.add_class("l4l-rejected")
        self.exports.add_class("l4l-exports")
        self.widget = w.VBox(
            [
                w.HTML(STYLE),
                controls,
                self.bar,
                self.rejected,
                self.status,
                self.chart_area,
                self.table,
                self.exports,
            ]
        )  # fmt: skip
        self.widget.add_class("l4l-dashboard")
        self._load_state()
        self.refresh()

    def _ipython_display_(self) -> None:
        display(self.widget)

    @property
    def summaries(self) -> dict[str, dict[str, Any]]:
        """The summaries held, one per participant."""
        return self.collection.summaries

    # -- input ---------------------------------------------------------------------------------

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = [(item["name"], bytes(item["content"])) for item in change["new"] or ()]
        if files:
            self.add_files(files)
            self.upload.value = ()

    def add_files(self, files: Iterable[tuple[str, bytes]]) -> list[Outcome]:
        """Read summary files (several at once); each participant counts once; refresh."""
        outcomes = self.collection.add_files(files)
        self._report(outcomes)
        return outcomes

    def add_codes(self, text: str) -> list[Outcome]:
        """Read pasted summary codes (one per line, or mixed with chat noise); refresh."""
        outcomes = self.collection.add_text(text)
        if any(o.status != "rejected" for o in outcomes):
            self.codes.value = ""
        self._report(outcomes)
        return outcomes

    def _report(self, outcomes: list[Outcome]) -> None:
        rejected = [o for o in outcomes if o.status == "rejected"]
        duplicates = [o for o in outcomes if o.status in ("duplicate", "updated")]
        self.rejected.value = fragment(
            TEMPLATE,
            "report",
            any=bool(outcomes),
            added=sum(o.status == "added" for o in outcomes),
            rejected=rejected,
            duplicates=duplicates,
        )
        self._save_state()
        self.refresh()

    def clear(self) -> None:
        """Forget every summary held (results already shown stay remembered, see the guard)."""
        self.collection.clear()
        self.rejected.value = ""
        self._save_state()
        self.refresh()

    # -- state ---------------------------------------------------------------------------------

    def _load_state(self) -> None:
        if self.store is None or not self.store.exists():
            return
        try:
            document = self.store.load()
        except InputError as error:
            self.rejected.value = fragment("common.html.j2", "alert", text=str(error))
            return
        for item in document.get("summaries") or []:
            try:
                self.collection.add(validate_summary(item), "saved")
            except InputError:
                continue
        self.guard = ReleaseGuard.from_list(document.get("released") or [])

    def _save_state(self) -> None:
        if self.store is None:
            return
        payload = {"summaries": self.collection.values(), "released": self.guard.to_list()}
        try:
            self.store.save(payload, force=True)
        except (InputError, OSError) as error:
            self.rejected.value = join(
                [self.rejected.value, fragment("common.html.j2", "alert", text=str(error))]
            )

    # -- output --------------------------------------------------------------------------------

    def _on_presenter(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.widget.add_class("l4l-presenter")
        else:
            self.widget.remove_class("l4l-presenter")
        self._draw()

    def refresh(self) -> None:
        """Recompute what may be shown: the group, the last result shown, or only a notice."""
        minimum = int(self.min_size.value)
        held = len(self.collection)
        self.count.value = fragment(TEMPLATE, "count", held=held, minimum=minimum)
        released_before = len(self.guard.released)
        try:
            self.group = guarded_group(self.collection.values(), minimum, self.guard)
        except InputError as error:
            self.group = {"suppressed": True}
            self.shown = None
            self.status.value = fragment("common.html.j2", "alert", text=str(error))
            self._draw()
            return
        if len(self.guard.released) != released_before:
            self._save_state()
        guard_note = (
            " Once results have been shown, a changed group is shown again only when it differs "
            f"by at least {minimum} people (more or fewer) from every result shown before, so "
            "no one's counts can be worked out by comparing two results."
        )
        if self.group.get("held"):
            self.shown = self.group.get("previous")
            kept = (
                f" Still showing the earlier result of {self.shown['participants']} participants."
                if self.shown
                else ""
            )
            self.status.value = fragment(
                TEMPLATE, "suppressed", message=self.group["message"], rest=kept
            )
        elif self.group["suppressed"]:
            self.shown = None
            self.status.value = fragment(
                TEMPLATE,
                "suppressed",
                message=self.group["message"],
                rest=" No group results are shown or exported until then.",
            )
        else:
            self.shown = self.group
            self.status.value = fragment(
                TEMPLATE,
                "shown",
                participants=self.group["participants"],
                minimum=self.group["min_group_size"],
                guard_note=guard_note,
            )
        self._draw()

    def _draw(self) -> None:
        group = self.shown
        self.chart_area.clear_output()
        if not group or group.get("suppressed", True):
            self.table.value = ""
            self.exports.value = ""
            self.charts = []
            return
        self.table.value = join([change_html(group), group_table_html(group)])
        self.charts = group_charts(group, large=bool(self.presenter.value))
        with self.chart_area:
            for chart in self.charts:
                display(chart)
        self.exports.value = fragment(
            TEMPLATE,
            "exports",
            csv_link=download_link(group_to_csv(group), "group-results.csv", "text/csv", "CSV"),
            json_link=download_link(
                group_to_json(group), "group-results.json", "application/json", "JSON"
            ),
        )
