"""Check every file an L&D team edits, so a mistake becomes a message with its fix, not a traceback.

Each file is checked twice: against a JSON Schema in ``widgets/content/schemas/`` for its
structure, then
by the book's own loaders (and a few cross-file checks) for what a schema cannot say, such as bands
without gaps or one role card per mode. Every problem names the file, the line (YAML) or row (CSV),
the field, and how to fix it. The build, ``scripts/check_data.py`` and the tests all use
:func:`check_book_data`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import yaml

from ..base.errors import InputError, Problem
from ..content.source import ENV_BOOK_DATA, data_root

SCHEMAS = Path(__file__).resolve().parent.parent / "content" / "schemas"
PAGE_SUFFIXES = (".md", ".ipynb", ".rst")
LAUNCH_KEYS = ("binderhub_url", "jupyterhub_url", "colab_url")
KNOWN_GIT_HOSTS = ("github", "gitlab", "bitbucket")
MAX_SHOWN = 60

Path_ = tuple[Any, ...]  # a place in a file: keys and 0-based list positions, or (row, column)

TYPE_FIXES = {
    "object": "write its entries on the lines below it, indented, as 'name: value'",
    "array": "write its entries on the lines below it, each starting with '- '",
    "string": "write the text after the colon",
    "integer": "write a whole number, e.g. 5",
    "number": "write a number, e.g. 0.5",
}
TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "array": "a list (one '- ' line per entry)",
    "object": "a set of 'name: value' lines",
    "boolean": "true or false",
    "null": "nothing",
}


# ---------------------------------------------------------------------------------------------
# Public API


def check_book_data(
    root: str | os.PathLike[str] | None = None, *, data: Any = None, toc: Any = None
) -> list[Problem]:
    """Check the data files, ``_config.yml`` and ``_toc.yml`` of a book; [] when all is well.

    ``root`` is the book's folder (default: the parent of the data folder in use); ``data`` its
    data folder (default: ``root/data``, or the folder LEADING_FOR_LEARNING_BOOK_DATA names);
    ``toc`` the table of contents (default: ``root/_toc.yml``). Each problem's ``row`` is the
    line (YAML) or row (CSV) and ``column`` the field.
    """
    if root is None:
        data_dir = Path(data) if data is not None else data_root()
        book = data_dir.parent
    else:
        book = Path(root)
        data_dir = Path(data) if data is not None else book / "data"
    run = _Run(book=book, data=data_dir, toc=Path(toc) if toc is not None else book / "_toc.yml")
    if data is not None and root is not None and (book / "data").resolve() != data_dir.resolve():
        run.other.append(
            Problem(
                f"this book would be built with the data files of another folder ({data_dir})",
                f"build it with its own Python environment (run `pip install -e .` in {book}) "
                f"or set {ENV_BOOK_DATA}={book / 'data'}",
                source="data/",
            )
        )
    with _reading_from(data_dir):
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


def line_of(node: yaml.Node | None, path: Path_) -> int | None:
    """The line of the deepest part of ``path`` present in a composed YAML tree (None: the top)."""
    line = None
    for part in path:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if str(k.value) == str(part)), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def field_name(path: Path_) -> str:
    """A path as people read it: ``items[3].anchors`` (list positions counted from 1)."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def parse_field(text: str | None) -> Path_:
    """The inverse of :func:`field_name`: ``items[3].anchors`` -> ('items', 2, 'anchors')."""
    parts: list[Any] = []
    for name, number in re.findall(r"([^.\[\]]+)|\[(\d+)\]", text or ""):
        parts.append(int(number) - 1 if number else name)
    return tuple(parts)


# ---------------------------------------------------------------------------------------------
# One run: what was read and what was found


@dataclass
class _Doc:
    """A parsed file: its data and, for YAML, its node tree (to find the line of a field)."""

    source: str
    data: Any
    node: yaml.Node | None = None


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
        """Structural problems, then semantic ones not already explained by them, in file order."""
        seen = {(p.source, path) for path, p in self.structural}
        out = [p for _, p in self.structural]
        for path, problem in self.semantic:
            if not _explained(problem.source, path, seen) and problem not in out:
                out.append(problem)
        order = {name: i for i, name in enumerate(_FILE_ORDER)}
        out.sort(key=lambda p: (order.get(str(p.source), len(order)), str(p.source), p.row or 0))
        return self.other + out


