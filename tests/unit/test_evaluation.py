"""The evaluation kit: forms from data/evaluation.yml, counted only as anonymous group results."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import InputError
from widgets.content.evaluation import load_evaluation
from widgets.core.evaluation import (
    evaluation_kit,
    evaluation_rows,
    evaluation_summary,
    form,
    read_responses,
)

REPO = Path(__file__).resolve().parents[2]
SOURCE = "data/evaluation.yml"
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
    labels = evaluation_kit().scale
    assert (form("reaction").questions[0].text, labels[4], 2) in rows


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


# ------------------------------------------------------------------------ the typed loader


def _edit(path: Path, change) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, sort_keys=False, width=10_000), encoding="utf-8")


def _loader_and_check(content_copy: Path) -> tuple[list, list]:
    from widgets.book.validation import check_book_data

    with pytest.raises(InputError) as caught:
        load_evaluation()
    checked = [p for p in check_book_data(REPO, data=content_copy) if p.source == SOURCE]
    return caught.value.problems, checked


def test_the_kit_is_typed_counted_forms_apart_from_the_interview_guide():
    kit = load_evaluation()
    assert list(kit.forms) == ["reaction", "follow_up"]
    assert len(kit.scale) == 5 and kit.success_case.sections
    first_step = kit.form("reaction").questions[2]
    assert first_step.kind == "choice" and "not_sure" in first_step.options
    with pytest.raises(FrozenInstanceError):
        first_step.text = "changed"  # type: ignore[misc]
    with pytest.raises(InputError) as caught:
        kit.form("success_case")  # the guide has no answers to count
    assert "reaction" in caught.value.problems[0].fix


def test_a_question_key_used_twice_is_named_at_its_line_by_the_loader_and_the_check(
    content_copy,
):
    path = content_copy / "evaluation.yml"

    def repeat_key(raw):
        questions = raw["forms"]["follow_up"]["questions"]
        questions[1]["key"] = questions[0]["key"]

    _edit(path, repeat_key)
    problems, checked = _loader_and_check(content_copy)
    (problem,) = problems
    assert problem.column == "forms.follow_up.questions[2].key" and problem.value == "applied"
    line = path.read_text("utf-8").splitlines()[problem.row - 1]
    assert "key: applied" in line and problem.fix
    assert checked == problems


def test_a_choice_question_without_options_is_refused(content_copy):
    path = content_copy / "evaluation.yml"
    _edit(path, lambda raw: raw["forms"]["reaction"]["questions"][2].pop("options"))
    problems, checked = _loader_and_check(content_copy)
    (problem,) = problems
    assert problem.column == "forms.reaction.questions[3].kind"
    assert problem.message == "a choice question has no options" and problem.value == "choice"
    assert checked == problems
