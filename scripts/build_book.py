"""Build the book strictly (a warning, broken reference or cell error fails it); say where.

Before Sphinx starts, the notebooks that have no up-to-date entry in the execution cache run in
parallel, one kernel per core, through jupyter-cache (the cache Jupyter Book reads). Sphinx then
finds every page already executed. A notebook that fails here is left out of the cache, so the
strict build runs it again and reports the error with its traceback, as it always did.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
STRICT = ["-W", "-n", "--keep-going"]
MYST_READER = {"type": "plugin", "name": "myst_nb_md"}


def executed_notebooks(root: Path, execute: dict) -> list[Path]:
    """The notebooks of the table of contents that Jupyter Book executes (not excluded)."""
    from sphinx.util.matching import Matcher

    sys.path.insert(0, str(root / "scripts"))
    from nbval_run import toc_notebooks

    excluded = Matcher(execute.get("exclude_patterns") or [])
    return [
        path for _, path in toc_notebooks(root) if not excluded(path.relative_to(root).as_posix())
    ]


def data_is_valid(root: Path) -> bool:
    """Whether data/ and the config pass the checks the build starts with (no notebook runs
    on data that the build is about to reject)."""
    from widgets.book.validation import check_book_data
    from widgets.content.source import content_dir

    return not check_book_data(root, data=content_dir(), toc=root / "_toc.yml")


def execute_in_parallel(root: Path) -> dict[str, str]:
    """Fill Jupyter Book's execution cache, running the stale notebooks on every core.

    Returns the traceback of each notebook that failed, by its path in the book (Sphinx runs it
    again and stops the build; MyST-NB then keeps no traceback, so this is where it is kept).
    """
    from jupyter_cache import get_cache
    from jupyter_cache.cache.main import DEFAULT_READ_DATA
    from jupyter_cache.executors import load_executor

    from widgets.book.sphinx import empty_cache_if_inputs_changed

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    execute = config.get("execute") or {}
    if execute.get("execute_notebooks", "auto") != "cache":
        return {}  # only the cache mode can hand results over to Sphinx
    build = root / "_build"
    # An execute.cache setting is relative to the book, as Jupyter Book reads it.
    cache_dir = root / execute["cache"] if execute.get("cache") else build / ".jupyter_cache"
    empty_cache_if_inputs_changed(build, cache_dir)
    cache = get_cache(cache_dir)
    notebooks = executed_notebooks(root, execute)
    for path in notebooks:
        reader = MYST_READER if path.suffix == ".md" else DEFAULT_READ_DATA
        cache.add_nb_to_project(str(path), read_data=reader)
    logger = logging.getLogger("l4l.execute")
    logger.addHandler(logging.NullHandler())  # jupyter-cache's workers report on stderr
    # The same working folder MyST-NB would use: the chapter's own, or a temporary one.
    where = "temp" if execute.get("run_in_temp") else "local"
    executor = load_executor(f"{where}-parallel", cache, logger=logger)
    sys.path.insert(0, str(root / "scripts"))
    from kernel_start_lock import lock_nbclient_kernel_starts

    lock_nbclient_kernel_starts()  # the pool's workers inherit it: no two kernels share a port
    start = time.perf_counter()
    result = executor.run_and_cache(
        filter_uris=[str(p.absolute()) for p in notebooks],
        timeout=execute.get("timeout", 30),
        allow_errors=bool(execute.get("allow_errors", False)),
    )
    ran = len(result.succeeded) + len(result.excepted) + len(result.errored)
    if ran:
        print(
            f"Executed {len(result.succeeded)} of {ran} changed notebooks on {os.cpu_count()} "
            f"cores in {time.perf_counter() - start:.0f} s"
            + (" (the build reports the failures below)" if ran > len(result.succeeded) else "")
        )
    failures = {}
    for uri in result.excepted:
        record = cache.get_project_record(uri)
        failures[Path(uri).relative_to(root.absolute()).as_posix()] = record.traceback or ""
    return failures


#: The live apps: the same ipywidgets apps, run in the reader's browser (see scripts/build_live.py).
LIVE_NOTEBOOKS = (
    "live/scorer.ipynb",
    "live/planner.ipynb",
    "live/member-form.ipynb",
    "live/workshop.ipynb",
    "live/dashboard.ipynb",
)
LIVE_BUILD = ROOT / "_build" / "live"
LIVE_INPUTS = ("widgets", "data", "live", "vendor/live", "scripts/build_live.py", "pyproject.toml")


def live_fingerprint(root: Path) -> str:
    """A hash of everything the live apps are built from (code, data, pins, the build script)."""
    from widgets.book.sphinx import _hash_files

    files = []
    for name in LIVE_INPUTS:
        path = root / name
        found = sorted(path.rglob("*")) if path.is_dir() else [path]
        files += [p for p in found if p.is_file() and "__pycache__" not in p.parts]
    return _hash_files(files, root)


def build_live_apps(root: Path, html: Path) -> None:
    """Build the live apps (only when their inputs changed) and put them in the site's live/."""
    sys.path.insert(0, str(root / "scripts"))
    from build_live import build_live

    out = root / "_build" / "live"
    stamp = out / ".inputs"
    fingerprint = live_fingerprint(root)
    if not (stamp.is_file() and stamp.read_text() == fingerprint):
        dist = root / "_build" / "live-dist"
        shutil.rmtree(dist, ignore_errors=True)
        # setuptools' in-tree build/ folder would keep modules deleted since the last wheel.
        shutil.rmtree(root / "build", ignore_errors=True)
        # The book's own package as a wheel, its data inside (setup.py), no pandas in the browser.
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--no-build-isolation",
                "-q",
                "-w",
                str(dist),
                str(root),
            ],
            check=True,
        )
        (wheel,) = dist.glob("*.whl")
        build_live(out, [root / name for name in LIVE_NOTEBOOKS], [wheel])
        stamp.write_text(fingerprint)
    shutil.copytree(out, html / "live", ignore=shutil.ignore_patterns(".inputs"))


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def error_tail(traceback: str, last_lines: int = 12) -> str:
    """The end of a cell's traceback as plain text: the cell and the lines that say what went
    wrong, without the executor's own frames."""
    text = ANSI.sub("", traceback)
    text = text.split("CellExecutionError: ", 1)[-1]
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    return "\n".join(lines[-last_lines:])