def _explained(source: Any, path: Path_, seen: set[tuple[Any, Path_]]) -> bool:
    """A loader's problem repeats a schema problem at the same place, or inside it."""
    for other_source, other in seen:
        if other_source != source:
            continue
        if path[: len(other)] == other:
            return True
        if other[: len(path)] == path and any(isinstance(p, int) for p in path):
            return True  # e.g. "bands[2]" after "bands[2].min": the same entry
    return False


@contextlib.contextmanager
def _reading_from(folder: Path) -> Iterator[None]:
    """Let the book's loaders (which read data_root()) read ``folder`` for a while."""
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


INDENT_FIX = (
    "line this entry up with the ones around it: the spaces at the start of each line must match"
)


def _yaml_fix(problem: str, line: str) -> str:
    """The likely fix for a YAML syntax error, from the error and the line it points at."""
    if "\\t" in problem or "tab" in problem:
        return "indent with spaces, never tabs"
    if "mapping values are not allowed" in problem:
        if line.count(": ") + line.rstrip().endswith(":") > 1:
            return (
                "wrap a value that contains ': ' in double quotes, "
                'e.g. label: "Goals: be specific"'
            )
        return INDENT_FIX
    if "end of stream" in problem or "quoted scalar" in problem:
        return "close the quotes that open on this line or just before it"
    if "expected <block end>" in problem or "did not find expected" in problem:
        return INDENT_FIX
    return "check the indentation (spaces, not tabs) and the quotes on this line and the one before"


def _read_yaml(run: _Run, path: Path, source: str) -> _Doc | None:
    """Parse a YAML file, reporting a missing file, bad encoding, broken YAML or repeated keys."""
    doc = _Doc(source, None)
    if not path.is_file():
        run.add(doc, (), Problem("this file is missing", _restore(source)), structural=True)
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problem = Problem(
            "the file is not saved as UTF-8 text", "save it again as UTF-8 in your editor"
        )
        run.add(doc, (), problem, structural=True)
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or "it cannot be read"
        lines = text.splitlines()
        line = lines[mark.line] if mark and mark.line < len(lines) else ""
        problem = Problem(
            f"the YAML is broken at or just before this line ({reason})",
            _yaml_fix(reason, line),
            row=mark.line + 1 if mark else None,
        )
        run.add(doc, (), problem, structural=True)
        return None
    doc = _Doc(source, data, node)
    for key_path, line in _repeated_keys(node, ()):
        problem = Problem(
            "this name appears twice in the same section, and YAML keeps only the last one",
            "delete or rename one of them",
        )
        run.add(doc, key_path, problem, structural=True, line=line)
    return doc


def _repeated_keys(node: yaml.Node | None, path: Path_) -> Iterator[tuple[Path_, int]]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                yield (*path, name), key.start_mark.line + 1
            seen.add(name)
            yield from _repeated_keys(value, (*path, name))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _repeated_keys(item, (*path, index))


def _restore(source: str) -> str:
    return f"restore {source} from the original book, or check its name"


# ---------------------------------------------------------------------------------------------
# Schemas


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema ``widgets/content/schemas/<name>.schema.json``."""
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def _resolve(schema: dict[str, Any], ref: str) -> Any:
    """The part of ``schema`` a local reference such as ``#/$defs/text`` points at."""
    target: Any = schema
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def _refs(schema: dict[str, Any], node: Any) -> list[dict[str, Any]]:
    """``node`` and the schemas its $ref chain leads to, most specific first."""
    chain = []
    while isinstance(node, dict):
        chain.append(node)
        if "$ref" not in node or len(chain) > 10:
            break
        node = _resolve(schema, node["$ref"])
    return chain


