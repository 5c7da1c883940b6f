"""Turn a CSV file that a spreadsheet saved into a header and numbered rows, or say what is wrong.

Shared by every CSV the tools read (the team file, the learning catalogue): UTF-8 with or without a
BOM, comma or semicolon separators, CRLF line ends and quoted fields are accepted; a workbook,
UTF-16 text, binary data, tab-separated text or broken quoting is refused with a message that says
how to save the file again. Rows are numbered as a spreadsheet shows them (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import InputError, Problem

Source = str | os.PathLike[str] | bytes | IO[Any]

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 500
SEP_LINE = re.compile(r"^sep=([,;])[ \t]*\r?\n", re.IGNORECASE)
DELIMITERS = (",", ";")
BOM = "\ufeff"

SAVE_AS_UTF8 = (
    "save it again as UTF-8 CSV (Excel: File > Save As > 'CSV UTF-8 (Comma delimited)'; "
    "LibreOffice: Save As > Text CSV, character set 'Unicode (UTF-8)')"
)


@dataclass(frozen=True)
class CsvKind:
    """Which file is being read, so each message names it and says how to fix it."""

    what: str  # "team file": "cannot read a team file from ..."
    key_column: str  # the column that tells a comma file from a semicolon one
    empty_fix: str  # what to put in an empty file
    split_fix: str  # what to do with a file that has too many rows


def read_bytes(source: Any, kind: CsvKind) -> tuple[bytes, str | None]:
    """The bytes of a path, a bytes object or an open file, and the file's name when it has one."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), None
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = path.name
        if not path.exists():
            raise InputError(
                Problem("the file does not exist", "check the file name and folder", source=name)
            )
        if not path.is_file():
            raise InputError(
                Problem("this is a folder, not a file", "choose the CSV file itself", source=name)
            )
        if path.stat().st_size > MAX_BYTES:
            raise InputError(_too_big(path.stat().st_size, name, kind))
        return path.read_bytes(), name
    if hasattr(source, "read"):
        name = getattr(source, "name", None)
        name = Path(name).name if isinstance(name, str) else None
        try:
            content = source.read(MAX_BYTES + 1)  # never more: a stream may not end
        except UnicodeDecodeError:
            raise InputError(
                Problem("the file is not UTF-8 text", SAVE_AS_UTF8, source=name)
            ) from None
        except (ValueError, OSError):  # closed, or opened for writing only
            raise InputError(
                Problem(
                    "the file cannot be read (it is closed, or open for writing only)",
                    "pass a file opened for reading ('rb'), or its path",
                    source=name,
                )
            ) from None
        if isinstance(content, str):
            content = content.encode("utf-8")
        if content is None:
            content = b""
        if len(content) > MAX_BYTES:
            raise InputError(_too_big(len(content), name, kind))
        return bytes(content), name
    raise InputError(
        Problem(
            f"cannot read a {kind.what} from a {type(source).__name__}",
            "pass a file path, the file's bytes or an open file",
        )
    )


def _too_big(size: int, source: str | None, kind: CsvKind) -> Problem:
    return Problem(
        f"the file is too large ({size / 1_048_576:.1f} MB; "
        f"the limit is {MAX_BYTES // 1_048_576} MB)",
        f"check that this is the {kind.what}, or {kind.split_fix}",
        source=source,
    )