def main(argv: list[str]) -> int:
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", str(ROOT), "--builder", "html", *STRICT, *argv]
    start = time.perf_counter()
    # The output holds exactly the current book: no page, image or logo left from an earlier
    # build (a dropped chapter must not stay published). Sphinx keeps its parsed pages in
    # _build/.doctrees and the executed notebooks stay cached, so rewriting every page is quick.
    shutil.rmtree(HTML, ignore_errors=True)
    # Chapters run the tools on synthetic data: keep that away from the reader's real saved data.
    with tempfile.TemporaryDirectory(prefix="l4l-build-data-") as scratch:
        os.environ["LEADING_FOR_LEARNING_DATA"] = scratch
        failures: dict[str, str] = {}
        if data_is_valid(ROOT):  # else the build below stops at once with every problem listed
            failures = execute_in_parallel(ROOT)
        result = subprocess.run(command, cwd=ROOT)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        reports = sorted((HTML / "reports").glob("**/*.log")) if (HTML / "reports").is_dir() else []
        print(f"\nThe book build FAILED after {seconds:.0f} s (see the warnings above).")
        for page, traceback in failures.items():
            print(f"\nA cell in {page} raised an error; the end of its traceback:")
            print(textwrap.indent(error_tail(traceback), "    "))
            print("Fix that cell (open the chapter in JupyterLab to run it step by step), then")
            print("run `make book` again.")
        for report in reports:
            print(f"  execution report kept: {report.relative_to(ROOT)}")
        return result.returncode
    try:
        build_live_apps(ROOT, HTML)
    except (subprocess.CalledProcessError, SystemExit) as error:
        print(f"\nThe live apps FAILED to build ({error}); see the messages above.")
        return 1
    seconds = time.perf_counter() - start
    print(f"\nBuilt the book and its live apps in {seconds:.0f} s. Open {HTML / 'index.html'}")
    print("or run `make serve` and visit http://127.0.0.1:8000/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
