"""The RelationshipScorer app driven in-process: set values, click buttons, read the outputs."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from factories import upload
from markupsafe import escape

from widgets import RelationshipScorer
from widgets.content.instrument import load_instrument
from widgets.core.scoring import threshold_notes
from widgets.core.teamfile import read_team
from widgets.views.vegalite import VEGALITE_MIME

REPO = Path(__file__).resolve().parents[2]
MALFORMED = REPO / "tests" / "data" / "malformed_team"
NOTE = "Adapted from LMX-7 for reflection, not the validated instrument."


EXAMPLE = REPO / "data" / "example_team.csv"


@pytest.fixture
def app(tmp_path) -> RelationshipScorer:
    """A scorer holding a copy of the example team imported as the user's own team."""
    scorer = RelationshipScorer(data_path=tmp_path / "team.json")
    upload(scorer.upload, EXAMPLE.read_bytes(), "my-team.csv")
    return scorer


def score(app: RelationshipScorer, name: str):
    return next(s for s in app.scores if s.name == name)


def member(app: RelationshipScorer, name: str):
    return next(m for m in app.team if m.name == name)


def status(app: RelationshipScorer) -> str:
    return app.status.value


def test_starts_empty_and_explains_what_to_do(tmp_path):
    scorer = RelationshipScorer(data_path=tmp_path / "team.json")
    assert scorer.team == [] and scorer.scores == []
    assert scorer.member_picker.options == ()
    assert "No members yet" in scorer.table_html.value
    assert "Add a member" in scorer.result_html.value
    assert all(answer.disabled for answer in scorer.answers.values())
    assert NOTE in scorer.header.value


def test_loads_the_synthetic_example_team(tmp_path):
    app = RelationshipScorer(data_path=tmp_path / "team.json")
    app.example_button.click()
    assert len(app.team) == 12 and app.showing_example
    assert app.current_member == "Ana Example"
    assert "Synthetic example team" in app.source_html.value
    assert "Synthetic example team" in json.dumps(
        app.chart_output.outputs[0]["data"][VEGALITE_MIME]
    )
    assert "Kai Notreal" in app.table_html.value
    assert "Across these 11 members, investment closely follows" in app.gradient_html.value
    notes = threshold_notes()
    for key in ("gradient", "left_behind"):  # the cut-offs are shown with the team result
        assert escape(notes[key]) in app.gradient_html.value
    assert "warns" not in app.gradient_html.value
    assert NOTE in app.result_html.value
    assert "band <b>Very high</b>" in app.result_html.value


def test_items_are_answered_by_their_anchor_labels(app):
    inst = app.instrument
    for item in inst.items:
        answer = app.answers[item.id]
        assert [label for label, _ in answer.options] == list(item.anchors)
        assert [value for _, value in answer.options] == [1, 2, 3, 4, 5]
        assert item.theme in app.questions[item.id].value


def test_changing_an_answer_updates_total_band_table_and_observers(app):
    seen: list = []
    app.observe_scores(seen.append)
    app.member_picker.value = "Kai Notreal"
    assert "total <b>13</b>" in app.result_html.value
    very_low = load_instrument().band("very_low").label
    assert f"band <b>{very_low}</b>" in app.result_html.value
    guidance = escape(load_instrument().left_behind["guidance"])
    assert guidance in app.result_html.value
    assert escape(threshold_notes()["left_behind"]) in app.result_html.value
    for item_id in ("q1", "q2", "q3"):
        app.answers[item_id].value = 5
    assert "total <b>22</b>" in app.result_html.value
    assert "band <b>Moderate</b>" in app.result_html.value
    assert guidance not in app.result_html.value
    row = score(app, "Kai Notreal")
    assert row.total == 22 and not row.left_behind
    assert seen and next(s for s in seen[-1] if s.name == "Kai Notreal").total == 22
    assert "out of date" in app.redraw_button.description


def test_each_value_change_updates_the_result_at_once(app):
    """Every answer change is reflected synchronously (its speed is held by `make bench`)."""
    app.member_picker.value = "Fay Dummy"
    for value in (1, 5, 2, 4, 3):
        app.answers["q4"].value = value
        row = score(app, "Fay Dummy")
        assert row.member.answers[3] == value
        assert f"total <b>{row.total}</b>" in app.result_html.value


def test_team_chart_redraws_when_the_team_tab_is_opened(app):
    app.answers["q1"].value = 1
    before = app.chart_output.outputs
    app.tabs.selected_index = 1
    after = app.chart_output.outputs
    assert after and after is not before
    spec = after[0]["data"][VEGALITE_MIME]
    assert spec["description"] and spec["title"]["text"]
    assert app.redraw_button.description == "Redraw chart"


