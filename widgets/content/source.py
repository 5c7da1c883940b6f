"""Find and read the book's editable data files (everything an L&D team customises is in data/).

The files live once, in ``data/`` at the top of the book. An installed package (and the live
apps in the browser) carries a copy inside it, ``widgets/content/data/``, made when the wheel is
built, with every YAML file also written as JSON: the browser has no PyYAML, and JSON needs
none. A checkout reads ``data/`` itself, so an edit there is seen at once.
"""

from __future__ import annotations

import json
import os
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..base.errors import InputError, Problem
from .checking import Parsed

ENV_BOOK_DATA = "LEADING_FOR_LEARNING_BOOK_DATA"
SUMMARY_SCHEMA_FILE = "summary.schema.json"
PACKAGED = Path(__file__).resolve().parent / "data"
CHECKOUT = Path(__file__).resolve().parent.parent.parent / "data"


def content_dir() -> Path:
    """The folder of the book's content data files (``data/``, what an L&D team edits).

    ``$LEADING_FOR_LEARNING_BOOK_DATA`` if set; else ``data/`` of the checkout this package sits
    in; else the copy packaged with an installed wheel. Not to be confused with
    :func:`widgets.base.storage.data_dir`, the per-user folder where the tools save a team.
    """
    override = os.environ.get(ENV_BOOK_DATA)
    if override:
        return Path(override)
    if (CHECKOUT / "instrument.yml").is_file():
        return CHECKOUT
    return PACKAGED


def is_packaged_copy() -> bool:
    """True when the data folder in use is a packaged copy, its YAML written as JSON.

    That copy (an installed package, the browser) was checked when it was built, so its files
    are read without the schema step, and without PyYAML or jsonschema.
    """
    folder = content_dir()
    return not (folder / "instrument.yml").is_file() and (folder / "instrument.json").is_file()


def data_file(name: str) -> Path:
    """Return the path of ``data/<name>``, or raise :class:`InputError` naming the missing file.

    In an installed package a YAML file is found as its JSON twin.
    """
    path = content_dir() / name
    if not path.is_file() and path.suffix in (".yml", ".yaml") and _json_twin(path).is_file():
        path = _json_twin(path)
    if not path.is_file():
        raise InputError(
            Problem(
                "this data file is missing",
                f"restore data/{name} from the original book, or check its name",
                source=f"data/{name}",
            )
        )
    return path


def _json_twin(path: Path) -> Path:
    return path.with_suffix(".json")


@lru_cache(maxsize=64)
def _load_cached(path: str, mtime: float) -> Any:
    source = Path(path)
    if source.suffix == ".json":
        return json.loads(source.read_text(encoding="utf-8"))
    return parse_yaml(source.read_text(encoding="utf-8"), source.name)


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text; a syntax error becomes an InputError naming its line and fix."""
    from .checking import parse_yaml_text

    return parse_yaml_text(text, name).data


def load_yaml(name: str) -> Any:
    """Parse ``data/<name>`` (YAML, or its JSON twin in an installed package)."""
    path = data_file(name)
    return _load_cached(str(path), path.stat().st_mtime)


def summary_schema() -> dict[str, Any]:
    """The format of a participant summary (``data/summary.schema.json``), a JSON Schema.

    Its keys (bands, investment bands, patterns, stages) are the ones the instrument, the
    workshop file and every saved summary share. Read once per change of the file.
    """
    return load_yaml(SUMMARY_SCHEMA_FILE)  # a .json file is read as JSON


def load_checked(name: str, schema: str) -> Parsed:
    """``data/<name>`` parsed with its lines and checked against its schema (InputError if not).

    The packaged JSON twin (an installed package, the browser) was checked when the package was
    built, so it is read without the schema step (and without PyYAML or jsonschema).
    """
    path = data_file(name)
    return _checked_cached(str(path), f"data/{name}", schema, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _checked_cached(path: str, source: str, schema: str, _mtime: int) -> Parsed:
    file = Path(path)
    if file.suffix == ".json":
        return Parsed(source, json.loads(file.read_text(encoding="utf-8")))
    from .checking import check_schema, read_yaml

    parsed = read_yaml(file, source)
    check_schema(parsed, schema)
    return parsed


def compile_data(source: Path, target: Path) -> list[Path]:
    """Copy a data folder into ``target``, writing every YAML file as JSON too (for the wheel).

    Used when the package is built, so the installed package (and the browser) reads the same
    content as the book without PyYAML. Returns the files written.
    """
    written = []
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        relative = path.relative_to(source)
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in (".yml", ".yaml"):
            data = parse_yaml(path.read_text(encoding="utf-8"), str(relative))
            out = _json_twin(out)
            out.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")
        else:
            out.write_bytes(path.read_bytes())
        written.append(out)
    return written


def __getattr__(name: str) -> Any:
    # data_root() was this function's name until the rename; the "Make it yours" pages showed it,
    # so a fork's own scripts may still call it.
    if name == "data_root":
        warnings.warn(
            "widgets.content.source.data_root() is now content_dir()",
            DeprecationWarning,
            stacklevel=2,
        )
        return content_dir
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
