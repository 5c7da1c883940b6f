"""ConversationPlanner: the ipywidgets app for planning development conversations (a thin view).

Plans are built and checked by :mod:`widgets.core.plans` and exported by :mod:`widgets.exports`;
hints come from :mod:`widgets.core.goal_hints`, questions from :mod:`widgets.content.prompts`,
resources from :mod:`widgets.content.catalogue`. This module only wires widgets to them; a
failure becomes a readable message in the app, never a traceback.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..base.errors import InputError
from ..base.storage import DocumentStore, atomic_write_text
from ..base.templating import fragment, join
from ..content.catalogue import Resource, read_catalogue, resources_for, skills
from ..content.organisation import load_organisation
from ..content.prompts import load_guide
from ..core.goal_hints import check_goal
from ..core.plans import (
    PLANS_FILE,
    PLANS_KIND,
    PLANS_SCHEMA_VERSION,
    ConversationPlan,
    band_for,
    default_plans_path,
    member_options,
    plans_from_document,
    propose_dates,
)
from ..core.scoring import Score
from ..exports.handout import hints_html, prompts_html
from ..exports.plans import EXPORT_FORMATS, export_text
from ..views.downloads import download_link
from .base import SavingApp
from .messages import privacy_note, safely

EXPORT_FOLDER = "exports"
_STYLE = {"description_width": "11em"}
_TEXT_FIELDS = ("member", "activity", "goal", "application", "support", "protected_time", "notes")
TEMPLATE = "planner.html.j2"
_DATE_FIELDS = ("activity_start", "activity_end", "before_date", "after_date")


def _wide() -> w.Layout:
    return w.Layout(width="95%")


def _heading(text: str) -> w.HTML:
    return w.HTML(fragment(TEMPLATE, "heading", text=text))


class ConversationPlanner(SavingApp):
    """Plan the conversations before, after and following a learning activity.

    ``scorer`` (a :class:`~widgets.scorer_app.RelationshipScorer`) lists scored members, those
    left behind first; choosing one fills in the band. ``.plans`` holds the plans, ``.widget``
    the root widget. Plans are saved to ``data_path`` (default: plans.json in the data folder).
    """

    kept = "plans"

    def __init__(
        self,
        scorer: Any = None,
        data_path: str | Path | None = None,
        *,
        autoload: bool = True,
        workshop: bool = False,
        place: str | None = None,
    ) -> None:
        super().__init__()
        self.scorer = scorer
        self.place = place or ("workshop" if workshop else "computer")
        self.workshop = self.place == "workshop"
        self.folder_problem = ""
        if data_path:
            self.data_path = Path(data_path)
        else:
            try:
                self.data_path = default_plans_path()
            except InputError as error:  # the app still opens; saving says why it cannot
                self.folder_problem = str(error)
                self.data_path = Path(PLANS_FILE)
        self.store = DocumentStore(self.data_path, PLANS_KIND, PLANS_SCHEMA_VERSION)
        self._force_next_save = False
        self.plans: list[ConversationPlan] = []
        self._scores: list[Score] = []
        self._catalogue: list[Resource] = []
        self._build()
        self._load_catalogue()
        if scorer is not None:
            scorer.observe_scores(self._on_scores)
            self._on_scores(scorer.scores)
        if self.folder_problem:
            self.show_message(self.folder_problem, "error")
        elif autoload and self.store.exists():
            self._on_load()
        self._refresh_guidance()

    # ------------------------------------------------------------------------------- layout

    def _build(self) -> None:
        guide = load_guide()
        self.scored_member = w.Dropdown(
            options=[("(no team scores yet)", "")],
            description="From your scores",
            style=_STYLE,
            layout=_wide(),
            tooltip="Team members you scored; those left behind are listed first",
        )
        self.member = w.Text(
            description="Team member", placeholder="Name or alias", style=_STYLE, layout=_wide()
        )
        self.band = w.Dropdown(
            options=[("Not set", ""), *((label, key) for key, label in guide.bands.items())],
            description="Relationship band",
            style=_STYLE,
        )
        self.mode = w.Dropdown(
            options=[(spec["label"], key) for key, spec in guide.modes.items()],
            description="Learning relationship",
            style=_STYLE,
            layout=_wide(),
        )
        self.activity = w.Text(
            description="Learning activity",
            placeholder="e.g. Negotiation course, client project",
            style=_STYLE,
            layout=_wide(),
        )
        self.activity_type = w.Dropdown(
            options=[(label, key) for key, label in guide.activity_types.items()],
            description="Kind of activity",
            style=_STYLE,
        )
        self.skill = w.Dropdown(options=[("Any skill", "")], description="Skill", style=_STYLE)
        self.resources = w.SelectMultiple(
            options=[], rows=6, description="Resources", style=_STYLE, layout=_wide()
        )
        self.goal = w.Textarea(
            description="Learning goal",
            style=_STYLE,
            layout=_wide(),
            placeholder="What will they be able to do, where, by when?",
            continuous_update=True,
        )
        self.hints = w.HTML()
        self.application = w.Textarea(
            description="Use at work",
            style=_STYLE,
            layout=_wide(),
            placeholder="Which task, meeting or piece of work?",
        )
        self.support = w.Textarea(
            description="Your support",
            style=_STYLE,
            layout=_wide(),
            placeholder="What you will do, what you take off their plate",
        )
        self.protected_time = w.Text(
            description="Protected time",
            style=_STYLE,
            layout=_wide(),
            placeholder="e.g. Friday mornings, 9:00 to 11:00",
        )
        self.activity_start = w.DatePicker(description="Activity starts", style=_STYLE)
        self.activity_end = w.DatePicker(description="Activity ends", style=_STYLE)
        self.suggest_button = w.Button(
            description="Suggest conversation dates",
            tooltip="Propose a before-, after- and 30/60/90-day dates",
        )
        self.before_date = w.DatePicker(description="Before-conversation", style=_STYLE)
        self.after_date = w.DatePicker(description="After-conversation", style=_STYLE)
        self.follow_ups = [
            w.DatePicker(description=f"Follow-up {n}", style=_STYLE) for n in (1, 2, 3)
        ]
        self.meeting_time = w.Text(value="10:00", description="Time (HH:MM)", style=_STYLE)
        self.meeting_minutes = w.BoundedIntText(
            value=30, min=5, max=480, step=5, description="Minutes", style=_STYLE
        )
        self.check_in = w.Checkbox(
            value=False,
            description="Add a monthly development check-in after the last follow-up",
            indent=False,
            layout=_wide(),
        )
        self.check_in_months = w.BoundedIntText(
            value=6, min=1, max=12, description="For months", style=_STYLE, disabled=True
        )
        self.check_in.observe(self._on_check_in, names="value")
        self.notes = w.Textarea(
            description="Notes",
            style=_STYLE,
            layout=_wide(),
            placeholder="Private notes (not put in calendar events)",
        )
        self.prompts = w.HTML()

        self.add_button = w.Button(
            description="Add as new plan",
            button_style="primary",
            tooltip="Check the form and add it as a plan",
        )
        self.update_button = w.Button(
            description="Update selected plan",
            tooltip="Replace the selected plan with the form",
        )
        self.clear_button = w.Button(description="Clear form")
        self.plan_list = w.Select(
            options=[], rows=5, description="Your plans", style=_STYLE, layout=_wide()
        )
        self.delete_button = w.Button(description="Delete selected plan", button_style="warning")
        self.save_button = w.Button(
            description="Save plans",
            tooltip=(
                {
                    "workshop": "Keep for this page while the workshop runs",
                    "browser": "Keep in this browser's own storage, on this device",
                    "preview": "Nothing is kept in this illustration",
                }.get(self.place, "Save on this computer (your data folder)")
            ),
        )
        self.load_button = w.Button(description="Load saved plans")
        self.export_format = w.Dropdown(
            options=[(label, key) for key, (label, _, _) in EXPORT_FORMATS.items()],
            description="Export as",
            style=_STYLE,
        )
        self.export_scope = w.Dropdown(
            options=[("All plans", "all"), ("Selected plan", "one")],
            description="Which plans",
            style=_STYLE,
        )
        self.timezone = w.Text(
            value=load_organisation().timezone,
            description="Time zone",
            style=_STYLE,
            tooltip="IANA name, e.g. Europe/London, America/New_York",
        )
        self.export_button = w.Button(
            description="Export", tooltip="Write the file and show a download link"
        )
        self.download = w.HTML()
        self.restore_button = w.Button(
            description="Restore previous save",
            tooltip="Every save keeps the version before it; this puts it back",
        )
        for short in (
            self.band,
            self.activity_type,
            self.skill,
            self.export_format,
            self.export_scope,
            self.timezone,
            self.meeting_time,
        ):
            short.layout.width = "60%"

        for widget_, handler in (
            (self.suggest_button, self._on_suggest),
            (self.add_button, self._on_add),
            (self.update_button, self._on_update),
            (self.clear_button, self._on_clear),
            (self.delete_button, self._on_delete),
            (self.save_button, self._on_save),
            (self.load_button, self._on_load),
            (self.restore_button, self._on_restore),
            (self.export_button, self._on_export),
        ):
            widget_.on_click(handler)
            widget_.layout.width = "max-content"  # the whole label, no wider
        self.scored_member.observe(self._on_pick_scored, names="value")
        self.goal.observe(self._on_guidance, names="value")
        self.band.observe(self._on_guidance, names="value")
        self.mode.observe(self._on_guidance, names="value")
        self.skill.observe(self._on_skill, names="value")
        self.plan_list.observe(self._on_pick_plan, names="value")

        self.scorer_row = w.VBox([self.scored_member])
        self.scorer_row.layout.display = "none"
        self.widget = w.VBox(
            [
                w.HTML(fragment(TEMPLATE, "intro", privacy=privacy_note(self.place))),
                _heading("1. Who and what"),
                self.scorer_row,
                self.member,
                self.band,
                self.mode,
                self.activity,
                self.activity_type,
                _heading("2. The learning goal"),
                self.goal,
                self.hints,
                self.application,
                _heading("3. Support and resources"),
                self.support,
                self.protected_time,
                self.skill,
                self.resources,
                _heading("4. Dates"),
                self.activity_start,
                self.activity_end,
                self.suggest_button,
                self.before_date,
                self.after_date,
                *self.follow_ups,
                self.meeting_time,
                self.meeting_minutes,
                self.check_in,
                self.check_in_months,
                self.notes,
                _heading("Questions for these conversations"),
                self.prompts,
                _heading("5. Your plans"),
                w.HBox(
                    [self.add_button, self.update_button, self.clear_button],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                self.status,
                self.plan_list,
                w.HBox(
                    [self.delete_button, self.save_button, self.load_button, self.restore_button],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
                _heading("6. Export"),
                self.export_format,
                self.export_scope,
                self.timezone,
                self.export_button,
                self.download,
            ],
            layout=w.Layout(max_width="900px"),
        )
        self.widget.add_class("l4l-planner")

    # ------------------------------------------------------------------------- form <-> plan

    def form_values(self) -> dict[str, Any]:
        """The form as plan field values (dates as picked; empty ones stay None)."""
        values: dict[str, Any] = {name: getattr(self, name).value for name in _TEXT_FIELDS}
        values.update({name: getattr(self, name).value for name in _DATE_FIELDS})
        values.update(
            mode=self.mode.value,
            activity_type=self.activity_type.value,
            band=self.band.value or None,
            skill=self.skill.value,
            resources=list(self.resources.value),
            follow_ups=[p.value for p in self.follow_ups if p.value is not None],
            meeting_time=self.meeting_time.value,
            meeting_minutes=self.meeting_minutes.value,
            check_ins=self.check_in_months.value if self.check_in.value else 0,
        )
        return values

    def fill_form(self, plan: ConversationPlan) -> None:
        """Show ``plan`` in the form, ready to change and update."""
        for name in (*_TEXT_FIELDS, *_DATE_FIELDS, "mode", "activity_type"):
            getattr(self, name).value = getattr(plan, name)
        self.band.value = plan.band or ""
        skill_options = [value for _, value in self.skill.options]
        self.skill.value = plan.skill if plan.skill in skill_options else ""
        self._set_resources(self.skill.value, keep=plan.resources)
        self._set_follow_ups(plan.follow_ups)
        self.meeting_time.value = plan.meeting_time.strftime("%H:%M")
        self.meeting_minutes.value = plan.meeting_minutes
        self.check_in.value = plan.check_ins > 0
        self.check_in_months.value = plan.check_ins or 6

    def _set_follow_ups(self, days: tuple[date, ...]) -> None:
        padded = [*days, *([None] * len(self.follow_ups))]
        for picker, day in zip(self.follow_ups, padded, strict=False):
            picker.value = day

    def build_plan(self, plan_id: str | None = None) -> ConversationPlan:
        """The form as a checked plan (InputError lists every problem)."""
        values = self.form_values()
        if plan_id:
            values["plan_id"] = plan_id
        return ConversationPlan.from_dict(values)

    # ------------------------------------------------------------------------------ actions

    def add_plan(self) -> ConversationPlan:
        plan = self.build_plan()
        self.plans.append(plan)
        self._refresh_list(select=plan.plan_id)
        self.show_message(f"Added the plan for {plan.member} (not saved yet).", "ok")
        return plan

    def update_plan(self) -> ConversationPlan:
        index = self._selected_index()
        if index is None:
            raise InputError("no plan is selected: pick one in 'Your plans' first")
        plan = self.build_plan(self.plans[index].plan_id)
        self.plans[index] = plan
        self._refresh_list(select=plan.plan_id)
        self.show_message(f"Updated the plan for {plan.member} (not saved yet).", "ok")
        return plan

    def delete_plan(self) -> None:
        index = self._selected_index()
        if index is None:
            raise InputError("no plan is selected: pick one in 'Your plans' first")
        removed = self.plans.pop(index)
        self._refresh_list()
        self.show_message(f"Deleted the plan for {removed.member} (save to make it final).")

    def save(self, *, force: bool = False) -> Path:
        """Save the plans, keeping the previous version; asks first if they changed elsewhere."""
        self._check_folder()
        payload = {"plans": [plan.to_dict() for plan in self.plans]}
        path = self.store.save(payload, force=force)
        self._force_next_save = False
        self.save_button.description = "Save plans"
        self.show_message(f"Saved {len(self.plans)} plan(s).", "ok")
        return path

    def load(self) -> None:
        """Load the saved plans; a damaged file changes nothing and is kept aside."""
        self._check_folder()
        if not self.store.exists():
            raise InputError("There are no saved plans yet: add a plan, then click Save plans.")
        self.plans = plans_from_document(self.store.load(), self.data_path.name)
        self._refresh_list()
        self.show_message(f"Loaded {len(self.plans)} saved plan(s).", "ok")

    def restore_previous(self) -> None:
        """Put the plans of the save before the last one back."""
        self._check_folder()
        self.plans = plans_from_document(self.store.restore_previous(), self.data_path.name)
        self._refresh_list()
        self.show_message(f"Restored the previous save ({len(self.plans)} plan(s)).", "ok")

    def export(self) -> Path | None:
        """Write the chosen export to the data folder and show a download link for it."""
        chosen = self.plans
        if self.export_scope.value == "one":
            index = self._selected_index()
            if index is None:
                raise InputError("no plan is selected: pick one, or export all plans")
            chosen = [self.plans[index]]
        if not chosen:
            raise InputError("there are no plans to export yet: add one first")
        name, mime, text = export_text(chosen, self.export_format.value, self.timezone.value)
        path = None
        where = ""
        if self.place == "computer" and not self.folder_problem:
            path = atomic_write_text(self.data_path.parent / EXPORT_FOLDER / name, text)
            where = f" (also written to your data folder, in {EXPORT_FOLDER}/)"
        self.download.value = join([download_link(text, name, mime, f"Download {name}"), where])
        self.show_message(f"Exported {len(chosen)} plan(s).", "ok")
        return path

    def suggest_dates(self) -> None:
        start, end = self.activity_start.value, self.activity_end.value
        if not isinstance(start, date) or not isinstance(end, date):
            raise InputError("pick the activity's start and end dates first")
        proposal = propose_dates(start, end)
        self.before_date.value = proposal["before_date"]
        self.after_date.value = proposal["after_date"]
        self._set_follow_ups(proposal["follow_ups"])
        self.show_message("Proposed dates filled in: change any of them to suit you both.")

    # ----------------------------------------------------------------------------- refreshing

    def _load_catalogue(self) -> None:
        try:
            self._catalogue = read_catalogue()
        except InputError as error:
            self._catalogue = []
            self.show_message(f"The resource catalogue could not be read.\n{error}", "error")
        self.skill.options = [("Any skill", ""), *((s, s) for s in skills(self._catalogue))]
        self._set_resources("")

    def _set_resources(self, skill: str, keep: tuple[str, ...] | list[str] = ()) -> None:
        """Offer the resources for ``skill``; keep titles in ``keep`` (and chosen ones) listed."""
        chosen = list(dict.fromkeys([*self.resources.value, *keep]))
        options = [
            (f"{r.title} ({r.type}, {r.duration_label})", r.title)
            for r in resources_for(skill, self._catalogue)
        ]
        listed = {title for _, title in options}
        options += [(title, title) for title in chosen if title not in listed]
        self.resources.options = options
        self.resources.value = tuple(t for t in chosen if t in {v for _, v in options})

    def _refresh_guidance(self) -> None:
        band = self.band.value or None
        self.hints.value = hints_html(check_goal(self.goal.value, band=band))
        self.prompts.value = prompts_html(band, self.mode.value)

    def _refresh_list(self, select: str | None = None) -> None:
        options = [
            (f"{p.member}: {p.activity} (before {p.before_date:%d %b %Y})", p.plan_id)
            for p in self.plans
        ]
        self.plan_list.unobserve(self._on_pick_plan, names="value")
        self.plan_list.options = options
        self.plan_list.value = select if select in {v for _, v in options} else None
        self.plan_list.observe(self._on_pick_plan, names="value")

    def _selected_index(self) -> int | None:
        for index, plan in enumerate(self.plans):
            if plan.plan_id == self.plan_list.value:
                return index
        return None

    # ------------------------------------------------------------------------------ handlers

    @safely
    def _on_scores(self, scores: list[Score]) -> None:
        self._scores = scores
        options = member_options(scores)
        current = self.scored_member.value
        self.scored_member.options = [
            ("Choose a scored team member" if options else "(no team scores yet)", ""),
            *options,
        ]
        self.scored_member.value = current if current in {v for _, v in options} else ""
        self.scorer_row.layout.display = "flex"  # (None would not undo "none" in every front end)

    @safely
    def _on_pick_scored(self, change: dict[str, Any]) -> None:
        name = change["new"]
        if name:
            self.member.value = name
            self.band.value = band_for(self._scores, name) or ""

    @safely
    def _on_guidance(self, _change: Any = None) -> None:
        self._refresh_guidance()

    @safely
    def _on_skill(self, change: dict[str, Any]) -> None:
        self._set_resources(change["new"])

    @safely
    def _on_pick_plan(self, change: dict[str, Any]) -> None:
        index = self._selected_index()
        if index is not None:
            self.fill_form(self.plans[index])

    @safely
    def _on_suggest(self, _button: Any = None) -> None:
        self.suggest_dates()

    @safely
    def _on_add(self, _button: Any = None) -> None:
        self.add_plan()

    @safely
    def _on_update(self, _button: Any = None) -> None:
        self.update_plan()

    @safely
    def _on_clear(self, _button: Any = None) -> None:
        for name in _TEXT_FIELDS:
            getattr(self, name).value = ""
        for picker in (*(getattr(self, n) for n in _DATE_FIELDS), *self.follow_ups):
            picker.value = None
        self.resources.value = ()
        self.check_in.value = False
        self._refresh_list()
        self.show_message("Form cleared.")

    def _on_check_in(self, change: dict[str, Any]) -> None:
        self.check_in_months.disabled = not change["new"]

    @safely
    def _on_delete(self, _button: Any = None) -> None:
        self.delete_plan()

    @safely
    def _on_export(self, _button: Any = None) -> None:
        self.export()
