"""Read and write the team CSV (the file a manager fills in a spreadsheet), checking every cell.

Reading accepts what Excel and LibreOffice save: UTF-8 with or without a BOM, comma or semicolon
separators, CRLF line ends, quoted fields, blank trailing rows and empty trailing columns. A whole
number may be written with zero decimals ("4.0" or "4,0" is read as 4, because a spreadsheet cell
formatted with decimals saves that way); "4.5", "four" or 6 are errors. Every problem in a file is
reported at once in one :class:`InputError`, and nothing partial is returned.

Pure Python: a team is a list of :class:`Member` records (``widgets.frames`` turns it into the
pandas DataFrame notebook users get from ``read_team_csv``).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import IO, Any

from ..base.csvtext import (
    MAX_ROWS,
    CsvKind,
    decode_text,
    extra_values_problem,
    parse_rows,
    read_bytes,
)
from ..base.csvwrite import csv_text, write_text
from ..base.errors import InputError, Problem
from ..base.escaping import neutralise_formula, restore_formula
from ..content.instrument import SCALE, Instrument, load_instrument
from .members import Member, members_from_records

MEMBER = "member"
MAX_MEMBERS = MAX_ROWS
MAX_NAME_LENGTH = 100
TEAM_FILE = CsvKind(
    what="team file",
    key_column=MEMBER,
    empty_fix="fill in the team file: a header row (member,q1,...,q7) and one row per member",
    split_fix="split the team into smaller files",
)

_WHOLE = re.compile(r"^[+]?\d+(?:[.,]0+)?$")
_PLAIN = {str(n): n for n in range(101)}  # fast path for the common case
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")


def team_columns(instrument: Instrument | None = None) -> list[str]:
    """Every column of the team CSV, in the order the tools write them."""
    inst = instrument or load_instrument()
    return [MEMBER, *inst.item_ids, *inst.field_ids, *inst.member_item_ids]


# --------------------------------------------------------------------------------------- reading


def read_team(
    path_or_file: str | os.PathLike[str] | bytes | bytearray | memoryview | IO[Any],
    *,
    instrument: Instrument | None = None,
    name: str | None = None,
) -> list[Member]:
    """Read a team CSV (a path, bytes, or an open file) into checked :class:`Member` records.

    Raises :class:`InputError` listing every problem (row, column, value and fix) at once.
    Rows are numbered as a spreadsheet shows them: the header is row 1. ``name`` labels the
    messages when the file came as bytes (an upload).
    """
    inst = instrument or load_instrument()
    data, source = read_bytes(path_or_file, TEAM_FILE)
    source = name or source
    text = decode_text(data, source, TEAM_FILE)
    header, rows = parse_rows(text, source, TEAM_FILE)
    return _validate(header, rows, source, inst)


def team_from_records(
    records: Iterable[Mapping[str, Any]],
    *,
    instrument: Instrument | None = None,
    source: str | None = None,
    allow_empty: bool = False,
) -> list[Member]:
    """Check member dicts in the team-CSV shape (as saved by the app) and return the records."""
    inst = instrument or load_instrument()
    records = list(records)
    if not records and allow_empty:
        return []
    header: list[str] = []
    for record in records:
        if not isinstance(record, Mapping):
            raise InputError(
                Problem(
                    "each member must be a set of named values", "restore the file", source=source
                )
            )
        for key in record:
            if key not in header:
                header.append(str(key))
    rows = [
        (number, [_as_text(record.get(key)) for key in header])
        for number, record in enumerate(records, start=1)
    ]
    return _validate(header, rows, source, inst, row_word="member", from_csv=False)


def team_to_records(
    team: Iterable[Member], instrument: Instrument | None = None
) -> list[dict[str, Any]]:
    """The team as JSON-ready dicts in the team-CSV shape, inverse of :func:`team_from_records`."""
    inst = instrument or load_instrument()
    return [member.to_record(inst) for member in team]


# ------------------------------------------------------------------------------------ validating


MAX_PROBLEMS = 1000


class _TooManyProblems(Exception):
    """Raised inside the checks once MAX_PROBLEMS are found: the rest would only repeat them."""


def _validate(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    source: str | None,
    inst: Instrument,
    row_word: str = "row",
    from_csv: bool = True,
) -> list[Member]:
    problems: list[Problem] = []
    try:
        return _check(header, rows, source, inst, problems, row_word, from_csv)
    except _TooManyProblems:
        problems.append(
            Problem(
                f"checking stopped after {MAX_PROBLEMS:,} problems (more problems follow)",
                "fix these first (often one column or one wrong file causes them all), then "
                "import again to see any others",
                source=source,
            )
        )
        title = f"There are more than {MAX_PROBLEMS:,} problems with the input (checking stopped)"
        raise InputError(problems, title=title) from None


def _check(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    source: str | None,
    inst: Instrument,
    problems: list[Problem],
    row_word: str = "row",
    from_csv: bool = True,
) -> list[Member]:
    known = team_columns(inst)
    header = [h.strip().lower() for h in header]

    def problem(
        message: str, fix: str, row: int | None = None, column: str | None = None, value: Any = None
    ):
        problems.append(Problem(message, fix, row=row, column=column, value=value, source=source))
        if len(problems) >= MAX_PROBLEMS:
            raise _TooManyProblems

    # Columns: drop empty trailing ones, reject unknown or repeated names, require the rest.
    keep: dict[str, int] = {}
    for position, name in enumerate(header):
        if not name:
            if any(position < len(cells) and cells[position].strip() for _, cells in rows):
                problem(
                    f"column {position + 1} has values but no name in the header",
                    "give it a name from the team format, or delete the column",
                    row=1,
                )
            continue
        if name in keep:
            problem(
                "this column appears twice in the header",
                "delete one of the two",
                row=1,
                column=name,
            )
        elif name not in known:
            problem(
                "unknown column",
                f"rename it to one of the team-file columns ({', '.join(known)}) or delete it",
                row=1,
                column=name,
            )
        else:
            keep[name] = position
    required = [MEMBER, *inst.item_ids]
    for name in required:
        if name not in keep and from_csv:
            problem(
                "a required column is missing from the header",
                f"add a column named '{name}' (required: {', '.join(required)})",
                row=1,
                column=name,
            )
        elif name not in keep:
            problem(
                "this required value is missing for every member",
                "restore the file from an earlier copy, or import the team CSV again",
                column=name,
            )
    if problems:
        raise InputError(problems)

    def answer(raw: str, row: int, column: str, or_else: str) -> int | None:
        """A 1-5 answer, or None with its problem recorded."""
        value, error = parse_whole(raw, SCALE[0], SCALE[-1])
        if error:
            fix = f"write a whole number from {SCALE[0]} to {SCALE[-1]}{or_else}"
            problem(error, fix, row, column, raw.strip() or None)
        return value

    records: list[dict[str, Any]] = []
    first_row_of: dict[str, int] = {}
    fields = {f.id: f for f in inst.investment_fields}
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # blank rows (spreadsheets often leave some at the end) are ignored
        surplus = extra_values_problem(cells, header, number)
        if surplus:
            problem(surplus.message, surplus.fix, row=number)
        record: dict[str, Any] = {}
        name = _cell(cells, keep[MEMBER]).strip()
        if from_csv:
            name = restore_team_text(name).strip()
        name = unicodedata.normalize("NFC", name)
        hidden = hidden_characters(name)
        if hidden:
            problem(
                f"the name contains {hidden}",
                "retype the name in its cell, with letters, digits, spaces and punctuation only",
                number,
                MEMBER,
                name.encode("unicode_escape").decode("ascii"),
            )
        elif not name:
            problem(
                "the member name is missing",
                "type a name or alias in the 'member' column",
                number,
                MEMBER,
            )
        elif len(name) > MAX_NAME_LENGTH:
            problem(
                f"the name is longer than {MAX_NAME_LENGTH} characters",
                "use a shorter name or an alias",
                number,
                MEMBER,
                name,
            )
        else:
            folded = name.casefold()
            if folded in first_row_of:
                problem(
                    f"this name is already used on {row_word} {first_row_of[folded]} "
                    "(names must be "
                    "unique, ignoring capitals and spaces at the ends)",
                    "give each member a different name, for example add an initial",
                    number,
                    MEMBER,
                    name,
                )
            else:
                first_row_of[folded] = number
        record[MEMBER] = name
        for item_id in inst.item_ids:
            raw = _cell(cells, keep[item_id])
            if not raw.strip():
                record[item_id] = None  # not answered yet: no total until every item is
                continue
            record[item_id] = answer(raw, number, item_id, "")
        for field_id, spec in fields.items():
            raw = _cell(cells, keep[field_id]) if field_id in keep else ""
            value, error = parse_investment(spec, raw)
            if error:
                problem(error[0], error[1], number, field_id, raw.strip())
            record[field_id] = value
        member_raw = {m: (_cell(cells, keep[m]) if m in keep else "") for m in inst.member_item_ids}
        filled = [m for m, raw in member_raw.items() if raw.strip()]
        for m in inst.member_item_ids:
            record[m] = None
        if filled and len(filled) < len(member_raw):
            missing = [m for m in member_raw if m not in filled]
            problem(
                "the member's own rating is incomplete "
                f"({len(filled)} of {len(member_raw)} answers)",
                "fill in every m_q column for this member, or leave them all blank",
                number,
                missing[0],
            )
        for m in filled:
            record[m] = answer(member_raw[m], number, m, ", or leave blank")
        records.append(record)
    if not records and not problems:
        problem(
            "the file has a header but no members",
            "add one row per team member below the header",
        )
    if len(records) > MAX_MEMBERS:
        problem(
            f"the file has more than {MAX_MEMBERS} members", "split the team into smaller files"
        )
    if problems:
        raise InputError(problems)
    return members_from_records(records, inst)


# Characters allowed inside names although invisible: joiners used in emoji and some scripts.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}


def hidden_characters(name: str) -> str | None:
    """What invisible or control character a name holds (a line break, tab, escape code,
    zero-width or direction mark), in words; None when it has none."""
    for char in name:
        category = unicodedata.category(char)
        if char in "\r\n\u2028\u2029":
            return "a line break"
        if char == "\t":
            return "a tab"
        if char == "\x1b":
            return "a terminal escape code"
        if category == "Cc":
            return f"a control character (U+{ord(char):04X})"
        if category in ("Cf", "Cs") and char not in _ALLOWED_FORMAT:
            return f"an invisible character (U+{ord(char):04X})"
    return None


def _cell(cells: list[str], position: int) -> str:
    return cells[position] if position < len(cells) else ""


def parse_whole(raw: str, low: int, high: int) -> tuple[int | None, str | None]:
    """Parse a whole number in ``low..high`` ("4", " 4 ", "4.0", "4,0"); return (value, error)."""
    text = raw.strip()
    quick = _PLAIN.get(text)
    if quick is not None and low <= quick <= high:
        return quick, None
    if not text:
        return None, "the answer is missing"
    if len(text) > 12:  # no answer or count is this long (and int() of 5,000 digits fails)
        return None, f"this is not a whole number from {low} to {high}"
    if _WHOLE.match(text):
        value = int(re.split(r"[.,]", text.lstrip("+"))[0])
        if low <= value <= high:
            return value, None
        return None, f"{value} is outside {low}-{high}"
    if _NUMBER.match(text):
        number = float(text.replace(",", "."))
        if number.is_integer():
            return None, f"{int(number)} is outside {low}-{high}"
        return None, "this is not a whole number"
    return None, "this is not a number"


def parse_investment(spec: Any, raw: str) -> tuple[Any, tuple[str, str] | None]:
    """Parse one investment cell by its field spec: blank is None (not recorded)."""
    text = raw.strip()
    if not text:
        return None, None
    if spec.kind == "choice":
        folded = " ".join(text.split()).casefold()
        for option in spec.options:
            if folded in (option.value.casefold(), option.label.casefold()):
                return option.value, None
        allowed = ", ".join(o.value for o in spec.options)
        return None, (
            "this is not one of the allowed values",
            f"write one of: {allowed} (or leave blank)",
        )
    value, error = parse_whole(text, spec.min, spec.max)
    if error:
        return None, (error, f"write a whole number from {spec.min} to {spec.max} (or leave blank)")
    return value, None


# --------------------------------------------------------------------------------------- writing


def protect_team_text(cell: object) -> object:
    """Make a text cell safe for a spreadsheet (no formula start) and reversible on import."""
    if isinstance(cell, str) and cell.startswith("'"):
        return "'" + cell  # so an apostrophe the user typed survives the round trip
    return neutralise_formula(cell)


def restore_team_text(cell: str) -> str:
    """Inverse of :func:`protect_team_text`."""
    if cell.startswith("''"):
        return cell[1:]
    return str(restore_formula(cell))


def team_csv_text(
    team: Iterable[Member], delimiter: str = ",", instrument: Instrument | None = None
) -> str:
    """The team as CSV text (with a BOM so Excel reads UTF-8), every text cell formula-safe."""
    inst = instrument or load_instrument()
    columns = team_columns(inst)
    rows = ([_as_text(m.to_record(inst).get(c)) for c in columns] for m in team)
    return csv_text(columns, rows, delimiter=delimiter, protect=protect_team_text)


def write_team(
    team: Iterable[Member],
    path_or_file: str | os.PathLike[str] | IO[Any] | None = None,
    delimiter: str = ",",
) -> str:
    """Export the team as a spreadsheet-safe CSV to a path (atomically) or an open file.

    Returns the CSV text; with no target only the text is returned.
    """
    return write_text(team_csv_text(team, delimiter=delimiter), path_or_file)


def _as_text(value: Any) -> str:
    if value is None or _is_missing(value):
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value)


def _is_missing(value: Any) -> bool:
    """True for the blanks a DataFrame may hold (NaN, pandas.NA), without importing pandas."""
    if isinstance(value, float):
        return value != value
    return type(value).__name__ in ("NAType", "NaTType")


# ---------------------------------------------------------------------------- documenting format


FORMAT_COLUMNS = ("Column", "Required?", "Allowed values", "Meaning")


def team_format_rows(instrument: Instrument | None = None) -> list[tuple[str, str, str, str]]:
    """One row per team-CSV column: whether it is required, what it allows and what it means."""
    inst = instrument or load_instrument()
    rows = [
        (
            "member",
            "required",
            "any text, unique (ignoring capitals)",
            "the person's name or an alias",
        ),
    ]
    first, last = inst.items[0], inst.items[-1]
    rows.append(
        (
            f"{first.id} … {last.id}",
            "required",
            f"whole numbers {SCALE[0]}-{SCALE[-1]}; blank = not answered yet",
            "your answers to the seven items, from the lowest anchor (1) to the highest (5); "
            "a person gets a total and band only when all seven are answered",
        )
    )
    for spec in inst.investment_fields:
        if spec.kind == "choice":
            allowed = ", ".join(f"{o.value} ({o.label})" for o in spec.options)
        else:
            allowed = f"whole number {spec.min}-{spec.max}"
        rows.append(
            (spec.id, "optional", f"{allowed}; blank = not recorded", f"{spec.label}: {spec.help}")
        )
    rows.append(
        (
            f"{first.member_id} … {last.member_id}",
            "optional",
            f"whole numbers {SCALE[0]}-{SCALE[-1]}, all seven or none",
            "the member's own answers to the member version of the items",
        )
    )
    return rows