def _owner(schema: dict[str, Any], steps: list[Any]) -> list[dict[str, Any]]:
    """The schema objects that own the failing keyword: the one the path reaches and its $refs."""
    node: Any = schema
    for step in steps:
        if isinstance(node, dict) and step not in node:
            node = next((n for n in _refs(schema, node) if step in n), node)
        node = node[step]
    return _refs(schema, node)


def _hint(chain: list[dict[str, Any]], key: str = "x-fix") -> str | None:
    return next((n[key] for n in chain if key in n), None)


def _scalar(value: Any) -> Any:
    return None if isinstance(value, (dict, list)) else value


def _explain(
    error: jsonschema.ValidationError, schema: dict[str, Any]
) -> list[tuple[Path_, str, str, Any]]:
    """(path, message, fix, value) for one schema error, in plain words."""
    path = tuple(error.absolute_path)
    steps = list(error.absolute_schema_path)
    chain = _owner(schema, steps[:-1])
    fix = _hint(chain)
    own_message = _hint(chain, "x-message")
    if own_message and error.validator not in ("required", "additionalProperties", "type"):
        return [(path, own_message, fix or error.message, _scalar(error.instance))]
    kind, expected, value = error.validator, error.validator_value, error.instance
    if "propertyNames" in steps and isinstance(value, str):
        return [((*path, value), "this name has the wrong form", fix or error.message, value)]
    if kind == "required":
        name = re.search(r"'([^']+)'", error.message)
        key = name.group(1) if name else str(expected)
        props = next((n["properties"] for n in chain if "properties" in n), {})
        own = _hint(_refs(schema, props.get(key)))
        if not path:
            where = "at the top of the file"
        elif isinstance(path[-1], int):
            where = "in this entry"
        else:
            where = f"under '{path[-1]}'"
        message = f"'{key}' is missing"
        return [((*path, key), message, own or fix or f"add a line '{key}: ...' {where}", None)]
    if kind == "additionalProperties":
        known = sorted(next((n.get("properties", {}) for n in chain if "properties" in n), {}))
        extra = [k for k in value if k not in known] if isinstance(value, dict) else []
        unknown_fix = _hint(chain, "x-unknown-fix") or (
            f"check its spelling (expected one of: {', '.join(known)}) or remove it"
        )
        return [((*path, key), "unknown name", unknown_fix, key) for key in extra]
    if kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        words = " or ".join(TYPE_WORDS.get(w, w) for w in wanted if w != "null")
        message = f"this is empty: expected {words}" if value is None else f"expected {words}"
        if fix is None and "string" in wanted and isinstance(value, (bool, int, float)):
            fix = (
                "put the text in double quotes: YAML reads words like yes, no, on and off, and "
                "numbers, as something other than text"
            )
        generic = TYPE_FIXES.get(wanted[0], f"write {words} here")
        return [(path, message, fix or generic, _scalar(value))]
    if kind in ("minItems", "maxItems"):
        owner = chain[0] if chain else {}
        low, high = owner.get("minItems"), owner.get("maxItems")
        count = len(value) if isinstance(value, list) else 0
        if low is not None and low == high:
            message = f"has {count} entries; exactly {low} are needed"
        elif kind == "minItems":
            message = f"has {count} entries; at least {expected} are needed"
        else:
            message = f"has {count} entries; at most {expected} are allowed"
        return [(path, message, fix or "add or remove entries", None)]
    if kind == "minProperties":
        return [(path, "this section is empty", fix or "add its entries", None)]
    if kind == "pattern":
        if value is not None and isinstance(value, str) and not value.strip():
            return [(path, "this is empty", fix or "write some text here", None)]
        return [(path, "this does not have the expected form", fix or error.message, value)]
    if kind in ("minimum", "exclusiveMinimum"):
        word = "at least" if kind == "minimum" else "more than"
        return [(path, f"must be {word} {expected}", fix or f"use {expected} or more", value)]
    if kind in ("maximum", "exclusiveMaximum"):
        word = "at most" if kind == "maximum" else "less than"
        return [(path, f"must be {word} {expected}", fix or f"use {expected} or less", value)]
    if kind == "enum":
        choices = ", ".join(str(c) for c in expected)
        return [(path, "this value is not allowed", fix or f"use one of: {choices}", value)]
    if kind == "const":
        return [(path, f"must be {expected!r}", fix or f"write {expected}", _scalar(value))]
    if kind == "contains":
        return [(path, "an entry the book needs is missing", fix or error.message, None)]
    return [(path, error.message, fix or "compare this part with the original file", None)]


