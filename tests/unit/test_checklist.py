"""The learning-leader checklist: data file, pure summary and the ipywidgets view."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import LearningLeaderChecklist, checklist_summary
from widgets.apps.checklist import load_checklist, parse_checklist, summary_text
from widgets.base.errors import InputError
from widgets.content.source import ENV_BOOK_DATA, content_dir

CHECKLIST = load_checklist()
IDS = [b.id for b in CHECKLIST.behaviours]
KEYS = [o.key for o in CHECKLIST.scale]


def raw_checklist() -> dict:
    return yaml.safe_load((content_dir() / "learning_leader_behaviours.yml").read_text("utf-8"))


def test_empty_answers_give_an_empty_summary_that_asks_for_answers():
    summary = checklist_summary({})
    assert summary["answered"] == 0
    assert summary["complete"] is False
    assert summary["unanswered"] == IDS
    assert summary["points"] == summary["max_points"] == 0
    assert "Answer at least one" in summary["next_step"]
    assert all(group["mean_points"] is None for group in summary["by_focus"].values())


def test_priorities_come_weakest_first_and_the_next_step_is_the_weakest_items_suggestion():
    answers = {IDS[0]: "sometimes", IDS[5]: "rarely", IDS[7]: "usually", IDS[2]: "rarely"}
    summary = checklist_summary(answers)
    assert [item["id"] for item in summary["priorities"]] == [IDS[2], IDS[5], IDS[0]]
    assert [item["id"] for item in summary["strengths"]] == [IDS[7]]
    assert summary["counts"] == {"rarely": 2, "sometimes": 1, "usually": 1}
    assert summary["points"] == 3 and summary["max_points"] == 8
    assert summary["next_step"] == CHECKLIST.behaviours[2].try_next


def test_all_usually_is_complete_and_suggests_checking_with_others():
    summary = checklist_summary(dict.fromkeys(IDS, "usually"))
    assert summary["complete"] is True
    assert summary["priorities"] == []
    assert "ask two people" in summary["next_step"]
    assert summary["by_focus"]["peers"]["mean_points"] == 2


def test_none_means_not_answered():
    summary = checklist_summary({IDS[0]: None, IDS[1]: "usually"})
    assert summary["answered"] == 1
    assert IDS[0] in summary["unanswered"]


def test_every_bad_answer_is_reported_at_once():
    with pytest.raises(InputError) as caught:
        checklist_summary({"no_such_item": "usually", IDS[0]: "always", IDS[1]: 3})
    problems = caught.value.problems
    assert len(problems) == 3
    assert {p.value for p in problems} == {"no_such_item", "always", 3}
    assert "use one of: rarely, sometimes, usually" in str(caught.value)


def test_answers_must_be_a_mapping():
    with pytest.raises(InputError):
        checklist_summary(["usually"])  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(IDS), st.one_of(st.none(), st.sampled_from(KEYS))))
def test_summary_partitions_the_statements(answers):
    summary = checklist_summary(answers, CHECKLIST)
    strengths = {item["id"] for item in summary["strengths"]}
    priorities = {item["id"] for item in summary["priorities"]}
    unanswered = set(summary["unanswered"])
    assert strengths | priorities | unanswered == set(IDS)
    assert len(strengths) + len(priorities) + len(unanswered) == len(IDS)
    assert sum(summary["counts"].values()) == summary["answered"]
    assert 0 <= summary["points"] <= summary["max_points"]


def test_plain_text_summary_lists_priorities_with_their_next_step():
    text = summary_text(checklist_summary({IDS[3]: "rarely", IDS[4]: "usually"}))
    assert "Answered 2 of 12" in text
    assert f"- [Rarely] {CHECKLIST.behaviours[3].text}" in text
    assert f"Try next: {CHECKLIST.behaviours[3].try_next}" in text
    assert "Strengths to keep:" in text


def test_a_checklist_file_that_breaks_its_schema_lists_every_problem(tmp_path: Path, monkeypatch):
    raw = raw_checklist()
    del raw["behaviours"][3]["text"]
    raw["scale"][1]["points"] = "one"
    (tmp_path / "learning_leader_behaviours.yml").write_text(yaml.safe_dump(raw), "utf-8")
    monkeypatch.setenv(ENV_BOOK_DATA, str(tmp_path))
    with pytest.raises(InputError) as caught:
        load_checklist()
    problems = {p.column: p for p in caught.value.problems}
    assert set(problems) == {"behaviours[4].text", "scale[2].points"}
    assert all(p.row for p in problems.values())  # each at its line
    assert "'text' is missing" in problems["behaviours[4].text"].message
    assert "whole-number points" in problems["scale[2].points"].fix


def test_a_checklist_file_that_breaks_its_rules_lists_every_problem(tmp_path: Path, monkeypatch):
    raw = raw_checklist()
    raw["behaviours"][0]["focus"] = "customers"
    raw["behaviours"][1]["id"] = raw["behaviours"][2]["id"]
    (tmp_path / "learning_leader_behaviours.yml").write_text(yaml.safe_dump(raw), "utf-8")
    monkeypatch.setenv(ENV_BOOK_DATA, str(tmp_path))
    with pytest.raises(InputError) as caught:
        load_checklist()
    problems = {p.column: p for p in caught.value.problems}
    assert set(problems) == {"behaviours[1].focus", "behaviours[3].id"}
    assert all(p.row for p in problems.values())
    assert problems["behaviours[1].focus"].value == "customers"
    assert "used twice" in problems["behaviours[3].id"].message


def test_invalid_yaml_becomes_an_input_error_with_a_line(tmp_path: Path, monkeypatch):
    (tmp_path / "learning_leader_behaviours.yml").write_text("scale: [\n  - key", "utf-8")
    monkeypatch.setenv(ENV_BOOK_DATA, str(tmp_path))
    with pytest.raises(InputError, match="line"):
        load_checklist()


def test_parse_rejects_a_file_that_is_not_a_mapping():
    with pytest.raises(InputError):
        parse_checklist(["not", "a", "mapping"])


def test_the_widget_updates_its_summary_as_answers_change():
    app = LearningLeaderChecklist()
    assert len(app.toggles) == 12
    assert "Answered <strong>0</strong>" in app.summary_html.value
    app.toggles[IDS[6]].value = "rarely"
    app.toggles[IDS[9]].value = "usually"
    assert app.answers[IDS[6]] == "rarely"
    assert "Answered <strong>2</strong>" in app.summary_html.value
    assert CHECKLIST.behaviours[6].try_next in app.summary_html.value
    assert "Answered 2 of 12" in app.text_export.value
    app.clear_button.click()
    assert all(value is None for value in app.answers.values())
    assert "Answered <strong>0</strong>" in app.summary_html.value


def html_widgets(widget):
    """Every HTML widget inside ``widget`` (the text box holds plain text and is left out)."""
    if isinstance(widget, w.HTML):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from html_widgets(child)


def test_the_widget_escapes_text_from_the_data_file():
    raw = raw_checklist()
    raw["behaviours"][0]["text"] = "<script>alert(1)</script> & more"
    raw["behaviours"][0]["try_next"] = "<b>bold</b>"
    app = LearningLeaderChecklist(parse_checklist(raw))
    app.toggles[raw["behaviours"][0]["id"]].value = "rarely"
    page = "".join(html.value for html in html_widgets(app.widget))
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in app.summary_html.value


def test_statements_are_numbered_one_to_twelve_across_groups():
    app = LearningLeaderChecklist()
    labels = [html.value for html in html_widgets(app.widget) if html.value.startswith("<span>")]
    numbers = [int(label.removeprefix("<span>").split(".", 1)[0]) for label in labels]
    assert numbers == list(range(1, 13))
