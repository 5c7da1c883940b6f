"""Reading and writing the team CSV: real files from Excel/LibreOffice, a malformed corpus,
spreadsheet-safe export, and export-then-import round trips (property-based)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import member_names, name_key

from widgets import read_team_csv, write_team_csv
from widgets.base.errors import InputError
from widgets.base.escaping import FORMULA_STARTS
from widgets.core.teamfile import team_columns
from widgets.frames import empty_team, team_format_table, team_from_records, team_to_records

DATA = Path(__file__).resolve().parents[1] / "data"
MALFORMED = DATA / "malformed_team"
VALID = DATA / "valid_team"
REPO = Path(__file__).resolve().parents[2]
HEADER = "member,q1,q2,q3,q4,q5,q6,q7"

MALFORMED_EXPECTED = yaml.safe_load((MALFORMED / "expected.yml").read_text(encoding="utf-8"))
VALID_EXPECTED = yaml.safe_load((VALID / "expected.yml").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------ the corpora


def test_malformed_corpus_is_complete():
    files = sorted(p.name for p in MALFORMED.iterdir() if p.name != "expected.yml")
    assert len(files) >= 25
    assert files == sorted(MALFORMED_EXPECTED), "every file needs an expected entry and vice versa"


@pytest.mark.parametrize("name", sorted(MALFORMED_EXPECTED))
def test_malformed_file_gives_a_clear_message(name):
    with pytest.raises(InputError) as caught:
        read_team_csv(MALFORMED / name)
    message = str(caught.value)
    fragments = MALFORMED_EXPECTED[name]
    for fragment in [fragments] if isinstance(fragments, str) else fragments:
        assert fragment in message, f"{name}: {fragment!r} not in {message}"
    assert "Fix:" in message
    assert "Traceback" not in message


@pytest.mark.parametrize("name", sorted(VALID_EXPECTED))
def test_valid_spreadsheet_file_imports_correctly(name):
    expected = VALID_EXPECTED[name]
    team = read_team_csv(VALID / name)
    assert list(team.columns) == team_columns()
    assert len(team) == expected["members"]
    assert list(team["member"]) == expected["names"]
    for row, column, value in expected["cells"]:
        got = team.loc[row, column]
        if value is None:
            assert got is None or pd.isna(got), (name, row, column, got)
        else:
            assert got == value, (name, row, column, got)


def test_valid_corpus_includes_the_formats_spreadsheets_write():
    raw = {p.name: p.read_bytes() for p in VALID.glob("*.csv")}
    assert any(data.startswith(b"\xef\xbb\xbf") for data in raw.values()), "a BOM file"
    assert any(b"\r\n" in data for data in raw.values()), "a CRLF file"
    assert any(data.split(b"\n")[0].count(b";") >= 7 for data in raw.values()), "a semicolon file"
    assert any(b'"' in data for data in raw.values()), "a file with quoted fields"


def test_the_example_team_is_valid_and_synthetic():
    team = read_team_csv(REPO / "data" / "example_team.csv")
    assert len(team) == 12
    note = (REPO / "data" / "example_team.md").read_text(encoding="utf-8").lower()
    assert "synthetic" in note and "fictional" in note


# ------------------------------------------------------------------------------ input kinds


def test_reads_path_bytes_memoryview_and_open_files(tmp_path):
    text = f"{HEADER}\nAnn,1,2,3,4,5,4,3\n"
    path = tmp_path / "team.csv"
    path.write_text(text, encoding="utf-8")
    frames = [
        read_team_csv(path),
        read_team_csv(str(path)),
        read_team_csv(text.encode()),
        read_team_csv(memoryview(text.encode())),
        read_team_csv(io.BytesIO(text.encode())),
        read_team_csv(io.StringIO(text)),
    ]
    with path.open("rb") as handle:
        frames.append(read_team_csv(handle))
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame, frames[0])
    assert frames[0].loc[0, "q5"] == 5
    assert frames[0].loc[0, "goal"] is None
    assert pd.isna(frames[0].loc[0, "opportunities"])


def test_missing_file_folder_and_wrong_type_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_team_csv(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="folder"):
        read_team_csv(tmp_path)
    with pytest.raises(InputError, match="cannot read"):
        read_team_csv(42)  # type: ignore[arg-type]


def test_upload_name_labels_the_messages():
    with pytest.raises(InputError, match=r"upload\.csv, row 2, column 'q1'"):
        read_team_csv(f"{HEADER}\nAnn,9,2,3,4,5,4,3\n".encode(), name="upload.csv")


def test_ten_thousand_rows_import(tmp_path):
    lines = [HEADER] + [f"Person {n},{n % 5 + 1},3,4,2,5,1,3" for n in range(10_000)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    team = read_team_csv(path)
    assert len(team) == 10_000
    assert team["member"].iloc[-1] == "Person 9999"
    assert int(team["q1"].sum()) == sum(n % 5 + 1 for n in range(10_000))


def test_ten_thousand_rows_with_errors_list_them_all_at_once(tmp_path):
    lines = [HEADER] + [f"Person {n},3,3,3,3,3,3,3" for n in range(10_000)]
    lines[5000] = "Person 4999,3,3,3,3,3,3,7"
    lines[-1] = "Person 9999,3,3,3,x,3,3,3"
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_team_csv(path)
    problems = caught.value.problems
    assert [(p.row, p.column) for p in problems] == [(5001, "q7"), (10001, "q4")]


def test_errors_beyond_fifty_are_summarised(tmp_path):
    lines = [HEADER] + [f"P{n},9,3,3,3,3,3,3" for n in range(80)]
    with pytest.raises(InputError) as caught:
        read_team_csv("\n".join(lines).encode())
    assert len(caught.value.problems) == 80
    assert "and 30 more" in str(caught.value)


# ----------------------------------------------------------------------------------- writing


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def test_export_neutralises_formulas_and_round_trips(tmp_path):
    names = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "'Tis", "plain"]
    records = [{"member": n, **{f"q{i}": 3 for i in range(1, 8)}} for n in names]
    team = team_from_records(records)
    path = tmp_path / "out.csv"
    text = write_team_csv(team, path)
    assert path.read_bytes().decode("utf-8") == text
    assert text.startswith("\ufeff")
    for row in _cells(text):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell
    pd.testing.assert_frame_equal(read_team_csv(path), team)


def test_write_to_open_files_and_as_text():
    team = read_team_csv(REPO / "data" / "example_team.csv")
    text = write_team_csv(team)
    buffer = io.StringIO()
    write_team_csv(team, buffer)
    assert buffer.getvalue() == text
    binary = io.BytesIO()
    write_team_csv(team, binary)
    assert binary.getvalue().decode("utf-8") == text
    pd.testing.assert_frame_equal(read_team_csv(text.encode()), team)


def test_write_rejects_a_frame_without_the_required_columns():
    with pytest.raises(InputError, match="column 'q1'"):
        write_team_csv(pd.DataFrame({"member": ["Ann"]}))


def test_records_round_trip_and_empty_team():
    team = read_team_csv(REPO / "data" / "example_team.csv")
    records = team_to_records(team)
    assert records[0]["q1"] == 5 and isinstance(records[0]["q1"], int)
    assert records[7]["goal"] is None and records[7]["opportunities"] is None
    pd.testing.assert_frame_equal(team_from_records(records), team)
    assert len(team_from_records([], allow_empty=True)) == 0
    assert list(empty_team().columns) == team_columns()
    with pytest.raises(InputError, match="no members"):
        read_team_csv(f"{HEADER}\n".encode())


def test_format_table_documents_every_column():
    table = team_format_table()
    text = table.to_string()
    for column in ("member", "goal", "opportunities", "feedback", "learning_time", "conversations"):
        assert column in text
    assert "stretch" in text and "q1 … q7" in text and "m_q1 … m_q7" in text


# ---------------------------------------------------------------------- property: round trip

names = member_names
answers = st.integers(1, 5)
optional_count = st.none() | st.integers(0, 50)


@st.composite
def teams(draw):
    members = draw(st.lists(names, min_size=1, max_size=8, unique_by=name_key))
    records = []
    for name in members:
        record = {"member": name, **{f"q{i}": draw(answers) for i in range(1, 8)}}
        record["goal"] = draw(st.sampled_from([None, "none", "vague", "specific", "stretch"]))
        record["opportunities"] = draw(optional_count)
        record["feedback"] = draw(st.sampled_from([None, "never", "rarely", "monthly", "weekly"]))
        record["learning_time"] = draw(st.sampled_from([None, "none", "occasional", "regular"]))
        record["conversations"] = draw(optional_count)
        if draw(st.booleans()):
            record.update({f"m_q{i}": draw(answers) for i in range(1, 8)})
        records.append(record)
    return team_from_records(records)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(team=teams(), delimiter=st.sampled_from([",", ";"]))
def test_export_then_import_returns_the_same_team(team, delimiter):
    text = write_team_csv(team, delimiter=delimiter)
    for row in _cells(text) if delimiter == "," else []:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row)
    again = read_team_csv(text.encode("utf-8"))
    pd.testing.assert_frame_equal(again, team)


@settings(max_examples=40, deadline=None)
@given(name=names)
def test_no_exported_cell_can_start_a_formula(name):
    team = team_from_records([{"member": name, **{f"q{i}": 3 for i in range(1, 8)}}])
    for row in _cells(write_team_csv(team)):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS)