def _apply_schema(run: _Run, doc: _Doc, name: str) -> None:
    """Validate a parsed file against ``content/schemas/<name>.schema.json``; record each error."""
    schema = load_schema(name)
    for error in jsonschema.Draft202012Validator(schema).iter_errors(doc.data):
        for where, message, fix, value in _explain(error, schema):
            run.add(doc, where, Problem(message, fix, value=value), structural=True)


def _delegate(
    run: _Run,
    doc: _Doc,
    load: Callable[[], Any],
    to_path: Callable[[Problem], Path_],
    reword: Callable[[Problem], Problem] = lambda problem: problem,
) -> None:
    """Run one of the book's loaders and record its InputError problems at their lines."""
    try:
        load()
    except InputError as error:
        for problem in map(reword, error.problems):
            source = _data_source(problem.source) or doc.source
            if source == doc.source:
                run.add(doc, to_path(problem), problem)
            else:  # e.g. the planner's guide naming a band missing from data/instrument.yml
                other = run.docs.get(source) or _Doc(source, None)
                run.add(other, parse_field(problem.column), problem)
    except Exception as error:  # a loader tripped over a shape its checks did not expect
        if not run.structural:  # otherwise the shape is already reported, with its fix
            problem = Problem(
                f"the tools cannot read this file ({type(error).__name__}: {error})",
                "compare its layout with the original file in the book's repository",
            )
            run.add(doc, (), problem)


def _data_source(source: str | None) -> str | None:
    if not source:
        return None
    name = Path(str(source)).name
    return f"data/{name}"


def _by_field(problem: Problem) -> Path_:
    return parse_field(problem.column)


# ---------------------------------------------------------------------------------------------
# The files


def _yaml_data_file(name: str, schema: str) -> Callable[[_Run], _Doc | None]:
    def read(run: _Run) -> _Doc | None:
        source = f"data/{name}"
        doc = _read_yaml(run, run.data / name, source)
        run.docs[source] = doc
        if doc is not None:
            _apply_schema(run, doc, schema)
        return doc

    return read


# Texts the tools fill in with str.format: the names each may use.
INSTRUMENT_PLACEHOLDERS = {
    ("flags", "partly_recorded"): ("recorded", "fields"),
    ("perception_gap", "higher"): ("gap",),
    ("perception_gap", "lower"): ("gap",),
    ("gradient", "text", "too_few"): ("min_members", "members_used"),
    ("gradient", "text", "no_spread"): ("what", "members_used"),
    ("gradient", "text", "strong_positive"): ("rho", "members_used"),
    ("gradient", "text", "moderate_positive"): ("rho", "members_used"),
    ("gradient", "text", "flat"): ("rho", "members_used"),
    ("gradient", "text", "negative"): ("rho", "members_used"),
    ("thresholds", "left_behind"): ("bands", "totals", "investment_band", "investment_below"),
    ("thresholds", "gradient"): ("min_members", "strong", "moderate", "negative"),
    ("thresholds", "perception_gap"): ("notable",),
}
GOAL_CHECK_PLACEHOLDERS = {
    ("aspects", "specific", "present"): ("found",),
    ("aspects", "specific", "vague_only"): ("found",),
    ("aspects", "observable", "present"): ("found",),
    ("aspects", "timeframe", "present"): ("found",),
    ("aspects", "stretch", "present"): ("found",),
    ("hedges", "message"): ("found",),
}


