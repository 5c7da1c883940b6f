"""prompts_for and the conversation guide (data/prompts.yml): tailoring, checks, editability."""

from __future__ import annotations

import pytest
import yaml

from widgets import InputError, prompts_for
from widgets.content.prompts import STAGES, load_guide, mode_reminder, trust_advice, trust_level
from widgets.content.source import load_yaml

GUIDE = load_yaml("prompts.yml")


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_has_general_then_stretch_questions_in_file_order(stage):
    spec = GUIDE["prompts"][stage]
    assert spec["stretch"], "every stage asks everyone for stretch"
    assert prompts_for(stage) == spec["general"] + spec["stretch"]


def test_lower_trust_questions_come_first_and_mode_questions_last():
    questions = prompts_for("before", band="very_low", mode="co_creating")
    spec = GUIDE["prompts"]["before"]
    lower, mode = spec["trust"]["lower"], spec["modes"]["co_creating"]
    assert questions[: len(lower)] == lower
    assert questions[len(lower) : len(lower) + len(spec["general"])] == spec["general"]
    assert questions[-len(mode) :] == mode
    assert set(spec["stretch"]) <= set(questions)


def test_a_guide_without_stretch_questions_still_loads(guide_file):
    # A fork's older guide (no 'stretch' lists) keeps working; tests/content/test_push_everyone.py
    # is what holds the book's own guide to asking everyone for stretch.
    edit(guide_file, lambda g: [g["prompts"][s].pop("stretch") for s in STAGES])
    assert prompts_for("after") == GUIDE["prompts"]["after"]["general"]


@pytest.mark.parametrize(
    ("band", "level"),
    [
        ("very_low", "lower"),
        ("low", "lower"),
        ("moderate", "middle"),
        ("high", "higher"),
        ("very_high", "higher"),
        (None, None),
    ],
)
def test_every_band_of_the_instrument_maps_to_one_trust_level(band, level):
    assert trust_level(band) == level


def test_each_mode_adds_its_own_questions_and_reminder():
    general = prompts_for("after")
    for mode in load_guide().modes:
        tailored = prompts_for("after", mode=mode)
        assert tailored[: len(general)] == general and len(tailored) > len(general)
        assert mode_reminder(mode)
    assert "Keep targets, ratings and" in mode_reminder("coaching")


def test_trust_advice_is_empty_without_a_band():
    assert trust_advice(None) == ""
    assert "judge nothing" in trust_advice("low")


def test_bad_stage_band_and_mode_are_reported_together():
    with pytest.raises(InputError) as caught:
        prompts_for("during", band="medium", mode="telling")
    assert [p.column for p in caught.value.problems] == ["stage", "band", "mode"]
    assert "before, after, follow_up" in str(caught.value)


@pytest.fixture
def guide_file(content_copy):
    """prompts.yml in a private copy of data/, edited as an L&D team would."""
    return content_copy / "prompts.yml"


def edit(path, change):
    guide = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(guide)
    path.write_text(yaml.safe_dump(guide, allow_unicode=True), encoding="utf-8")


def test_questions_are_edited_in_the_data_file_without_code(guide_file):
    edit(guide_file, lambda g: g["prompts"]["after"]["general"].insert(0, "Qu'as-tu appris ?"))
    assert prompts_for("after")[0] == "Qu'as-tu appris ?"


def test_a_guide_that_breaks_its_schema_is_reported_with_every_problem(guide_file):
    edit(
        guide_file,
        lambda guide: (
            guide["stages"].pop("after"),
            guide["prompts"]["follow_up"].update(general=[]),
        ),
    )
    with pytest.raises(InputError) as caught:
        prompts_for("before")
    problems = {p.column: p for p in caught.value.problems}
    assert set(problems) == {"stages.after", "prompts.follow_up.general"}
    assert all(p.source == "data/prompts.yml" and p.row for p in problems.values())
    assert "'after' is missing" in problems["stages.after"].message
    assert "at least 1" in problems["prompts.follow_up.general"].message


def test_a_guide_that_breaks_its_rules_is_reported_with_every_problem(guide_file):
    def break_it(guide):
        guide["trust"]["lower"]["bands"] = ["very_low", "medium"]
        guide["prompts"]["before"]["modes"]["shouting"] = ["Why?"]

    edit(guide_file, break_it)
    with pytest.raises(InputError) as caught:
        prompts_for("before")
    problems = {p.column: p for p in caught.value.problems}
    assert set(problems) == {"trust.lower.bands[2]", "prompts.before.modes.shouting", "trust"}
    assert all(p.source == "data/prompts.yml" and p.row for p in problems.values())
    assert problems["trust.lower.bands[2]"].value == "medium"
    assert "very_low" in problems["trust.lower.bands[2]"].fix
    assert problems["prompts.before.modes.shouting"].message == "unknown mode"
    assert problems["trust"].value == "low"  # the band no trust level covers any more


def test_a_question_that_yaml_reads_as_a_mapping_is_caught(guide_file):
    text = guide_file.read_text(encoding="utf-8")
    text = text.replace("- What stood out for you?", "- Think: what stood out for you?")
    guide_file.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        prompts_for("after")
    assert "prompts.after.general" in str(caught.value)
