"""Check every file an L&D team edits, so a mistake becomes a message with its fix, not a traceback.

This module orchestrates and reports; the rules live with the content they check. Each data file
is read once, by ``widgets.content.checking`` (one YAML reader keeping lines, one
JSON-Schema-to-Problem translator): its schema in ``widgets/content/schemas/`` checks its
structure, then, once that passes, its own loader in ``widgets/content/`` checks what a schema
cannot say (bands without gaps, placeholders, agenda minutes, one role card per mode, catalogue
types, cited sources), with messages already precise. A rule that needs another file (the modes
of prompts.yml, the bands of instrument.yml) is given that file's contents here, or waits while
that file is broken, so each mistake is reported once, in its own file. What is left here is the
book itself: ``_config.yml``, ``_toc.yml`` and the links between pages. Every problem names the
file, the line (YAML) or row (CSV), the field, and how to fix it. The build,
``scripts/check_data.py`` and the tests all use :func:`check_book_data`.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..base.errors import InputError, Problem
from ..content.checking import (
    Parsed as _Doc,
)
from ..content.checking import (
    field_name,
    line_of,
    parse_field,
    read_yaml,
    schema_problems,
)
from ..content.source import ENV_BOOK_DATA, content_dir

SCHEMAS = Path(__file__).resolve().parent.parent / "content" / "schemas"
PAGE_SUFFIXES = (".md", ".ipynb", ".rst")
LAUNCH_KEYS = ("binderhub_url", "jupyterhub_url", "colab_url")
KNOWN_GIT_HOSTS = ("github", "gitlab", "bitbucket")
MAX_SHOWN = 60
CONTENT = "widgets.content"

Path_ = tuple[Any, ...]  # a place in a file: keys and 0-based list positions, or (row, column)


# ---------------------------------------------------------------------------------------------
# Public API


def check_book_data(
    root: str | os.PathLike[str] | None = None, *, data: Any = None, toc: Any = None
) -> list[Problem]:
    """Check the data files, ``_config.yml`` and ``_toc.yml`` of a book; [] when all is well.

    ``root`` is the book's folder (default: the parent of the content folder in use); ``data``
    its content folder (default: ``root/data``, or the folder LEADING_FOR_LEARNING_BOOK_DATA
    names);
    ``toc`` the table of contents (default: ``root/_toc.yml``). Each problem's ``row`` is the
    line (YAML) or row (CSV) and ``column`` the field.
    """
    if root is None:
        content = Path(data) if data is not None else content_dir()
        book = content.parent
    else:
        book = Path(root)
        content = Path(data) if data is not None else book / "data"
    run = _Run(book=book, data=content, toc=Path(toc) if toc is not None else book / "_toc.yml")
    if data is not None and root is not None and (book / "data").resolve() != content.resolve():
        run.other.append(
            Problem(
                f"this book would be built with the data files of another folder ({content})",
                f"build it with its own Python environment (run `pip install -e .` in {book}) "
                f"or set {ENV_BOOK_DATA}={book / 'data'}",
                source="data/",
            )
        )
    with _reading_from(content):
        for check in _CHECKS:
            check(run)
    return run.result()


def data_fingerprint(folder: str | os.PathLike[str]) -> str:
    """A short hash of every file in a data folder: it changes whenever any file does."""
    digest = hashlib.sha256()
    root = Path(folder)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def describe(problem: Problem) -> str:
    """One problem as a sentence: file, line or row, field, what is wrong, and the fix."""
    csv_like = str(problem.source or "").endswith(".csv")
    where = [str(problem.source)] if problem.source else []
    if problem.row is not None:
        where.append(f"{'row' if csv_like else 'line'} {problem.row}")
    if problem.column:
        where.append(f"{'column' if csv_like else 'field'} {problem.column}")
    shown = ""
    if problem.value is not None and not isinstance(problem.value, (dict, list)):
        text = str(problem.value)
        text = text[:37] + "..." if len(text) > 40 else text
        shown = f" (found {text!r})" if isinstance(problem.value, str) else f" (found {text})"
    fix = problem.fix.rstrip(".")
    return f"{', '.join(where)}: {problem.message}{shown}. Fix: {fix}."


def format_problems(problems: list[Problem]) -> str:
    """Every problem on its own line under a heading, ready for a terminal or an error page."""
    count = len(problems)
    if not count:
        return "All data files are valid."
    heading = (
        "There is 1 problem in the book's data files"
        if count == 1
        else f"There are {count} problems in the book's data files"
    )
    lines = [f"{heading}:"] + [f"  - {describe(p)}" for p in problems[:MAX_SHOWN]]
    if count > MAX_SHOWN:
        lines.append(f"  ... and {count - MAX_SHOWN} more; fix these first.")
    lines.append("Fix them and try again; `make check-data` checks the files without building.")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# One run: what was read and what was found


@dataclass
class _Run:
    book: Path
    data: Path
    toc: Path
    docs: dict[str, _Doc | None] = field(default_factory=dict)
    structural: list[tuple[Path_, Problem]] = field(default_factory=list)
    semantic: list[tuple[Path_, Problem]] = field(default_factory=list)
    other: list[Problem] = field(default_factory=list)

    def broken(self, source: str) -> bool:
        """True when the file could not be read or failed its schema."""
        return self.docs.get(source) is None or any(p.source == source for _, p in self.structural)

    def add(
        self,
        doc: _Doc,
        path: Path_,
        problem: Problem,
        structural: bool = False,
        line: int | None = None,
    ) -> None:
        """Record a problem at ``path``: for YAML its line is looked up, for CSV its row kept."""
        row = line or (line_of(doc.node, path) if doc.node is not None else problem.row)
        column = field_name(path) if doc.node is not None and path else problem.column
        found = replace(problem, source=doc.source, row=row, column=column or None)
        (self.structural if structural else self.semantic).append((path, found))

    def result(self) -> list[Problem]:
        """Every problem, the files in the order they were checked, each file's in line order."""
        out = [p for _, p in self.structural] + [p for _, p in self.semantic]
        order = {name: i for i, name in enumerate(self.docs)}  # filled in as each file is read
        out.sort(key=lambda p: (order.get(str(p.source), len(order)), str(p.source), p.row or 0))
        return self.other + out