def _check_placeholders(run: _Run, doc: _Doc, allowed: dict[Path_, tuple[str, ...]]) -> None:
    """A translated message may only use the {names} the tool fills in."""
    for path, names in allowed.items():
        text: Any = doc.data
        for part in path:
            text = text.get(part) if isinstance(text, dict) else None
        if not isinstance(text, str):
            continue
        keep = ", ".join("{" + n + "}" for n in names)
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        except ValueError:
            used, unknown = set(), ["a lone { or }"]
        else:
            unknown = sorted("{" + n + "}" for n in used - set(names))
        if unknown:
            run.add(
                doc,
                path,
                Problem(
                    f"unknown placeholder {', '.join(unknown)}: the tool fills in only {keep}",
                    f"keep {keep} as they are and write any other brace doubled, {{{{ or }}}}",
                ),
            )


def _check_organisation(run: _Run) -> None:
    doc = _yaml_data_file("organisation.yml", "organisation")(run)
    if doc is not None:
        from ..content.organisation import load_organisation

        _delegate(run, doc, load_organisation, _by_field)


def _check_instrument(run: _Run) -> None:
    doc = _yaml_data_file("instrument.yml", "instrument")(run)
    if doc is None:
        return
    from ..content.instrument import build_instrument

    def where(problem: Problem) -> Path_:
        """Point a band gap or overlap at the band where it starts (the loader names the list)."""
        bands = doc.data.get("bands") if isinstance(doc.data, dict) else None
        if problem.column == "bands" and isinstance(bands, list) and isinstance(problem.value, int):
            end = "max" if "last band" in problem.message else "min"
            for index, band in enumerate(bands):
                if isinstance(band, dict) and band.get(end) == problem.value:
                    return ("bands", index, end)
        return parse_field(problem.column)

    def reword(problem: Problem) -> Problem:
        """Say exactly where a band must start (the loader says only 'adjust min and max')."""
        last = re.search(r"the last band must end at (\d+)", problem.message)
        if last:
            return replace(problem, fix=f"set the last band's max to {last.group(1)}")
        expected = re.search(r"expected a band starting at (\d+)", problem.message)
        if not expected or not isinstance(problem.value, int):
            return problem
        start, found = int(expected.group(1)), problem.value
        kind = "a gap" if found > start else "an overlap"
        bands = doc.data.get("bands") or []
        if not any(isinstance(b, dict) and b.get("max") == start - 1 for b in bands):
            message = f"{kind}: the lowest band starts at {found}, but totals start at {start}"
            return replace(problem, message=message, fix=f"set min to {start}")
        return replace(
            problem,
            message=f"{kind}: this band starts at {found}, but the band before it ends at "
            f"{start - 1}",
            fix=f"set min to {start}, or set the previous band's max to {found - 1}",
        )

    load = lambda: build_instrument(doc.data, source=doc.source)  # noqa: E731
    _delegate(run, doc, load, where, reword)
    _check_placeholders(run, doc, INSTRUMENT_PLACEHOLDERS)
    summary = _summary_schema(run)
    if summary is None or not isinstance(doc.data, dict):
        return
    for section, path, skip in (
        ("band_counts", ("bands",), ()),
        ("investment_band_counts", ("investment", "bands"), ("unknown",)),
    ):
        wanted = [k for k in summary["properties"][section]["required"] if k not in skip]
        entries = doc.data.get(path[0]) if len(path) == 1 else (doc.data.get(path[0]) or {})
        if len(path) == 2 and isinstance(entries, dict):
            entries = entries.get(path[1])
        if not isinstance(entries, list):
            continue
        keys = [e.get("key") for e in entries if isinstance(e, dict)]
        if sorted(map(str, keys)) != sorted(wanted):
            run.add(
                doc,
                path,
                Problem(
                    f"the band keys must be exactly {', '.join(wanted)}: the workshop summaries "
                    "and saved files use them",
                    "keep the keys and change the labels, notes and limits instead",
                    value=", ".join(map(str, keys)),
                ),
            )


def _summary_schema(run: _Run) -> dict[str, Any] | None:
    path = run.data / "summary.schema.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _check_prompts(run: _Run) -> None:
    doc = _yaml_data_file("prompts.yml", "prompts")(run)
    if doc is not None:
        from ..content.prompts import load_guide

        _delegate(run, doc, load_guide, _by_field)


