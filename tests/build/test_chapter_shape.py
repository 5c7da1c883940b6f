"""Every chapter of Part I and of the tools is a ten-minute read, action first, with every part of
the chapter pattern, and shows readers no test-harness comment or raw Python value.

Read from the strict build itself: the doctrees Sphinx keeps after reading (the prose counted by
the same function as the page's reading time) and the HTML pages readers get. The counts are
printed and written to ``_build/chapter-lengths.txt``.
"""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docutils import nodes

from widgets.book.sphinx import WORDS_PER_MINUTE, prose_words

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "_build"
HTML = BUILD / "html"
DOCTREES = BUILD / ".doctrees"
sys.path.insert(0, str(ROOT / "scripts"))
from nbval_run import toc_docnames  # noqa: E402

#: About ten minutes at the book's reading speed (1,500 words), with a little slack.
MAX_PROSE_WORDS = 1600
PARTS = ("chapters/research/", "chapters/tools/")
CHAPTERS = [d for d in toc_docnames(ROOT / "_toc.yml") if d.startswith(PARTS)]
#: A part's overview page introduces the chapters; it is held to the length, not the pattern.
TAUGHT = [d for d in CHAPTERS if not d.endswith("/index")]
#: Tool chapters open with the button that runs their tool in the reader's browser.
LIVE_LEADS = {
    "chapters/tools/score-relationships": "Use it live",
    "chapters/tools/plan-conversations": "Use it live",
}
EXERCISE = re.compile(r"^Exercise \((\d+)(?:-\d+)? minutes\)$")
WORKED = ("Worked example", "Model answer")
#: An output that is a Python value's repr rather than text written for a reader.
RAW_VALUE = re.compile(r"^\s*(?:[\[{(]\s*['\"\d\[{(-]|<[\w.]+ object at 0x|\w+\(\w+=)")


def doctree(docname: str) -> nodes.document:
    return pickle.loads((DOCTREES / f"{docname}.doctree").read_bytes())


def title_of(node: nodes.Element) -> str:
    first = node.children[0] if node.children else None
    return first.astext().strip() if isinstance(first, nodes.Element) else ""


def admonitions(tree: nodes.Node) -> dict[str, nodes.Element]:
    return {title_of(n): n for n in tree.findall(nodes.admonition)}


def dropdowns(tree: nodes.Node) -> dict[str, nodes.Element]:
    found = tree.findall(lambda n: isinstance(n, nodes.Element) and n.get("design_component"))
    return {title_of(n): n for n in found if n.get("design_component") == "dropdown"}


def sections(tree: nodes.Node) -> dict[str, nodes.section]:
    return {title_of(n): n for n in tree.findall(nodes.section)}


def items(node: nodes.Node) -> int:
    """The number of items in the first numbered list under ``node``."""
    lists = list(node.findall(nodes.enumerated_list))
    return len(lists[0].children) if lists else 0


def shown_text_outputs(tree: nodes.Node) -> list[str]:
    """The cell outputs a reader sees as plain text: streams, and a ``text/plain`` repr only when
    its output has nothing richer (the HTML page shows the HTML, chart or widget instead)."""
    shown = []
    for output in tree.findall(nodes.container):
        if "cell_output" not in output.get("classes", []):
            continue
        for block in output.findall(nodes.literal_block):
            holder = block.parent
            if isinstance(holder, nodes.container) and holder.get("mime_type") == "text/plain":
                kinds = {c.get("mime_type") for c in holder.parent.children}
                if kinds - {"text/plain"}:
                    continue
            shown.append(block.astext())
    return shown


def position(tree: nodes.Node, target: nodes.Node) -> int:
    return next(i for i, n in enumerate(tree.findall()) if n is target)


def test_every_chapter_is_a_ten_minute_read(build: subprocess.CompletedProcess[str]) -> None:
    assert build.returncode == 0, "the strict build failed: see test_strict_build_succeeds"
    counts = {docname: prose_words(doctree(docname)) for docname in CHAPTERS}
    report = "\n".join(
        f"{words:5d} words, about {round(words / WORDS_PER_MINUTE):2d} min  {docname}"
        for docname, words in counts.items()
    )
    (BUILD / "chapter-lengths.txt").write_text(report + "\n", encoding="utf-8")
    print(f"Prose words per chapter (limit {MAX_PROSE_WORDS}):\n{report}")
    too_long = {d: w for d, w in counts.items() if w > MAX_PROSE_WORDS}
    assert not too_long, f"over {MAX_PROSE_WORDS} words of prose:\n{report}"


