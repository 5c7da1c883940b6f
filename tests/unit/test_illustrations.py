"""Synthetic illustrations of Part I: the arithmetic they show must hold."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.base.errors import InputError
from widgets.research.illustrations import (
    investment_gap,
    simulate_investment,
    simulate_units,
    threshold_coverage,
    variance_share_table,
    variance_shares,
)

TEAM = {"Ana": 33, "Ben": 28, "Caro": 22, "Dev": 17, "Eli": 12}


def test_proportional_sharing_widens_the_gap_every_quarter_and_equal_sharing_does_not():
    simulation = simulate_investment(TEAM, quarters=8, hours_per_quarter=60)
    gap = investment_gap(simulation).pivot(index="quarter", columns="policy", values="gap")
    assert gap["equal"].abs().max() == pytest.approx(0)
    assert gap["proportional"].is_monotonic_increasing
    # 60 hours a quarter split 33:12 out of 112 points gives a gap of 60 * 21 / 112 per quarter.
    assert gap.loc[8, "proportional"] == pytest.approx(8 * 60 * 21 / 112)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(7, 35), min_size=2, max_size=12),
    st.integers(1, 12),
    st.floats(1, 500),
)
def test_every_policy_hands_out_exactly_the_budget(scores, quarters, hours):
    team = {f"m{i}": score for i, score in enumerate(scores)}
    simulation = simulate_investment(team, quarters=quarters, hours_per_quarter=hours)
    at_end = simulation[simulation["quarter"] == quarters].groupby("policy")["hours"].sum()
    assert at_end["proportional"] == pytest.approx(hours * quarters)
    assert at_end["equal"] == pytest.approx(hours * quarters)


def test_bad_simulation_inputs_are_all_reported():
    with pytest.raises(InputError) as caught:
        simulate_investment({"Ana": -1, "Ben": "high"}, quarters=0, hours_per_quarter=0)
    assert len(caught.value.problems) == 4
    with pytest.raises(InputError, match="at least two members"):
        simulate_investment({"Ana": 20})


def test_variance_shares_follow_the_formula():
    shares = variance_shares(1.0, 4.0, 10)
    assert shares["unit_average_share"] == pytest.approx(1 / 1.4)
    assert shares["individual_share"] == pytest.approx(0.2)
    assert variance_shares(1.0, 4.0, 1)["unit_average_share"] == pytest.approx(0.2)


def test_a_simulated_organisation_agrees_with_the_formula():
    simulated = simulate_units(4000, 10, 1.0, 4.0, seed=7)
    expected = variance_shares(1.0, 4.0, 10)
    assert simulated["unit_average_share"] == pytest.approx(
        expected["unit_average_share"], abs=0.03
    )
    assert simulated["individual_share"] == pytest.approx(expected["individual_share"], abs=0.02)


def test_variance_share_table_has_both_levels_for_each_size():
    table = variance_share_table(1, 4, [1, 5, 10])
    assert len(table) == 6
    assert set(table["level"]) == {"Across unit averages", "Across individual people"}


def test_bad_variance_inputs_are_reported_together():
    with pytest.raises(InputError) as caught:
        variance_shares(0, -1, 0)
    assert len(caught.value.problems) == 3
    with pytest.raises(InputError, match="at least 3 units"):
        simulate_units(2, 10, 1, 4)


def test_threshold_coverage_counts_groups_and_people():
    table = threshold_coverage([2, 3, 4, 5, 9], [3, 5]).set_index("min_group_size")
    assert table.loc[3, "groups_shown"] == 4 and table.loc[3, "people_hidden"] == 2
    assert table.loc[5, "groups_hidden"] == 3 and table.loc[5, "people_shown"] == 14
    assert table.loc[5, "share_of_people_shown"] == pytest.approx(14 / 23)


def test_threshold_coverage_rejects_bad_sizes_and_thresholds():
    with pytest.raises(InputError) as caught:
        threshold_coverage([2, -1, 2.5], [0])
    assert len(caught.value.problems) == 3
    with pytest.raises(InputError, match="no groups"):
        threshold_coverage([], [5])