def _check_gap_prompts(run: _Run) -> None:
    doc = _yaml_data_file("gap_prompts.yml", "gap_prompts")(run)
    if doc is not None:
        from ..content.prompts import load_gap_guide

        _delegate(run, doc, load_gap_guide, _by_field)


def _check_goal_check(run: _Run) -> None:
    doc = _yaml_data_file("goal_check.yml", "goal_check")(run)
    if doc is not None:
        from ..core.goal_hints import load_rules

        _delegate(run, doc, load_rules, _by_field)
        _check_placeholders(run, doc, GOAL_CHECK_PLACEHOLDERS)


def _check_behaviours(run: _Run) -> None:
    doc = _yaml_data_file("learning_leader_behaviours.yml", "learning_leader_behaviours")(run)
    if doc is None:
        return
    from ..content.checklist import parse_checklist

    def where(problem: Problem) -> Path_:
        if problem.row is None:
            return parse_field(problem.column)
        if problem.column == "scale":
            return ("scale", problem.row - 1)
        return ("behaviours", problem.row - 1, *parse_field(problem.column))

    _delegate(run, doc, lambda: parse_checklist(doc.data, source=doc.source), where)
    key = doc.data.get("source") if isinstance(doc.data, dict) else None
    keys = _bib_keys(run.data / "references.bib")
    if isinstance(key, str) and keys and key not in keys:
        run.add(
            doc,
            ("source",),
            Problem(
                "this citation key is not in data/references.bib",
                "use a key from data/references.bib, or add the source there",
                value=key,
            ),
        )


def _check_workshop(run: _Run) -> None:
    doc = _yaml_data_file("workshop.yml", "workshop")(run)
    if doc is None or not isinstance(doc.data, dict):
        return
    agendas = doc.data.get("agendas")
    for key, agenda in (agendas or {}).items() if isinstance(agendas, dict) else ():
        blocks = agenda.get("blocks") if isinstance(agenda, dict) else None
        length = agenda.get("length_minutes") if isinstance(agenda, dict) else None
        minutes = [b.get("minutes") for b in blocks or [] if isinstance(b, dict)]
        if not isinstance(length, int) or not all(isinstance(m, int) for m in minutes):
            continue
        if sum(minutes) != length:
            run.add(
                doc,
                ("agendas", key, "length_minutes"),
                Problem(
                    f"the blocks add up to {sum(minutes)} minutes, but the agenda says {length}",
                    "change the blocks' minutes or length_minutes until they match",
                    value=length,
                ),
            )
    summary = _summary_schema(run)
    patterns = doc.data.get("investment_patterns")
    if summary is not None and isinstance(patterns, dict):
        wanted = list(summary["properties"]["investment_pattern"]["enum"])
        for key in wanted:
            if key not in patterns:
                run.add(
                    doc,
                    ("investment_patterns", key),
                    Problem(
                        f"'{key}' is missing",
                        f"add a line '{key}: ...' under investment_patterns with its label",
                    ),
                )
        for key in patterns:
            if key not in wanted:
                run.add(
                    doc,
                    ("investment_patterns", key),
                    Problem("unknown pattern", f"use the keys {', '.join(wanted)}", value=key),
                )


def _check_role_cards(run: _Run) -> None:
    doc = _yaml_data_file("role_cards.yml", "role_cards")(run)
    prompts = run.docs.get("data/prompts.yml")
    if doc is None or prompts is None or run.broken(doc.source):
        return
    raw_modes = prompts.data.get("modes") if isinstance(prompts.data, dict) else None
    if not isinstance(raw_modes, dict):
        return
    modes = [str(mode) for mode in raw_modes]
    cards = doc.data.get("cards") or []
    seen: dict[str, int] = {}
    for index, card in enumerate(cards):
        mode = card.get("mode")
        if mode not in modes:
            run.add(
                doc,
                ("cards", index, "mode"),
                Problem(
                    "unknown learning-relationship mode",
                    f"use a mode key from data/prompts.yml: {', '.join(modes)}",
                    value=mode,
                ),
            )
        elif mode in seen:
            run.add(
                doc,
                ("cards", index, "mode"),
                Problem("a second card for this mode", "keep one card per mode", value=mode),
            )
        seen.setdefault(str(mode), index)
    for mode in modes:
        if mode not in seen:
            run.add(
                doc,
                ("cards",),
                Problem(
                    f"no card for the mode '{mode}'",
                    f"add a card with 'mode: {mode}' (one card per mode in data/prompts.yml)",
                ),
            )


