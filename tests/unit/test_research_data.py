"""Published figures for Part I: the data files, their loaders and their citations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from widgets.base.errors import InputError
from widgets.content.source import ENV_BOOK_DATA, content_dir
from widgets.research import data as rd


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(content_dir(), target)
    monkeypatch.setenv(ENV_BOOK_DATA, str(target))
    return target


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


def test_people_per_group_is_computed_from_the_published_counts():
    assert rd.people_per_group("bezuijen2010") == pytest.approx(1112 / 233)
    with pytest.raises(InputError, match="both people and groups"):
        rd.people_per_group("blume2010")


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


def test_a_path_to_an_unknown_measure_is_reported(data_copy: Path):
    paths = data_copy / "research" / "bezuijen2010_paths.csv"
    paths.write_text(
        paths.read_text("utf-8") + "Goal clarity,Feedback,reported,,bezuijen2010\n", "utf-8"
    )
    with pytest.raises(InputError, match="Goal clarity"):
        rd.bezuijen_paths()


def test_transfer_matrix_is_three_by_three_in_role_and_time_order():
    matrix = rd.transfer_matrix()
    assert list(matrix.index) == ["Manager", "Trainer", "Trainee"]
    assert list(matrix.columns) == ["Before", "During", "After"]
    assert (matrix != "").all().all()


def test_transfer_matrix_reports_bad_roles_timings_and_duplicates_together(data_copy: Path):
    path = data_copy / "research" / "transfer_matrix.csv"
    path.write_text(
        path.read_text("utf-8")
        + "Coach,Before,Something,broad1992\n"
        + "Manager,Later,Something,broad1992\n"
        + "Manager,Before,Again,broad1992\n",
        "utf-8",
    )
    with pytest.raises(InputError) as caught:
        rd.transfer_matrix()
    message = str(caught.value)
    assert "unknown role" in message and "unknown timing" in message
    assert "appears twice" in message


def test_missing_columns_and_empty_cells_are_listed_with_rows(data_copy: Path):
    path = data_copy / "research" / "evidence_links.csv"
    lines = path.read_text("utf-8").splitlines()
    header = lines[0].replace(",finding", "")
    body = [line.replace("bezuijen2010", "") for line in lines[1:]]
    path.write_text("\n".join([header, *body]) + "\n", "utf-8")
    with pytest.raises(InputError) as caught:
        rd.evidence_links()
    problems = caught.value.problems
    assert any(p.column == "finding" and p.row is None for p in problems)
    assert any("more cells than the header" in p.message for p in problems)


def test_empty_required_cells_name_their_row(data_copy: Path):
    path = data_copy / "research" / "min_group_sizes.csv"
    lines = path.read_text("utf-8").splitlines()
    lines[2] = lines[2].replace("common practice", "")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InputError) as caught:
        rd.min_group_sizes()
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "source")]


def test_minimum_group_sizes_are_whole_numbers_and_never_below_three():
    table = rd.min_group_sizes()
    assert table["min_group_size"].tolist() == [3, 5, 5]
    assert table.loc[0, "source"] == "rework_feedback"


def test_a_non_numeric_group_size_is_an_input_error(data_copy: Path):
    path = data_copy / "research" / "min_group_sizes.csv"
    path.write_text(path.read_text("utf-8").replace(",3,rework", ",three,rework"), "utf-8")
    with pytest.raises(InputError, match="whole number"):
        rd.min_group_sizes()


def test_the_four_learning_situations_fill_a_two_by_two_grid():
    situations = rd.learning_situations()
    assert len(situations) == 4
    pairs = set(zip(situations["partner"], situations["direction"], strict=True))
    assert len(pairs) == 4
    assert set(situations["source"]) == {"mckenzie2013"}


def test_a_missing_file_names_itself(data_copy: Path):
    (data_copy / "research" / "studies.csv").unlink()
    with pytest.raises(InputError, match=r"research/studies\.csv"):
        rd.studies()