@contextlib.contextmanager
def _reading_from(folder: Path) -> Iterator[None]:
    """Let the book's loaders (which read content_dir()) read ``folder`` for a while."""
    before = os.environ.get(ENV_BOOK_DATA)
    os.environ[ENV_BOOK_DATA] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_BOOK_DATA, None)
        else:
            os.environ[ENV_BOOK_DATA] = before


# ---------------------------------------------------------------------------------------------
# Reading YAML with lines


def _read_yaml(run: _Run, path: Path, source: str) -> _Doc | None:
    """Parse a YAML file, reporting a missing file, bad encoding, broken YAML or repeated keys."""
    try:
        return read_yaml(path, source)
    except InputError as error:
        run.structural.extend((parse_field(p.column), p) for p in error.problems)
        return None


def _restore(source: str) -> str:
    return f"restore {source} from the original book, or check its name"


# ---------------------------------------------------------------------------------------------
# Schemas


def _apply_schema(run: _Run, doc: _Doc, name: str) -> None:
    """Validate a parsed file against ``content/schemas/<name>.schema.json``; record each error."""
    run.structural.extend((parse_field(p.column), p) for p in schema_problems(doc, name))


def _rules(run: _Run, doc: _Doc, build: Callable[[_Doc], Any]) -> None:
    """Run a loader's own rules (what a schema cannot state) on a file whose schema passed.

    The loader's problems already carry their line, field and precise fix.
    """
    if run.broken(doc.source):
        return
    try:
        build(doc)
    except InputError as error:
        for problem in error.problems:
            source = _data_source(problem.source) or doc.source
            other = doc if source == doc.source else (run.docs.get(source) or _Doc(source, None))
            run.add(other, parse_field(problem.column), problem)


