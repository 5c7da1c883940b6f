"""RelationshipScorer: the ipywidgets app for scoring team relationships (a thin view).

All scoring, checking and exporting is done by the pure core (:mod:`widgets.core`); this module
only wires widgets to it, so the same app runs in JupyterLab, Voila and the browser (Pyodide).
Every message a user sees is escaped text, and every failure becomes a readable message in the
app, never a traceback. Nothing is assumed for a person: answers start empty.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..base.errors import InputError
from ..base.storage import (
    DocumentStore,
    atomic_write_text,
    data_dir,
    delete_saved_data,
)
from ..base.templating import fragment
from ..content.instrument import Instrument, load_instrument
from ..content.source import data_file
from ..core.history import snapshot_store
from ..core.members import Member, new_member
from ..core.scoring import (
    Score,
    gradient,
    member_guidance,
    score_members,
    score_table_rows,
    threshold_notes,
)
from ..core.teamfile import (
    MAX_NAME_LENGTH,
    parse_investment,
    read_team,
    team_csv_text,
    team_from_records,
    team_to_records,
)
from ..views.charts import team_chart_spec
from ..views.downloads import download_link
from ..views.vegalite import mimebundle
from .base import SavingApp
from .controls import answer_buttons, button_layout
from .gap_panel import attach_gap_panel
from .history_panel import HistoryPanel
from .messages import privacy_note, safely

KIND = "relationship-scorer"
SCHEMA_VERSION = 1
SAVE_NAME = "team.json"
EXAMPLE_SAVE_NAME = "example-team.json"
EXPORT_NAME = "team-export.csv"
EXAMPLE_FILE = "example_team.csv"
EXAMPLE_LABEL = "Synthetic example team (fictional people, made up for the book)"
NOT_RECORDED = "Not recorded"
TABLE_ROWS = 200
HISTORY_TAB = "Change over time"
TEMPLATE = "scorer.html.j2"


def team_table_html(scores: list[Score], instrument: Instrument | None = None) -> str:
    """The scores table as HTML with every cell escaped (names may contain markup)."""
    rows = score_table_rows(scores[:TABLE_ROWS], instrument) if scores else []
    return fragment(
        TEMPLATE,
        "team_table",
        columns=list(rows[0]) if rows else [],
        rows=rows,
        total=len(scores),
        unrated=sum(not s.complete for s in scores),
    )


class RelationshipScorer(SavingApp):
    """Score your relationship with each team member and see who may be left behind.

    ``.widget`` is the root widget; ``.team`` is the list of :class:`Member` records and
    ``.scores`` their scores. ``observe_scores(callback)`` calls ``callback(scores)`` after every
    change. ``place`` says where data is kept (``computer``, ``workshop``, ``browser`` or
    ``preview``); ``data_path`` is the saved team's file (by default in the user's data folder).
    """

    kept = "a team"

    def __init__(
        self,
        data_path: str | Path | None = None,
        *,
        autoload: bool = True,
        instrument: Instrument | None = None,
        workshop: bool = False,
        place: str | None = None,
    ) -> None:
        super().__init__()
        self.instrument = instrument or load_instrument()
        self.place = place or ("workshop" if workshop else "computer")
        self.workshop = self.place == "workshop"
        self.folder_problem = ""
        if data_path:
            self.data_path = Path(data_path)
        else:
            try:
                self.data_path = data_dir() / SAVE_NAME
            except InputError as error:  # the app still opens; saving says why it cannot
                self.folder_problem = str(error)
                self.data_path = Path(SAVE_NAME)
        self.store = DocumentStore(self.data_path, KIND, SCHEMA_VERSION)
        self.example_store = DocumentStore(
            self.data_path.with_name(EXAMPLE_SAVE_NAME), KIND, SCHEMA_VERSION
        )
        self.showing_example = False
        self._confirm_delete = False
        self._drafts: dict[str, dict[str, int | None]] = {}
        self._callbacks: list[Callable[[list[Score]], Any]] = []
        self._loading = False
        self._chart_stale = True
        self._team: list[Member] = []
        self._scores: list[Score] = []
        self.source_label = ""
        self._build()
        self._refresh_all()
        if self.folder_problem:
            self.show_message(self.folder_problem, "error")
        elif autoload and self.store.exists():
            self._on_load()

    # ------------------------------------------------------------------ public state and hooks

    @property
    def team(self) -> list[Member]:
        """The team's members (records are immutable, so the list is a safe copy)."""
        return list(self._team)

    @property
    def scores(self) -> list[Score]:
        """The scores of the current team, in team order."""
        return list(self._scores)

    @property
    def current_member(self) -> str | None:
        return self.member_picker.value

    def observe_scores(self, callback: Callable[[list[Score]], Any]) -> None:
        """Call ``callback(scores)`` whenever the team or any answer changes."""
        self._callbacks.append(callback)

    # ---------------------------------------------------------------------------- layout

    def _build(self) -> None:
        inst = self.instrument
        self.header = w.HTML(
            fragment(
                TEMPLATE,
                "header",
                note=inst.note,
                citation=inst.citation,
                privacy=privacy_note(self.place),
            )
        )
        self.source_html = w.HTML()

        self.member_picker = w.Dropdown(
            description="Member", options=[], value=None, layout=w.Layout(max_width="100%")
        )
        self.name_box = w.Text(
            description="Name",
            placeholder="name or alias",
            continuous_update=True,
            layout=w.Layout(width="260px", max_width="100%"),
        )
        self.add_button = w.Button(description="Add member", layout=button_layout())
        self.rename_button = w.Button(description="Rename", layout=button_layout())
        self.remove_button = w.Button(
            description="Remove", button_style="warning", layout=button_layout()
        )
        self.add_button.on_click(self._on_add)
        self.rename_button.on_click(self._on_rename)
        self.remove_button.on_click(self._on_remove)
        self.member_picker.observe(self._on_pick, "value")

        views = inst.perspectives
        self.perspective = w.ToggleButtons(
            options=[(views["manager"]["label"], "manager"), (views["member"]["label"], "member")],
            value="manager",
            description="Answering",
            tooltips=[views["manager"]["help"], views["member"]["help"]],
            style={"button_width": "auto"},
        )
        self.perspective_help = w.HTML()
        self.clear_theirs_button = w.Button(
            description="Clear their answers", layout=button_layout()
        )
        self.clear_theirs_button.on_click(self._on_clear_theirs)
        self.perspective.observe(self._on_perspective, "value")

        self.questions: dict[str, w.HTML] = {}
        self.answers: dict[str, w.ToggleButtons] = {}
        item_boxes = []
        for number, item in enumerate(inst.items, start=1):
            question = w.HTML()
            answer = answer_buttons(item)
            answer.observe(functools.partial(self._on_answer, item.id), "value")
            self.questions[item.id] = question
            self.answers[item.id] = answer
            item_boxes.append(w.VBox([question, answer], layout=w.Layout(margin="0 0 4px 0")))
            question.value = self._question_html(number, item.theme, item.manager)

        self.result_html = w.HTML()

        self.investment_inputs: dict[str, w.Widget] = {}
        investment_boxes = []
        for spec in inst.investment_fields:
            if spec.kind == "choice":
                control: w.Widget = w.Dropdown(
                    options=[(NOT_RECORDED, None)] + [(o.label, o.value) for o in spec.options],
                    value=None,
                    description=spec.label,
                    style={"description_width": "initial"},
                    layout=w.Layout(width="560px", max_width="100%"),
                )
            else:
                control = w.Text(
                    description=spec.label,
                    placeholder=f"{spec.min}-{spec.max}, blank = not recorded",
                    continuous_update=False,
                    style={"description_width": "initial"},
                    layout=w.Layout(width="420px", max_width="100%"),
                )
            control.observe(functools.partial(self._on_investment, spec.id), "value")
            self.investment_inputs[spec.id] = control
            investment_boxes.append(
                w.VBox([control, w.HTML(fragment("common.html.j2", "small", text=spec.help))])
            )

        wrap = w.Layout(flex_flow="row wrap")
        member_panel = w.VBox(
            [
                w.HBox([self.member_picker], layout=wrap),
                w.HBox(
                    [self.name_box, self.add_button, self.rename_button, self.remove_button],
                    layout=wrap,
                ),
                self.result_html,
                w.HTML("<h4>Relationship items</h4>"),
                w.HBox([self.perspective, self.clear_theirs_button], layout=wrap),
                self.perspective_help,
                *item_boxes,
                w.HTML(fragment(TEMPLATE, "investment_heading", period=inst.investment_period)),
                *investment_boxes,
            ]
        )

        self.gradient_html = w.HTML()
        self.table_html = w.HTML()
        self.chart_output = w.Output()
        self.redraw_button = w.Button(description="Redraw chart", layout=button_layout())
        self.redraw_button.on_click(self._on_redraw)
        team_panel = w.VBox(
            [
                w.HTML(fragment(TEMPLATE, "team_heading", note=inst.note)),
                self.gradient_html,
                self.table_html,
                self.redraw_button,
                self.chart_output,
            ]
        )

        self.upload = w.FileUpload(accept=".csv,text/csv", multiple=False, description="Import CSV")
        self.upload.observe(self._on_upload, "value")
        self.export_button = w.Button(description="Export CSV", layout=button_layout())
        self.export_button.on_click(self._on_export)
        self.export_html = w.HTML()
        self.save_button = w.Button(
            description="Save", button_style="primary", layout=button_layout()
        )
        self.load_button = w.Button(description="Load saved team", layout=button_layout())
        self.restore_button = w.Button(description="Restore previous save", layout=button_layout())
        self.example_button = w.Button(
            description="Load synthetic example team", layout=button_layout()
        )
        self.delete_button = w.Button(
            description="Delete my data", button_style="danger", layout=button_layout()
        )
        self.save_button.on_click(self._on_save)
        self.load_button.on_click(self._on_load)
        self.restore_button.on_click(self._on_restore)
        self.example_button.on_click(self._on_example)
        self.delete_button.on_click(self._on_delete)
        file_panel = w.VBox(
            [
                w.HTML(fragment(TEMPLATE, "files_heading", where=self._where_kept())),
                w.HBox([self.save_button, self.load_button, self.restore_button], layout=wrap),
                w.HBox([self.upload, self.export_button], layout=wrap),
                self.export_html,
                w.HBox([self.example_button, self.delete_button], layout=wrap),
            ]
        )

        self.history = HistoryPanel(
            snapshot_store(self.data_path),
            inst,
            show_message=self.show_message,
            check_folder=self._check_folder,
            place=self.place,
        )
        self.tabs = w.Tab(children=[member_panel, team_panel, file_panel, self.history.widget])
        for index, title in enumerate(("Member", "Team", "Files", HISTORY_TAB)):
            self.tabs.set_title(index, title)
        self.tabs.observe(self._on_tab, "selected_index")
        self.gap_panel = attach_gap_panel(self)  # the "Compare views" tab, after the others
        self.widget = w.VBox([self.header, self.source_html, self.status, self.tabs])
        self.widget.add_class("l4l-scorer")

    def _where_kept(self) -> str:
        if self.place == "workshop":
            return (
                "Save keeps your team for this page while the workshop runs; reloading the page "
                "starts again from empty, so export a CSV to take your team home."
            )
        if self.place == "browser":
            return "Save keeps your team in this browser's own storage, on this device only."
        if self.place == "preview":
            return "In this illustration nothing is saved."
        return f"Save keeps your team in your data folder: {self.data_path.parent}"

    @staticmethod
    def _question_html(number: int, theme: str, text: str) -> str:
        return fragment("common.html.j2", "question", number=number, theme=theme, text=text)

    # ----------------------------------------------------------------------- team changes

    def _names(self) -> list[str]:
        return [m.name for m in self._team]

    def _index_of(self, name: str | None) -> int | None:
        if name is None:
            return None
        names = self._names()
        return names.index(name) if name in names else None

    def _check_name(self, name: str, ignore: str | None = None) -> str:
        """A new or changed name, checked by the same rules as a team file's names."""
        if not name.strip():
            raise InputError("Type a name or alias first.")
        if len(name.strip()) > MAX_NAME_LENGTH:
            raise InputError(f"Use a name of at most {MAX_NAME_LENGTH} characters.")
        checked = team_from_records(
            [{"member": name, **dict.fromkeys(self.instrument.item_ids)}],
            instrument=self.instrument,
        )[0].name
        folded = checked.casefold()
        for existing in self._names():
            if existing.casefold() == folded and existing != ignore:
                raise InputError(f"There is already a member called {existing}: pick another name.")
        return checked

    def add_member(self, name: str) -> None:
        """Add a member with no answers yet, and select them."""
        name = self._check_name(name)
        self._team.append(new_member(name, self.instrument))
        self._team_changed(select=name)
        self.show_message(
            f"Added {name}. Answer all {len(self.instrument.items)} items to see their total "
            "and band.",
            "ok",
        )

    def rename_member(self, new_name: str) -> None:
        """Rename the selected member (names stay unique, ignoring capitals)."""
        old = self.current_member
        if old is None:
            raise InputError("Pick a member to rename first.")
        name = self._check_name(new_name, ignore=old)
        index = self._index_of(old)
        assert index is not None
        self._team[index] = replace(self._team[index], name=name)
        if old in self._drafts:
            self._drafts[name] = self._drafts.pop(old)
        self._team_changed(select=name)
        self.show_message(f"Renamed {old} to {name}.", "ok")

    def remove_member(self) -> None:
        """Remove the selected member from the team (the save is untouched until Save)."""
        name = self.current_member
        index = self._index_of(name)
        if name is None or index is None:
            raise InputError("Pick a member to remove first.")
        del self._team[index]
        self._drafts.pop(name, None)
        names = self._names()
        following = names[min(index, len(names) - 1)] if names else None
        self._team_changed(select=following)
        self.show_message(
            f"Removed {name}. This is not saved yet: use Load saved team to undo.", "ok"
        )

    def set_their_answers(
        self, name: str, answers: tuple[int, ...], *, replace_existing: bool = False
    ) -> bool:
        """Put a member's own answers (from the member form) in place of those typed in.

        Returns False and changes nothing when the member already has some answers under Their
        view and ``replace_existing`` is not set, so the caller can ask first.
        """
        index = self._index_of(name)
        if index is None:
            raise InputError(f"There is no team member called {name}: pick one from the list.")
        member = self._team[index]
        typed = member.has_their_view or any(
            v is not None for v in self._drafts.get(name, {}).values()
        )
        if typed and not replace_existing:
            return False
        if len(answers) != len(self.instrument.items):
            raise InputError(f"Expected {len(self.instrument.items)} answers, got {len(answers)}.")
        self._team[index] = replace(member, their_answers=tuple(answers))
        self._drafts.pop(name, None)
        self._changed()
        if name == self.current_member:
            self._show_member()
        return True

    def replace_team(self, team: list[Member], label: str = "", *, example: bool = False) -> None:
        """Replace the whole team (after an import, a load or the example)."""
        self._team = list(team)
        self._drafts = {}
        self.source_label = label
        self.showing_example = example
        self.save_button.description = "Save example copy" if example else "Save"
        names = self._names()
        self._team_changed(select=names[0] if names else None, redraw=True)

    def _team_changed(self, select: str | None, redraw: bool = False) -> None:
        self._recompute()
        self._loading = True
        try:
            self.member_picker.options = self._names()
            self.member_picker.value = select
        finally:
            self._loading = False
        self._show_member()
        self._refresh_team_views(redraw=redraw)

    def _recompute(self) -> None:
        self._scores = score_members(self._team, self.instrument)
        self._chart_stale = True

    def _current(self) -> Member | None:
        index = self._index_of(self.current_member)
        return None if index is None else self._team[index]

    def _put(self, member: Member) -> None:
        index = self._index_of(member.name)
        assert index is not None
        self._team[index] = member

    # ---------------------------------------------------------------------- member view

    def _show_member(self) -> None:
        """Load the current member's answers into the inputs (without triggering updates)."""
        member = self._current()
        inst = self.instrument
        view = self.perspective.value
        self._loading = True
        try:
            enabled = member is not None
            for position, item in enumerate(inst.items):
                text = item.manager if view == "manager" else item.member
                self.questions[item.id].value = self._question_html(position + 1, item.theme, text)
                answer = self.answers[item.id]
                answer.disabled = not enabled
                if member is None:
                    answer.value = None
                elif view == "manager":
                    answer.value = member.answers[position]
                else:
                    theirs = member.their_answers[position] if member.has_their_view else None
                    draft = self._drafts.get(member.name, {})
                    answer.value = theirs if theirs is not None else draft.get(item.member_id)
            for spec in inst.investment_fields:
                control = self.investment_inputs[spec.id]
                control.disabled = not enabled
                value = member.investment.get(spec.id) if member else None
                if spec.kind == "choice":
                    control.value = value
                else:
                    control.value = "" if value is None else str(int(value))
            self.rename_button.disabled = self.remove_button.disabled = not enabled
            self.clear_theirs_button.layout.display = "" if view == "member" else "none"
            self.perspective_help.value = fragment(
                "common.html.j2", "small", text=inst.perspectives[view]["help"]
            )
            if member is not None:
                self.name_box.value = member.name
        finally:
            self._loading = False
        self._refresh_result()

    def _score_of(self, name: str) -> Score:
        index = self._index_of(name)
        assert index is not None
        return self._scores[index]

    def _refresh_result(self) -> None:
        """The live total, band, guidance and note for the current member."""
        inst = self.instrument
        name = self.current_member
        if name is None:
            self.result_html.value = fragment(TEMPLATE, "no_member")
            return
        score = self._score_of(name)
        low, high = inst.total_range
        rated = score.total is not None and score.band is not None
        investment = ""
        if rated:
            index = score.investment_index
            investment = (
                inst.unknown_investment_label.lower()
                if index is None
                else f"{index:.2f} ({score.investment_band.label.lower()})"
            )
        self.result_html.value = fragment(
            TEMPLATE,
            "result",
            name=name,
            items=len(inst.items),
            answered=score.member.answered,
            score=score if rated else None,
            high=high,
            low=low,
            investment=investment,
            guidance=member_guidance(score, inst) if rated else [],
            flags=score.flags if rated else [],
            theirs=self._their_progress(score),
            thresholds=self._threshold_lines(score),
            note=inst.note,
        )

    def _threshold_lines(self, score: Score) -> list[str]:
        """The book's cut-offs behind this member's result (left-behind rule, perception gap)."""
        notes = threshold_notes(self.instrument)
        shown = ["left_behind"] if score.band is not None else []
        if score.member_total is not None:
            shown.append("perception_gap")
        return [notes[key] for key in shown]

    def _their_progress(self, score: Score) -> str:
        if score.member_total is not None:
            if score.perception_gap is None:
                return f"Their own total: {score.member_total}."
            return (
                f"Their own total: {score.member_total} (perception gap "
                f"{score.perception_gap:+d}: their total minus yours)."
            )
        answered = sum(v is not None for v in self._drafts.get(score.name, {}).values())
        if answered:
            return (
                f"Their view: {answered} of {len(self.instrument.items)} answered. The perception "
                "gap appears once all are answered."
            )
        return ""

    # ------------------------------------------------------------------------ callbacks

    @safely
    def _on_add(self, _button: Any = None) -> None:
        self.add_member(self.name_box.value)

    @safely
    def _on_rename(self, _button: Any = None) -> None:
        self.rename_member(self.name_box.value)

    @safely
    def _on_remove(self, _button: Any = None) -> None:
        self.remove_member()

    @safely
    def _on_pick(self, change: dict[str, Any]) -> None:
        if not self._loading:
            self._show_member()

    @safely
    def _on_perspective(self, change: dict[str, Any]) -> None:
        self._show_member()

    @safely
    def _on_answer(self, item_id: str, change: dict[str, Any]) -> None:
        member = self._current()
        if self._loading or member is None or change["new"] is None:
            return
        if self.perspective.value == "manager":
            self._put(member.with_answer(self.instrument, item_id, int(change["new"])))
        else:
            self._set_their_answer(member, "m_" + item_id, int(change["new"]))
        self._changed()

    def _set_their_answer(self, member: Member, column: str, value: int) -> None:
        """Keep partial member answers as a draft; store them only once all are given."""
        inst = self.instrument
        ids = inst.member_item_ids
        current = member.their_answers if member.has_their_view else (None,) * len(ids)
        draft = self._drafts.setdefault(member.name, dict(zip(ids, current, strict=True)))
        draft[column] = value
        complete = all(draft.get(m) is not None for m in ids)
        theirs = tuple(draft[m] for m in ids) if complete else (None,) * len(ids)
        self._put(replace(member, their_answers=theirs))

    @safely
    def _on_clear_theirs(self, _button: Any = None) -> None:
        member = self._current()
        if member is None:
            return
        self._put(replace(member, their_answers=(None,) * len(self.instrument.items)))
        self._drafts.pop(member.name, None)
        self._changed()
        self._show_member()

    @safely
    def _on_investment(self, field_id: str, change: dict[str, Any]) -> None:
        member = self._current()
        if self._loading or member is None:
            return
        spec = self.instrument.investment_field(field_id)
        raw = change["new"]
        if spec.kind == "count":
            value, error = parse_investment(spec, "" if raw is None else str(raw))
            if error:
                self.show_message(f"{spec.label}: {error[0]} ({raw!r}). Fix: {error[1]}.", "error")
                return
            self._put(member.with_investment(field_id, value))
        else:
            self._put(member.with_investment(field_id, raw))
        self._changed()

    def _changed(self) -> None:
        """After one answer changed: rescore, update the text views, and mark the chart stale."""
        self._recompute()
        self._refresh_result()
        self.show_message("Changed (not saved yet).")
        self._refresh_team_views(redraw=False)

    def _refresh_team_views(self, redraw: bool) -> None:
        self.table_html.value = team_table_html(self._scores, self.instrument)
        result = gradient(self._scores, self.instrument)
        notes = threshold_notes(self.instrument)
        self.gradient_html.value = fragment(
            TEMPLATE,
            "gradient",
            summary=result["summary"],
            gradient_note=notes["gradient"],
            left_behind_note=notes["left_behind"],
        )
        self.source_html.value = fragment(TEMPLATE, "source", label=self.source_label or "")
        if redraw or self.tabs.selected_index == 1:
            self.redraw_chart()
        else:
            self.redraw_button.description = "Redraw chart (out of date)"
        for callback in list(self._callbacks):
            try:
                callback(self.scores)
            except Exception as exc:  # another tool's bug must not break this one
                self.show_message(
                    f"A connected tool could not update ({type(exc).__name__}: {exc}). Your "
                    "scores here are fine.",
                    "error",
                )

    def redraw_chart(self) -> None:
        """Draw the team chart into the Team tab (called when the tab opens or on request)."""
        if not any(s.complete for s in self._scores):
            self.chart_output.outputs = ()
        else:
            spec = team_chart_spec(
                self._scores, self.instrument, subtitle=self.source_label or None
            )
            data, metadata = mimebundle(spec)
            self.chart_output.outputs = (
                {"output_type": "display_data", "data": data, "metadata": metadata},
            )
        self._chart_stale = False
        self.redraw_button.description = "Redraw chart"

    @safely
    def _on_redraw(self, _button: Any = None) -> None:
        self.redraw_chart()

    @safely
    def _on_tab(self, change: dict[str, Any]) -> None:
        if change["new"] == 1 and self._chart_stale:
            self.redraw_chart()
        elif change["new"] == 3:
            self.history.refresh()

    def _refresh_all(self) -> None:
        names = self._names()
        self._team_changed(select=names[0] if names else None, redraw=True)

    # -------------------------------------------------------------------------- files

    def import_csv(self, content: bytes, name: str | None = None) -> None:
        """Replace the team with a CSV's members; on any problem nothing changes."""
        team = read_team(content, instrument=self.instrument, name=name)
        self.replace_team(team, label=f"Imported from {name}" if name else "Imported team")
        self.show_message(
            f"Imported {len(team)} members. Not saved yet: click Save to keep them.", "ok"
        )

    @safely
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        try:
            self.import_csv(bytes(upload["content"]), name=upload.get("name"))
        finally:
            self.upload.value = ()  # so the same file can be chosen again after a fix

    def export_csv(self) -> Path | None:
        """Offer the team CSV as a download (and, on a computer, write it to the data folder)."""
        text = team_csv_text(self._team, instrument=self.instrument)
        path = None
        where = ""
        if self.place == "computer" and not self.folder_problem:
            path = atomic_write_text(self.data_path.with_name(EXPORT_NAME), text)
            where = f" (also written to your data folder as {EXPORT_NAME})"
        link = download_link(text, "team.csv", "text/csv", "Download team.csv")
        self.export_html.value = fragment("common.html.j2", "download", link=link, where=where)
        self.show_message(f"Exported {len(self._team)} members.", "ok")
        return path

    @safely
    def _on_export(self, _button: Any = None) -> None:
        self.export_csv()

    def save(self, *, force: bool = False) -> Path:
        """Save the team (the example goes to its own file and never replaces your team).

        The previous version is kept; a save that would replace changes made elsewhere since
        this page loaded the file asks first (click Save again to replace them).
        """
        self._check_folder()
        store = self.example_store if self.showing_example else self.store
        payload = {"team": team_to_records(self._team, self.instrument)}
        path = store.save(payload, force=force)
        self.save_button.description = "Save example copy" if self.showing_example else "Save"
        self._force_next_save = False
        if self.showing_example:
            self.show_message(
                f"Saved the synthetic example separately as {path.name}; your own team "
                f"({self.store.path.name}) is untouched.",
                "ok",
            )
        else:
            kept = self.history.record(self._team)
            self.show_message(f"Saved {len(self._team)} members. {kept}", "ok")
        return path

    def load(self) -> None:
        """Load the saved team; a missing or damaged save changes nothing and is kept."""
        self._check_folder()
        if not self.store.exists():
            raise InputError("There is no saved team yet: add members, then click Save.")
        document = self.store.load()
        records = document.get("team")
        if not isinstance(records, list):
            raise InputError("The saved file has no team list: restore the previous save.")
        team = team_from_records(
            records, instrument=self.instrument, source=self.data_path.name, allow_empty=True
        )
        self.replace_team(team, label="")
        self.show_message(f"Loaded {len(team)} members from your saved team.", "ok")

    def restore_previous(self) -> None:
        """Put the version before the last save back (the replaced one becomes the previous)."""
        self._check_folder()
        document = self.store.restore_previous()
        team = team_from_records(
            document.get("team") or [], instrument=self.instrument, allow_empty=True
        )
        self.replace_team(team, label="")
        self.show_message(f"Restored the previous save ({len(team)} members).", "ok")

    def load_example(self) -> None:
        """Show the book's synthetic example team (never saved over your own team)."""
        team = read_team(data_file(EXAMPLE_FILE), instrument=self.instrument)
        self.replace_team(team, label=EXAMPLE_LABEL, example=True)
        self.show_message(
            "Showing the synthetic example team: fictional people, not your data. Saving it "
            "keeps a separate example copy; Load saved team brings your own team back.",
            "ok",
        )

    def delete_saved_data(self) -> list[str]:
        """Delete everything the tools keep in the data folder (team, plans, copies, exports)."""
        self._check_folder()
        removed = delete_saved_data(self.data_path.parent)
        self.store.seen = self.example_store.seen = None
        self.history.refresh()
        self.show_message(
            f"Deleted {len(removed)} saved file(s). What is on screen stays until you leave the "
            "page; nothing is kept.",
            "ok",
        )
        return removed

    @safely
    def _on_example(self, _button: Any = None) -> None:
        self.load_example()

    @safely
    def _on_delete(self, _button: Any = None) -> None:
        if not self._confirm_delete:
            self._confirm_delete = True
            self.delete_button.description = "Click again to delete"
            self.show_message(
                "This deletes your saved team, plans, snapshots and earlier versions from this "
                "device. Click the button again to delete them.",
                "error",
            )
            return
        self._confirm_delete = False
        self.delete_button.description = "Delete my data"
        self.delete_saved_data()
