"""The member's own answers as a file and a code: round trips, and every kind of bad input."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import answer_days, answer_ids, member_answer_values

from widgets.base.errors import InputError
from widgets.content.instrument import load_instrument
from widgets.core.member_answers import (
    CODE_HEAD,
    FILE_NAME,
    MemberAnswers,
    fingerprint,
    new_member_answers,
    parse_code,
    parse_json,
    read_member_answers,
    to_code,
    to_json,
)

INSTRUMENT = load_instrument()
ANSWERS = [4, 3, 5, 2, 1, 4, 3]
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567-"

documents = st.builds(
    lambda values, day, answers_id: new_member_answers(
        values, INSTRUMENT, answered_on=day, answers_id=answers_id
    ),
    member_answer_values,
    answer_days,
    answer_ids,
)


def sample() -> MemberAnswers:
    return new_member_answers(ANSWERS, INSTRUMENT, answered_on=date(2026, 12, 2))


def test_the_document_holds_only_the_members_answers_and_what_identifies_them():
    doc = sample()
    data = json.loads(to_json(doc, INSTRUMENT))
    assert set(data) == {
        "kind",
        "schema_version",
        "id",
        "answered_on",
        "instrument",
        "answers",
        "fingerprint",
    }
    assert data["answers"] == dict(zip(INSTRUMENT.item_ids, ANSWERS, strict=True))
    assert data["instrument"] == {"id": INSTRUMENT.id, "version": INSTRUMENT.version}
    assert data["answered_on"] == "2026-12-02" and data["schema_version"] == 1
    assert data["fingerprint"] == fingerprint(doc)
    assert doc.total == sum(ANSWERS)


def test_each_document_gets_its_own_random_id():
    ids = {new_member_answers(ANSWERS, INSTRUMENT).answers_id for _ in range(20)}
    assert len(ids) == 20 and all(len(i) == 12 for i in ids)


def test_the_code_is_short_and_names_its_format():
    code = to_code(sample())
    assert code.startswith(CODE_HEAD) and len(code) < 60
    assert set(code[len(CODE_HEAD) :]) <= set(CODE_ALPHABET)


def test_unanswered_items_are_named():
    with pytest.raises(InputError) as caught:
        new_member_answers([4, None, 5, 2, None, 4, 3], INSTRUMENT)
    assert "question 2" in str(caught.value) and "question 5" in str(caught.value)


@given(documents)
def test_the_code_round_trips(doc):
    assert parse_code(to_code(doc), INSTRUMENT) == doc


@given(documents)
def test_the_file_round_trips(doc):
    assert parse_json(to_json(doc, INSTRUMENT), INSTRUMENT) == doc
    assert read_member_answers(to_json(doc, INSTRUMENT).encode("utf-8-sig"), INSTRUMENT) == doc


@given(documents)
def test_a_pasted_code_survives_what_mail_and_chat_do_to_it(doc):
    """Lower case, line breaks and spaces around it read the same."""
    code = to_code(doc)
    mangled = "  " + code[:20].lower() + "\r\n" + code[20:] + "\n"
    assert read_member_answers(mangled, INSTRUMENT) == doc


@given(documents, st.data())
def test_any_single_character_change_to_a_code_is_caught(doc, data):
    """Changing one character never yields different answers: it is refused, or (for a case
    change or a group separator moved into whitespace) it reads exactly the same."""
    code = to_code(doc)
    position = data.draw(st.integers(min_value=0, max_value=len(code) - 1))
    new = data.draw(st.sampled_from(CODE_ALPHABET + "0189 x"))
    if new == code[position]:
        return
    changed = code[:position] + new + code[position + 1 :]
    try:
        parsed = read_member_answers(changed, INSTRUMENT)
    except InputError:
        return
    assert parsed == doc, f"{changed} read as other answers"
    assert changed.replace(" ", "").upper() == code or new in " ", changed


@given(documents, st.data())
def test_a_cut_off_code_is_refused(doc, data):
    code = to_code(doc)
    keep = data.draw(st.integers(min_value=0, max_value=len(code) - 1))
    cut = code[:keep]
    if cut.rstrip("-") + "-" == code or cut == code.rstrip("-"):
        return
    with pytest.raises(InputError):
        read_member_answers(cut, INSTRUMENT)


@given(documents, st.data())
def test_any_edit_to_the_file_is_caught(doc, data):
    """Change any one value of the file (or cut it off) and it is refused."""
    text = to_json(doc, INSTRUMENT)
    raw = json.loads(text)
    key = data.draw(st.sampled_from(sorted(raw)))
    if key == "answers":
        item = data.draw(st.sampled_from(INSTRUMENT.item_ids))
        raw["answers"][item] = raw["answers"][item] % 5 + 1
    elif key == "instrument":
        raw["instrument"]["version"] += 1
    elif key == "schema_version":
        raw[key] = 0
    elif key == "answered_on":
        raw[key] = "1999-12-31" if raw[key] != "1999-12-31" else "2001-01-01"
    elif key == "id":
        raw[key] = ("0" if raw[key][0] != "0" else "1") + raw[key][1:]
    else:
        raw[key] = "x" + raw[key][1:]
    with pytest.raises(InputError):
        read_member_answers(json.dumps(raw), INSTRUMENT)
    cut = data.draw(st.integers(min_value=1, max_value=len(text.rstrip()) - 1))
    with pytest.raises(InputError):
        read_member_answers(text[:cut], INSTRUMENT)


@given(st.text(max_size=200) | st.binary(max_size=200))
def test_random_input_only_ever_raises_input_error(junk):
    with pytest.raises(InputError):
        read_member_answers(junk, INSTRUMENT)


@given(st.text(alphabet=CODE_ALPHABET, max_size=60))
def test_random_code_like_text_only_ever_raises_input_error(body):
    with pytest.raises(InputError):
        read_member_answers(CODE_HEAD + body, INSTRUMENT)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    )
)
def test_random_json_only_ever_raises_input_error(value):
    with pytest.raises(InputError):
        read_member_answers(json.dumps(value), INSTRUMENT)


def test_deeply_nested_json_is_refused_cleanly():
    with pytest.raises(InputError):
        read_member_answers("[" * 50_000, INSTRUMENT)
    with pytest.raises(InputError):
        read_member_answers('{"kind": ' + "[" * 30_000 + "]" * 30_000 + "}", INSTRUMENT)


def test_answers_to_another_questionnaire_are_refused_by_name():
    other = replace(INSTRUMENT, version=INSTRUMENT.version + 1)
    doc = new_member_answers(ANSWERS, other)
    with pytest.raises(InputError) as caught:
        read_member_answers(to_json(doc, other), INSTRUMENT)
    assert f"version {other.version}" in str(caught.value)
    with pytest.raises(InputError) as caught:
        read_member_answers(to_code(doc), INSTRUMENT)
    assert "another questionnaire" in str(caught.value)


def test_a_newer_format_says_to_update():
    doc = sample()
    raw = json.loads(to_json(doc, INSTRUMENT))
    raw["schema_version"] = 2
    for text in (json.dumps(raw), to_code(doc).replace("-M1-", "-M2-")):
        with pytest.raises(InputError) as caught:
            read_member_answers(text, INSTRUMENT)
        assert "newer member form" in str(caught.value) and "update" in str(caught.value)


def test_extra_data_in_a_file_is_refused():
    """A file carrying anything else (a name, someone else's answers) is not taken in."""
    raw = json.loads(to_json(sample(), INSTRUMENT))
    raw["member"] = "Ana"
    with pytest.raises(InputError) as caught:
        read_member_answers(json.dumps(raw), INSTRUMENT)
    assert "unknown field(s) member" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "nothing was given"),
        (b"\xff\xfe\x00", "not text"),
        (b"member,q1\nAna,4\n", "not a member-answers code"),
        (b'{"kind": "relationship-scorer"}', "not a member-answers file"),
    ],
)
def test_wrong_files_get_a_plain_message(content, words):
    with pytest.raises(InputError) as caught:
        read_member_answers(content, INSTRUMENT)
    assert words in str(caught.value)
    assert "Fix:" in str(caught.value)


def test_file_name_is_plain():
    assert FILE_NAME == "member-answers.json"


def test_the_examples_in_the_data_formats_chapter_read_as_the_same_answers():
    """The reference page's example file and code are real, and agree."""
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "chapters/reference/data-formats.md").read_text()
    example = re.search(r"```json\n(.*?)```", page, re.S).group(1)
    code = re.search(r"`(L4L-M1-[A-Z2-7-]+)`", page).group(1)
    from_file = read_member_answers(example, INSTRUMENT)
    assert from_file == read_member_answers(code, INSTRUMENT)
    assert from_file.answered_on == date(2026, 12, 2)
