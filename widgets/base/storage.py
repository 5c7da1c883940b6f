"""Where saved data lives and how it is written: per user, outside the checkout, atomic."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

from .errors import InputError, Problem

APP_NAME = "leading-for-learning"
ENV_DATA_DIR = "LEADING_FOR_LEARNING_DATA"


def data_dir() -> Path:
    """Return the per-user folder for saved data (created on first use).

    ``$LEADING_FOR_LEARNING_DATA`` overrides it (the workshop gives every participant their own).
    """
    override = os.environ.get(ENV_DATA_DIR)
    folder = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def save_document(
    path: str | os.PathLike[str], kind: str, schema_version: int, payload: dict[str, Any]
) -> Path:
    """Save ``payload`` as JSON tagged with its ``kind`` and ``schema_version``, atomically."""
    document = {"kind": kind, "schema_version": schema_version, **payload}
    return atomic_write_text(path, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def load_document(path: str | os.PathLike[str], kind: str, schema_version: int) -> dict[str, Any]:
    """Read a document written by :func:`save_document`, checking its kind and version."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            Problem(
                "the file does not exist",
                "check the name, or save first",
                source=source.name,
            )
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            Problem(
                "the file is not UTF-8 text", "choose a file saved by this tool", source=source.name
            )
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            Problem(
                f"the file is not valid JSON (line {exc.lineno}, column {exc.colno})",
                "choose a file saved by this tool, or restore an earlier copy",
                source=source.name,
            )
        ) from None
    if not isinstance(document, dict) or document.get("kind") != kind:
        found = document.get("kind") if isinstance(document, dict) else type(document).__name__
        raise InputError(
            Problem(
                f"this is not a saved {kind} file",
                f"choose a file saved by the {kind} tool",
                column="kind",
                value=found,
                source=source.name,
            )
        )
    version = document.get("schema_version")
    if not isinstance(version, int) or version > schema_version or version < 1:
        raise InputError(
            Problem(
                f"unsupported schema version (this tool reads versions 1 to {schema_version})",
                "update the book's tools, or choose a file saved by this version",
                column="schema_version",
                value=version,
                source=source.name,
            )
        )
    return document
