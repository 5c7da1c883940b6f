"""The goal-conditions check of "Goals, feedback and safety"."""

from __future__ import annotations

from pathlib import Path

import pytest

from widgets.base.errors import InputError
from widgets.research.goal_conditions import (
    check_goal_conditions,
    goal_conditions_table,
)

ALL_MET = {
    "already_skilled": True,
    "specific": True,
    "difficult": True,
    "committed": True,
    "feedback": True,
    "no_conflict": True,
}


def test_a_skilled_person_with_every_condition_met_gets_a_performance_goal():
    result = check_goal_conditions(ALL_MET)
    assert result["goal_type"] == "performance"
    assert result["ready"] is True and result["missing"] == []


def test_a_new_skill_calls_for_a_learning_goal_and_missing_conditions_are_listed_in_order():
    answers = {**ALL_MET, "already_skilled": False, "feedback": False, "specific": False}
    result = check_goal_conditions(answers)
    assert result["goal_type"] == "learning"
    assert result["goal_type_source"] == "seijts2005"
    assert [item["id"] for item in result["missing"]] == ["specific", "feedback"]
    assert [item["label"] for item in result["missing"]] == ["Specific", "Feedback"]
    assert result["ready"] is False


def test_missing_unknown_and_non_boolean_answers_are_reported_together():
    answers = {**ALL_MET, "committed": "yes", "extra": True}
    del answers["specific"]
    with pytest.raises(InputError) as caught:
        check_goal_conditions(answers)
    columns = sorted(p.column for p in caught.value.problems)
    assert columns == ["committed", "extra", "specific"]


def test_table_has_one_row_per_goal():
    table = goal_conditions_table(
        {"A": ALL_MET, "B": {**ALL_MET, "already_skilled": False, "difficult": False}}
    )
    assert table.loc["A", "Suggested goal type"] == "Performance goal"
    assert table.loc["B", "Conditions met"] == "4 of 5"
    assert table.loc["B", "Missing"] == "Stretching"
    assert table.loc["A", "Missing"] == "None"
    assert table.loc["A", "First thing to fix"] == "Nothing: go ahead"


def test_a_damaged_conditions_file_is_reported(content_copy: Path):
    path = content_copy / "research" / "goal_conditions.yml"
    path.write_text(path.read_text("utf-8").replace("    source: seijts2005\n", ""), "utf-8")
    with pytest.raises(InputError, match=r"goal_type\.learning"):
        check_goal_conditions(ALL_MET)
