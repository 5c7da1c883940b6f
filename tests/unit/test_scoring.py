"""Scoring a team: totals, bands, investment index, left-behind flags, gaps and the gradient."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import investment_gradient, read_team_csv, score_team
from widgets.base.errors import InputError
from widgets.content.instrument import load_instrument
from widgets.core.scoring import band_edges, gradient_strength, member_guidance, spearman
from widgets.frames import item_profile, scores_table

REPO = Path(__file__).resolve().parents[2]
ITEMS = [f"q{i}" for i in range(1, 8)]
CONTRACT_COLUMNS = [
    "member",
    *ITEMS,
    "total",
    "band",
    "band_label",
    "investment_index",
    "investment_band",
    "left_behind",
    "flags",
    "member_total",
    "perception_gap",
]


def member(name: str, answers, **extra) -> dict:
    if isinstance(answers, int):
        answers = [answers] * 7
    return {"member": name, **dict(zip(ITEMS, answers, strict=True)), **extra}


@pytest.fixture(scope="module")
def example() -> pd.DataFrame:
    return score_team(read_team_csv(REPO / "data" / "example_team.csv"))


def test_contract_columns_and_input_order(example):
    for column in CONTRACT_COLUMNS:
        assert column in example.columns
    assert list(example["member"])[:3] == ["Ana Example", "Ben Sample", "Cai Demo"]
    assert example["total"].dtype == "int64"
    assert example["left_behind"].dtype == bool
    assert str(example["member_total"].dtype) == "Int64"
    assert example["perception_gap"].dtype == "float64"


def test_example_team_shows_the_left_behind_pattern(example):
    behind = example[example["left_behind"]]
    assert list(behind["member"]) == ["Ivo Pretend", "Jo Madeup", "Kai Notreal"]
    assert set(behind["band"]) <= {"low", "very_low"}
    assert set(behind["investment_band"]) == {"low"}
    lia = example.set_index("member").loc["Lia Invented"]
    assert lia["band"] == "low" and lia["investment_band"] == "high" and not lia["left_behind"]
    assert "Possibly left behind" in behind["flags"].iloc[0]
    gradient = investment_gradient(example)
    assert gradient["computed"] and gradient["strength"] == "strong_positive"
    assert gradient["members_used"] == 11 and gradient["rho"] > 0.5
    summary = gradient["summary"]
    assert "across these 11 members" in summary.lower()  # n is shown
    assert "even at 0.9" in summary and "not as a verdict" in summary  # small-team uncertainty
    assert "warns" not in summary


def test_unrecorded_investment_is_unknown_not_zero(example):
    hana = example.set_index("member").loc["Hana Specimen"]
    assert math.isnan(hana["investment_index"])
    assert hana["investment_band"] == "unknown"
    assert not hana["left_behind"]
    assert "not recorded" in hana["flags"]


def test_perception_gap_is_member_total_minus_manager_total(example):
    rows = example.set_index("member")
    assert rows.loc["Ivo Pretend", "member_total"] == 24
    assert rows.loc["Ivo Pretend", "perception_gap"] == 24 - 18
    assert "6 points higher" in rows.loc["Ivo Pretend", "flags"]
    assert "5 points lower" in rows.loc["Eli Mock", "flags"]
    assert pd.isna(rows.loc["Ben Sample", "member_total"])
    assert math.isnan(rows.loc["Ben Sample", "perception_gap"])
    assert rows.loc["Gus Fiction", "perception_gap"] == 0
    assert rows.loc["Gus Fiction", "flags"] == ""


# -------------------------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=7, max_size=7))
def test_any_valid_answers_score_within_7_to_35(answers):
    scored = score_team([member("A", answers)])
    total = int(scored.loc[0, "total"])
    assert 7 <= total <= 35
    assert total == sum(answers)
    expected = next(
        key
        for key, low, high in [
            ("very_low", 7, 14),
            ("low", 15, 19),
            ("moderate", 20, 24),
            ("high", 25, 29),
            ("very_high", 30, 35),
        ]
        if low <= total <= high
    )
    assert scored.loc[0, "band"] == expected


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (7, "very_low"),
        (14, "very_low"),
        (15, "low"),
        (19, "low"),
        (20, "moderate"),
        (24, "moderate"),
        (25, "high"),
        (29, "high"),
        (30, "very_high"),
        (35, "very_high"),
    ],
)
def test_band_edges_fall_exactly_where_documented(total, band):
    answers = [1] * 7
    remaining = total - 7
    for i in range(7):
        step = min(4, remaining)
        answers[i] += step
        remaining -= step
    scored = score_team([member("A", answers)])
    assert scored.loc[0, "total"] == total
    assert scored.loc[0, "band"] == band


def test_band_edges_helper():
    assert band_edges() == [(14, 15), (19, 20), (24, 25), (29, 30)]


@settings(max_examples=100, deadline=None)
@given(
    goal=st.sampled_from([None, "none", "vague", "specific", "stretch"]),
    opportunities=st.none() | st.integers(0, 50),
    feedback=st.sampled_from([None, "never", "rarely", "monthly", "weekly"]),
    learning_time=st.sampled_from([None, "none", "occasional", "regular"]),
    conversations=st.none() | st.integers(0, 50),
    answers=st.lists(st.integers(1, 5), min_size=7, max_size=7),
)
def test_investment_index_and_left_behind_rule(
    goal, opportunities, feedback, learning_time, conversations, answers
):
    extra = dict(
        goal=goal,
        opportunities=opportunities,
        feedback=feedback,
        learning_time=learning_time,
        conversations=conversations,
    )
    row = score_team([member("A", answers, **extra)]).iloc[0]
    recorded = sum(v is not None for v in extra.values())
    assert row["investment_fields"] == recorded
    if recorded == 0:
        assert math.isnan(row["investment_index"]) and row["investment_band"] == "unknown"
    else:
        assert 0.0 <= row["investment_index"] <= 1.0
    expected = row["band"] in ("low", "very_low") and row["investment_band"] == "low"
    assert bool(row["left_behind"]) == expected


def test_investment_index_extremes_and_weights():
    full = dict(goal="stretch", opportunities=9, feedback="weekly", learning_time="regular")
    none = dict(goal="none", opportunities=0, feedback="never", learning_time="none")
    scored = score_team(
        [
            member("Full", 3, conversations=6, **full),
            member("None", 3, conversations=0, **none),
            member("GoalOnly", 3, goal="specific"),
            member("Half", 3, opportunities=2),
        ]
    )
    assert list(scored["investment_index"]) == [1.0, 0.0, 0.65, 0.5]
    assert list(scored["investment_band"]) == ["high", "low", "medium", "medium"]
    assert "partly recorded (1 of 5" in scored.loc[2, "flags"]


def test_score_team_accepts_loose_frames_and_rejects_bad_ones():
    loose = pd.DataFrame({"Member": [" Ann "], **{q.upper(): [4.0] for q in ITEMS}})
    scored = score_team(loose)
    assert scored.loc[0, "member"] == "Ann" and scored.loc[0, "total"] == 28
    bad = pd.DataFrame({"member": ["Ann", "Bob"], **{q: [4, 6] for q in ITEMS}})
    with pytest.raises(InputError, match="row 2, column 'q1'"):
        score_team(bad)
    with pytest.raises(InputError, match="column 'q1'"):
        score_team(pd.DataFrame({"member": []}))
    with pytest.raises(InputError):
        score_team("not a team")  # type: ignore[arg-type]
    assert score_team([]).empty


# ------------------------------------------------------------------------- the team gradient


def team_with(totals, indexes):
    goal_for = {0.0: "none", 0.25: "vague", 0.65: "specific", 1.0: "stretch"}
    records = []
    for n, (total, index) in enumerate(zip(totals, indexes, strict=True)):
        answers = [total // 7 + (1 if i < total % 7 else 0) for i in range(7)]
        records.append(member(f"M{n}", answers, goal=goal_for[index]))
    return score_team(records)


def test_gradient_needs_five_members_with_investment():
    scored = team_with([10, 15, 20, 25], [0.0, 0.25, 0.65, 1.0])
    result = investment_gradient(scored)
    assert result == {
        "computed": False,
        "members_used": 4,
        "min_members": 5,
        "rho": None,
        "strength": None,
        "summary": result["summary"],
    }
    assert "at least 5" in result["summary"] and "4 have" in result["summary"]
    records = [*scored[["member", *ITEMS, "goal"]].to_dict("records"), member("Unknown", 5)]
    assert investment_gradient(score_team(records))["members_used"] == 4


def test_gradient_strengths():
    rising = investment_gradient(team_with([8, 12, 16, 22, 30], [0.0, 0.25, 0.25, 0.65, 1.0]))
    assert rising["computed"] and rising["strength"] == "strong_positive"
    falling = investment_gradient(team_with([8, 12, 16, 22, 30], [1.0, 0.65, 0.65, 0.25, 0.0]))
    assert falling["strength"] == "negative" and falling["rho"] < -0.5
    flat = investment_gradient(team_with([8, 12, 16, 22, 30], [0.0, 1.0, 0.25, 0.25, 0.0]))
    assert flat["strength"] == "flat"
    same = investment_gradient(team_with([8, 12, 16, 22, 30], [0.25] * 5))
    assert not same["computed"] and "investment index" in same["summary"]


CUT_OFFS = load_instrument().gradient


@pytest.mark.parametrize(
    ("rho", "strength"),
    [
        (1.0, "strong_positive"),
        (0.5, "strong_positive"),  # "0.5 or more strong": the cut-off itself is strong
        (0.49999999999999994, "strong_positive"),  # shown as +0.50, so called strong
        (0.494, "moderate_positive"),  # shown as +0.49
        (0.3, "moderate_positive"),
        (0.2999999999999999, "moderate_positive"),
        (0.294, "flat"),
        (0.0, "flat"),
        (-0.294, "flat"),
        (-0.3, "negative"),  # "-0.3 or less negative"
        (-0.2999999999999999, "negative"),
        (-1.0, "negative"),
    ],
)
def test_the_team_indicator_cut_offs_are_exact(rho, strength):
    assert CUT_OFFS["strong"] == 0.5 and CUT_OFFS["moderate"] == 0.3  # the values tested here
    assert gradient_strength(rho, CUT_OFFS) == strength


def test_a_correlation_of_exactly_a_half_is_strong_end_to_end():
    # ranks 1..5 against 1, 4, 2, 5, 3: squared rank differences sum to 10, rho = 1 - 60/120
    rho = spearman([1, 2, 3, 4, 5], [1, 4, 2, 5, 3])
    assert rho == pytest.approx(0.5)
    assert gradient_strength(rho, CUT_OFFS) == "strong_positive"


@given(st.floats(min_value=-1, max_value=1, allow_nan=False))
def test_the_indicator_is_classified_as_it_is_shown(rho):
    shown = float(f"{rho:+.2f}")
    strength = gradient_strength(rho, CUT_OFFS)
    assert (strength == "strong_positive") == (shown >= 0.5)
    assert (strength == "negative") == (shown <= -0.3)


def test_spearman_matches_a_hand_computed_value():
    # ranks x: 1..5; y = [5, 6, 7, 8, 7] -> ranks [1, 2, 3.5, 5, 3.5]
    rho = spearman(np.array([1, 2, 3, 4, 5]), np.array([5, 6, 7, 8, 7]))
    ry = np.array([1, 2, 3.5, 5, 3.5])
    expected = np.corrcoef(np.arange(1, 6), ry)[0, 1]
    assert rho == pytest.approx(expected)
    assert spearman(np.array([1, 1, 1]), np.array([1, 2, 3])) is None


# ----------------------------------------------------------------------------------- views


def test_item_profile_uses_the_anchor_labels(example):
    profile = item_profile(example, "Ivo Pretend")
    assert list(profile["item"]) == ITEMS
    assert profile.loc[0, "score"] == 2 and profile.loc[0, "anchor"] != "2"
    assert profile["member_score"].notna().all()
    with pytest.raises(InputError, match="no member"):
        item_profile(example, "Nobody")


def test_scores_table_and_guidance(example):
    table = scores_table(example)
    assert list(table.columns)[:3] == ["Member", "Total (7-35)", "Band"]
    assert table.loc[7, "Investment (0-1)"] == "not recorded"
    assert table.loc[8, "Left behind?"] == "yes"
    ivo = member_guidance(example.iloc[8])
    assert len(ivo) == 2 and ivo[1] == load_instrument().left_behind["guidance"]
    assert "Relationships can be built" in ivo[1] and "warns" not in ivo[1]
    assert len(member_guidance(example.iloc[0])) == 1
