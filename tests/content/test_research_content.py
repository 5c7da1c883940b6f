"""Part I's published figures as data/research holds them, and the sources they cite."""

from __future__ import annotations

from widgets.research import data as rd
from widgets.research.goal_conditions import load_goal_conditions


def test_published_sample_sizes_match_the_research_brief():
    studies = rd.studies()
    assert studies.loc["bezuijen2010", ["people", "groups", "organisations"]].tolist() == [
        1112,
        233,
        7,
    ]
    assert studies.loc["bezuijen2009", "people"] == 904
    assert studies.loc["bezuijen2009", "organisations"] == 6
    assert studies.loc["blume2010", "groups"] == 89
    assert studies.loc["edmondson1999", "groups"] == 51


def test_feedback_is_measured_but_never_a_mediator():
    measures = rd.bezuijen_measures().set_index("measure")
    assert measures.loc["Feedback", "role"] == "measured"
    assert set(measures[measures["role"] == "mediator"].index) == {
        "Goal specificity",
        "Goal difficulty",
    }
    assert measures.loc["Goal difficulty", "rated_by"] == "Leader"
    paths = rd.bezuijen_paths()
    feedback = paths[(paths["from"] == "Feedback") | (paths["to"] == "Feedback")]
    assert set(feedback["kind"]) == {"not reported"}
    assert paths[["x_from", "y_from", "x_to", "y_to"]].notna().all().all()


def test_transfer_matrix_is_three_by_three_in_role_and_time_order():
    matrix = rd.transfer_matrix()
    assert list(matrix.index) == ["Manager", "Trainer", "Trainee"]
    assert list(matrix.columns) == ["Before", "During", "After"]
    assert (matrix != "").all().all()


def test_minimum_group_sizes_are_whole_numbers_and_never_below_three():
    table = rd.min_group_sizes()
    assert table["min_group_size"].tolist() == [3, 5, 5]
    assert table.loc[0, "source"] == "rework_feedback"


def test_the_four_learning_situations_fill_a_two_by_two_grid():
    situations = rd.learning_situations()
    assert len(situations) == 4
    pairs = set(zip(situations["partner"], situations["direction"], strict=True))
    assert len(pairs) == 4
    assert set(situations["source"]) == {"mckenzie2013"}


def test_conditions_cite_locke_and_latham_and_learning_goals_cite_seijts():
    spec = load_goal_conditions()
    assert {item["source"] for item in spec["conditions"]} == {"locke2002"}
    assert spec["goal_type"]["learning"]["source"] == "seijts2005"