@pytest.mark.parametrize("docname", TAUGHT)
def test_every_chapter_has_each_part_of_the_pattern(
    build: subprocess.CompletedProcess[str], docname: str
) -> None:
    """Objectives and one behaviour to practise before the content; an exercise with its time
    and a worked example or model answer in a dropdown; a three-question quick check with its
    answers in a dropdown; a discussion prompt; key points."""
    assert build.returncode == 0, "the strict build failed: see test_strict_build_succeeds"
    tree = doctree(docname)
    notes, folds, heads = admonitions(tree), dropdowns(tree), sections(tree)
    missing = [
        part
        for part in ("Learning objectives", "Practise this week", "Discussion prompt", "Key points")
        if part not in notes
    ]
    exercises = [t for t in heads if EXERCISE.match(t)]
    if not exercises:
        missing.append("a section 'Exercise (N minutes)'")
    if not any(title in folds for title in WORKED):
        missing.append("a dropdown 'Worked example' or 'Model answer'")
    check = heads.get("Quick check")
    if check is None:
        missing.append("a section 'Quick check'")
    else:
        questions = sum(
            len(e.children) for e in check.children if isinstance(e, nodes.enumerated_list)
        )
        if questions != 3:
            missing.append(f"three numbered questions in Quick check (found {questions})")
        answers = folds.get("Answers")
        if answers is None or items(answers) != 3:
            missing.append("a dropdown 'Answers' with three numbered answers")
    assert not missing, f"{docname} lacks: {missing}"
    # Action first: what to do comes before the first section of content.
    first_section = next(iter(tree.findall(nodes.section)))[1:]
    content = next((n for n in first_section if isinstance(n, nodes.section)), None)
    for part in ("Learning objectives", "Practise this week"):
        assert content is None or position(tree, notes[part]) < position(tree, content), (
            f"{docname}: '{part}' comes after the first section"
        )


@pytest.mark.parametrize("docname", sorted(LIVE_LEADS))
def test_tool_chapters_lead_with_their_live_app(
    build: subprocess.CompletedProcess[str], docname: str
) -> None:
    tree = doctree(docname)
    buttons = [n for n in tree.findall(nodes.raw) if "l4l-live-button" in n.astext()]
    assert buttons and LIVE_LEADS[docname] in buttons[0].astext(), f"{docname}: no live button"
    objectives = admonitions(tree)["Learning objectives"]
    assert position(tree, buttons[0]) < position(tree, objectives), f"{docname}: not its lead"


@pytest.mark.parametrize("docname", CHAPTERS)
def test_readers_see_no_harness_comment_or_raw_value(
    build: subprocess.CompletedProcess[str], docname: str
) -> None:
    page = (HTML / f"{docname}.html").read_text(encoding="utf-8")
    assert "NBVAL" not in page, f"{docname} shows a test-harness comment"
    raw = [text[:80] for text in shown_text_outputs(doctree(docname)) if RAW_VALUE.match(text)]
    assert not raw, f"{docname} shows raw Python values: {raw}"


def test_links_from_the_live_apps_to_the_book_resolve(
    build: subprocess.CompletedProcess[str],
) -> None:
    """The live apps link back to chapters and their sections (from live/voici/render/)."""
    broken = []
    for notebook in sorted((ROOT / "live").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for page, anchor in re.findall(r"\]\(\.\./\.\./\.\./([^)#]+\.html)(?:#([^)]+))?\)", text):
            target = HTML / page
            if not target.is_file():
                broken.append(f"{notebook.name}: {page}")
            elif anchor and f'id="{anchor}"' not in target.read_text(encoding="utf-8"):
                broken.append(f"{notebook.name}: {page}#{anchor}")
    assert not broken, f"links from the live apps that lead nowhere: {broken}"