def _check_resources(run: _Run) -> None:
    from ..base.csvtext import csv_records
    from ..content.catalogue import read_catalogue

    source = "data/resources.csv"
    path = run.data / "resources.csv"
    doc = _Doc(source, None)
    if not path.is_file():
        run.add(doc, (), Problem("this file is missing", _restore(source)), structural=True)
        run.docs[source] = None
        return
    try:
        header, rows, _ = csv_records(path, "resources")
    except InputError as error:
        for problem in error.problems:
            run.add(doc, (problem.row,), replace(problem, source=source), structural=True)
        run.docs[source] = None
        return
    run.docs[source] = doc
    names = [name for name in header if name]
    schema = load_schema("resources")
    validator = jsonschema.Draft202012Validator(schema)
    for number, cells in rows:
        extra = [c for c in cells[len(header) :] if c.strip()]
        if extra:
            problem = Problem(
                f"this row has {len(header) + len(extra)} values, but the header names "
                f"{len(names)} columns",
                "wrap any value that contains a comma in double quotes, "
                'e.g. "Feedback, the basics"',
                row=number,
            )
            run.add(doc, (number,), problem, structural=True)
            continue
        record = {
            name: (cells[i] if i < len(cells) else "")
            for i, name in enumerate(header)
            if name and name not in header[:i]
        }
        for error in validator.iter_errors(record):
            for where, message, fix, value in _explain(error, schema):
                column = where[-1] if where else None
                header_level = error.validator in ("required", "additionalProperties")
                row = 1 if header_level else number
                problem = Problem(message, fix, row=row, column=column, value=value)
                run.add(doc, (row, column), problem, structural=True)
    _delegate(run, doc, lambda: read_catalogue(path), lambda p: (p.row, p.column))


def _bib_keys(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return re.findall(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", text, flags=re.MULTILINE)


def _check_references(run: _Run) -> None:
    source = "data/references.bib"
    doc = _Doc(source, None)
    path = run.data / "references.bib"
    if not path.is_file():
        run.add(doc, (), Problem("this file is missing", _restore(source)), structural=True)
        return
    keys = _bib_keys(path)
    if not keys:
        run.add(
            doc,
            (),
            Problem(
                "no BibTeX entries found",
                "keep the book's references: entries start like @article{key,",
            ),
            structural=True,
        )
    seen: set[str] = set()
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.match(r"\s*@\w+\s*\{\s*([^,\s]+)\s*,", line)
        if match and match.group(1) in seen:
            problem = Problem(
                "this citation key is used by two entries", "rename or delete one", row=number
            )
            run.add(doc, (match.group(1),), problem)
        elif match:
            seen.add(match.group(1))


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
    _check_organisation,
    _check_instrument,
    _check_prompts,
    _check_gap_prompts,
    _check_goal_check,
    _check_resources,
    _check_workshop,
    _yaml_data_file("evaluation.yml", "evaluation"),
    _check_role_cards,
    _check_behaviours,
    _check_references,
)
_FILE_ORDER = (
    "_config.yml",
    "_toc.yml",
    "data/organisation.yml",
    "data/instrument.yml",
    "data/prompts.yml",
    "data/gap_prompts.yml",
    "data/goal_check.yml",
    "data/resources.csv",
    "data/workshop.yml",
    "data/evaluation.yml",
    "data/role_cards.yml",
    "data/learning_leader_behaviours.yml",
    "data/references.bib",
)
