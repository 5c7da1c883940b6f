"""Check every file an L&D team edits, so a mistake becomes a message with its fix, not a traceback.

This module orchestrates and reports; the rules live with the content they check. Each data file is
read once, by ``widgets.content.checking`` (one YAML reader keeping lines, one
JSON-Schema-to-Problem translator): its schema in ``widgets/content/schemas/`` checks its structure,
then, once that passes, its own loader in ``widgets/content/`` checks what a schema cannot say
(bands without gaps, placeholders, agenda minutes, check-in days in order, one role card per mode,
catalogue types, cited sources), with messages already precise. A rule that needs another file (the
modes of prompts.yml, the bands of instrument.yml) is given that file's contents here, or waits
while that file is broken, so each mistake is reported once, in its own file. The book's own files
(``_config.yml``, ``_toc.yml``, the links between pages) have their rules in
``widgets.book.structure``. Every problem names the file, the line (YAML) or row (CSV), the field,
and how to fix it. The build, ``scripts/check_data.py`` and the tests all use
:func:`check_book_data`.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

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
from .structure import config_problems, link_problems, toc_pages

SCHEMAS = Path(__file__).resolve().parent.parent / "content" / "schemas"
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
    run.semantic.extend((parse_field(p.column), p) for p in config_problems(doc, run.book))


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
    listed, problems = toc_pages(doc, run.book)
    run.semantic.extend((parse_field(p.column), p) for p in problems)
    if run.toc.resolve() == (run.book / "_toc.yml").resolve():  # not for a partial, private toc
        run.other.extend(link_problems(run.book, listed))


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
    _data_file("evaluation.yml", "evaluation", _own(f"{CONTENT}.evaluation:evaluation_from")),
    _data_file("role_cards.yml", "role_cards", _role_cards),
    _data_file("learning_leader_behaviours.yml", "learning_leader_behaviours", _checklist),
    _other_file("references.bib", _bibliography),
)