def test_add_rename_and_remove_members(app):
    app.name_box.value = "  New Person "
    app.add_button.click()
    assert app.current_member == "New Person"
    assert "New Person" in app.member_picker.options
    new = app.scores[-1]
    assert new.total is None and new.band is None, "nobody is rated before being answered"
    assert all(answer.value is None for answer in app.answers.values())
    assert "not rated yet (0 of 7 items answered)" in app.result_html.value
    assert "1 of 13 still need rating" in app.table_html.value
    app.name_box.value = "new person"
    app.add_button.click()
    assert "already a member" in status(app) and len(app.team) == 13
    app.name_box.value = ""
    app.add_button.click()
    assert "Type a name" in status(app)
    app.name_box.value = "Renamed Person"
    app.rename_button.click()
    assert app.current_member == "Renamed Person"
    assert "New Person" not in app.member_picker.options
    app.name_box.value = "Ana Example"
    app.rename_button.click()
    assert "already a member" in status(app) and app.current_member == "Renamed Person"
    app.remove_button.click()
    assert "Renamed Person" not in [m.name for m in app.team]
    assert len(app.team) == 12


def test_removing_everyone_leaves_a_usable_empty_app(app):
    for _ in range(12):
        app.remove_button.click()
    assert app.team == [] and app.current_member is None
    assert "No members yet" in app.table_html.value
    assert "Not computed" in app.gradient_html.value
    app.name_box.value = "Solo"
    app.add_button.click()
    assert [m.name for m in app.team] == ["Solo"]


def test_names_with_html_are_shown_as_text(app):
    app.name_box.value = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    app.add_button.click()
    for html in (app.result_html.value, app.table_html.value, app.status.value):
        assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in app.result_html.value
    assert "&lt;img" in app.table_html.value


def test_investment_inputs(app):
    app.member_picker.value = "Hana Specimen"
    assert app.investment_inputs["goal"].value is None
    app.investment_inputs["goal"].value = "stretch"
    app.investment_inputs["opportunities"].value = "4"
    row = member(app, "Hana Specimen")
    assert row.investment["goal"] == "stretch" and row.investment["opportunities"] == 4
    assert score(app, "Hana Specimen").investment_index == 1.0
    app.investment_inputs["conversations"].value = "lots"
    assert "not a number" in status(app)
    assert member(app, "Hana Specimen").investment["conversations"] is None
    app.investment_inputs["opportunities"].value = "4.5"
    assert "not a whole number" in status(app)
    assert member(app, "Hana Specimen").investment["opportunities"] == 4
    app.investment_inputs["opportunities"].value = ""
    assert member(app, "Hana Specimen").investment["opportunities"] is None
    app.investment_inputs["goal"].value = None
    assert member(app, "Hana Specimen").investment["goal"] is None


def test_their_view_gives_the_perception_gap_only_when_complete(app):
    app.member_picker.value = "Ben Sample"
    app.perspective.value = "member"
    assert all(answer.value is None for answer in app.answers.values())
    assert escape(load_instrument().items[0].member) in app.questions["q1"].value
    for item_id in ("q1", "q2", "q3"):
        app.answers[item_id].value = 2
    assert "3 of 7 answered" in app.result_html.value
    assert score(app, "Ben Sample").member_total is None
    app.member_picker.value = "Ana Example"
    app.member_picker.value = "Ben Sample"
    assert app.answers["q1"].value == 2, "partial answers survive switching members"
    for item_id in ("q4", "q5", "q6", "q7"):
        app.answers[item_id].value = 2
    row = score(app, "Ben Sample")
    assert row.member_total == 14 and row.perception_gap == 14 - 31
    assert any("17 points lower" in flag for flag in row.flags)
    assert "perception gap -17" in app.result_html.value
    assert escape(threshold_notes()["perception_gap"]) in app.result_html.value
    app.clear_theirs_button.click()
    assert score(app, "Ben Sample").member_total is None
    app.perspective.value = "manager"
    assert app.answers["q1"].value == 5


def test_save_then_load_restores_the_team(app, tmp_path):
    app.member_picker.value = "Cai Demo"
    app.answers["q2"].value = 1
    app.save_button.click()
    saved = json.loads((tmp_path / "team.json").read_text(encoding="utf-8"))
    assert saved["kind"] == "relationship-scorer" and saved["schema_version"] == 1
    assert len(saved["team"]) == 12
    app.remove_button.click()
    assert len(app.team) == 11
    app.load_button.click()
    assert len(app.team) == 12
    assert member(app, "Cai Demo").answers[1] == 1
    fresh = RelationshipScorer(data_path=tmp_path / "team.json")
    assert fresh.team == app.team


def test_failed_import_changes_nothing_and_keeps_the_save(app, tmp_path):
    app.save_button.click()
    saved = (tmp_path / "team.json").read_bytes()
    before = app.team
    for name in ("q_out_of_range.csv", "binary.csv", "empty.csv", "extra_q8.csv"):
        upload(app.upload, (MALFORMED / name).read_bytes(), name)
        assert "l4l-error" in status(app), name
        assert "Traceback" not in status(app)
        assert app.team == before
        assert (tmp_path / "team.json").read_bytes() == saved
        assert app.upload.value == ()
    upload(app.upload, (MALFORMED / "q_out_of_range.csv").read_bytes(), "bad.csv")
    assert "bad.csv, row 3, column &#39;q3&#39;" in status(app)


