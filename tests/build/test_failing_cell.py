"""A cell that raises still stops the strict build, with its error, now that notebooks run in
parallel before Sphinx starts (scripts/build_book.py): the failure stays out of the execution
cache, so Sphinx runs that notebook again and reports it, while the other notebooks are cached."""

from __future__ import annotations

from pathlib import Path

from test_fork import copy_project, run_copy_script

FAILING_CELL = """

```{code-cell} ipython3
raise RuntimeError("a deliberate failure, planted by the build test")
```
"""


def test_a_failing_cell_stops_the_build_and_shows_its_error(tmp_path: Path) -> None:
    book = tmp_path / "book"
    copy_project(book)
    chapter = book / "chapters" / "research" / "goals-feedback-safety.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + FAILING_CELL, encoding="utf-8")
    result = run_copy_script(book, "build_book.py")
    output = result.stdout + result.stderr
    assert result.returncode != 0, "a cell raised, yet the build succeeded"
    assert "a deliberate failure, planted by the build test" in output, output[-4000:]
    assert "goals-feedback-safety" in output
    assert "The book build FAILED" in output
    # The last thing an author reads names the page and the error, not Sphinx's own traceback.
    summary = output.split("The book build FAILED", 1)[1]
    assert "A cell in chapters/research/goals-feedback-safety.md raised an error" in summary
    assert "RuntimeError: a deliberate failure, planted by the build test" in summary
    # Every other notebook ran in the parallel step and is cached for the next build.
    notebooks = sum(
        1
        for path in (book / "chapters").rglob("*.md")
        if not path.name.startswith("_") and "```{code-cell}" in path.read_text(encoding="utf-8")
    )
    assert f"Executed {notebooks - 1} of {notebooks} changed notebooks" in output, output[-4000:]
