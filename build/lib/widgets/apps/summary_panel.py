"""The participant's summary panel: the anonymous summary as it stands, offered as a download."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..base.errors import InputError
from ..base.escaping import escape_html
from ..core.summary import participant_summary, summary_file_name, summary_html, summary_to_json
from ..views.downloads import download_link


class SummaryPanel:
    """Show the participant's anonymous summary as it stands and offer it as a download.

    ``scorer`` is a :class:`RelationshipScorer`; ``planner`` an optional
    :class:`ConversationPlanner` whose plans are counted. Nothing is written on the server.
    """

    def __init__(self, scorer: Any, planner: Any = None) -> None:
        self.scorer = scorer
        self.planner = planner
        self.file_name = summary_file_name()
        self.summary: dict[str, Any] | None = None
        self.status = w.HTML()
        self.table = w.HTML()
        self.raw = w.HTML()
        self.download = w.HTML()
        self.refresh_button = w.Button(description="Update summary", icon="refresh")
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.widget = w.VBox(
            [self.status, self.table, self.raw, w.HBox([self.refresh_button]), self.download]
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

    def refresh(self) -> None:
        """Rebuild the summary from the scorer and planner; show it and its download link."""
        scores = self.scorer.scores
        if not any(s.complete for s in scores):
            self.summary = None
            self.status.value = (
                "<p role='status'>Rate every item for at least one team member (or load the "
                "synthetic example team) to see your summary.</p>"
            )
            self.table.value = self.raw.value = self.download.value = ""
            return
        try:
            self.summary = participant_summary(scores, self.plans())
        except InputError as error:
            self.summary = None
            self.status.value = f"<pre role='alert'>{escape_html(error)}</pre>"
            self.table.value = self.raw.value = self.download.value = ""
            return
        text = summary_to_json(self.summary)
        self.status.value = (
            "<p role='status'>This is everything your summary file holds: counts only, no names "
            "and nothing you typed.</p>"
        )
        self.table.value = summary_html(self.summary)
        self.raw.value = (
            "<details><summary>Show the file exactly as it will be saved</summary>"
            f"<pre class='l4l-summary-json'>{escape_html(text)}</pre></details>"
        )
        self.download.value = (
            "<p>"
            + download_link(
                text, self.file_name, "application/json", "Download your anonymous summary"
            )
            + f" ({escape_html(self.file_name)}), then hand it in as the facilitator asked.</p>"
        )
