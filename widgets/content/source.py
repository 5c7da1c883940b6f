"""Find and read the book's editable data files (everything an L&D team customises is in data/)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..base.errors import InputError, Problem

ENV_BOOK_DATA = "LEADING_FOR_LEARNING_BOOK_DATA"


def data_root() -> Path:
    """Return the folder holding the book's data files (``data/`` beside the package)."""
    override = os.environ.get(ENV_BOOK_DATA)
    return Path(override) if override else Path(__file__).resolve().parent.parent.parent / "data"


def data_file(name: str) -> Path:
    """Return the path of ``data/<name>``, or raise :class:`InputError` naming the missing file."""
    path = data_root() / name
    if not path.is_file():
        raise InputError(
            Problem(
                "this data file is missing",
                f"restore data/{name} from the original book, or check its name",
                source=f"data/{name}",
            )
        )
    return path


@lru_cache(maxsize=64)
def _load_yaml_cached(path: str, mtime: float) -> Any:
    text = Path(path).read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown place"
        reason = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(
            Problem(
                f"the YAML is broken at {where}: {reason}",
                "check the indentation and quotes near that line (a value containing ': ' needs "
                "quotes)",
                source=Path(path).name,
            )
        ) from None


def load_yaml(name: str) -> Any:
    """Parse ``data/<name>`` as YAML; a syntax error becomes an InputError naming its line."""
    path = data_file(name)
    return _load_yaml_cached(str(path), path.stat().st_mtime)