def test_successful_import_replaces_the_team_but_does_not_save(app, tmp_path):
    app.save_button.click()
    saved = (tmp_path / "team.json").read_bytes()
    content = REPO / "tests" / "data" / "valid_team" / "excel_semicolon_decimal_comma.csv"
    upload(app.upload, content.read_bytes(), "mine.csv")
    assert [m.name for m in app.team] == ["Ann", "Bob"]
    assert "Imported 2 members" in status(app) and "Imported from mine.csv" in app.source_html.value
    assert (tmp_path / "team.json").read_bytes() == saved


def test_damaged_or_foreign_save_is_reported_and_left_alone(app, tmp_path):
    path = tmp_path / "team.json"
    for text in ("{ not json", json.dumps({"kind": "conversation-plans", "schema_version": 1})):
        path.write_text(text, encoding="utf-8")
        before = app.team
        app.load_button.click()
        assert "l4l-error" in status(app)
        assert app.team == before
        assert path.read_text(encoding="utf-8") == text
    broken_team = {"kind": "relationship-scorer", "schema_version": 1, "team": [{"member": "X"}]}
    path.write_text(json.dumps(broken_team), encoding="utf-8")
    app.load_button.click()
    assert "column &#39;q1&#39;" in status(app) and len(app.team) == 12
    fresh = RelationshipScorer(data_path=path)
    assert fresh.team == [] and "l4l-error" in fresh.status.value


def test_export_link_and_file_are_spreadsheet_safe(app):
    app.name_box.value = "=cmd|' /C calc'!A0"
    app.add_button.click()
    app.export_button.click()
    link = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', app.export_html.value)
    assert link is not None
    text = base64.b64decode(link.group(1)).decode("utf-8")
    assert "\n=cmd" not in text and "'=cmd" in text
    exported = app.data_path.with_name("team-export.csv")
    assert exported.read_bytes().decode("utf-8") == text
    assert read_team(exported) == app.team


def test_a_ten_thousand_member_import_works_and_stays_usable(app):
    lines = ["member,q1,q2,q3,q4,q5,q6,q7,goal"]
    lines += [
        f"Person {n},{n % 5 + 1},3,4,2,5,1,3,{('none', 'stretch')[n % 2]}" for n in range(10_000)
    ]
    upload(app.upload, "\n".join(lines).encode(), "big.csv")
    assert len(app.team) == 10_000 and "Imported 10000 members" in status(app)
    assert "Showing the first 200 of 10000 members" in app.table_html.value
    assert app.table_html.value.count("<tr>") == 201
    app.answers["q1"].value = 5
    assert app.scores[0].member.answers[0] == 5
    app.tabs.selected_index = 1
    spec = app.chart_output.outputs[0]["data"][VEGALITE_MIME]
    assert "sized by how many" in spec["description"]


def test_unexpected_errors_become_messages_not_tracebacks(app, monkeypatch):
    import widgets.apps.scorer as module

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(module.DocumentStore, "save", broken)
    app.save_button.click()
    assert "Something went wrong" in status(app) and "disk on fire" in status(app)
    assert "Nothing was saved" in status(app)


def test_a_failing_observer_does_not_break_the_scorer(app):
    def broken(scored):
        raise ValueError("planner bug")

    app.observe_scores(broken)
    app.answers["q3"].value = 1
    assert "connected tool could not update" in status(app)
    assert app.scores[0].member.answers[2] == 1


def test_widget_displays(app):
    assert app.widget.children[-1] is app.tabs
    assert app.tabs.get_title(0) == "Member"


def _html_texts(widget) -> str:
    """Every HTML text and tooltip shown anywhere in a widget tree."""
    texts = []
    stack = [widget]
    while stack:
        current = stack.pop()
        for trait in ("value", "tooltip", "description"):
            value = getattr(current, trait, None)
            if isinstance(value, str):
                texts.append(value)
        stack.extend(getattr(current, "children", ()))
    return "\n".join(texts)


def test_on_a_workshop_server_the_apps_say_where_data_is_kept_there(tmp_path):
    from widgets import ConversationPlanner

    scorer = RelationshipScorer(data_path=tmp_path / "team.json", workshop=True)
    planner = ConversationPlanner(scorer, data_path=tmp_path / "plans.json", workshop=True)
    for app in (scorer, planner):
        shown = _html_texts(app.widget)
        assert "workshop server" in shown and "this browser page" in shown
        assert "this computer" not in shown, "a shared server is not the participant's computer"
        assert str(tmp_path) not in shown, "the server's folder names mean nothing to a participant"
    assert "export a CSV" in _html_texts(scorer.widget)


def test_on_a_readers_machine_the_apps_say_data_stays_there(tmp_path):
    from widgets import ConversationPlanner

    scorer = RelationshipScorer(data_path=tmp_path / "team.json")
    planner = ConversationPlanner(scorer, data_path=tmp_path / "plans.json")
    assert "stays on this computer" in _html_texts(scorer.widget)
    assert escape(f"your data folder: {tmp_path}") in _html_texts(scorer.widget)
    assert "stays on this computer" in _html_texts(planner.widget)
    assert "workshop" not in _html_texts(scorer.widget).lower()
