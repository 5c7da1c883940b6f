"""Validate every notebook of the book with nbval in a fresh kernel.

MyST Markdown chapters are converted with jupytext into a temporary folder (mirroring their place in
the book) and the workshop notebooks are copied beside them. Every cell must run without error
(``--nbval-lax``). Cells marked ``# NBVAL_CHECK_OUTPUT`` must also reproduce, exactly, the
output the strict book build recorded in its execution cache: that is how a chapter's key
numbers are pinned, and how non-deterministic output is caught. Notebooks run in parallel, one
pytest-xdist worker (and kernel) per core.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHECK = "NBVAL_CHECK_OUTPUT"


def toc_docnames(toc_path: Path) -> list[str]:
    """Every file named in the table of contents, in order."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    names: list[str] = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    return names


def is_myst_notebook(path: Path) -> bool:
    head = path.read_text(encoding="utf-8")[:2000]
    return head.startswith("---") and "jupytext:" in head and "kernelspec:" in head


def toc_notebooks(root: Path) -> list[tuple[str, Path]]:
    """(docname, source path) for every page in a book's table of contents that is a notebook:
    a MyST Markdown notebook or an .ipynb. The build runs the same list before Sphinx."""
    found = []
    for docname in toc_docnames(root / "_toc.yml"):
        path = root / f"{docname}.md"
        if path.is_file() and is_myst_notebook(path):
            found.append((docname, path))
        elif (root / f"{docname}.ipynb").is_file():
            found.append((docname, root / f"{docname}.ipynb"))
    return found


def notebook_sources() -> list[tuple[str, Path]]:
    """(name in the temp folder, source path) for every executable notebook of the project."""
    sources = toc_notebooks(ROOT)
    for path in sorted((ROOT / "workshop").glob("*.ipynb")):
        sources.append((f"workshop/{path.stem}", path))
    return sources


def is_checked(cell: nbformat.NotebookNode) -> bool:
    """The cell carries nbval's marker exactly (nbval ignores ``# NBVAL_CHECK_OUTPUT: text``)."""
    return cell.cell_type == "code" and any(
        line.strip().lstrip("#").strip() == CHECK for line in cell.source.splitlines()
    )


def recorded_notebook(source: Path) -> nbformat.NotebookNode | None:
    """The notebook as the book build executed it, outputs included (Jupyter Book's cache)."""
    from jupyter_cache import get_cache

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")) or {}
    execute = config.get("execute") or {}
    folder = ROOT / execute["cache"] if execute.get("cache") else ROOT / "_build" / ".jupyter_cache"
    if not folder.is_dir():
        return None
    cache = get_cache(folder)
    try:
        record = cache.get_cached_project_nb(str(source.absolute()))
    except Exception:  # not in the project, or not cached
        return None
    return cache.get_cache_bundle(record.pk).nb if record is not None else None


def pin_checked_outputs(notebook: nbformat.NotebookNode, docname: str, source: Path) -> int:
    """Copy the build's recorded outputs into the cells marked for output comparison."""
    checked = [c for c in notebook.cells if is_checked(c)]
    if not checked:
        return 0
    executed = recorded_notebook(source)
    if executed is None:
        raise SystemExit(
            f"{docname}: cells are marked {CHECK} but the build has not recorded their output "
            "(no up-to-date entry in the execution cache). Run `make book` first."
        )
    by_source = {c.source: c for c in executed.cells if c.cell_type == "code"}
    for cell in checked:
        recorded = by_source.get(cell.source)
        if recorded is None:
            raise SystemExit(f"{docname}: a checked cell changed since the last build; rebuild.")
        if not recorded.outputs:
            raise SystemExit(f"{docname}: a checked cell has no recorded output to compare.")
        cell.outputs = recorded.outputs
        cell.execution_count = recorded.execution_count
    return len(checked)


def main(argv: list[str]) -> int:
    work = Path(tempfile.mkdtemp(prefix="nbval-"))
    pinned = 0
    for docname, source in notebook_sources():
        target = work / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".md":
            notebook = jupytext.read(source)
        else:
            notebook = nbformat.read(source, as_version=4)
        pinned += pin_checked_outputs(notebook, docname, source)
        nbformat.write(notebook, target)
    count = len(list(work.rglob("*.ipynb")))
    print(f"nbval: {count} notebooks in {work}, {pinned} cells with pinned output")
    if count == 0:
        print("nbval: no notebook found: this suite must not pass empty")
        return 1
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--nbval-lax",
        "--nbval-current-env",
        # One kernel per core; loadscope keeps every cell of a notebook on one worker (nbval
        # runs a notebook's cells in order, in one kernel).
        "-n",
        str(max(1, min(os.cpu_count() or 1, count))),
        "--dist",
        "loadscope",
        # Kernels start one at a time, so two workers never pick the same port (see the module).
        "-p",
        "kernel_start_lock",
        "-p",
        "no:cacheprovider",
        "-q",
        "--rootdir",
        str(work),
        str(work),
        *argv,
    ]
    # The tools must not touch the reader's real saved data while being tested.
    env = {**os.environ, "LEADING_FOR_LEARNING_DATA": str(work / "_user_data")}
    scripts = str(Path(__file__).resolve().parent)  # where kernel_start_lock.py lives
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [scripts, env.get("PYTHONPATH")]))
    try:
        return subprocess.run(command, cwd=work, env=env).returncode
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