def _data_source(source: str | None) -> str | None:
    if not source:
        return None
    name = Path(str(source)).name
    return f"data/{name}"


# ---------------------------------------------------------------------------------------------
# The files


Rules = Callable[[_Doc], Any]  # a loader's rules: build the typed object, or raise InputError


def _data_file(
    name: str, schema: str, rules: Callable[[_Run], Rules] | None = None
) -> Callable[[_Run], None]:
    """The check of one YAML data file: read it, check its schema, then run its loader's rules.

    ``rules(run)`` gives the loader's rules, handed what they need from the other files.
    """

    def check(run: _Run) -> None:
        source = f"data/{name}"
        doc = _read_yaml(run, run.data / name, source)
        run.docs[source] = doc
        if doc is None:
            return
        _apply_schema(run, doc, schema)
        if rules is not None:
            _rules(run, doc, rules(run))

    return check


def _passed(run: _Run, source: str) -> Any:
    """Another file's data once its schema passed; None while it is broken (reported there)."""
    doc = run.docs.get(source)
    return None if doc is None or run.broken(source) else doc.data


def _own(target: str) -> Callable[[_Run], Rules]:
    """The rules of a loader that needs no other file: ``module:function``, imported when run."""
    module, function = target.split(":")
    return lambda run: getattr(importlib.import_module(module), function)


def _guide(run: _Run) -> Rules:
    from ..content.prompts import guide_from

    instrument = _passed(run, "data/instrument.yml")
    bands = (
        None
        if instrument is None
        else {str(b["key"]): str(b["label"]) for b in instrument["bands"]}
    )
    return lambda parsed: guide_from(parsed, bands)


def _workshop(run: _Run) -> Rules:
    from ..content.workshop import pattern_keys, workshop_from

    patterns = pattern_keys()
    return lambda parsed: workshop_from(parsed, patterns)


def _role_cards(run: _Run) -> Rules:
    from ..content.workshop import role_cards_from

    prompts = _passed(run, "data/prompts.yml")
    modes = None if prompts is None else [str(mode) for mode in prompts["modes"]]
    return lambda parsed: role_cards_from(parsed, modes)


def _checklist(run: _Run) -> Rules:
    from ..content.checklist import checklist_from
    from ..content.references import citation_keys

    keys = citation_keys(run.data / "references.bib")
    return lambda parsed: checklist_from(parsed, keys)


def _other_file(name: str, check: Callable[[_Run, Path, str], Any]) -> Callable[[_Run], None]:
    """The check of a data file that is not YAML: ``check(run, path, source)`` raises problems."""

    def run_check(run: _Run) -> None:
        source = f"data/{name}"
        path = run.data / name
        doc = _Doc(source, None)
        if not path.is_file():
            run.add(doc, (), Problem("this file is missing", _restore(source)), structural=True)
            run.docs[source] = None
            return
        run.docs[source] = doc
        _rules(run, doc, lambda _: check(run, path, source))

    return run_check


def _catalogue(run: _Run, path: Path, source: str) -> Any:
    from ..content.catalogue import catalogue_from

    prompts = _passed(run, "data/prompts.yml")
    types = (
        None if prompts is None else {str(k): str(v) for k, v in prompts["resource_types"].items()}
    )
    return catalogue_from(path, types)


def _bibliography(run: _Run, path: Path, source: str) -> None:
    from ..content.references import check_references

    check_references(path, source)


