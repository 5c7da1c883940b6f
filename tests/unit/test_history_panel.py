"""The scorer's "Change over time" tab, driven in-process: save, compare, export, delete."""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from factories import upload

from widgets import RelationshipScorer
from widgets.core.history import record_snapshot
from widgets.core.members import Member
from widgets.core.teamfile import read_team
from widgets.views.vegalite import VEGALITE_MIME

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "data" / "example_team.csv"
HISTORY_TAB = 3
EARLIER = datetime(2026, 1, 5, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def app(tmp_path) -> RelationshipScorer:
    scorer = RelationshipScorer(data_path=tmp_path / "team.json")
    upload(scorer.upload, EXAMPLE.read_bytes(), "my-team.csv")
    return scorer


def open_tab(app: RelationshipScorer) -> None:
    app.tabs.selected_index = 0
    app.tabs.selected_index = HISTORY_TAB


def with_earlier_snapshot(app: RelationshipScorer, team: list[Member] | None = None) -> None:
    """A snapshot from an earlier day (as if the manager had scored the team back then)."""
    record_snapshot(app.history.store, team or read_team(EXAMPLE), now=EARLIER)


def test_the_tab_is_there_and_says_what_it_shows(app):
    assert app.tabs.get_title(HISTORY_TAB) == "Change over time"
    open_tab(app)
    shown = app.history.intro_html.value
    assert "your own ratings" in shown and "how you see the relationship" in shown
    assert "0 snapshots so far" in app.history.comparison_html.value


def test_every_save_keeps_the_days_snapshot(app):
    app.save_button.click()
    assert "Saved 12 members. Today&#39;s snapshot is kept" in app.status.value
    today = datetime.now().astimezone().date().isoformat()
    assert app.history.store.days() == [today]
    app.answers["q1"].value = 1
    app.save_button.click()
    assert app.history.store.days() == [today]
    open_tab(app)
    assert app.history.snapshots[0].scores[0].member.answers[0] == 1
    assert "1 snapshot so far" in app.history.comparison_html.value


def test_the_synthetic_example_keeps_no_snapshot(tmp_path):
    scorer = RelationshipScorer(data_path=tmp_path / "team.json")
    scorer.example_button.click()
    scorer.save_button.click()
    assert "example" in scorer.status.value
    assert scorer.history.store.days() == []


def test_earliest_and_latest_are_compared_by_default_with_names_escaped(app):
    earlier = read_team(EXAMPLE)
    earlier[0] = Member("<b>Ana</b> & co", earlier[0].answers, earlier[0].investment)
    with_earlier_snapshot(app, earlier)
    kai = app.team.index(next(m for m in app.team if m.name == "Kai Notreal"))
    app.member_picker.value = "Kai Notreal"
    for item in app.instrument.item_ids:
        app.answers[item].value = 5
    app.save_button.click()
    assert app.team[kai].answers == (5,) * 7
    open_tab(app)
    panel = app.history
    assert panel.then_picker.value == "2026-01-05"
    assert panel.now_picker.value == panel.now_picker.options[-1] != "2026-01-05"
    shown = panel.comparison_html.value
    assert "Left it: Kai Notreal." in shown and "Entered the left-behind zone: nobody" in shown
    assert "&lt;b&gt;Ana&lt;/b&gt; &amp; co" in shown and "<b>Ana</b>" not in shown
    assert "rated on 2026-01-05 but not on" in shown
    row = re.search(r"<tr><td>Kai Notreal</td>(.*?)</tr>", shown)
    assert row is not None and "<td>13</td><td>35</td><td>+22</td>" in row.group(1)
    spec = panel.chart_output.outputs[0]["data"][VEGALITE_MIME]
    assert spec["datasets"]["team_history"][0]["day"] == "2026-01-05"
    metadata = panel.chart_output.outputs[0]["metadata"][VEGALITE_MIME]
    assert metadata["embed_options"] == {"actions": False}


def test_choosing_the_same_snapshot_twice_shows_no_change(app):
    with_earlier_snapshot(app)
    app.save_button.click()
    open_tab(app)
    app.history.now_picker.value = "2026-01-05"
    shown = app.history.comparison_html.value
    assert "From 2026-01-05 to 2026-01-05" in shown
    assert shown.count("<td>+0</td>") == 12


def test_export_offers_a_formula_safe_csv_and_writes_it_on_a_computer(app):
    app.name_box.value = "=HYPERLINK(1)"
    app.add_button.click()
    app.save_button.click()
    with_earlier_snapshot(app)
    open_tab(app)
    app.history.export_button.click()
    link = re.search(r'base64,([^"]+)"', app.history.export_html.value)
    assert link is not None
    text = base64.b64decode(link.group(1)).decode("utf-8")
    assert text.count("\r\n") == 1 + 12 + 13
    assert ",'=HYPERLINK(1)," in text and ",=HYPERLINK" not in text
    exported = app.data_path.with_name("team-history-export.csv")
    assert exported.read_bytes().decode("utf-8") == text
    assert "Exported 2 snapshot(s)" in app.status.value


def test_export_with_no_snapshot_says_so(app):
    open_tab(app)
    app.history.export_button.click()
    assert "no snapshots yet" in app.status.value


def test_delete_one_and_all_ask_first(app):
    with_earlier_snapshot(app)
    app.save_button.click()
    open_tab(app)
    panel = app.history
    panel.delete_picker.value = "2026-01-05"
    panel.delete_button.click()
    assert "Click again" in panel.delete_button.description and len(panel.store.days()) == 2
    panel.delete_button.click()
    assert len(panel.store.days()) == 1 and "Deleted the snapshot of 2026-01-05" in app.status.value
    panel.delete_all_button.click()
    assert len(panel.store.days()) == 1 and "your saved team stays" in app.status.value
    panel.delete_all_button.click()
    assert panel.store.days() == [] and app.store.exists()
    assert "0 snapshots so far" in panel.comparison_html.value


def test_delete_my_data_removes_the_snapshots_too(app):
    with_earlier_snapshot(app)
    app.save_button.click()
    open_tab(app)
    app.history.export_button.click()
    app.delete_button.click()
    app.delete_button.click()
    folder = app.data_path.parent
    assert not list(folder.glob("team-snapshot-*"))
    assert not (folder / "team-history-export.csv").exists()
    assert app.history.snapshots == []


def test_damaged_and_newer_snapshots_show_messages_and_the_rest_still_works(app):
    with_earlier_snapshot(app)
    app.save_button.click()
    store = app.history.store
    store.path_for("2026-01-06").write_text("{not json", encoding="utf-8")
    newer = store.path_for("2026-01-07")
    newer.write_text(json.dumps({"kind": store.kind, "schema_version": 99}), encoding="utf-8")
    open_tab(app)
    problems = app.history.problems_html.value
    assert "moved aside" in problems and "made by a newer version" in problems
    assert "update the book" in problems
    assert newer.exists() and not store.path_for("2026-01-06").exists()
    assert app.history.then_picker.options[0] == "2026-01-05"
    assert "Left it" in app.history.comparison_html.value


def test_a_snapshot_that_cannot_be_kept_never_undoes_the_save(app):
    today = datetime.now().astimezone().date().isoformat()
    newer = app.history.store.path_for(today)
    newer.write_text(json.dumps({"kind": "x", "schema_version": 5}), encoding="utf-8")
    app.save_button.click()
    assert "Saved 12 members" in app.status.value
    assert "snapshot was not kept" in app.status.value and "newer version" in app.status.value
    assert app.store.exists()


def test_in_a_preview_the_tab_keeps_and_reads_nothing(tmp_path):
    scorer = RelationshipScorer(data_path=tmp_path / "team.json", place="preview")
    with_earlier_snapshot(scorer)
    open_tab(scorer)
    assert scorer.history.snapshots == []
    scorer.history.delete_all_button.click()
    scorer.history.delete_all_button.click()
    assert "keeps nothing" in scorer.status.value
    assert scorer.history.store.days() == ["2026-01-05"]


def test_a_chosen_pair_stays_when_the_list_is_read_again(app):
    with_earlier_snapshot(app)
    record_snapshot(app.history.store, read_team(EXAMPLE), now=EARLIER + timedelta(days=30))
    app.save_button.click()
    open_tab(app)
    app.history.now_picker.value = "2026-02-04"
    app.history.refresh_button.click()
    assert (app.history.then_picker.value, app.history.now_picker.value) == (
        "2026-01-05",
        "2026-02-04",
    )
