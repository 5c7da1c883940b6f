"""The data checks: each kind of mistake a fork can make gets a message naming the file, the line
or field, and the fix; the book as it stands has none; the build and `make check-data` stop on
them.

Every mistake is made in a copy of the book by changing the structure of a file (an answer label
removed, a band moved), never by searching for today's wording, so these tests pass unchanged in
a fork that has rewritten every item, band and catalogue entry.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest
import yaml

from widgets.base.errors import Problem
from widgets.book.validation import (
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

ORGANISATION = "schema_version: 1\norg_name: Test Organisation\nmin_group_size: 5\n"


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


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def save(path: Path, data: Any) -> None:
    """Write YAML with one line per value, so a test can find a value's line by its text."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    path.write_text(text, encoding="utf-8")


def change(path: Path, edit) -> Any:
    """Load a YAML file, let ``edit`` change the data, save it; returns the changed data."""
    data = load(path)
    edit(data)
    save(path, data)
    return data


def line_with(path: Path, text: str, after: int = 0) -> int:
    """The number of the first line after line ``after`` that contains ``text``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if number > after and text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def append(path: Path, text: str) -> int:
    """Add lines at the end of a file; returns the number of the last line."""
    current = path.read_text(encoding="utf-8")
    if not current.endswith("\n"):
        current += "\n"
    path.write_text(current + text, encoding="utf-8")
    return len((current + text).splitlines())


def only(problems: list[Problem], source: str) -> Problem:
    """The one problem reported for ``source``; fails with the full list otherwise."""
    found = [p for p in problems if p.source == source]
    assert len(found) == 1, format_problems(problems) if problems else "no problem reported"
    return found[0]


@pytest.mark.parametrize("schema", sorted(SCHEMAS.glob("*.schema.json")), ids=lambda p: p.name)
def test_every_schema_is_valid_draft_2020_12(schema: Path):
    jsonschema.Draft202012Validator.check_schema(json.loads(schema.read_text(encoding="utf-8")))


def test_the_data_folder_can_be_chosen_with_the_environment(book, monkeypatch):
    (book / "data" / "organisation.yml").write_text(ORGANISATION.replace("5", "2"), "utf-8")
    monkeypatch.setenv("LEADING_FOR_LEARNING_BOOK_DATA", str(book / "data"))
    problem = only(check_book_data(), "data/organisation.yml")
    assert problem.column == "min_group_size"


# --- each kind of mistake the issue lists ------------------------------------------------------


def test_broken_yaml_names_the_line_and_how_to_fix_it(book):
    path = book / "data" / "organisation.yml"
    path.write_text("org_name: Test\nmin_group_size: 5\n timezone: Europe/London\n", "utf-8")
    problem = only(check_book_data(book), "data/organisation.yml")
    assert problem.row == 3
    text = describe(problem)
    assert text.startswith("data/organisation.yml, line 3: the YAML is broken")
    assert "Fix: line this entry up" in text and "spaces" in text


def test_a_tab_in_yaml(book):
    path = book / "data" / "organisation.yml"
    path.write_text("org_name: Test\n\tmin_group_size: 5\n", "utf-8")
    problem = only(check_book_data(book), "data/organisation.yml")
    assert problem.row == 2 and "never tabs" in problem.fix


def test_a_value_with_a_colon_gets_the_quoting_fix(book):
    path = book / "data" / "organisation.yml"
    path.write_text("schema_version: 1\norg_name: Acme: the learning company\n", "utf-8")
    problem = only(check_book_data(book), "data/organisation.yml")
    assert problem.row == 2
    assert "double quotes" in problem.fix


def test_broken_csv_names_the_row_and_the_quotes(book):
    path = book / "data" / "resources.csv"
    last = append(path, '"An unclosed title,course,feedback,10,,internal\n')
    problem = only(check_book_data(book), "data/resources.csv")
    assert problem.row == last
    assert "quote" in problem.fix
    assert describe(problem).startswith(f"data/resources.csv, row {last}:")


def test_an_unquoted_comma_in_a_csv_value_is_explained(book):
    path = book / "data" / "resources.csv"
    last = append(path, "Negotiation, the basics,course,negotiation,90,,internal\n")
    problem = only(check_book_data(book), "data/resources.csv")
    assert problem.row == last
    assert "7 values" in problem.message and "6 columns" in problem.message
    assert "double quotes" in problem.fix


def test_a_bad_catalogue_cell_names_row_column_and_fix(book):
    path = book / "data" / "resources.csv"
    last = append(path, "Team learning huddle,course,feedback,an hour,,internal\n")
    problem = only(check_book_data(book), "data/resources.csv")
    assert (problem.row, problem.column, problem.value) == (last, "duration", "an hour")
    assert "whole number of minutes" in problem.message and "90" in problem.fix
    assert f"row {last}, column duration" in describe(problem)


def test_an_unknown_resource_type_uses_the_catalogue_check(book):
    path = book / "data" / "resources.csv"
    last = append(path, "Team learning huddle,no-such-type,feedback,30,,internal\n")
    problem = only(check_book_data(book), "data/resources.csv")
    assert (problem.row, problem.column, problem.value) == (last, "type", "no-such-type")
    types = load(book / "data" / "prompts.yml")["resource_types"]
    assert all(key in problem.fix for key in types)  # lists the types data/prompts.yml allows


def test_an_unknown_catalogue_column_is_one_problem_not_one_per_row(book):
    path = book / "data" / "resources.csv"
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([lines[0] + ",price", *(line + ",9" for line in lines[1:])]) + "\n")
    problem = only(check_book_data(book), "data/resources.csv")
    assert (problem.row, problem.column, problem.message) == (1, "price", "unknown column")
    assert "rename it to one of: title" in problem.fix


def test_a_bad_catalogue_row_is_the_same_problems_in_the_check_and_the_loader(book, monkeypatch):
    """The catalogue is checked once, by its loader: make check-data reports what it raises."""
    from widgets.base.errors import InputError
    from widgets.content.catalogue import read_catalogue
    from widgets.content.source import ENV_BOOK_DATA

    path = book / "data" / "resources.csv"
    last = append(path, ",blog,,ninety,https://example.org/?utm_source=x,outside\n")
    problems = [p for p in check_book_data(book) if p.source == "data/resources.csv"]
    assert [p.column for p in problems] == [
        "title",
        "type",
        "skill",
        "duration",
        "link",
        "internal_or_external",
    ]
    assert {p.row for p in problems} == {last} and all(p.fix for p in problems)
    monkeypatch.setenv(ENV_BOOK_DATA, str(book / "data"))
    with pytest.raises(InputError) as caught:
        read_catalogue()
    assert [replace(p, source="data/resources.csv") for p in caught.value.problems] == problems


def test_a_missing_field_is_named_with_what_to_write(book):
    path = book / "data" / "organisation.yml"
    path.write_text("schema_version: 1\nmin_group_size: 5\n", "utf-8")
    problem = only(check_book_data(book), "data/organisation.yml")
    assert problem.column == "org_name"
    assert "'org_name' is missing" in problem.message
    assert "org_name:" in problem.fix


def test_a_missing_nested_field_points_at_its_entry(book):
    path = book / "data" / "instrument.yml"
    change(path, lambda data: data["items"][2].pop("theme"))
    problem = only(check_book_data(book), "data/instrument.yml")
    assert problem.column == "items[3].theme"
    assert problem.row == line_with(path, "- id: q3")


def test_an_item_with_four_anchors(book):
    path = book / "data" / "instrument.yml"
    change(path, lambda data: data["items"][2]["anchors"].pop())
    problem = only(check_book_data(book), "data/instrument.yml")
    assert problem.column == "items[3].anchors"
    assert problem.row == line_with(path, "anchors:", after=line_with(path, "- id: q3"))
    assert "4 entries" in problem.message and "exactly 5" in problem.message
    assert "five" in problem.fix and "lowest first" in problem.fix


def move_band_start(book: Path, band: int, by: int) -> tuple[Path, dict, dict]:
    """Move where band number ``band`` (from 0) starts; returns the file, it and the band before."""
    path = book / "data" / "instrument.yml"
    data = change(
        path, lambda data: data["bands"][band].update(min=data["bands"][band]["min"] + by)
    )
    return path, data["bands"][band], data["bands"][band - 1]


def test_a_band_gap(book):
    path, band, before = move_band_start(book, 2, +1)
    problem = only(check_book_data(book), "data/instrument.yml")
    assert problem.column == "bands[3].min"
    assert problem.row == line_with(path, "min:", after=line_with(path, f"key: {band['key']}"))
    assert problem.message == (
        f"a gap: this band starts at {band['min']}, but the band before it ends at {before['max']}"
    )
    assert (
        problem.fix
        == f"set min to {before['max'] + 1}, or set the previous band's max to "
        + str(band["min"] - 1)
    )


def test_a_band_overlap(book):
    _, band, before = move_band_start(book, 2, -1)
    problem = only(check_book_data(book), "data/instrument.yml")
    assert problem.column == "bands[3].min"
    assert problem.message.startswith(f"an overlap: this band starts at {band['min']}")
    assert problem.fix.startswith(f"set min to {before['max'] + 1}")


def test_bands_that_miss_the_ends(book):
    path = book / "data" / "instrument.yml"

    def shrink(data):
        data["bands"][0]["min"] += 1
        data["bands"][-1]["max"] -= 1

    data = change(path, shrink)
    problems = [p for p in check_book_data(book) if p.source == "data/instrument.yml"]
    low, high = data["bands"][0]["min"] - 1, data["bands"][-1]["max"] + 1
    assert [p.fix for p in problems] == [f"set min to {low}", f"set the last band's max to {high}"]
    assert [p.column for p in problems] == ["bands[1].min", f"bands[{len(data['bands'])}].max"]


def test_a_minimum_group_size_of_two(book):
    path = book / "data" / "organisation.yml"
    path.write_text(ORGANISATION.replace("min_group_size: 5", "min_group_size: 2"), "utf-8")
    problem = only(check_book_data(book), "data/organisation.yml")
    assert (problem.row, problem.column, problem.value) == (3, "min_group_size", 2)
    assert "below 3" in problem.message and "3 or more" in problem.fix
    assert describe(problem).endswith("(found 2). Fix: " + problem.fix + ".")


def test_a_page_missing_from_the_table_of_contents(book):
    path = book / "_toc.yml"

    def add_page(toc):
        entries = toc["parts"][-1]["chapters"] if "parts" in toc else toc["chapters"]
        entries.append({"file": "chapters/nowhere/page"})

    change(path, add_page)
    problem = only(check_book_data(book), "_toc.yml")
    assert problem.row == line_with(path, "chapters/nowhere/page")
    assert problem.column.endswith(".file") and problem.value == "chapters/nowhere/page"
    assert "does not exist" in problem.message and "without .md" in problem.fix


def set_config(book: Path, **values: Any) -> Path:
    """Set keys of _config.yml given as section__key=value (e.g. repository__url=...)."""
    path = book / "_config.yml"

    def edit(config):
        for name, value in values.items():
            *sections, key = name.split("__")
            target = config
            for section in sections:
                target = target.setdefault(section, {})
            target[key] = value

    change(path, edit)
    return path


def test_a_launch_button_address_that_is_not_a_web_address(book):
    path = set_config(book, launch_buttons__jupyterhub_url="hub.example.org")
    problems = check_book_data(book)
    bad = [p for p in problems if p.column == "launch_buttons.jupyterhub_url"]
    assert len(bad) == 1, format_problems(problems)
    assert bad[0].row == line_with(path, "jupyterhub_url:")
    assert "https://" in bad[0].fix


def test_a_launch_button_needs_the_repository_address(book):
    set_config(book, launch_buttons__jupyterhub_url="https://hub.example.org", repository__url="")
    problem = only(check_book_data(book), "_config.yml")
    assert problem.column == "repository.url" and "repository" in problem.fix


def test_a_self_hosted_git_server_needs_its_provider(book):
    set_config(
        book,
        launch_buttons__jupyterhub_url="https://hub.example.org",
        repository__url="https://git.example.org/learning/leading-for-learning",
    )
    problem = only(check_book_data(book), "_config.yml")
    assert "repository_provider" in problem.fix
    set_config(book, sphinx__config__html_theme_options__repository_provider="gitlab")
    assert check_book_data(book) == []


def test_theme_options_without_recursive_update(book):
    set_config(book, sphinx__recursive_update=False)
    problem = only(check_book_data(book), "_config.yml")
    assert problem.column == "sphinx" and "recursive_update: true" in problem.fix


# --- more of what a fork changes -------------------------------------------------------------


def test_a_missing_logo_file(book):
    logo = load(book / "_config.yml")["logo"]
    (book / logo).unlink()
    problem = only(check_book_data(book), "_config.yml")
    assert (problem.column, problem.value) == ("logo", logo)
    assert "_static/" in problem.fix


def test_an_agenda_that_does_not_add_up(book):
    path = book / "data" / "workshop.yml"
    key = next(iter(load(path)["agendas"]))

    def lengthen(data):
        data["agendas"][key]["length_minutes"] += 7

    data = change(path, lengthen)
    agenda = data["agendas"][key]
    problem = only(check_book_data(book), "data/workshop.yml")
    assert problem.column == f"agendas.{key}.length_minutes"
    assert problem.row == line_with(path, "length_minutes:", after=line_with(path, f"{key}:"))
    total = sum(block["minutes"] for block in agenda["blocks"])
    assert f"add up to {total} minutes" in problem.message
    assert f"says {agenda['length_minutes']}" in problem.message


def test_one_role_card_per_mode(book):
    path = book / "data" / "role_cards.yml"
    cards = load(path)["cards"]
    lost = cards[-1]["mode"]
    change(path, lambda data: data["cards"][-1].update(mode=data["cards"][0]["mode"]))
    problems = [p for p in check_book_data(book) if p.source == "data/role_cards.yml"]
    messages = " ".join(p.message for p in problems)
    assert (
        "a second card for this mode" in messages and f"no card for the mode '{lost}'" in messages
    )


def test_the_planner_guide_and_the_band_keys_stay_in_step(book):
    change(book / "data" / "instrument.yml", lambda data: data["bands"][2].update(key="renamed"))
    problems = check_book_data(book)
    sources = {p.source for p in problems}
    assert {"data/instrument.yml", "data/prompts.yml"} <= sources, format_problems(problems)
    assert all(p.fix for p in problems)


def test_a_checklist_source_missing_from_the_bibliography(book, monkeypatch):
    from widgets.base.errors import InputError
    from widgets.content.checklist import load_checklist
    from widgets.content.source import ENV_BOOK_DATA

    path = book / "data" / "learning_leader_behaviours.yml"
    change(path, lambda data: data.update(source="nobody2099"))
    problem = only(check_book_data(book), "data/learning_leader_behaviours.yml")
    assert (problem.column, problem.value) == ("source", "nobody2099")
    assert problem.row == line_with(path, "source:") and "references.bib" in problem.fix
    monkeypatch.setenv(ENV_BOOK_DATA, str(book / "data"))
    with pytest.raises(InputError) as caught:
        load_checklist()
    assert caught.value.problems == [problem]


def test_a_citation_key_used_by_two_entries(book):
    path = book / "data" / "references.bib"
    text = path.read_text("utf-8")
    first = text[text.index("@") : text.index("\n}\n") + 3]
    last = append(path, "\n" + first)
    problem = only(check_book_data(book), "data/references.bib")
    assert problem.row == last - first.count("\n") + 1
    assert "two entries" in problem.message and "rename or delete one" in problem.fix


def test_a_bibliography_without_entries(book):
    (book / "data" / "references.bib").write_text("% nothing here\n", "utf-8")
    problems = [p for p in check_book_data(book) if p.source == "data/references.bib"]
    assert [p.message for p in problems] == ["no BibTeX entries found"]


def test_a_repeated_name_in_yaml(book):
    path = book / "data" / "organisation.yml"
    path.write_text(ORGANISATION + "min_group_size: 6\n", "utf-8")
    problem = only(check_book_data(book), "data/organisation.yml")
    assert problem.row == 4 and "twice" in problem.message


def test_a_yes_no_answer_label_must_be_quoted(book):
    path = book / "data" / "instrument.yml"
    change(path, lambda data: data["items"][4]["anchors"].__setitem__(1, False))  # "No", unquoted
    problem = only(check_book_data(book), "data/instrument.yml")
    assert problem.column == "items[5].anchors[2]" and "double quotes" in problem.fix


def test_a_translated_message_keeps_its_placeholders(book):
    path = book / "data" / "instrument.yml"
    change(path, lambda data: data["perception_gap"].update(higher="Zij scoren {verschil} hoger"))
    problem = only(check_book_data(book), "data/instrument.yml")
    assert (problem.column, problem.row) == ("perception_gap.higher", line_with(path, "higher:"))
    assert "{verschil}" in problem.message and "{gap}" in problem.fix


def test_links_to_a_page_left_out_of_the_table_of_contents(book):
    folder = book / "chapters" / "extra"
    folder.mkdir()
    (folder / "target.md").write_text("(extra-target)=\n# Target\n", "utf-8")
    (folder / "linking.md").write_text(
        "# Linking\n\nSee {ref}`extra-target`.\n\nAlso {doc}`the target <target>`.\n\n"
        "```text\n{doc}`target` in a code block is not a link\n```\n\n"
        "Nor is ``{doc}`target` `` in inline code.\n",
        "utf-8",
    )

    def add_linking(toc):
        entries = toc["parts"][-1]["chapters"] if "parts" in toc else toc["chapters"]
        entries.append({"file": "chapters/extra/linking"})

    change(book / "_toc.yml", add_linking)
    problems = check_book_data(book)
    linked = [p for p in problems if p.source == "chapters/extra/linking.md"]
    assert [p.row for p in linked] == [3, 5], format_problems(problems)
    assert all("chapters/extra/target, which is not in _toc.yml" in p.message for p in linked)
    assert "remove the link" in linked[0].fix
    assert len(problems) == 2


def test_every_problem_is_reported_at_once(book):
    (book / "data" / "organisation.yml").write_text(ORGANISATION.replace("5", "2"), "utf-8")
    change(book / "data" / "instrument.yml", lambda data: data["items"][2]["anchors"].pop())
    change(book / "_toc.yml", lambda toc: toc.update(root="nowhere"))
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
    change(book / "data" / "prompts.yml", lambda data: data.update(stages=list(data["stages"])))
    problems = check_book_data(book)
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


def test_the_build_stops_with_the_whole_list_and_no_traceback(book, monkeypatch):
    from sphinx.errors import ConfigError

    from widgets.book.sphinx import _check_book_files

    (book / "data" / "organisation.yml").write_text(ORGANISATION.replace("5", "2"), "utf-8")
    monkeypatch.setenv("LEADING_FOR_LEARNING_BOOK_DATA", str(book / "data"))
    app = SimpleNamespace(confdir=str(book))
    with pytest.raises(ConfigError) as caught:
        _check_book_files(app, SimpleNamespace(external_toc_path="_toc.yml"))
    message = str(caught.value)
    assert "data/organisation.yml, line 3, field min_group_size" in message
    assert "Fix:" in message


def test_the_build_refuses_another_folders_data(book, monkeypatch):
    from sphinx.errors import ConfigError

    from widgets.book.sphinx import _check_book_files

    monkeypatch.delenv("LEADING_FOR_LEARNING_BOOK_DATA", raising=False)
    app = SimpleNamespace(confdir=str(book))
    with pytest.raises(ConfigError, match="data files of another folder"):
        _check_book_files(app, SimpleNamespace(external_toc_path="_toc.yml"))


def test_check_data_script(book, capsys):
    assert check_data.main(["--root", str(book)]) == 0
    assert "All data files are valid" in capsys.readouterr().out
    (book / "data" / "organisation.yml").write_text(ORGANISATION.replace("5", "2"), "utf-8")
    assert check_data.main(["--root", str(book)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"data/organisation.yml, line 3, field min_group_size: ", out)


def test_a_data_change_reruns_every_notebook(tmp_path, monkeypatch):
    from widgets.book.sphinx import _rerun_when_data_changes

    data = tmp_path / "data"
    data.mkdir()
    (data / "organisation.yml").write_text("org_name: A\n", encoding="utf-8")
    monkeypatch.setenv("LEADING_FOR_LEARNING_BOOK_DATA", str(data))
    cache = tmp_path / "_build" / ".jupyter_cache"
    app = SimpleNamespace(outdir=str(tmp_path / "_build" / "html"))
    config = SimpleNamespace(nb_execution_cache_path="")

    def build(data_text: str | None = None) -> bool:
        """One build start; True if the notebook cache survived it."""
        if data_text is not None:
            (data / "organisation.yml").write_text(data_text, encoding="utf-8")
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "outputs").write_text("cached", encoding="utf-8")
        _rerun_when_data_changes(app, config)
        return cache.exists()

    assert not build()  # no record of the data yet: outputs may be stale
    first = config.l4l_data_fingerprint
    assert build() and config.l4l_data_fingerprint == first  # nothing changed: keep the cache
    assert not build("org_name: B\n")  # a data edit: run every notebook again
    assert config.l4l_data_fingerprint != first
    second = config.l4l_data_fingerprint
    monkeypatch.setattr("widgets.book.sphinx.code_fingerprint", lambda: "changed-code")
    assert not build()  # the tools' code changed: their charts and tables may differ
    assert config.l4l_data_fingerprint != second
    assert build()


def test_code_fingerprint_follows_source_not_bytecode(tmp_path):
    from widgets.book.sphinx import code_fingerprint

    (tmp_path / "charts.py").write_text("WIDTH = 520\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("<p>x</p>\n", encoding="utf-8")
    first = code_fingerprint(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "charts.cpython-311.pyc").write_bytes(b"\x00bytecode")
    assert code_fingerprint(tmp_path) == first
    (tmp_path / "charts.py").write_text("WIDTH = 500\n", encoding="utf-8")
    assert code_fingerprint(tmp_path) != first
    (tmp_path / "charts.py").write_text("WIDTH = 520\n", encoding="utf-8")
    (tmp_path / "templates" / "page.html").write_text("<p>y</p>\n", encoding="utf-8")
    assert code_fingerprint(tmp_path) != first


# Each data file's structure is checked in one place, its schema: the loader reads the file
# through it, so `make check-data` and the tools report the same single problem, at its line.
WRONG_TYPES = [
    ("organisation.yml", ("min_group_size",), "widgets.content.organisation:load_organisation"),
    ("instrument.yml", ("perception_gap", "notable"), "widgets.content.instrument:load_instrument"),
    ("prompts.yml", ("calendar", "reminder_hours_before"), "widgets.content.prompts:load_guide"),
    ("gap_prompts.yml", ("caution",), "widgets.content.prompts:load_gap_guide"),
    ("goal_check.yml", ("min_words",), "widgets.core.goal_hints:load_rules"),
    (
        "learning_leader_behaviours.yml",
        ("strength_points",),
        "widgets.content.checklist:load_checklist",
    ),
    (
        "workshop.yml",
        ("agendas", "three_hour", "length_minutes"),
        "widgets.content.workshop:load_workshop",
    ),
    ("role_cards.yml", ("debrief",), "widgets.content.workshop:load_role_cards"),
]


@pytest.mark.parametrize("name, where, loader", WRONG_TYPES, ids=[c[0] for c in WRONG_TYPES])
def test_a_wrong_type_is_one_problem_at_its_line_in_the_check_and_the_loader(
    book, monkeypatch, name, where, loader
):
    import importlib

    from widgets.base.errors import InputError
    from widgets.content.source import ENV_BOOK_DATA

    path = book / "data" / name
    wrong = ["not", "this"] if where == ("caution",) else "several"

    def edit(data):
        target = data
        for part in where[:-1]:
            target = target[part]
        target[where[-1]] = wrong

    change(path, edit)
    problem = only(check_book_data(book), f"data/{name}")
    assert problem.column == ".".join(where)
    assert problem.row == line_with(path, f"{where[-1]}:")
    assert problem.message.startswith("expected ") and problem.fix
    module, function = loader.split(":")
    monkeypatch.setenv(ENV_BOOK_DATA, str(book / "data"))
    with pytest.raises(InputError) as caught:
        getattr(importlib.import_module(module), function)()
    assert caught.value.problems == [problem]
