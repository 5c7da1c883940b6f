"""The instrument's loader (data/instrument.yml): investment bands, schema and rule problems.

What the shipped instrument says is checked in tests/content/test_instrument_content.py.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from widgets import load_instrument
from widgets.base.errors import InputError
from widgets.content.instrument import build_instrument

REPO = Path(__file__).resolve().parents[2]
NOTE = "adapted from lmx-7 for reflection, not the validated instrument"


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load((REPO / "data" / "instrument.yml").read_text(encoding="utf-8"))


def test_investment_fields_match_the_team_csv_contract():
    inst = load_instrument()
    assert inst.field_ids == ["goal", "opportunities", "feedback", "learning_time", "conversations"]
    values = {
        f.id: [o.value for o in f.options] for f in inst.investment_fields if f.kind == "choice"
    }
    assert values == {
        "goal": ["none", "vague", "specific", "stretch"],
        "feedback": ["never", "rarely", "monthly", "weekly"],
        "learning_time": ["none", "occasional", "regular"],
    }
    for field_id in ("opportunities", "conversations"):
        spec = inst.investment_field(field_id)
        assert (spec.kind, spec.min, spec.max) == ("count", 0, 50)
    goal = inst.investment_field("goal")
    assert goal.score("none") == 0 and goal.score("stretch") == 1
    assert [inst.investment_band_for(v).key for v in (0.0, 0.39, 0.4, 0.69, 0.7, 1.0)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]
    assert inst.investment_band_for(float("nan")).key == "unknown"


def test_broken_instrument_reports_every_schema_mistake_at_once(raw):
    broken = copy.deepcopy(raw)
    broken["items"][2]["anchors"] = ["a", "b", "c", "d"]
    broken["items"][4]["id"] = "q9"
    broken["investment"]["fields"][0]["options"][0]["score"] = 2
    with pytest.raises(InputError) as caught:
        build_instrument(broken)
    problems = {p.column: p for p in caught.value.problems}
    assert set(problems) == {
        "items[3].anchors",
        "items[5].id",
        "investment.fields[1].options[1].score",
    }
    assert "exactly 5" in problems["items[3].anchors"].message
    assert "five" in problems["items[3].anchors"].fix
    assert "q1 to q7" in problems["items[5].id"].message
    assert "score from 0" in problems["investment.fields[1].options[1].score"].fix


def test_the_rules_a_schema_cannot_state_are_reported_at_once(raw):
    """Items out of order, a gap between bands, a choice with one option: each with its fix."""
    broken = copy.deepcopy(raw)
    broken["items"][3]["id"], broken["items"][4]["id"] = "q5", "q4"
    before = broken["bands"][0]["max"]
    broken["bands"][1]["min"] = before + 2
    choice = next(i for i, f in enumerate(broken["investment"]["fields"]) if f["kind"] == "choice")
    broken["investment"]["fields"][choice]["options"] = broken["investment"]["fields"][choice][
        "options"
    ][:1]
    with pytest.raises(InputError) as caught:
        build_instrument(broken)
    problems = {p.column: p for p in caught.value.problems}
    assert set(problems) == {
        "items[4].id",
        "items[5].id",
        "bands[2].min",
        f"investment.fields[{choice + 1}].options",
    }
    assert "expected q5" in problems["items[5].id"].message
    assert problems["bands[2].min"].message == (
        f"a gap: this band starts at {before + 2}, but the band before it ends at {before}"
    )
    assert problems["bands[2].min"].fix == (
        f"set min to {before + 1}, or set the previous band's max to {before + 1}"
    )
    assert "at least two options" in problems[f"investment.fields[{choice + 1}].options"].message


def test_a_fork_can_reword_items_and_the_tool_reads_the_new_text(raw, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    changed = copy.deepcopy(raw)
    changed["items"][0]["theme"] = "Clarity about expectations"
    (data / "instrument.yml").write_text(yaml.safe_dump(changed), encoding="utf-8")
    monkeypatch.setenv("LEADING_FOR_LEARNING_BOOK_DATA", str(data))
    assert load_instrument().items[0].theme == "Clarity about expectations"


def test_yaml_syntax_error_names_the_line(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "instrument.yml").write_text("name: x\nitems: [\n  - broken: : :\n", encoding="utf-8")
    monkeypatch.setenv("LEADING_FOR_LEARNING_BOOK_DATA", str(data))
    with pytest.raises(InputError, match="line"):
        load_instrument()