def _check_config(run: _Run) -> None:
    doc = _read_yaml(run, run.book / "_config.yml", "_config.yml")
    run.docs["_config.yml"] = doc
    if doc is None:
        return
    _apply_schema(run, doc, "config")
    config = doc.data if isinstance(doc.data, dict) else {}
    html = config.get("html") if isinstance(config.get("html"), dict) else {}
    for path, value in (
        (("logo",), config.get("logo")),
        (("html", "favicon"), html.get("favicon")),
    ):
        if isinstance(value, str) and value.strip() and not (run.book / value).is_file():
            run.add(
                doc,
                path,
                Problem(
                    "this file does not exist",
                    "put the image in _static/ (SVG or PNG) and write its path from the book's "
                    "folder, e.g. _static/logo.svg",
                    value=value,
                ),
            )
    launch = config.get("launch_buttons") if isinstance(config.get("launch_buttons"), dict) else {}
    used = [key for key in LAUNCH_KEYS if isinstance(launch.get(key), str) and launch.get(key)]
    repo = config.get("repository") if isinstance(config.get("repository"), dict) else {}
    url = repo.get("url") if isinstance(repo.get("url"), str) else ""
    sphinx = config.get("sphinx") if isinstance(config.get("sphinx"), dict) else {}
    options = (sphinx.get("config") or {}).get("html_theme_options") or {}
    if options and sphinx.get("recursive_update") is not True:
        run.add(
            doc,
            ("sphinx",),
            Problem(
                "sphinx: config: html_theme_options would replace the launch buttons, repository "
                "and footer settings",
                "add the line 'recursive_update: true' under 'sphinx:'",
            ),
        )
    if used and not url:
        run.add(
            doc,
            ("repository", "url"),
            Problem(
                f"the launch buttons ({', '.join(used)}) need the address of the repository the "
                "notebooks are pulled from",
                "set repository: url: to your repository, e.g. "
                "https://gitlab.example.org/learning/leading-for-learning, or empty the launch "
                "button addresses",
            ),
        )
    elif used and url.startswith(("http://", "https://")):
        parts = urlsplit(url)
        if len([p for p in parts.path.split("/") if p]) < 2:
            run.add(
                doc,
                ("repository", "url"),
                Problem(
                    "the repository address must end with the owner and the repository name",
                    "write it like https://gitlab.example.org/learning/leading-for-learning",
                    value=url,
                ),
            )
        elif not any(host in parts.netloc for host in KNOWN_GIT_HOSTS) and not (
            isinstance(options, dict) and options.get("repository_provider")
        ):
            run.add(
                doc,
                ("repository", "url"),
                Problem(
                    "the launch buttons cannot tell which kind of git server this is",
                    "add 'repository_provider: gitlab' (or github, bitbucket) under "
                    "sphinx: config: html_theme_options:",
                    value=url,
                ),
            )


ROLE = re.compile(r"\{(doc|ref)\}`([^`]+)`")
LABEL = re.compile(r"^\(([^()\s]+)\)=\s*$", re.MULTILINE)


def _toc_files(toc: Any) -> Iterator[tuple[Path_, str]]:
    """(path in _toc.yml, page) for the root and every 'file' entry, in order."""
    if not isinstance(toc, dict):
        return
    if isinstance(toc.get("root"), str):
        yield ("root",), toc["root"]

    def walk(entries: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict):
                continue
            if isinstance(entry.get("file"), str):
                yield (*path, index, "file"), entry["file"]
            for key in ("sections", "chapters"):
                yield from walk(entry.get(key), (*path, index, key))

    yield from walk(toc.get("parts"), ("parts",))
    yield from walk(toc.get("chapters"), ("chapters",))


def _page_path(book: Path, name: str) -> Path | None:
    for suffix in ("", *PAGE_SUFFIXES):
        candidate = book / f"{name}{suffix}"
        if candidate.is_file() and (suffix or candidate.suffix in PAGE_SUFFIXES):
            return candidate
    return None


def _docname(book: Path, path: Path) -> str:
    return path.relative_to(book).with_suffix("").as_posix()


