"""The shared core: errors, escaping, atomic versioned storage, data files, chart rendering."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import widgets
from widgets import InputError, Problem
from widgets.base.escaping import escape_markdown, neutralise_formula, restore_formula
from widgets.base.storage import atomic_write_text, data_dir, load_document, save_document
from widgets.book.renderers import VEGALITE_MIME, VegaLiteRenderer, chart_html
from widgets.content.source import load_yaml

ROOT = Path(__file__).resolve().parents[2]


def test_input_error_lists_every_problem_with_place_value_and_fix() -> None:
    error = InputError(
        [
            Problem("not a whole number from 1 to 5", "type 1-5", row=3, column="q2", value="4.5"),
            Problem("name is empty", "type a name", row=4, column="member"),
        ]
    )
    text = str(error)
    assert isinstance(error, ValueError)
    assert "2 problems" in text
    assert "row 3, column 'q2'" in text and "'4.5'" in text and "Fix: type 1-5" in text
    assert "row 4, column 'member'" in text


@given(st.text())
def test_formula_neutralising_is_safe_and_reversible(text: str) -> None:
    safe = neutralise_formula(text)
    assert not str(safe).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore_formula(safe) == text or text.startswith("'")


def test_markdown_escaping_shows_markup_as_text() -> None:
    name = '<script>alert("x")</script>'
    assert "<script>" not in escape_markdown(name)
    assert "\\[link\\]\\(x\\)" in escape_markdown("[link](x)")


def test_data_dir_is_outside_the_checkout_and_overridable(private_data_dir: Path, monkeypatch):
    assert data_dir() == private_data_dir
    monkeypatch.delenv("LEADING_FOR_LEARNING_DATA")
    default = data_dir()
    assert ROOT not in default.parents, "saved data must live outside the git checkout"


def test_the_content_folder_is_the_books_data_and_not_the_users(tmp_path: Path, monkeypatch):
    """content_dir() is what an L&D team edits (data/); data_dir() is where a team is saved."""
    from widgets.content import source

    assert source.content_dir() == ROOT / "data"
    assert data_dir() != source.content_dir()
    monkeypatch.setenv("LEADING_FOR_LEARNING_BOOK_DATA", str(tmp_path))
    assert source.content_dir() == tmp_path
    with pytest.deprecated_call(match="content_dir"):
        old = source.data_root  # the name a fork's scripts may still use
    assert old is source.content_dir
    with pytest.raises(AttributeError):
        _ = source.no_such_name


def test_save_and_load_round_trip_with_kind_and_version(tmp_path: Path) -> None:
    path = save_document(tmp_path / "t.json", "relationship-scorer", 1, {"team": [{"m": "Åsa 🌱"}]})
    document = load_document(path, "relationship-scorer", 1)
    assert document["team"] == [{"m": "Åsa 🌱"}] and document["schema_version"] == 1


def test_failed_write_leaves_the_previous_file_intact(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "team.json"
    save_document(path, "relationship-scorer", 1, {"team": ["good"]})

    def broken_replace(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_document(path, "relationship-scorer", 1, {"team": ["new"]})
    monkeypatch.undo()
    assert load_document(path, "relationship-scorer", 1)["team"] == ["good"]
    assert [p.name for p in tmp_path.iterdir()] == ["team.json"], "temporary file left behind"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("not json", "not valid JSON"),
        (json.dumps({"kind": "other", "schema_version": 1}), "not a saved relationship-scorer"),
        (json.dumps({"kind": "relationship-scorer", "schema_version": 9}), "schema version"),
        (json.dumps([1, 2]), "not a saved"),
    ],
)
def test_loading_a_foreign_or_broken_file_says_why(tmp_path: Path, content: str, fragment: str):
    path = tmp_path / "x.json"
    atomic_write_text(path, content)
    with pytest.raises(InputError, match=fragment):
        load_document(path, "relationship-scorer", 1)


def test_broken_yaml_names_the_line(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "broken.yml").write_text(
        "items:\n  - id: q1\n   text: [unclosed\n", encoding="utf-8"
    )
    monkeypatch.setenv("LEADING_FOR_LEARNING_BOOK_DATA", str(tmp_path))
    with pytest.raises(InputError, match=r"broken\.yml.*line \d+"):
        load_yaml("broken.yml")
    with pytest.raises(InputError, match="missing"):
        load_yaml("absent.yml")


def test_charts_render_as_vegalite_with_a_text_fallback() -> None:
    widgets.enable_offline_charts()  # the chapters' preamble does this explicitly
    chart = (
        alt.Chart(pd.DataFrame({"a": [1, 2]}), title="T")
        .mark_point()
        .encode(x="a")
        .properties(description="Two points on a line")
    )
    bundle = chart._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert VEGALITE_MIME in bundle
    assert bundle["text/plain"] == "Two points on a line"
    assert alt.renderers.active == widgets.altair_renderer.RENDERER


def test_book_chart_html_cannot_break_out_of_its_script() -> None:
    html = chart_html({"description": "<b>x</b>", "data": {"values": [{"n": "</script><i>"}]}})
    assert html.count("</script>") == 1
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert VegaLiteRenderer.mime_priority_overrides[0][1] == VEGALITE_MIME


def test_vendored_files_match_their_recorded_checksums() -> None:
    sums = (ROOT / "vendor" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) >= 10
    for line in sums:
        digest, name = line.split(maxsplit=1)
        actual = hashlib.sha256((ROOT / name).read_bytes()).hexdigest()
        assert actual == digest, f"{name} differs from the copy scripts/vendor.sh made"


def test_reading_time_estimate() -> None:
    from widgets.book.sphinx import estimate_minutes

    assert estimate_minutes(0) == 1
    assert estimate_minutes(2000) == 10
    assert estimate_minutes(2999) == 15


def test_prose_words_count_what_a_reader_reads() -> None:
    """Code, cell output (text or HTML), comments and the reading-time line are not prose; text
    in admonitions, lists and dropdowns is."""
    from docutils import nodes

    from widgets.book.sphinx import READING_TIME_CLASS, prose_words

    line = nodes.emphasis("", "Reading time: about 7 minutes.", classes=[READING_TIME_CLASS])
    note = nodes.admonition(
        "", nodes.title("", "Key points"), nodes.paragraph("", "four more words")
    )
    page = nodes.section(
        "",
        nodes.title("", "Two words"),
        nodes.paragraph("", "", line),
        nodes.paragraph("", "one two three ", nodes.strong("", "bold counts"), nodes.Text(" too")),
        nodes.literal_block("", "print('these words are code')"),
        nodes.container("", nodes.raw("", "<p>an output shown as HTML</p>", format="html")),
        nodes.comment("", "a comment"),
        note,
        nodes.bullet_list("", nodes.list_item("", nodes.paragraph("", "listed words"))),
    )
    assert prose_words(page) == 2 + 6 + 2 + 3 + 2


def test_a_stylesheet_or_logo_edit_changes_the_static_fingerprint(tmp_path) -> None:
    """Sphinx rebuilds nothing when only a static file changed; this value makes it rewrite."""
    from widgets.book.sphinx import static_fingerprint

    (tmp_path / "_static").mkdir()
    css = tmp_path / "_static" / "book.css"
    css.write_text(":root { --l4l-primary: #1f6f8b; }\n", encoding="utf-8")
    logo = tmp_path / "logo.svg"
    logo.write_text("<svg/>", encoding="utf-8")
    paths = ["_static", "logo.svg", "missing-folder"]
    first = static_fingerprint(tmp_path, paths)
    assert static_fingerprint(tmp_path, paths) == first
    css.write_text(":root { --l4l-primary: #8b1f1f; }\n", encoding="utf-8")
    second = static_fingerprint(tmp_path, paths)
    assert second != first
    logo.write_text("<svg><circle/></svg>", encoding="utf-8")
    assert static_fingerprint(tmp_path, paths) != second
    # No logo configured (an empty entry) must not mean "hash the whole book folder".
    third = static_fingerprint(tmp_path, ["_static", ""])
    (tmp_path / "_build").mkdir()
    (tmp_path / "_build" / "output.html").write_text("<p>new build output</p>", encoding="utf-8")
    assert static_fingerprint(tmp_path, ["_static", ""]) == third


def test_the_packaged_json_is_read_without_pyyaml_or_jsonschema(tmp_path: Path) -> None:
    """The browser reads the JSON twins, checked when they were built: no schema step there."""
    import subprocess
    import sys

    from widgets.content.source import compile_data

    repo = Path(__file__).resolve().parents[2]
    compile_data(repo / "data", tmp_path / "data")
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('yaml', 'jsonschema'):\n"
        "            raise ImportError(name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from widgets.content.instrument import load_instrument\n"
        "from widgets.content.prompts import load_gap_guide, load_guide\n"
        "from widgets.content.checklist import load_checklist\n"
        "from widgets.content.organisation import load_organisation\n"
        "from widgets.core.goal_hints import load_rules\n"
        "from widgets.content.catalogue import read_catalogue\n"
        "from widgets.content.workshop import load_role_cards, load_workshop\n"
        "print(len(load_instrument().items), len(load_guide().stages),\n"
        "      len(load_gap_guide().questions), len(load_checklist().behaviours) > 0,\n"
        "      load_organisation().min_group_size >= 3, load_rules()['min_words'] > 0,\n"
        "      len(read_catalogue()) > 0, len(load_workshop().agendas),\n"
        "      len(load_role_cards().cards))\n"
    )
    env = {"PYTHONPATH": str(repo), "LEADING_FOR_LEARNING_BOOK_DATA": str(tmp_path / "data")}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["7", "3", "4", "True", "True", "True", "True", "2", "4"]
