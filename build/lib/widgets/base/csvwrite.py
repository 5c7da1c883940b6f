"""The one CSV dialect every export uses: UTF-8 with a BOM (so Excel reads it), CRLF line ends,
and no cell a spreadsheet would run as a formula; and the one way to write text to a path or an
open file."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from .escaping import neutralise_formula
from .storage import atomic_write_text

BOM = "\ufeff"


def csv_text(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    protect: Callable[[object], object] = neutralise_formula,
) -> str:
    """CSV text in the book's dialect; ``protect`` makes each cell safe (formula signs)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow([protect(cell) for cell in header])
    for row in rows:
        writer.writerow([protect("" if cell is None else cell) for cell in row])
    return BOM + buffer.getvalue()


def write_text(text: str, path_or_file: str | os.PathLike[str] | IO[Any] | None) -> str:
    """Write ``text`` to a path (atomically) or an open text or binary file; return the text."""
    if path_or_file is None:
        return text
    if isinstance(path_or_file, (str, os.PathLike)):
        atomic_write_text(Path(path_or_file), text)
        return text
    try:
        path_or_file.write(text)
    except TypeError:
        path_or_file.write(text.encode("utf-8"))
    return text
