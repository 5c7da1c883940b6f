"""Team files an adversary, or Excel, produces: each gets the behaviour the contract promises."""

from __future__ import annotations

import io
import unicodedata

import pytest

from widgets.base.csvtext import MAX_BYTES
from widgets.base.errors import InputError
from widgets.core.summary import read_summary
from widgets.core.teamfile import read_team

HEADER = "member,q1,q2,q3,q4,q5,q6,q7"


def refused(data, *fragments: str) -> str:
    with pytest.raises(InputError) as caught:
        read_team(data)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message[:500])
    assert "Fix:" in message
    return message


def test_a_five_thousand_digit_answer_is_a_message_not_a_crash():
    refused(f"{HEADER}\nAnn,{'9' * 5000},4,4,4,4,4,4\n".encode(), "row 2", "q1", "not a whole")


def test_a_text_mode_file_in_another_encoding_is_a_message(tmp_path):
    path = tmp_path / "team.csv"
    path.write_bytes(f"{HEADER}\nJosé,4,4,4,4,4,4,4\n".encode("cp1252"))
    with open(path, encoding="utf-8") as handle:
        refused(handle, "not UTF-8")


def test_a_text_mode_file_in_utf8_is_read(tmp_path):
    path = tmp_path / "team.csv"
    path.write_text(f"{HEADER}\nJosé,4,4,4,4,4,4,4\n", encoding="utf-8")
    with open(path, encoding="utf-8") as handle:
        assert [m.name for m in read_team(handle)] == ["José"]


def test_closed_and_write_only_files_are_messages(tmp_path):
    path = tmp_path / "team.csv"
    path.write_text(f"{HEADER}\nAnn,4,4,4,4,4,4,4\n", encoding="utf-8")
    with open(path, "rb") as handle:
        pass  # closed on leaving the block
    refused(handle, "cannot be read")
    with open(tmp_path / "out.csv", "wb") as handle:
        refused(handle, "cannot be read")


def test_excel_sep_line_is_accepted():
    team = read_team(f"sep=;\n{HEADER.replace(',', ';')}\nAnn;4;4;4;4;4;4;4\n".encode())
    assert [m.name for m in team] == ["Ann"]


def test_trailing_blank_rows_with_empty_cells_are_ignored():
    data = f"{HEADER},,\nAnn,4,4,4,4,4,4,4,,\n,,,,,,,,,\n  ,,, ,,,,,\n\n,,\n".encode()
    assert [m.name for m in read_team(data)] == ["Ann"]


@pytest.mark.parametrize(
    "name",
    ["\u200b", "\u200b\u200b ", "Ann\x1b[31m", "Ann\nBob", "Ann\tB", "Ann\u202eevil", "Bo\x07b"],
    ids=["zero-width", "zero-width-spaces", "ansi", "line-break", "tab", "bidi", "bell"],
)
def test_names_with_invisible_or_control_characters_are_refused(name):
    line = '"' + name.replace('"', '""') + '",4,4,4,4,4,4,4'
    refused(f"{HEADER}\n{line}\n".encode(), "row 2", "member")


def test_names_equal_after_unicode_normalisation_count_as_one_person():
    nfc, nfd = unicodedata.normalize("NFC", "José"), unicodedata.normalize("NFD", "José")
    assert nfc != nfd
    refused(f"{HEADER}\n{nfc},4,4,4,4,4,4,4\n{nfd},3,3,3,3,3,3,3\n".encode(), "already used")
    (member,) = read_team(f"{HEADER}\n{nfd},4,4,4,4,4,4,4\n".encode())
    assert member.name == nfc, "names are stored in NFC"


def test_an_endless_stream_is_refused_by_size_without_reading_it_all():
    class Endless(io.RawIOBase):
        served = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            buffer[:] = b"a" * len(buffer)
            self.served += len(buffer)
            return len(buffer)

    stream = Endless()
    refused(io.BufferedReader(stream), "too large")
    assert stream.served <= MAX_BYTES + 1024 * 1024


def test_an_endless_summary_file_is_refused_by_size(tmp_path):
    with pytest.raises(InputError, match=r"too large|larger"):
        read_summary("/dev/zero")


def test_a_header_of_very_many_unknown_columns_is_one_quick_message():
    header = HEADER + "," + ",".join(f"x{n}" for n in range(200_000))
    message = refused(f"{header}\nAnn,4,4,4,4,4,4,4\n".encode(), "columns")
    assert len(message) < 20_000


def test_many_bad_cells_stop_after_a_thousand_problems_with_a_summary():
    rows = "\n".join(f"P{n},x,x,x,x,x,x,x" for n in range(5_000))
    with pytest.raises(InputError) as caught:
        read_team(f"{HEADER}\n{rows}\n".encode())
    assert len(caught.value.problems) <= 1_001
    assert "more problems" in str(caught.value) or "stopped" in str(caught.value)
