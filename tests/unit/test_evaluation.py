"""The evaluation kit: forms from data/evaluation.yml, counted only as anonymous group results."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import InputError
from widgets.core.evaluation import (
    evaluation_kit,
    evaluation_rows,
    evaluation_summary,
    form,
    read_responses,
)

HEADER = "useful,confident,first_step\n"


def test_below_the_minimum_nothing_is_computed():
    rows = read_responses(HEADER + "5,4,book_before\n" * 4)
    result = evaluation_summary("reaction", rows, min_group_size=5)
    assert result["suppressed"] and result["needed"] == 1 and "questions" not in result
    with pytest.raises(InputError):
        evaluation_rows(result)


ANSWERS = st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), max_size=4)


@settings(max_examples=40, deadline=None)
@given(ANSWERS, ANSWERS)
def test_a_suppressed_result_does_not_depend_on_the_answers(first, second):
    size = min(len(first), len(second))

    def rows(items):
        return [{"useful": str(a), "confident": str(b), "first_step": "rescore"} for a, b in items]

    assert evaluation_summary("reaction", rows(first[:size])) == evaluation_summary(
        "reaction", rows(second[:size])
    )


def test_counts_and_a_question_too_few_answered_is_withheld():
    text = HEADER + "5,4,book_before\n4,,rescore\n4,,book_before\n3,,not_sure\n5,4,book_before\n"
    result = evaluation_summary("reaction", read_responses(text), min_group_size=5)
    assert result["questions"]["useful"]["counts"] == {1: 0, 2: 0, 3: 1, 4: 2, 5: 2}
    assert result["questions"]["first_step"]["counts"]["book_before"] == 3
    assert result["questions"]["confident"] == {"withheld": True, "answered": 2}
    rows = evaluation_rows(result)
    assert any("withheld" in answer for _, answer, _ in rows)
    labels = evaluation_kit()["scale"]
    assert (form("reaction")["questions"][0]["text"], labels[4], 2) in rows


def test_multiple_choice_answers_are_each_counted_once():
    rows = [{"applied": "held_before; held_after; held_before", "extent": "3", "barriers": "time"}]
    result = evaluation_summary("follow_up", rows * 5, min_group_size=5)
    assert result["questions"]["applied"]["counts"]["held_before"] == 5
    assert result["questions"]["applied"]["counts"]["held_after"] == 5


@pytest.mark.parametrize(
    ("line", "column", "words"),
    [("7,4,book_before", "useful", "scale point"), ("5,4,quit_my_job", "first_step", "options"),
     ("5,=cmd(),rescore", "confident", "scale point")],
)  # fmt: skip
def test_a_bad_answer_is_named_by_row_and_column(line, column, words):
    text = HEADER + "5,4,book_before\n" * 4 + line + "\n"
    with pytest.raises(InputError) as caught:
        evaluation_summary("reaction", read_responses(text), min_group_size=5)
    problem = caught.value.problems[0]
    assert problem.row == 6 and problem.column == column and words in problem.message


def test_an_unknown_form_and_a_huge_file_are_refused():
    with pytest.raises(InputError):
        form("happy_sheet")
    with pytest.raises(InputError):
        read_responses("useful\n" + "5\n" * 200_000)


def test_a_broken_evaluation_file_fails_the_book_data_check(content_copy):
    from widgets.book.validation import check_book_data

    path = content_copy / "evaluation.yml"
    path.write_text(path.read_text("utf-8").replace("kind: scale", "kind: essay", 1), "utf-8")
    problems = [p for p in check_book_data() if p.source == "data/evaluation.yml"]
    assert [p.value for p in problems] == ["essay"] and problems[0].row and problems[0].fix
