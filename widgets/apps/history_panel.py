"""The scorer's "Change over time" tab: compare two dated snapshots of your own team.

A thin view over :mod:`widgets.core.history`: pick two snapshots (earliest and latest by
default), see per person the total and investment then and now, who entered or left the
left-behind zone, and the team indicator at every snapshot as a chart (actions off) and text.
Every cell is escaped; every failure becomes a message in the scorer's status line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..base.errors import InputError, Problem
from ..base.storage import SnapshotStore, atomic_write_text
from ..base.templating import fragment
from ..content.instrument import Instrument
from ..core.history import (
    HISTORY_EXPORT_NAME,
    Comparison,
    Snapshot,
    change_rows,
    compare,
    history_csv_text,
    indicator_timeline,
    load_snapshots,
    record_snapshot,
)
from ..core.members import Member
from ..core.scoring import threshold_notes
from ..views.charts import history_chart_spec
from ..views.downloads import download_link
from ..views.vegalite import mimebundle
from .controls import button_layout
from .messages import safely

TEMPLATE = "history_panel.html.j2"
INTRO = (
    "Every time you save your team, the tool also keeps a snapshot of the day (the day's last "
    "save; earlier days are kept). Score your team again in a few weeks or months and compare. "
    "These are your own ratings, so a change here is a change in how you see the relationship, "
    "not a measurement of the other person. Only fully rated members count."
)


def comparison_html(comparison: Comparison, instrument: Instrument) -> str:
    """What changed between two snapshots, as escaped HTML: zone moves, counts, then a table."""
    then, now = comparison.then.day, comparison.now.day
    notes = []
    if comparison.only_then:
        notes.append(
            f"{len(comparison.only_then)} rated on {then} but not on {now} (left the team, "
            "renamed or not fully rated): " + ", ".join(comparison.only_then)
        )
    if comparison.only_now:
        notes.append(
            f"{len(comparison.only_now)} rated on {now} but not on {then}: "
            + ", ".join(comparison.only_now)
        )
    if comparison.not_rated_then or comparison.not_rated_now:
        notes.append(
            f"Left out as partly rated: {comparison.not_rated_then} on {then}, "
            f"{comparison.not_rated_now} on {now}"
        )
    return fragment(
        TEMPLATE,
        "comparison",
        then=then,
        now=now,
        entered=comparison.entered,
        left=comparison.left,
        notes=notes,
        indicators=[
            (then, comparison.indicator_then["summary"]),
            (now, comparison.indicator_now["summary"]),
        ],
        left_behind_note=threshold_notes(instrument)["left_behind"],
        rows=change_rows(comparison),
    )


class HistoryPanel:
    """The widgets of the "Change over time" tab; ``.widget`` is its root.

    ``show_message`` is the owning app's status line; ``check_folder`` raises when nothing may be
    kept (a preview, an unusable folder). ``place`` is where data is kept (see ``privacy_note``).
    """

    def __init__(
        self,
        store: SnapshotStore,
        instrument: Instrument,
        *,
        show_message: Callable[[str, str], None],
        check_folder: Callable[[], None],
        place: str = "computer",
    ) -> None:
        self.store = store
        self.instrument = instrument
        self.place = place
        self._show = show_message
        self._check_folder = check_folder
        self.snapshots: list[Snapshot] = []
        self.problems: list[Problem] = []
        self._confirm: str | None = None
        self._build()

    def show_message(self, text: str, kind: str = "info") -> None:
        """Show ``text`` in the owning app's status line."""
        self._show(text, kind)

    # --------------------------------------------------------------------------- layout

    def _build(self) -> None:
        self.intro_html = w.HTML(
            fragment("common.html.j2", "heading", title="Change over time", intro=INTRO)
        )
        self.problems_html = w.HTML()
        self.then_picker = w.Dropdown(description="Then", options=[], value=None)
        self.now_picker = w.Dropdown(description="Now", options=[], value=None)
        self.then_picker.observe(self._on_pick, "value")
        self.now_picker.observe(self._on_pick, "value")
        self.comparison_html = w.HTML()
        self.chart_output = w.Output()
        self.refresh_button = w.Button(description="Refresh", layout=button_layout())
        self.export_button = w.Button(description="Export history CSV", layout=button_layout())
        self.export_html = w.HTML()
        self.delete_picker = w.Dropdown(description="Snapshot", options=[], value=None)
        self.delete_button = w.Button(
            description="Delete this snapshot", button_style="warning", layout=button_layout()
        )
        self.delete_all_button = w.Button(
            description="Delete all snapshots", button_style="danger", layout=button_layout()
        )
        self.refresh_button.on_click(self._on_refresh)
        self.export_button.on_click(self._on_export)
        self.delete_button.on_click(self._on_delete)
        self.delete_all_button.on_click(self._on_delete_all)
        wrap = w.Layout(flex_flow="row wrap")
        self.widget = w.VBox(
            [
                self.intro_html,
                self.problems_html,
                w.HBox([self.then_picker, self.now_picker, self.refresh_button], layout=wrap),
                self.comparison_html,
                self.chart_output,
                w.HBox([self.export_button], layout=wrap),
                self.export_html,
                w.HBox(
                    [self.delete_picker, self.delete_button, self.delete_all_button], layout=wrap
                ),
            ]
        )

    # ---------------------------------------------------------------------------- state

    def record(self, team: list[Member]) -> str:
        """Keep today's snapshot after a save; return a sentence for the save message.

        A snapshot that cannot be written never undoes the save: the sentence says why. The
        tab reads the snapshots again when it is opened (not here, so saving stays fast).
        """
        try:
            record_snapshot(self.store, team, self.instrument)
        except InputError as error:
            return f"Today's snapshot was not kept: {error.problems[0]}"
        except OSError as error:
            return f"Today's snapshot was not kept ({error.strerror or type(error).__name__})."
        return "Today's snapshot is kept for Change over time."

    def refresh(self) -> None:
        """Read the snapshots again and redraw (keeps the chosen pair if both still exist)."""
        try:
            self._check_folder()
        except InputError:  # a preview or an unusable folder: there is nothing to read
            self.snapshots, self.problems = [], []
        else:
            self.snapshots, self.problems = load_snapshots(self.store, self.instrument)
        self.problems_html.value = fragment(
            "common.html.j2",
            "problems",
            title="Some snapshots could not be shown:",
            items=self.problems,
        )
        days = [s.day for s in self.snapshots]
        keep = self._chosen  # a pair the user picked stays; otherwise earliest against latest
        then = self.then_picker.value if keep and self.then_picker.value in days else None
        now = self.now_picker.value if keep and self.now_picker.value in days else None
        self._updating = True
        try:
            for picker, chosen, fallback in (
                (self.then_picker, then, days[0] if days else None),
                (self.now_picker, now, days[-1] if days else None),
            ):
                picker.options = days
                picker.value = chosen or fallback
            self.delete_picker.options = days
            self.delete_picker.value = days[-1] if days else None
        finally:
            self._updating = False
        self.redraw()

    _updating = False
    _chosen = False

    def _snapshot(self, day: str | None) -> Snapshot | None:
        return next((s for s in self.snapshots if s.day == day), None)

    def comparison(self) -> Comparison | None:
        """The chosen pair compared (None until there are two snapshots)."""
        then, now = self._snapshot(self.then_picker.value), self._snapshot(self.now_picker.value)
        if then is None or now is None or len(self.snapshots) < 2:
            return None
        return compare(then, now, self.instrument)

    def redraw(self) -> None:
        """Fill in the comparison text, table and chart."""
        count = len(self.snapshots)
        if count < 2:
            self.comparison_html.value = fragment(TEMPLATE, "too_few", count=count)
            self.chart_output.outputs = ()
            return
        comparison = self.comparison()
        assert comparison is not None
        self.comparison_html.value = comparison_html(comparison, self.instrument)
        spec = history_chart_spec(
            indicator_timeline(self.snapshots, self.instrument), self.instrument
        )
        data, metadata = mimebundle(spec)
        self.chart_output.outputs = (
            {"output_type": "display_data", "data": data, "metadata": metadata},
        )

    # ------------------------------------------------------------------------- actions

    def export_csv(self) -> Path | None:
        """Offer every snapshot as one CSV (and, on a computer, write it to the data folder)."""
        if not self.snapshots:
            raise InputError("There are no snapshots yet: save your team first.")
        text = history_csv_text(self.snapshots)
        path = None
        where = ""
        if self.place == "computer":
            path = atomic_write_text(self.store.folder / HISTORY_EXPORT_NAME, text)
            where = f" (also written to your data folder as {HISTORY_EXPORT_NAME})"
        link = download_link(text, "team-history.csv", "text/csv", "Download team-history.csv")
        self.export_html.value = fragment("common.html.j2", "download", link=link, where=where)
        self.show_message(f"Exported {len(self.snapshots)} snapshot(s).", "ok")
        return path

    def delete_snapshot(self, day: str) -> bool:
        """Delete one day's snapshot."""
        self._check_folder()
        deleted = self.store.delete(day)
        self.refresh()
        self.show_message(
            f"Deleted the snapshot of {day}." if deleted else f"There is no snapshot of {day}.",
            "ok" if deleted else "error",
        )
        return deleted

    def delete_all(self) -> list[str]:
        """Delete every snapshot (and any set-aside copy)."""
        self._check_folder()
        removed = self.store.delete_all()
        self.export_html.value = ""
        self.refresh()
        self.show_message(f"Deleted {len(removed)} snapshot file(s).", "ok")
        return removed

    # ------------------------------------------------------------------------ callbacks

    @safely
    def _on_pick(self, change: dict[str, Any]) -> None:
        if not self._updating:
            self._chosen = True
            self.redraw()

    @safely
    def _on_refresh(self, _button: Any = None) -> None:
        self.refresh()

    @safely
    def _on_export(self, _button: Any = None) -> None:
        self.export_csv()

    def _confirmed(self, what: str, button: w.Button, prompt: str) -> bool:
        if self._confirm != what:
            self._confirm = what
            button.description = "Click again to delete"
            self.show_message(prompt, "error")
            return False
        self._confirm = None
        return True

    def _reset_buttons(self) -> None:
        self.delete_button.description = "Delete this snapshot"
        self.delete_all_button.description = "Delete all snapshots"

    @safely
    def _on_delete(self, _button: Any = None) -> None:
        day = self.delete_picker.value
        if day is None:
            raise InputError("There is no snapshot to delete.")
        prompt = f"This deletes the snapshot of {day} from this device. Click again to delete it."
        if not self._confirmed(f"one:{day}", self.delete_button, prompt):
            return
        self._reset_buttons()
        self.delete_snapshot(day)

    @safely
    def _on_delete_all(self, _button: Any = None) -> None:
        prompt = (
            "This deletes every snapshot of your team from this device (your saved team stays). "
            "Click again to delete them."
        )
        if not self._confirmed("all", self.delete_all_button, prompt):
            return
        self._reset_buttons()
        self.delete_all()