def _check_toc(run: _Run) -> None:
    try:
        source = run.toc.resolve().relative_to(run.book.resolve()).as_posix()
    except ValueError:
        source = str(run.toc)
    doc = _read_yaml(run, run.toc, source)
    run.docs["_toc.yml"] = doc
    if doc is None:
        return
    _apply_schema(run, doc, "toc")
    listed: dict[str, Path] = {}
    for path, name in _toc_files(doc.data):
        page = _page_path(run.book, name.strip().strip("/"))
        if page is None:
            run.add(
                doc,
                path,
                Problem(
                    "this page does not exist",
                    "write the page's path from the book's folder without .md (e.g. "
                    "chapters/tools/score-relationships), or remove the line",
                    value=name,
                ),
            )
        elif _docname(run.book, page) in listed:
            run.add(doc, path, Problem("this page is listed twice", "remove one line", value=name))
        else:
            listed[_docname(run.book, page)] = page
    if run.toc.resolve() == (run.book / "_toc.yml").resolve():  # not for a partial, private toc
        _check_links(run, listed)


def _markdown_lines(text: str) -> Iterator[tuple[int, str]]:
    """Numbered lines of a Markdown page outside code blocks, with inline code removed."""
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        marker = re.match(r"(`{3,}|~{3,})", stripped)
        if marker and (fence is None or stripped.startswith(fence)):
            if fence is None and not re.match(r"(`{3,}|~{3,})\{", stripped):
                fence = marker.group(1)
            elif fence is not None:
                fence = None
            continue
        if fence is None:
            yield number, re.sub(r"``.+?``", "", line)


def _check_links(run: _Run, listed: dict[str, Path]) -> None:
    """Links ({doc} and {ref}) from the listed pages to pages the table of contents leaves out."""
    ignored = {"_build", ".venv", "vendor", "node_modules", ".ipynb_checkpoints"}
    labels: dict[str, str] = {}
    for page in sorted(run.book.rglob("*.md")):
        if ignored & set(page.relative_to(run.book).parts):
            continue
        try:
            text = page.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for label in LABEL.findall(text):
            labels.setdefault(label, _docname(run.book, page))
    for name, page in listed.items():
        if page.suffix != ".md":
            continue
        source = page.relative_to(run.book).as_posix()
        text = page.read_text(encoding="utf-8", errors="replace")
        for number, line in _markdown_lines(text):
            for role, body in ROLE.findall(line):
                target = re.search(r"<([^<>]+)>\s*$", body)
                target_text = (target.group(1) if target else body).strip()
                if role == "doc":
                    base = "" if target_text.startswith("/") else posixpath.dirname(name)
                    wanted = posixpath.normpath(posixpath.join(base, target_text.lstrip("/")))
                    wanted = re.sub(r"\.(md|ipynb|rst)$", "", wanted)
                else:
                    wanted = labels.get(target_text, "")
                if not wanted or wanted in listed:
                    continue
                exists = _page_path(run.book, wanted) is not None
                run.other.append(
                    Problem(
                        f"links to {wanted}, which "
                        + ("is not in _toc.yml" if exists else "does not exist"),
                        "remove the link or turn it into plain text, or add the page back to "
                        "_toc.yml",
                        row=number,
                        value=f"{{{role}}}`{body}`",
                        source=source,
                    )
                )


_CHECKS: tuple[Callable[[_Run], None], ...] = (
    _check_config,
    _check_toc,
    _data_file(
        "organisation.yml", "organisation", _own(f"{CONTENT}.organisation:organisation_from")
    ),
    _data_file("instrument.yml", "instrument", _own(f"{CONTENT}.instrument:instrument_from")),
    _data_file("prompts.yml", "prompts", _guide),
    _data_file("gap_prompts.yml", "gap_prompts", _own(f"{CONTENT}.prompts:gap_guide_from")),
    _data_file("goal_check.yml", "goal_check", _own("widgets.core.goal_hints:rules_from")),
    _other_file("resources.csv", _catalogue),
    _data_file("workshop.yml", "workshop", _workshop),
    _data_file("evaluation.yml", "evaluation"),
    _data_file("role_cards.yml", "role_cards", _role_cards),
    _data_file("learning_leader_behaviours.yml", "learning_leader_behaviours", _checklist),
    _other_file("references.bib", _bibliography),
)
