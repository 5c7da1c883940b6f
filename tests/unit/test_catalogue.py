"""The resource catalogue (data/resources.csv): reading, checking, filtering by skill."""

from __future__ import annotations

import io

import pytest

from widgets import InputError, read_catalogue, resources_for
from widgets.content.catalogue import COLUMNS, Resource, skill_to_show, skills

HEADER = ",".join(COLUMNS)
GOOD_ROW = "Open questions,e-learning,coaching,10,intranet:/learning/questions,internal"


def read(text: str, encoding: str = "utf-8") -> list[Resource]:
    return read_catalogue(io.BytesIO(text.encode(encoding)))


def test_resources_for_matches_a_skill_ignoring_case():
    catalogue = read(
        f"{HEADER}\n{GOOD_ROW}\n"
        "Delegating well,workshop,delegation; coaching,120,intranet:/learning/delegation,internal\n"
        "Budgets,book,finance,300,https://example.org/budgets,external\n"
    )
    coaching = resources_for("  COACHING ", catalogue)
    assert [r.title for r in coaching] == ["Open questions", "Delegating well"]
    assert resources_for("", catalogue) == catalogue
    assert resources_for("underwater basket weaving", catalogue) == []


def test_resources_for_reads_the_shipped_catalogue_itself():
    catalogue = read_catalogue()
    skill = catalogue[0].skills[0]
    assert resources_for(skill) == resources_for(skill, catalogue)


def test_skills_lists_each_skill_once_sorted():
    listed = skills(read(f"{HEADER}\n{GOOD_ROW}\nB,book,Feedback; coaching,60,,external\n"))
    assert listed == ["coaching", "Feedback"]


def test_duration_labels_read_naturally():
    def label(minutes):
        return Resource("t", "book", ("s",), minutes, "", "external").duration_label

    assert [label(m) for m in (10, 60, 90, 420)] == ["10 min", "1 h", "1 h 30 min", "7 h"]


def test_semicolons_bom_crlf_and_blank_trailing_rows_are_fine():
    text = (
        "\ufeff"
        + HEADER.replace(",", ";")
        + "\r\n"
        + GOOD_ROW.replace(",", ";")
        + "\r\n;;;\r\n\r\n"
    )
    assert [r.title for r in read(text)] == ["Open questions"]


def test_a_missing_column_is_named():
    with pytest.raises(InputError) as caught:
        read("title,type,skill,duration,link\nA,book,x,5,\n")
    problem = caught.value.problems[0]
    assert problem.column == "internal_or_external" and problem.row == 1


def test_every_bad_cell_is_reported_with_row_and_column():
    text = "\n".join(
        [
            HEADER,
            GOOD_ROW,
            ",blog,,ninety,javascript:alert(1),outside",
            "Tracked,article,feedback,15,https://example.org/a?utm_source=mail,external",
            "Spaced,article,feedback,15,https://example.org/a b,external",
            "Zero,article,feedback,0,,internal",
        ]
    )
    with pytest.raises(InputError) as caught:
        read(text)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (3, "title"),
        (3, "type"),
        (3, "skill"),
        (3, "duration"),
        (3, "link"),
        (3, "internal_or_external"),
        (4, "link"),
        (5, "link"),
        (6, "duration"),
    }
    message = str(caught.value)
    assert "tracking parameters" in message and "use one of: course" in message


def test_unknown_and_repeated_columns_are_reported():
    with pytest.raises(InputError) as caught:
        read(f"{HEADER},price,title\n{GOOD_ROW},9,x\n")
    assert {(p.column, p.message) for p in caught.value.problems} == {
        ("price", "unknown column"),
        ("title", "this column appears twice"),
    }


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf\r\n ,;\n"])
def test_an_empty_file_is_reported(data):
    with pytest.raises(InputError, match="empty"):
        read_catalogue(io.BytesIO(data))


def test_a_file_that_is_not_utf8_is_reported():
    with pytest.raises(InputError, match="UTF-8"):
        read(f"{HEADER}\nCafé,book,x,5,,external\n", encoding="latin-1")


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 workbook", b"title,type\x00\x01\x02", b"\xff\xfet\x00i\x00"],
    ids=["workbook", "binary", "utf-16"],
)
def test_file_problems_name_the_catalogue_not_the_team_file(data):
    with pytest.raises(InputError) as caught:
        read_catalogue(io.BytesIO(data))
    message = str(caught.value)
    assert "team" not in message and "member" not in message, message


def test_a_semicolon_catalogue_whose_title_has_a_comma_is_split_on_semicolons():
    row = "Coaching, the basics;course;coaching;60;intranet:/learning/coaching;internal"
    (resource,) = read(f"{HEADER.replace(',', ';')}\n{row}\n")
    assert resource.title == "Coaching, the basics" and resource.duration == 60


def test_the_example_skill_falls_back_to_one_the_catalogue_has():
    catalogue = read(
        f"{HEADER}\n{GOOD_ROW}\n"
        "Delegating well,workshop,delegation,120,intranet:/learning/delegation,internal\n"
    )
    assert skill_to_show("coaching", catalogue) == "coaching"
    assert skill_to_show("negotiation", catalogue) == "coaching"  # the first skill, sorted
    assert resources_for(skill_to_show("negotiation", catalogue), catalogue)
    assert skill_to_show("negotiation", []) == "negotiation"
