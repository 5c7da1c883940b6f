"""Part I's data loaders: computed figures and every kind of broken research file.

What the shipped files say (the published figures) is checked in tests/content.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from widgets.base.errors import InputError
from widgets.research import data as rd


def test_people_per_group_is_computed_from_the_published_counts():
    assert rd.people_per_group("bezuijen2010") == pytest.approx(1112 / 233)
    with pytest.raises(InputError, match="both people and groups"):
        rd.people_per_group("blume2010")


def test_a_path_to_an_unknown_measure_is_reported(content_copy: Path):
    paths = content_copy / "research" / "bezuijen2010_paths.csv"
    paths.write_text(
        paths.read_text("utf-8") + "Goal clarity,Feedback,reported,,bezuijen2010\n", "utf-8"
    )
    with pytest.raises(InputError, match="Goal clarity"):
        rd.bezuijen_paths()


def test_transfer_matrix_reports_bad_roles_timings_and_duplicates_together(content_copy: Path):
    path = content_copy / "research" / "transfer_matrix.csv"
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


def test_missing_columns_and_empty_cells_are_listed_with_rows(content_copy: Path):
    path = content_copy / "research" / "evidence_links.csv"
    lines = path.read_text("utf-8").splitlines()
    header = lines[0].replace(",finding", "")
    body = [line.replace("bezuijen2010", "") for line in lines[1:]]
    path.write_text("\n".join([header, *body]) + "\n", "utf-8")
    with pytest.raises(InputError) as caught:
        rd.evidence_links()
    problems = caught.value.problems
    assert any(p.column == "finding" and p.row is None for p in problems)
    assert any("more cells than the header" in p.message for p in problems)


def test_empty_required_cells_name_their_row(content_copy: Path):
    path = content_copy / "research" / "min_group_sizes.csv"
    lines = path.read_text("utf-8").splitlines()
    lines[2] = lines[2].replace("common practice", "")
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InputError) as caught:
        rd.min_group_sizes()
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "source")]


def test_a_non_numeric_group_size_is_an_input_error(content_copy: Path):
    path = content_copy / "research" / "min_group_sizes.csv"
    path.write_text(path.read_text("utf-8").replace(",3,rework", ",three,rework"), "utf-8")
    with pytest.raises(InputError, match="whole number"):
        rd.min_group_sizes()


def test_a_missing_file_names_itself(content_copy: Path):
    (content_copy / "research" / "studies.csv").unlink()
    with pytest.raises(InputError, match=r"research/studies\.csv"):
        rd.studies()
