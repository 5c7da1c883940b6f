"""The tool discloses every cut-off it uses, from data/instrument.yml, and claims no more.

The left-behind rule, the team indicator's cut-offs and minimum, and the perception-gap threshold
are this book's judgement; the sentences that say so are filled in from the same numbers the
scoring code applies, so an L&D team that changes a threshold changes what the tool says too.
"""

from __future__ import annotations

import pytest
import yaml

from widgets.content.instrument import load_instrument
from widgets.content.source import content_dir
from widgets.core.members import Member
from widgets.core.scoring import gradient, score_members, threshold_notes


def test_the_left_behind_note_names_the_bands_their_totals_and_the_investment_limit():
    inst = load_instrument()
    rule = inst.left_behind
    note = threshold_notes(inst)["left_behind"]
    bands = [b for b in inst.bands if b.key in rule["relationship_bands"]]
    for band in bands:
        assert band.label in note
    assert f"{min(b.min for b in bands)}-{max(b.max for b in bands)}" in note
    investment = next(b for b in inst.investment_bands if b.key == rule["investment_band"])
    assert investment.label in note and f"{investment.below:.2f}" in note
    assert "not a validated cut-off" in note


def test_the_gradient_note_names_its_minimum_and_cut_offs():
    inst = load_instrument()
    config = inst.gradient
    note = threshold_notes(inst)["gradient"]
    assert f"at least {config['min_members']} members" in note
    for value in (config["strong"], config["moderate"], -config["moderate"]):
        assert f"{value:.2f}" in note
    assert (config["min_members"], config["strong"], config["moderate"]) == (5, 0.5, 0.3)


def test_the_perception_gap_note_names_its_threshold_and_says_face_to_face_answers_run_high():
    inst = load_instrument()
    note = threshold_notes(inst)["perception_gap"]
    assert f"{inst.perception_gap['notable']} points" in note
    assert "face to face" in note and "power" in note
    assert "face to face" in inst.perspectives["member"]["help"]


def team(n: int, *, spread: bool = True) -> list[Member]:
    """n fully rated members; investment rises with the relationship when ``spread``."""
    members = []
    for i in range(n):
        answer = 1 + i % 5 if spread else 3
        goal = ("none", "vague", "specific", "stretch")[min(i, 3)] if spread else "specific"
        members.append(
            Member(f"P{i}", answers=(answer,) * 7, investment={"goal": goal, "opportunities": i})
        )
    return members


@pytest.mark.parametrize(("n", "spread"), [(3, True), (5, True), (8, True), (6, False)])
def test_every_gradient_text_shows_n_and_none_says_the_research_warns(n, spread):
    result = gradient(score_members(team(n, spread=spread)))
    summary = result["summary"]
    assert str(result["members_used"]) in summary
    assert "warns" not in summary.lower()
    if result["computed"]:
        assert "even at 0.9" in summary  # the small-team uncertainty, in one plain sentence
    else:
        assert "uncertain" in summary


def test_no_text_of_the_instrument_calls_a_pattern_what_the_research_warns_about():
    raw = yaml.safe_load((content_dir() / "instrument.yml").read_text("utf-8"))
    texts = [*raw["gradient"]["text"].values(), raw["gradient"]["caveat"]]
    texts += [raw["left_behind"]["guidance"], *raw["thresholds"].values()]
    texts += [band["note"] for band in raw["bands"]]
    assert not [t for t in texts if "warns" in t.lower()]


def test_a_changed_threshold_changes_what_the_tool_says(content_copy):
    path = content_copy / "instrument.yml"
    raw = yaml.safe_load(path.read_text("utf-8"))
    raw["gradient"].update(min_members=6, strong=0.6)
    raw["perception_gap"]["notable"] = 4
    raw["left_behind"]["relationship_bands"] = ["very_low"]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    notes = threshold_notes(load_instrument())
    assert "at least 6 members" in notes["gradient"] and "0.60 or more" in notes["gradient"]
    assert "4 points" in notes["perception_gap"]
    assert "7-14" in notes["left_behind"] and "7-19" not in notes["left_behind"]
