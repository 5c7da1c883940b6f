"""The participant's summary panel: the anonymous summary as it stands, as a file to download
and as a short code to paste into the meeting chat."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..base.errors import InputError
from ..base.storage import atomic_write_text
from ..base.templating import fragment
from ..core.handin import summary_to_code
from ..core.summary import (
    new_summary_id,
    participant_summary,
    summary_file_name,
    summary_to_json,
)
from ..views.downloads import download_link
from ..views.summary import summary_html

TEMPLATE = "summary_panel.html.j2"


class SummaryPanel:
    """Show the participant's anonymous summary as it stands and offer it as a download.

    ``scorer`` is a :class:`RelationshipScorer`; ``planner`` an optional
    :class:`ConversationPlanner` whose plans are counted. Nothing is written on the server.
    ``id_path``, if given, keeps the page's random summary id (the live page keeps it in the
    browser), so a summary handed in again after a reload replaces the earlier one.
    """

    def __init__(
        self, scorer: Any, planner: Any = None, id_path: str | os.PathLike[str] | None = None
    ) -> None:
        self.scorer = scorer
        self.planner = planner
        self.summary_id = _summary_id(Path(id_path) if id_path else None)
        self.file_name = summary_file_name()
        self.code = w.HTML()
        self.summary: dict[str, Any] | None = None
        self.status = w.HTML()
        self.table = w.HTML()
        self.raw = w.HTML()
        self.download = w.HTML()
        self.refresh_button = w.Button(description="Update summary", icon="refresh")
        self.refresh_button.on_click(lambda _button: self.refresh())
        # Off unless the participant chooses it: the counts of their earliest saved scoring,
        # for a follow-up session's before-and-after view (shown only if there is one).
        self.add_earlier = w.Checkbox(
            value=False,
            indent=False,
            description="Add the counts of my earliest saved scoring (before and after)",
            layout=w.Layout(width="auto", display="none"),
        )
        self.add_earlier.observe(lambda _change: self.refresh(), names="value")
        self.widget = w.VBox(
            [
                self.status,
                self.table,
                self.raw,
                self.add_earlier,
                w.HBox([self.refresh_button]),
                self.code,
                self.download,
            ]
        )
        self.widget.add_class("l4l-summary-panel")
        scorer.observe_scores(lambda _scored: self.refresh())
        observe = getattr(planner, "observe_plans", None)
        plan_list = getattr(planner, "plan_list", None)
        if callable(observe):
            observe(lambda *_args: self.refresh())
        elif isinstance(plan_list, w.Widget):
            # The planner's list of plans changes whenever a plan is added, updated or deleted.
            plan_list.observe(lambda _change: self.refresh(), names="options")
        self.refresh()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def plans(self) -> list[Any]:
        """The planner's current plans (an empty list without a planner)."""
        plans = getattr(self.planner, "plans", None) if self.planner is not None else None
        return list(plans() if callable(plans) else plans or [])

    def _earliest_scoring(self) -> list[Any] | None:
        """The fully rated members of the earliest snapshot older than today's, if any."""
        history = getattr(self.scorer, "history", None)
        store = getattr(history, "store", None)
        if store is None:
            return None
        from ..core.history import load_snapshots

        days = tuple(store.days())
        if getattr(self, "_earlier_for", None) != days:  # read again only when the days change
            snapshots, _problems = load_snapshots(store, getattr(self.scorer, "instrument", None))
            first = snapshots[0] if len(snapshots) >= 2 else None
            self._earlier = (first.day, first.rated) if first is not None else ("", [])
            self._earlier_for = days
        day, rated = self._earlier
        self.add_earlier.layout.display = "flex" if rated else "none"
        if rated:
            self.add_earlier.description = (
                f"Add the counts of my earliest saved scoring ({day}) for the before-and-"
                "after view (the date is not added)"
            )
        return rated or None

    def refresh(self) -> None:
        """Rebuild the summary from the scorer and planner; show it, its code and its download."""
        try:
            self._refresh()
        except Exception as exc:  # a bug here must never take the scorer or planner down
            self.summary = None
            self.status.value = fragment(
                TEMPLATE, "broken", error_type=type(exc).__name__, error=str(exc)
            )
            self.table.value = self.raw.value = self.download.value = self.code.value = ""

    def _refresh(self) -> None:
        scores = self.scorer.scores
        if not any(s.complete for s in scores):
            self.summary = None
            self.status.value = fragment(TEMPLATE, "nothing_yet")
            self.table.value = self.raw.value = self.download.value = self.code.value = ""
            return
        earlier = self._earliest_scoring()
        try:
            self.summary = participant_summary(
                scores,
                self.plans(),
                self.summary_id,
                earlier=earlier if self.add_earlier.value else None,
            )
        except InputError as error:
            self.summary = None
            self.status.value = fragment("common.html.j2", "alert", text=str(error))
            self.table.value = self.raw.value = self.download.value = self.code.value = ""
            return
        text = summary_to_json(self.summary)
        self.status.value = fragment(TEMPLATE, "ready")
        self.table.value = summary_html(self.summary)
        self.raw.value = fragment(TEMPLATE, "raw", text=text)
        code = summary_to_code(self.summary)
        self.code.value = fragment(TEMPLATE, "code_box", code=code)
        link = download_link(
            text, self.file_name, "application/json", "Download your anonymous summary"
        )
        self.download.value = fragment(TEMPLATE, "download", link=link, file_name=self.file_name)


_ID = re.compile(r"^[0-9a-f]{16}$")


def _summary_id(path: Path | None) -> str:
    """The page's summary id: read from ``path`` if kept there, else a new one (kept if it can)."""
    if path is None:
        return new_summary_id()
    try:
        kept = path.read_text(encoding="utf-8").strip()
        if _ID.fullmatch(kept):
            return kept
    except OSError:
        pass
    summary_id = new_summary_id()
    # If it cannot be kept, a reload makes a new id (the facilitator may then see it twice).
    with contextlib.suppress(OSError):
        atomic_write_text(path, summary_id + "\n")
    return summary_id