def decode_text(data: bytes, source: str | None, kind: CsvKind) -> str:
    """The file's text, or an :class:`InputError` saying how to save it as UTF-8 CSV."""
    if len(data) > MAX_BYTES:
        raise InputError(_too_big(len(data), source, kind))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            Problem(
                "this is a spreadsheet workbook (.xlsx, .xls or .ods), not a CSV file",
                SAVE_AS_UTF8,
                source=source,
            )
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            Problem(
                "the file is saved as UTF-16 ('Unicode text'), not UTF-8",
                SAVE_AS_UTF8,
                source=source,
            )
        )
    if b"\x00" in data[:65536]:
        raise InputError(
            Problem(
                "the file holds binary data, not text",
                f"choose the {kind.what} (a CSV file)",
                source=source,
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            Problem(
                f"the file is not UTF-8 text (first bad byte on line {line})",
                SAVE_AS_UTF8,
                source=source,
                value=f"byte 0x{data[exc.start]:02x}",
            )
        ) from None
    if not text.strip(" \t\r\n,;" + BOM):
        raise InputError(Problem("the file is empty", kind.empty_fix, source=source))
    return text


def parse_rows(
    text: str, source: str | None, kind: CsvKind
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (trimmed, lower case) and every following row with its spreadsheet number."""
    declared = SEP_LINE.match(text.lstrip(BOM))
    if declared:  # Excel's "sep=;" first line names the separator
        text = text.lstrip(BOM)[declared.end() :]
        delimiter = declared.group(1)
    else:
        delimiter = pick_delimiter(text, kind.key_column)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:
                raise InputError(
                    Problem(
                        f"line {reader.line_num} has {len(record):,} values; a {kind.what} has "
                        f"at most {MAX_COLUMNS} columns",
                        f"check that this is the {kind.what}, saved as CSV",
                        row=len(records) + 1,
                        source=source,
                    )
                )
            records.append(record)
            if len(records) > MAX_ROWS + 1000:
                raise InputError(
                    Problem(
                        f"the file has more than {MAX_ROWS} rows", kind.split_fix, source=source
                    )
                )
    except csv.Error as exc:
        raise InputError(
            Problem(
                f"the file cannot be read as CSV near line {reader.line_num} ({exc})",
                "check the quotes on that line: a value containing a quote, comma or semicolon "
                'must be wrapped in double quotes, with inner quotes doubled ("")',
                row=len(records) + 1,
                source=source,
            )
        ) from None
    while records and not any(cell.strip() for cell in records[0]):
        records.pop(0)
    if not records:
        raise InputError(Problem("the file is empty", kind.empty_fix, source=source))
    header = [cell.strip().lstrip(BOM).strip().lower() for cell in records[0]]
    if len(header) == 1 and "\t" in header[0]:
        raise InputError(
            Problem(
                "the columns are separated by tabs, not commas or semicolons",
                "save the sheet as CSV (Excel: 'CSV UTF-8 (Comma delimited)'), not as tab text",
                row=1,
                source=source,
            )
        )
    rows = [(number, record) for number, record in enumerate(records[1:], start=2)]
    return header, rows


def pick_delimiter(text: str, key_column: str) -> str:
    """Comma or semicolon: whichever splits the header into the key column and more fields."""
    best, best_key = ",", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        names = [cell.strip().lower() for cell in first]
        key = (int(key_column in names), len(names))
        if key > best_key:
            best, best_key = delimiter, key
    return best


def csv_records(
    source: Source, what: str, key_column: str = "title"
) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """Header (trimmed, lower case) and non-blank rows of a CSV, numbered as a spreadsheet shows.

    Every CSV the tools read goes through here or :func:`parse_rows`, so encodings, BOMs and
    semicolons are handled the same way; ``key_column`` is a column every such file has.
    """
    kind = CsvKind(
        what=f"{what} file",
        key_column=key_column,
        empty_fix=f"add a header row and the {what}",
        split_fix=f"split the {what} into smaller files",
    )
    data, name = read_bytes(source, kind)
    label = name or what
    header, rows = parse_rows(decode_text(data, label, kind), label, kind)
    rows = [(number, cells) for number, cells in rows if any(cell.strip() for cell in cells)]
    return header, rows, label


def column_problems(
    header: list[str], required: tuple[str, ...], known: tuple[str, ...], source: str
) -> tuple[dict[str, int], list[Problem]]:
    """Map column names to positions; list missing, unknown and repeated columns as problems."""
    positions: dict[str, int] = {}
    problems = []
    for position, name in enumerate(header):
        if not name:
            continue
        if name in positions:
            problems.append(
                Problem(
                    "this column appears twice", "delete one", row=1, column=name, source=source
                )
            )
        elif name not in known:
            problems.append(
                Problem(
                    "unknown column",
                    f"rename it to one of: {', '.join(known)}, or delete it",
                    row=1,
                    column=name,
                    source=source,
                )
            )
        else:
            positions[name] = position
    problems += [
        Problem(
            "this column is missing", f"add a '{name}' column", row=1, column=name, source=source
        )
        for name in required
        if name not in positions
    ]
    return positions, problems


def extra_values_problem(
    cells: list[str], header: list[str], row: int, source: str | None = None
) -> Problem | None:
    """A row holding more values than the header has columns (most often an unquoted comma)."""
    width = len(header)
    if len(cells) <= width or not any(cell.strip() for cell in cells[width:]):
        return None
    return Problem(
        f"this row has {len(cells)} values, but the header names {width} columns",
        'wrap any value that contains a comma or semicolon in double quotes, e.g. "Smith, Ann", '
        "or remove the extra values",
        row=row,
        source=source,
    )
