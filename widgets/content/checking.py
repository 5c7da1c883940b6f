"""The one YAML reader (keeping line numbers) and the one JSON-Schema-to-Problem translator.

Every data file is checked here first, against ``schemas/<name>.schema.json``: each problem
names the file, the line, the field, what is wrong and the fix (from the schema's ``x-fix``
hints). The loaders then build typed objects and check only what a schema cannot say. PyYAML
and jsonschema are imported only when a file is read or checked, never in the browser, which
reads the packaged JSON that was checked when the package was built.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from ..base.errors import InputError, Problem

SCHEMAS = Path(__file__).resolve().parent / "schemas"

Path_ = tuple[Any, ...]  # a place in a file: keys and 0-based list positions

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
INDENT_FIX = (
    "line this entry up with the ones around it: the spaces at the start of each line must match"
)


# ---------------------------------------------------------------------------------------------
# Places in a file


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


def line_of(node: Any, path: Path_) -> int | None:
    """The line of the deepest part of ``path`` present in a composed YAML tree (None: the top)."""
    import yaml

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


@dataclass(frozen=True)
class Parsed:
    """A parsed data file: its data and, for YAML, its node tree (to find the line of a field)."""

    source: str
    data: Any
    node: Any = None

    def line(self, path: Path_) -> int | None:
        """The line of ``path`` in the file (None for JSON, or the top of the file)."""
        return line_of(self.node, path) if self.node is not None else None

    def problem(self, path: Path_, message: str, fix: str, value: Any = None) -> Problem:
        """A problem at ``path`` in this file, with its line and field name filled in."""
        return Problem(
            message,
            fix,
            row=self.line(path),
            column=field_name(path) or None,
            value=value,
            source=self.source,
        )

    def at(self, path: Path_, problem: Problem) -> Problem:
        """``problem`` placed at ``path`` in this file."""
        return replace(
            problem,
            source=self.source,
            row=self.line(path) or problem.row,
            column=field_name(path) or problem.column,
        )


# ---------------------------------------------------------------------------------------------
# Reading YAML


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


def parse_yaml_text(text: str, source: str) -> Parsed:
    """Parse YAML text keeping its lines; raise InputError for broken YAML or repeated names."""
    import yaml  # only where YAML is read: a checkout or the build, never the browser

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or "it cannot be read"
        lines = text.splitlines()
        line = lines[mark.line] if mark and mark.line < len(lines) else ""
        raise InputError(
            Problem(
                f"the YAML is broken at or just before this line ({reason})",
                _yaml_fix(reason, line),
                row=mark.line + 1 if mark else None,
                source=source,
            )
        ) from None
    parsed = Parsed(source, data, node)
    repeated = [
        replace(
            parsed.problem(
                key_path,
                "this name appears twice in the same section, and YAML keeps only the last one",
                "delete or rename one of them",
            ),
            row=line,
        )
        for key_path, line in _repeated_keys(node, ())
    ]
    if repeated:
        raise InputError(repeated, title=f"{source} needs fixing")
    return parsed


def read_yaml(path: Path, source: str) -> Parsed:
    """Read a YAML file as :class:`Parsed`; a missing, non-UTF-8 or broken file is an InputError."""
    if not path.is_file():
        raise InputError(
            Problem(
                "this file is missing",
                f"restore {source} from the original book, or check its name",
                source=source,
            )
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(
            Problem(
                "the file is not saved as UTF-8 text",
                "save it again as UTF-8 in your editor",
                source=source,
            )
        ) from None
    return parse_yaml_text(text, source)


def _repeated_keys(node: Any, path: Path_) -> Iterator[tuple[Path_, int]]:
    import yaml

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


def explain(error: Any, schema: dict[str, Any]) -> list[tuple[Path_, str, str, Any]]:
    """(path, message, fix, value) for one jsonschema ValidationError, in plain words."""
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


def schema_problems(parsed: Parsed, name: str) -> list[Problem]:
    """Every way ``parsed`` breaks ``schemas/<name>.schema.json``, in file order, with lines."""
    schema = load_schema(name)
    problems = [
        parsed.problem(where, message, fix, value)
        for error in _validator(name).iter_errors(parsed.data)
        for where, message, fix, value in explain(error, schema)
    ]
    return sorted(problems, key=lambda p: p.row or 0)


@cache
def _validator(name: str) -> Any:
    """One validator per schema (a catalogue checks each of its rows with the same one)."""
    import jsonschema  # only where a file is checked: a checkout or the build

    return jsonschema.Draft202012Validator(load_schema(name))


def check_schema(parsed: Parsed, name: str) -> None:
    """Raise InputError listing every schema problem of ``parsed``; return when it has none."""
    problems = schema_problems(parsed, name)
    if problems:
        raise InputError(problems, title=f"{parsed.source} needs fixing")


def words(text: Any) -> str:
    """A data file's text on one line: line breaks and runs of spaces become single spaces."""
    return " ".join(str(text).split())


def raise_if(problems: list[Problem], source: str) -> None:
    """Raise InputError listing ``problems`` (the rules a schema cannot state) if there are any."""
    if problems:
        raise InputError(problems, title=f"{source} needs fixing")


def placeholder_problems(parsed: Parsed, allowed: dict[Path_, tuple[str, ...]]) -> list[Problem]:
    """A text the tools fill in with str.format may only use the {names} the tool fills in."""
    problems = []
    for path, names in allowed.items():
        text: Any = parsed.data
        for part in path:
            text = text.get(part) if isinstance(text, dict) else None
        if not isinstance(text, str):
            continue
        keep = ", ".join("{" + n + "}" for n in names)
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        except ValueError:
            unknown = ["a lone { or }"]
        else:
            unknown = sorted("{" + n + "}" for n in used - set(names))
        if unknown:
            problems.append(
                parsed.problem(
                    path,
                    f"unknown placeholder {', '.join(unknown)}: the tool fills in only {keep}",
                    f"keep {keep} as they are and write any other brace doubled, {{{{ or }}}}",
                )
            )
    return problems
