"""Part I charts: each has a title and a description, and tells categories apart without colour."""

from __future__ import annotations

import json

import altair as alt
import pytest

from widgets.research import charts as rc
from widgets.research import data as rd
from widgets.research import illustrations as il


def charts() -> dict[str, alt.TopLevelMixin]:
    return {
        "model": rc.bezuijen_model_chart(rd.bezuijen_measures(), rd.bezuijen_paths()),
        "investment": rc.investment_chart(il.simulate_investment({"A": 30, "B": 15, "C": 10})),
        "variance": rc.variance_share_chart(il.variance_share_table(1, 4, range(1, 21))),
        "groups": rc.group_size_chart({"T1": 2, "T2": 4, "T3": 8}, rd.min_group_sizes()),
        "situations": rc.situations_chart(rd.learning_situations()),
    }


@pytest.mark.parametrize("name", list(charts()))
def test_every_chart_has_a_title_and_a_description(name):
    spec = charts()[name].to_dict()
    assert spec["title"]
    assert len(spec["description"]) > 80


def test_model_chart_draws_feedback_dashed_and_says_so():
    spec = charts()["model"].to_dict()
    text = json.dumps(spec)
    assert "not reported as a mediator" in spec["description"]
    assert '"strokeDash": [5, 4]' in text
    assert "1,112 employees and 233 leaders" in text


def test_synthetic_charts_say_they_are_synthetic():
    for name in ("investment", "variance", "groups"):
        spec = charts()[name].to_dict()
        assert "ynthetic" in json.dumps(spec["title"]) and "ynthetic" in spec["description"]


def test_descriptions_follow_the_data():
    spec = rc.variance_share_chart(il.variance_share_table(1, 4, [1, 10])).to_dict()
    assert "20% to 71% at 10 people" in spec["description"]
    groups = charts()["groups"].to_dict()
    assert "3 invented teams" in groups["description"]
    assert "sizes 3 and 5" in groups["description"]


def test_lines_use_shape_or_dash_as_well_as_colour():
    text = json.dumps(charts()["investment"].to_dict())
    assert '"shape"' in text
    text = json.dumps(charts()["variance"].to_dict())
    assert '"strokeDash"' in text and '"shape"' in text
