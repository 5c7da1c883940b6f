"""RelationshipScorer: the ipywidgets app for scoring team relationships (a thin view).

All scoring, checking and exporting is done by pure functions in :mod:`widgets.scoring` and
:mod:`widgets.teamfile`; this module only wires widgets to them. Every message a user sees is
escaped text, and every failure becomes a readable message in the app, never a traceback.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w
import pandas as pd

from ..base.errors import InputError
from ..base.escaping import escape_html
from ..base.storage import atomic_write_text, data_dir, load_document, save_document
from ..content.instrument import SCALE, Instrument, load_instrument
from ..content.source import data_file
from ..core.scoring import investment_gradient, member_guidance, score_team, scores_table
from ..core.teamfile import (
    MAX_NAME_LENGTH,
    MEMBER,
    empty_team,
    parse_investment,
    read_team_csv,
    team_from_records,
    team_to_records,
    write_team_csv,
)
from ..views.charts import team_chart
from ..views.vegalite import mimebundle
from .messages import message_html, privacy_note, safely

KIND = "relationship-scorer"
SCHEMA_VERSION = 1
SAVE_NAME = "team.json"
EXPORT_NAME = "team-export.csv"
EXAMPLE_FILE = "example_team.csv"
EXAMPLE_LABEL = "Synthetic example team (fictional people, made up for the book)"
MIDDLE = SCALE[len(SCALE) // 2]
NOT_RECORDED = "Not recorded"
TABLE_ROWS = 200
TABLE_STYLE = (
    ".l4l-scores{border-collapse:collapse}"
    ".l4l-scores th,.l4l-scores td{padding:2px 8px;text-align:left;border-bottom:1px solid #ddd}"
)


def team_table_html(scored: pd.DataFrame, instrument: Instrument | None = None) -> str:
    """The scores table as HTML with every cell escaped (names may contain markup)."""
    if scored.empty:
        return "<p>No members yet: add one, import a CSV or load the synthetic example team.</p>"
    shown = scored if len(scored) <= TABLE_ROWS else scored.iloc[:TABLE_ROWS]
    table = scores_table(shown, instrument)
    head = "".join(f'<th scope="col">{escape_html(c)}</th>' for c in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape_html(cell)}</td>" for cell in row) + "</tr>"
        for row in table.itertuples(index=False, name=None)
    )
    more = ""
    if len(scored) > TABLE_ROWS:
        more = (
            f"<p>Showing the first {TABLE_ROWS} of {len(scored)} members; export the CSV to see "
            "everyone.</p>"
        )
    return (
        f"<style>{TABLE_STYLE}</style>"
        f'<table class="l4l-scores"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        f"{more}"
    )


class RelationshipScorer:
    """Score your relationship with each team member and see who may be left behind.

    ``.widget`` is the root widget; ``.team`` is the team (team-CSV shape) and ``.scored`` its
    scores. ``observe_scores(callback)`` calls ``callback(scored)`` after every change.
    """

    def __init__(
        self,
        data_path: str | Path | None = None,
        *,
        autoload: bool = True,
        instrument: Instrument | None = None,
        workshop: bool = False,
    ) -> None:
        self.instrument = instrument or load_instrument()
        self.workshop = workshop  # on a shared workshop server: say where data is kept there
        self.data_path = Path(data_path) if data_path else data_dir() / SAVE_NAME
        self._drafts: dict[str, dict[str, int | None]] = {}
        self._callbacks: list[Callable[[pd.DataFrame], Any]] = []
        self._loading = False
        self._chart_stale = True
        self._team = empty_team(self.instrument)
        self._scored = score_team(self._team, self.instrument)
        self.source_label = ""
        self._build()
        self._refresh_all()
        if autoload and self.data_path.is_file():
            self._on_load()

    # ------------------------------------------------------------------ public state and hooks

    @property
    def team(self) -> pd.DataFrame:
        """The team in the team-CSV shape (a copy)."""
        return self._team.copy()

    @property
    def scored(self) -> pd.DataFrame:
        """The :func:`score_team` result for the current team (a copy)."""
        return self._scored.copy()

    @property
    def current_member(self) -> str | None:
        return self.member_picker.value

    def observe_scores(self, callback: Callable[[pd.DataFrame], Any]) -> None:
        """Call ``callback(scored)`` whenever the team or any answer changes."""
        self._callbacks.append(callback)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    # ---------------------------------------------------------------------------- layout

    def _build(self) -> None:
        inst = self.instrument
        self.header = w.HTML(
            f"<h3>Score your team relationships</h3><p><em>{escape_html(inst.note)}</em> "
            f"{escape_html(inst.citation)} {escape_html(privacy_note(self.workshop))}</p>"
        )
        self.status = w.HTML(message_html("Ready."))
        self.source_html = w.HTML()

        self.member_picker = w.Dropdown(description="Member", options=[], value=None)
        self.name_box = w.Text(
            description="Name",
            placeholder="name or alias",
            continuous_update=True,
            layout=w.Layout(width="260px"),
        )
        self.add_button = w.Button(description="Add member")
        self.rename_button = w.Button(description="Rename")
        self.remove_button = w.Button(description="Remove", button_style="warning")
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
        )
        self.perspective_help = w.HTML()
        self.clear_theirs_button = w.Button(description="Clear their answers")
        self.clear_theirs_button.on_click(self._on_clear_theirs)
        self.perspective.observe(self._on_perspective, "value")

        self.questions: dict[str, w.HTML] = {}
        self.answers: dict[str, w.ToggleButtons] = {}
        item_boxes = []
        for number, item in enumerate(inst.items, start=1):
            question = w.HTML()
            answer = w.ToggleButtons(
                options=[(label, value) for value, label in zip(SCALE, item.anchors, strict=True)],
                value=MIDDLE,
                tooltips=[
                    f"{value} of {SCALE[-1]}: {label}"
                    for value, label in zip(SCALE, item.anchors, strict=True)
                ],
                style={"button_width": "auto"},
                layout=w.Layout(margin="0 0 6px 0"),
            )
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
                    style={"description_width": "220px"},
                    layout=w.Layout(width="560px"),
                )
            else:
                control = w.Text(
                    description=spec.label,
                    placeholder=f"{spec.min}-{spec.max}, blank = not recorded",
                    continuous_update=False,
                    style={"description_width": "220px"},
                    layout=w.Layout(width="420px"),
                )
            control.observe(functools.partial(self._on_investment, spec.id), "value")
            self.investment_inputs[spec.id] = control
            investment_boxes.append(
                w.VBox([control, w.HTML(f"<small>{escape_html(spec.help)}</small>")])
            )

        member_panel = w.VBox(
            [
                w.HBox([self.member_picker]),
                w.HBox([self.name_box, self.add_button, self.rename_button, self.remove_button]),
                self.result_html,
                w.HTML("<h4>Relationship items</h4>"),
                w.HBox([self.perspective, self.clear_theirs_button]),
                self.perspective_help,
                *item_boxes,
                w.HTML(
                    f"<h4>Development investment ({escape_html(inst.investment_period)})</h4>"
                    "<p>Leave a field as not recorded if you are unsure; unknown is not zero.</p>"
                ),
                *investment_boxes,
            ]
        )

        self.gradient_html = w.HTML()
        self.table_html = w.HTML()
        self.chart_output = w.Output()
        self.redraw_button = w.Button(description="Redraw chart")
        self.redraw_button.on_click(self._on_redraw)
        team_panel = w.VBox(
            [
                w.HTML(f"<h4>Team overview</h4><p><em>{escape_html(inst.note)}</em></p>"),
                self.gradient_html,
                self.table_html,
                self.redraw_button,
                self.chart_output,
            ]
        )

        self.upload = w.FileUpload(accept=".csv,text/csv", multiple=False, description="Import CSV")
        self.upload.observe(self._on_upload, "value")
        self.export_button = w.Button(description="Export CSV")
        self.export_button.on_click(self._on_export)
        self.export_html = w.HTML()
        self.save_button = w.Button(description="Save", button_style="primary")
        self.load_button = w.Button(description="Load saved team")
        self.example_button = w.Button(
            description="Load synthetic example team", layout=w.Layout(width="auto")
        )
        self.save_button.on_click(self._on_save)
        self.load_button.on_click(self._on_load)
        self.example_button.on_click(self._on_example)
        if self.workshop:
            kept = (
                "Save keeps your team for this page while the workshop runs; reloading the page "
                "starts again from empty, so export a CSV to take your team home."
            )
        else:
            kept = (
                "Save keeps your team in your own data folder "
                f"(<code>{escape_html(self.data_path)}</code>)."
            )
        file_panel = w.VBox(
            [
                w.HTML(
                    f"<h4>Files</h4><p>{kept} Import reads a team CSV (see the chapter for the "
                    "columns); a failed import changes nothing. Export writes a CSV that is safe "
                    "to open in a spreadsheet.</p>"
                ),
                w.HBox([self.save_button, self.load_button]),
                w.HBox([self.upload, self.export_button]),
                self.export_html,
                self.example_button,
            ]
        )

        self.tabs = w.Tab(children=[member_panel, team_panel, file_panel])
        for index, title in enumerate(("Member", "Team", "Files")):
            self.tabs.set_title(index, title)
        self.tabs.observe(self._on_tab, "selected_index")
        self.widget = w.VBox([self.header, self.source_html, self.status, self.tabs])
        self.widget.add_class("l4l-scorer")

    @staticmethod
    def _question_html(number: int, theme: str, text: str) -> str:
        return f"<b>{number}. {escape_html(theme)}</b>: {escape_html(text)}"

    # --------------------------------------------------------------------------- messages

    def show_message(self, text: str, kind: str = "info") -> None:
        """Show ``text`` (escaped) in the status line; kind is info, ok or error."""
        self.status.value = message_html(text, kind)

    # ----------------------------------------------------------------------- team changes

    def _names(self) -> list[str]:
        return list(self._team[MEMBER])

    def _index_of(self, name: str | None) -> int | None:
        if name is None:
            return None
        names = self._names()
        return names.index(name) if name in names else None

    def _check_name(self, name: str, ignore: str | None = None) -> str:
        name = name.strip()
        if not name:
            raise InputError("Type a name or alias first.")
        if len(name) > MAX_NAME_LENGTH:
            raise InputError(f"Use a name of at most {MAX_NAME_LENGTH} characters.")
        folded = name.casefold()
        for existing in self._names():
            if existing.casefold() == folded and existing != ignore:
                raise InputError(f"There is already a member called {existing}: pick another name.")
        return name

    def add_member(self, name: str) -> None:
        """Add a member whose answers start at the middle anchor, and select them."""
        name = self._check_name(name)
        record = {MEMBER: name, **{item_id: MIDDLE for item_id in self.instrument.item_ids}}
        row = team_from_records([record], instrument=self.instrument)
        self._team = pd.concat([self._team, row], ignore_index=True) if len(self._team) else row
        self._team_changed(select=name)
        self.show_message(
            f"Added {name}. Every item starts at the middle answer: go through all seven.", "ok"
        )

    def rename_member(self, new_name: str) -> None:
        """Rename the selected member (names stay unique, ignoring capitals)."""
        old = self.current_member
        if old is None:
            raise InputError("Pick a member to rename first.")
        name = self._check_name(new_name, ignore=old)
        self._team.at[self._index_of(old), MEMBER] = name
        if old in self._drafts:
            self._drafts[name] = self._drafts.pop(old)
        self._team_changed(select=name)
        self.show_message(f"Renamed {old} to {name}.", "ok")

    def remove_member(self) -> None:
        """Remove the selected member from the team (the save is untouched until Save)."""
        name = self.current_member
        if name is None:
            raise InputError("Pick a member to remove first.")
        index = self._index_of(name)
        self._team = self._team.drop(index=index).reset_index(drop=True)
        self._drafts.pop(name, None)
        names = self._names()
        following = names[min(index, len(names) - 1)] if names else None
        self._team_changed(select=following)
        self.show_message(
            f"Removed {name}. This is not saved yet: use Load saved team to undo.", "ok"
        )

    def replace_team(self, team: pd.DataFrame, label: str = "") -> None:
        """Replace the whole team (after an import, a load or the example)."""
        self._team = team.reset_index(drop=True).copy()
        self._drafts = {}
        self.source_label = label
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
        """Rescore the team. Every edit keeps the frame valid, so it is not re-checked here."""
        self._scored = score_team(self._team, self.instrument, checked=True)
        self._chart_stale = True

    def _set(self, column: str, value: Any) -> None:
        """Set one cell of the current member (values come from the widgets' own options)."""
        self._team.at[self._index_of(self.current_member), column] = value

    # ---------------------------------------------------------------------- member view

    def _current_row(self) -> dict[str, Any] | None:
        index = self._index_of(self.current_member)
        if index is None:
            return None
        row = self._team.iloc[index].to_dict()
        return {k: (None if v is None or v is pd.NA else v) for k, v in row.items()}

    def _show_member(self) -> None:
        """Load the current member's answers into the inputs (without triggering updates)."""
        row = self._current_row()
        view = self.perspective.value
        self._loading = True
        try:
            enabled = row is not None
            for number, item in enumerate(self.instrument.items, start=1):
                text = item.manager if view == "manager" else item.member
                self.questions[item.id].value = self._question_html(number, item.theme, text)
                answer = self.answers[item.id]
                answer.disabled = not enabled
                if row is None:
                    answer.value = MIDDLE if view == "manager" else None
                elif view == "manager":
                    answer.value = int(row[item.id])
                else:
                    theirs = row[item.member_id]
                    draft = self._drafts.get(row[MEMBER], {})
                    answer.value = int(theirs) if theirs is not None else draft.get(item.member_id)
            for spec in self.instrument.investment_fields:
                control = self.investment_inputs[spec.id]
                control.disabled = not enabled
                value = row.get(spec.id) if row else None
                if spec.kind == "choice":
                    control.value = value
                else:
                    control.value = "" if value is None else str(int(value))
            self.rename_button.disabled = self.remove_button.disabled = not enabled
            self.clear_theirs_button.layout.display = "" if view == "member" else "none"
            self.perspective_help.value = (
                f"<small>{escape_html(self.instrument.perspectives[view]['help'])}</small>"
            )
            if row is not None:
                self.name_box.value = row[MEMBER]
        finally:
            self._loading = False
        self._refresh_result()

    def _refresh_result(self) -> None:
        """The live total, band, guidance and note for the current member."""
        inst = self.instrument
        name = self.current_member
        if name is None:
            self.result_html.value = "<p>Add a member, import a CSV or load the example team.</p>"
            return
        row = self._scored[self._scored[MEMBER] == name].iloc[0]
        band = inst.band(row["band"])
        low, high = inst.total_range
        index = row["investment_index"]
        investment = (
            inst.unknown_investment_label.lower()
            if pd.isna(index)
            else f"{index:.2f} ({inst.investment_band_for(index).label.lower()})"
        )
        parts = [
            f"<p><b>{escape_html(name)}</b>: total <b>{int(row['total'])}</b> of {high} "
            f"(range {low}-{high}), band <b>{escape_html(band.label)}</b> ({band.range_text}). "
            f"Development investment index: {escape_html(investment)}.</p>",
        ]
        parts += [f"<p>{escape_html(line)}</p>" for line in member_guidance(row, inst)]
        theirs = self._their_progress(name)
        if theirs:
            parts.append(f"<p>{escape_html(theirs)}</p>")
        if row["flags"]:
            parts.append(f"<p><b>Flags:</b> {escape_html(row['flags'])}</p>")
        parts.append(f"<p><small><em>{escape_html(inst.note)}</em></small></p>")
        self.result_html.value = (
            '<div class="l4l-result" aria-live="polite">' + "".join(parts) + "</div>"
        )

    def _their_progress(self, name: str) -> str:
        row = self._scored.iloc[self._index_of(name)]
        if not pd.isna(row["member_total"]):
            return (
                f"Their own total: {int(row['member_total'])} (perception gap "
                f"{int(row['perception_gap']):+d}: their total minus yours)."
            )
        answered = sum(v is not None for v in self._drafts.get(name, {}).values())
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
        if self._loading or self.current_member is None or change["new"] is None:
            return
        if self.perspective.value == "manager":
            self._set(item_id, int(change["new"]))
        else:
            self._set_their_answer("m_" + item_id, int(change["new"]))
        self._changed()

    def _set_their_answer(self, column: str, value: int) -> None:
        """Keep partial member answers as a draft; store them only once all are given."""
        row = self._current_row()
        ids = self.instrument.member_item_ids
        draft = self._drafts.setdefault(row[MEMBER], {m: row[m] for m in ids})
        draft[column] = value
        complete = all(draft.get(m) is not None for m in ids)
        for m in ids:
            self._set(m, draft[m] if complete else pd.NA)

    @safely
    def _on_clear_theirs(self, _button: Any = None) -> None:
        name = self.current_member
        if name is None:
            return
        for m in self.instrument.member_item_ids:
            self._set(m, pd.NA)
        self._drafts.pop(name, None)
        self._changed()
        self._show_member()

    @safely
    def _on_investment(self, field_id: str, change: dict[str, Any]) -> None:
        if self._loading:
            return
        if self.current_member is None:
            return
        spec = self.instrument.investment_field(field_id)
        raw = change["new"]
        if spec.kind == "count":
            value, error = parse_investment(spec, "" if raw is None else str(raw))
            if error:
                self.show_message(f"{spec.label}: {error[0]} ({raw!r}). Fix: {error[1]}.", "error")
                return
            self._set(field_id, pd.NA if value is None else value)
        else:
            self._set(field_id, raw)
        self._changed()

    def _changed(self) -> None:
        """After one answer changed: rescore, update the text views, and mark the chart stale."""
        self._recompute()
        self._refresh_result()
        self.show_message("Changed (not saved yet).")
        self._refresh_team_views(redraw=False)

    def _refresh_team_views(self, redraw: bool) -> None:
        self.table_html.value = team_table_html(self._scored, self.instrument)
        gradient = investment_gradient(self._scored, self.instrument)
        self.gradient_html.value = (
            f"<p><b>Differential investment:</b> {escape_html(gradient['summary'])}</p>"
        )
        label = self.source_label
        self.source_html.value = f"<p><b>{escape_html(label)}</b></p>" if label else ""
        if redraw or self.tabs.selected_index == 1:
            self.redraw_chart()
        else:
            self.redraw_button.description = "Redraw chart (out of date)"
        for callback in list(self._callbacks):
            try:
                callback(self.scored)
            except Exception as exc:  # another tool's bug must not break this one
                self.show_message(
                    f"A connected tool could not update ({type(exc).__name__}: {exc}). Your "
                    "scores here are fine.",
                    "error",
                )

    def redraw_chart(self) -> None:
        """Draw the team chart into the Team tab (called when the tab opens or on request)."""
        if self._scored.empty:
            self.chart_output.outputs = ()
        else:
            chart = team_chart(self._scored, self.instrument, subtitle=self.source_label or None)
            data, metadata = mimebundle(chart.to_dict())
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

    def _refresh_all(self) -> None:
        names = self._names()
        self._team_changed(select=names[0] if names else None, redraw=True)

    # -------------------------------------------------------------------------- files

    def import_csv(self, content: bytes, name: str | None = None) -> None:
        """Replace the team with a CSV's members; on any problem nothing changes."""
        team = read_team_csv(content, instrument=self.instrument, name=name)
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

    def export_csv(self) -> Path:
        """Write the team CSV to the data folder and offer it as a download link."""
        text = write_team_csv(self._team)
        path = atomic_write_text(data_dir() / EXPORT_NAME, text)
        encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
        self.export_html.value = (
            f'<p><a download="team.csv" href="data:text/csv;charset=utf-8;base64,{encoded}">'
            f"Download team.csv</a> (also written to <code>{escape_html(path)}</code>).</p>"
        )
        self.show_message(f"Exported {len(self._team)} members.", "ok")
        return path

    @safely
    def _on_export(self, _button: Any = None) -> None:
        self.export_csv()

    def save(self) -> Path:
        """Save the team atomically (kind relationship-scorer, schema version 1)."""
        path = save_document(
            self.data_path, KIND, SCHEMA_VERSION, {"team": team_to_records(self._team)}
        )
        self.show_message(f"Saved {len(self._team)} members.", "ok")
        return path

    def load(self) -> None:
        """Load the saved team; a missing or damaged save changes nothing."""
        document = load_document(self.data_path, KIND, SCHEMA_VERSION)
        records = document.get("team")
        if not isinstance(records, list):
            raise InputError("The saved file has no team list: restore an earlier copy.")
        team = team_from_records(
            records, instrument=self.instrument, source=self.data_path.name, allow_empty=True
        )
        self.replace_team(team, label="")
        self.show_message(f"Loaded {len(team)} members from your saved team.", "ok")

    def load_example(self) -> None:
        """Replace the team with the book's synthetic example team (not saved)."""
        team = read_team_csv(data_file(EXAMPLE_FILE), instrument=self.instrument)
        self.replace_team(team, label=EXAMPLE_LABEL)
        self.show_message("Loaded the synthetic example team. It is not your data.", "ok")

    @safely
    def _on_save(self, _button: Any = None) -> None:
        self.save()

    @safely
    def _on_load(self, _button: Any = None) -> None:
        self.load()

    @safely
    def _on_example(self, _button: Any = None) -> None:
        self.load_example()
