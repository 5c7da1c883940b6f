"""The data checks: each kind of mistake a fork can make gets a message naming the file, the line
or field, and the fix; the shipped book has none; the build and `make check-data` stop on them."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from widgets.errors import Problem
from widgets.validation import (
    SCHEMAS,
    check_book_data,
    data_fingerprint,
    describe,
    field_name,
    format_problems,
    line_of,
    parse_field,
)

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import check_data  # noqa: E402


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A copy of the book's editable files (config, toc, pages, data, static) to break."""
    copy = tmp_path / "book"
    copy.mkdir()
    for name in ("_config.yml", "_toc.yml", "intro.md"):
        shutil.copy2(REPO / name, copy / name)
    for name in ("data", "_static", "chapters"):
        shutil.copytree(REPO / name, copy / name)
    return copy


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a file, failing loudly if the original text moved."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not found in {path.name}: update this test"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_with(path: Path, text: str, after: int = 0) -> int:
    """The number of the first line after line ``after`` that contains ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number > after and text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def only(problems: list[Problem], source: str) -> Problem:
    """The one problem reported for ``source``; fails with the full list otherwise."""
    found = [p for p in problems if p.source == source]
    assert len(found) == 1, format_problems(problems) if problems else "no problem reported"
    return found[0]


def test_the_shipped_book_has_no_problems():
    problems = check_book_data(REPO)
    assert problems == [], format_problems(problems)


@pytest.mark.parametrize("schema", sorted(SCHEMAS.glob("*.schema.json")), ids=lambda p: p.name)
def test_every_schema_is_valid_draft_2020_12(schema: Path):
    jsonschema.Draft202012Validator.check_schema(json.loads(schema.read_text(encoding="utf-8")))


def test_the_data_folder_can_be_chosen_with_the_environment(book, monkeypatch):
    edit(book / "data" / "organisation.yml", "min_group_size: 5", "min_group_size: 2")
    monkeypatch.setenv("LEADING_FOR_LEARNING_BOOK_DATA", str(book / "data"))
    problem = only(check_book_data(), "data/organisation.yml")
    assert problem.column == "min_group_size"


# --- each kind of mistake the issue lists ------------------------------------------------------


def test_broken_yaml_names_the_line_and_how_to_fix_it(book):
    path = book / "data" / "instrument.yml"
    edit(path, "    theme: Recognising potential", "   theme: Recognising potential")
    problem = only(check_book_data(book), "data/instrument.yml")
    assert problem.row in range(
        line_with(path, "Recognising potential") - 1, line_with(path, "Recognising potential") + 2
    )
    text = describe(problem)
    assert text.startswith(f"data/instrument.yml, line {problem.row}: the YAML is broken")
    assert "Fix:" in text and "spaces" in text


def test_a_value_with_a_colon_gets_the_quoting_fix(book):
    path = book / "data" / "organisation.yml"
    edit(path, "org_name: your organisation", "org_name: Acme: the learning company")
    problem = only(check_book_data(book), "data/organisation.yml")
    assert problem.row == line_with(path, "org_name:")
    assert "double quotes" in problem.fix


def test_broken_csv_names_the_row_and_the_quotes(book):
    path = book / "data" / "resources.csv"
    edit(path, "Negotiation fundamentals,", '"Negotiation fundamentals,')
    problems = check_book_data(book)
    problem = only(problems, "data/resources.csv")
    assert problem.row == line_with(path, "Negotiation fundamentals")
    assert "quote" in problem.fix
    assert describe(problem).startswith(f"data/resources.csv, row {problem.row}:")


def test_an_unquoted_comma_in_a_csv_value_is_explained(book):
    path = book / "data" / "resources.csv"
    edit(path, "Negotiation fundamentals,", "Negotiation, the fundamentals,")
    problem = only(check_book_data(book), "data/resources.csv")
    assert problem.row == line_with(path, "Negotiation, the fundamentals")
    assert "7 values" in problem.message and "6 columns" in problem.message
    assert "double quotes" in problem.fix


def test_a_bad_catalogue_cell_names_row_column_and_fix(book):
    path = book / "data" / "resources.csv"
    edit(path, "negotiation,90,", "negotiation,an hour and a half,")
    problem = only(check_book_data(book), "data/resources.csv")
    assert (problem.row, problem.column) == (line_with(path, "negotiation,"), "duration")
    assert "minutes" in problem.fix
    assert "column duration" in describe(problem)


def test_an_unknown_resource_type_uses_the_catalogue_check(book):
    path = book / "data" / "resources.csv"
    edit(path, "Negotiation fundamentals,e-learning,", "Negotiation fundamentals,webinar,")
    problem = only(check_book_data(book), "data/resources.csv")
    assert (problem.row, problem.column, problem.value) == (
        line_with(path, "Negotiation fundamentals"),
        "type",
        "webinar",
    )
    assert "course" in problem.fix  # lists the types data/prompts.yml allows


def test_a_missing_field_is_named_with_what_to_write(book):
    path = book / "data" / "organisation.yml"
    edit(path, "org_name: your organisation\n", "")
    problem = only(check_book_data(book), "data/organisation.yml")
    assert problem.column == "org_name"
    assert "'org_name' is missing" in problem.message
    assert "org_name:" in problem.fix


def test_a_missing_nested_field_points_at_its_section(book):
    path = book / "data" / "instrument.yml"
    edit(path, "    theme: Recognising potential\n", "")
    problem = only(check_book_data(book), "data/instrument.yml")
    assert problem.column == "items[3].theme"
    assert problem.row == line_with(path, "- id: q3")


def test_an_item_with_four_anchors(book):
    path = book / "data" / "instrument.yml"
    edit(path, "      - Largely recognised\n", "")
    problem = only(check_book_data(book), "data/instrument.yml")
    assert problem.column == "items[3].anchors"
    assert problem.row == line_with(path, "anchors:", after=line_with(path, "- id: q3"))
    assert "4 entries" in problem.message and "exactly 5" in problem.message
    assert "five" in problem.fix and "lowest first" in problem.fix


def test_a_band_gap(book):
    path = book / "data" / "instrument.yml"
    edit(path, "    min: 15\n", "    min: 16\n")
    problem = only(check_book_data(book), "data/instrument.yml")
    assert problem.column == "bands[2].min"
    assert problem.row == line_with(path, "min: 16")
    assert problem.message == "a gap: this band starts at 16, but the band before it ends at 14"
    assert problem.fix == "set min to 15, or set the previous band's max to 15"


def test_a_band_overlap(book):
    path = book / "data" / "instrument.yml"
    edit(path, "    max: 19\n", "    max: 21\n")
    problem = only(check_book_data(book), "data/instrument.yml")
    assert problem.column == "bands[3].min"  # the moderate band starts inside the low band
    assert problem.row == line_with(path, "min: 20")
    assert problem.message.startswith("an overlap: this band starts at 20")
    assert problem.fix == "set min to 22, or set the previous band's max to 19"


def test_bands_that_miss_the_ends(book):
    path = book / "data" / "instrument.yml"
    edit(path, "    min: 7\n", "    min: 8\n")
    edit(path, "    max: 35\n", "    max: 34\n")
    problems = [p for p in check_book_data(book) if p.source == "data/instrument.yml"]
    assert [p.fix for p in problems] == ["set min to 7", "set the last band's max to 35"]
    assert [p.row for p in problems] == [line_with(path, "min: 8"), line_with(path, "max: 34")]


def test_a_minimum_group_size_of_two(book):
    path = book / "data" / "organisation.yml"
    edit(path, "min_group_size: 5", "min_group_size: 2")
    problem = only(check_book_data(book), "data/organisation.yml")
    assert (problem.row, problem.column, problem.value) == (
        line_with(path, "min_group_size: 2"),
        "min_group_size",
        2,
    )
    assert "below 3" in problem.message and "3 or more" in problem.fix
    assert describe(problem).endswith("(found 2). Fix: " + problem.fix + ".")


def test_a_page_missing_from_the_table_of_contents(book):
    path = book / "_toc.yml"
    edit(path, "chapters/tools/plan-conversations", "chapters/tools/plan-conversation")
    problem = only(check_book_data(book), "_toc.yml")
    assert problem.row == line_with(path, "chapters/tools/plan-conversation")
    assert problem.column.endswith(".file") and problem.value == "chapters/tools/plan-conversation"
    assert "does not exist" in problem.message and "without .md" in problem.fix


def test_a_launch_button_address_that_is_not_a_web_address(book):
    path = book / "_config.yml"
    edit(path, 'jupyterhub_url: ""', "jupyterhub_url: hub.example.org")
    problems = check_book_data(book)
    bad = [p for p in problems if p.column == "launch_buttons.jupyterhub_url"]
    assert len(bad) == 1, format_problems(problems)
    assert bad[0].row == line_with(path, "jupyterhub_url:")
    assert "https://" in bad[0].fix


def test_a_launch_button_needs_the_repository_address(book):
    edit(book / "_config.yml", 'jupyterhub_url: ""', "jupyterhub_url: https://hub.example.org")
    problem = only(check_book_data(book), "_config.yml")
    assert problem.column == "repository.url" and "repository" in problem.fix


def test_a_self_hosted_git_server_needs_its_provider(book):
    path = book / "_config.yml"
    edit(path, 'jupyterhub_url: ""', "jupyterhub_url: https://hub.example.org")
    edit(
        path,
        'repository:\n  url: ""',
        "repository:\n  url: https://git.example.org/learning/leading-for-learning",
    )
    problem = only(check_book_data(book), "_config.yml")
    assert "repository_provider" in problem.fix
    edit(
        path,
        "      use_download_button: true",
        "      repository_provider: gitlab\n      use_download_button: true",
    )
    assert check_book_data(book) == []


# --- more of what a fork changes -------------------------------------------------------------


def test_a_missing_logo_file(book):
    (book / "_static" / "logo.svg").unlink()
    problem = only(check_book_data(book), "_config.yml")
    assert (problem.column, problem.value) == ("logo", "_static/logo.svg")
    assert "_static/" in problem.fix


def test_an_agenda_that_does_not_add_up(book):
    path = book / "data" / "workshop.yml"
    edit(path, "length_minutes: 90", "length_minutes: 120")
    problem = only(check_book_data(book), "data/workshop.yml")
    assert problem.column == "agendas.ninety_minute.length_minutes"
    assert problem.row == line_with(path, "length_minutes: 120")
    assert "90 minutes" in problem.message and "120" in problem.message


def test_a_missing_role_card(book):
    path = book / "data" / "role_cards.yml"
    edit(path, "  - mode: peer_learning", "  - mode: coaching")
    problems = [p for p in check_book_data(book) if p.source == "data/role_cards.yml"]
    messages = " ".join(p.message for p in problems)
    assert "a second card for this mode" in messages and "peer_learning" in messages


def test_the_planner_guide_and_the_band_keys_stay_in_step(book):
    path = book / "data" / "instrument.yml"
    edit(path, "  - key: moderate", "  - key: medium_rel")
    problems = check_book_data(book)
    sources = {p.source for p in problems}
    assert {"data/instrument.yml", "data/prompts.yml"} <= sources, format_problems(problems)
    assert all(p.fix for p in problems)


def test_a_repeated_name_in_yaml(book):
    path = book / "data" / "organisation.yml"
    edit(path, "timezone: Europe/London", "timezone: Europe/London\ntimezone: Europe/Paris")
    problem = only(check_book_data(book), "data/organisation.yml")
    assert problem.row == line_with(path, "Europe/Paris")
    assert "twice" in problem.message


def test_a_yes_no_answer_label_must_be_quoted(book):
    edit(book / "data" / "instrument.yml", "      - Probably not\n", "      - No\n")
    problem = only(check_book_data(book), "data/instrument.yml")
    assert problem.column == "items[5].anchors[2]" and "double quotes" in problem.fix


def test_a_translated_message_keeps_its_placeholders(book):
    path = book / "data" / "instrument.yml"
    edit(path, "points higher than you do", "punten hoger ({verschil}) dan jij")
    problem = only(check_book_data(book), "data/instrument.yml")
    assert (problem.column, problem.row) == ("perception_gap.higher", line_with(path, "higher:"))
    assert "{verschil}" in problem.message and "{gap}" in problem.fix


def test_a_link_to_a_dropped_chapter(book):
    toc = book / "_toc.yml"
    edit(toc, "          - file: chapters/research/learning-culture\n", "")
    problems = check_book_data(book)
    index = book / "chapters" / "research" / "index.md"
    linked = [p for p in problems if p.source == "chapters/research/index.md"]
    assert linked and all("learning-culture" in p.message for p in linked), format_problems(
        problems
    )
    assert {p.row for p in linked} == {
        n
        for n, line in enumerate(index.read_text(encoding="utf-8").splitlines(), 1)
        if "{ref}`learning-culture`" in line
    }
    assert "remove the link" in linked[0].fix


def test_every_problem_is_reported_at_once(book):
    edit(book / "data" / "organisation.yml", "min_group_size: 5", "min_group_size: 2")
    edit(book / "data" / "instrument.yml", "      - Largely recognised\n", "")
    edit(book / "_toc.yml", "chapters/tools/plan-conversations", "chapters/tools/nowhere")
    problems = check_book_data(book)
    assert [p.source for p in problems] == [
        "_toc.yml",
        "data/organisation.yml",
        "data/instrument.yml",
    ]
    text = format_problems(problems)
    assert text.startswith("There are 3 problems") and text.count("Fix:") == 3
    assert "Traceback" not in text


def test_a_loader_crash_never_escapes(book):
    path = book / "data" / "prompts.yml"
    edit(path, "stages:\n", "stages: [before, after, follow_up]\nold_stages:\n")
    problems = check_book_data(book)
    assert problems and all(p.fix for p in problems)
    assert [(p.source, p.column) for p in problems] == [("data/prompts.yml", "stages")]
    assert "'name: value'" in problems[0].fix


# --- the helpers --------------------------------------------------------------------------------


def test_field_names_count_from_one_and_read_back():
    path = ("items", 2, "anchors", 0)
    assert field_name(path) == "items[3].anchors[1]"
    assert parse_field(field_name(path)) == path
    assert parse_field(None) == ()


def test_line_of_finds_keys_and_list_entries():
    text = "a:\n  b:\n    - x\n    - y\nc: 1\n"
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    assert line_of(node, ("a", "b", 1)) == 4
    assert line_of(node, ("c",)) == 5
    assert line_of(node, ("a", "missing")) == 1  # the section the missing key belongs in
    assert line_of(node, ("missing",)) is None


def test_the_fingerprint_follows_every_data_file(tmp_path):
    (tmp_path / "a.yml").write_text("x: 1\n", encoding="utf-8")
    first = data_fingerprint(tmp_path)
    assert data_fingerprint(tmp_path) == first
    (tmp_path / "a.yml").write_text("x: 2\n", encoding="utf-8")
    assert data_fingerprint(tmp_path) != first


# --- where the checks run: the build and `make check-data` ---------------------------------------


class _App:
    def __init__(self, confdir: Path):
        self.confdir = str(confdir)


class _Config:
    external_toc_path = "_toc.yml"


def test_the_build_stops_with_the_whole_list_and_no_traceback(book, monkeypatch):
    from sphinx.errors import ConfigError

    from widgets.sphinx_book import _check_book_files

    edit(book / "data" / "organisation.yml", "min_group_size: 5", "min_group_size: 2")
    monkeypatch.setenv("LEADING_FOR_LEARNING_BOOK_DATA", str(book / "data"))
    with pytest.raises(ConfigError) as caught:
        _check_book_files(_App(book), _Config())
    message = str(caught.value)
    assert "data/organisation.yml, line" in message and "field min_group_size" in message
    assert "Fix:" in message


def test_the_build_refuses_another_folders_data(book, monkeypatch):
    from sphinx.errors import ConfigError

    from widgets.sphinx_book import _check_book_files

    monkeypatch.delenv("LEADING_FOR_LEARNING_BOOK_DATA", raising=False)
    with pytest.raises(ConfigError, match="data files of another folder"):
        _check_book_files(_App(book), _Config())


def test_check_data_script(book, capsys):
    assert check_data.main(["--root", str(book)]) == 0
    assert "All data files are valid" in capsys.readouterr().out
    edit(book / "data" / "organisation.yml", "min_group_size: 5", "min_group_size: 2")
    assert check_data.main(["--root", str(book)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"data/organisation.yml, line \d+, field min_group_size: ", out)
