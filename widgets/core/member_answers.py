"""A member's own answers about their manager, as a small file or a short code they may send.

The member fills in the member version of the items on their own device; the result holds only
their answers, the date, which questionnaire they answered (the instrument's id and version), a
schema version and a random id, sealed with a fingerprint. No name, no manager data, no other
member: the manager attaches it to a team member when importing it.

Two forms carry the same content:

- a JSON file (``member-answers.json``) with a SHA-256 fingerprint of the content;
- a text code to paste into chat or email, ``L4L-M1-`` then base32 (RFC 4648) of 21 bytes in
  groups of four: the instrument's tag (4 bytes), the number of items, the answers (a half-byte
  each), the day (days since 2000-01-01), the random id (6 bytes) and a CRC-32 of all of it.
  A CRC-32 catches every change of up to 32 bits in a row, so any one mistyped character.

The fingerprints catch mistakes, truncation and casual edits, not a determined forger: there is
no secret key, since nothing is sent through the book. Parsing either form checks everything and
raises :class:`InputError` with a fix; it never changes anything.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..base.errors import InputError, Problem
from ..content.instrument import SCALE, Instrument

KIND = "l4l-member-answers"
SCHEMA_VERSION = 1
CODE_PREFIX = "L4L-M"
CODE_HEAD = f"{CODE_PREFIX}{SCHEMA_VERSION}-"
FILE_NAME = "member-answers.json"
EPOCH = date(2000, 1, 1)
ID_BYTES = 6
TAG_BYTES = 4
MAX_INPUT = 64_000  # characters: far more than a real file or code, small enough to check fast
GROUP = 4
FIELDS = ("kind", "schema_version", "id", "answered_on", "instrument", "answers", "fingerprint")
_SOURCE = "member answers"
_ASK_AGAIN = "ask the member to send the file or code again, exactly as the member form made it"


@dataclass(frozen=True)
class MemberAnswers:
    """One member's own answers to the member items, in item order (each 1-5)."""

    answers: tuple[int, ...]
    answered_on: date
    instrument_id: str
    instrument_version: int
    answers_id: str

    @property
    def total(self) -> int:
        return sum(self.answers)

    @property
    def short_id(self) -> str:
        """The random id as the manager sees it (to tell two sets of answers apart)."""
        return self.answers_id.upper()


def _bad(message: str, fix: str = _ASK_AGAIN, value: object = None) -> InputError:
    return InputError(Problem(message, fix, value=value, source=_SOURCE))


def instrument_tag(instrument_id: str, version: int) -> bytes:
    """Four bytes naming a questionnaire and its version inside a code."""
    return hashlib.sha256(f"{instrument_id}\n{version}".encode()).digest()[:TAG_BYTES]


def new_member_answers(
    answers: Sequence[int | None],
    instrument: Instrument,
    *,
    answered_on: date | None = None,
    answers_id: str | None = None,
) -> MemberAnswers:
    """The member's completed answers as a document; every item must be answered (1-5)."""
    if len(answers) != len(instrument.items):
        raise InputError(f"Expected {len(instrument.items)} answers, got {len(answers)}.")
    missing = [
        Problem("not answered yet", "choose one of its answers", column=f"question {n}")
        for n, value in enumerate(answers, start=1)
        if value is None
    ]
    if missing:
        raise InputError(missing, title="Answer every question first")
    if not all(isinstance(v, int) and v in SCALE for v in answers):
        raise InputError(f"Every answer must be a whole number from {SCALE[0]} to {SCALE[-1]}.")
    return MemberAnswers(
        answers=tuple(int(v) for v in answers),  # type: ignore[arg-type]
        answered_on=answered_on or date.today(),
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        answers_id=answers_id or secrets.token_hex(ID_BYTES),
    )


# ----------------------------------------------------------------------------- compact bytes


def _content_bytes(doc: MemberAnswers) -> bytes:
    """Everything but the check: tag, item count, answers by half-byte, day, random id."""
    packed = bytearray()
    for start in range(0, len(doc.answers), 2):
        pair = doc.answers[start : start + 2]
        packed.append(pair[0] << 4 | (pair[1] if len(pair) > 1 else 0))
    days = (doc.answered_on - EPOCH).days
    if not 0 <= days < 1 << 16:
        raise InputError(f"The date {doc.answered_on} cannot be written in a code.")
    return (
        instrument_tag(doc.instrument_id, doc.instrument_version)
        + bytes([len(doc.answers)])
        + bytes(packed)
        + days.to_bytes(2, "big")
        + bytes.fromhex(doc.answers_id)
    )


def fingerprint(doc: MemberAnswers) -> str:
    """The file's fingerprint: SHA-256 of the content, first 16 hex digits."""
    return hashlib.sha256(_content_bytes(doc)).hexdigest()[:16]


def to_code(doc: MemberAnswers) -> str:
    """The short text code to paste into chat or email, e.g. ``L4L-M1-ABCD-EFGH-...``."""
    content = _content_bytes(doc)
    body = base64.b32encode(content + zlib.crc32(content).to_bytes(4, "big")).decode("ascii")
    body = body.rstrip("=")
    return CODE_HEAD + "-".join(body[i : i + GROUP] for i in range(0, len(body), GROUP))


def to_json(doc: MemberAnswers, instrument: Instrument) -> str:
    """The answers file (JSON): only what the member chose to answer, plus its fingerprint."""
    return (
        json.dumps(
            {
                "kind": KIND,
                "schema_version": SCHEMA_VERSION,
                "id": doc.answers_id,
                "answered_on": doc.answered_on.isoformat(),
                "instrument": {"id": doc.instrument_id, "version": doc.instrument_version},
                "answers": dict(zip(instrument.item_ids, doc.answers, strict=True)),
                "fingerprint": fingerprint(doc),
            },
            indent=1,
        )
        + "\n"
    )


# ------------------------------------------------------------------------------------ parsing

_WRONG_QUESTIONNAIRE = (
    "ask the member to fill in the member form of this book again: these answers are to other "
    "questions, so they cannot be compared with yours"
)


def _check_instrument(doc: MemberAnswers, instrument: Instrument) -> MemberAnswers:
    if (doc.instrument_id, doc.instrument_version) != (instrument.id, instrument.version):
        raise _bad(
            f"these answers were given to the questionnaire '{doc.instrument_id}' version "
            f"{doc.instrument_version}, but this scorer uses '{instrument.id}' version "
            f"{instrument.version}",
            _WRONG_QUESTIONNAIRE,
        )
    if len(doc.answers) != len(instrument.items):
        raise _bad(
            f"these answers have {len(doc.answers)} items, the questionnaire has "
            f"{len(instrument.items)}",
            _WRONG_QUESTIONNAIRE,
        )
    return doc


def parse_code(text: str, instrument: Instrument) -> MemberAnswers:
    """Read a pasted code; a mistyped, cut-off or foreign code raises InputError."""
    compact = re.sub(r"\s+", "", str(text)[:MAX_INPUT]).upper()
    match = re.fullmatch(rf"{CODE_PREFIX}(\d+)-(.*)", compact, flags=re.S)
    if not match:
        raise _bad(
            "this is not a member-answers code",
            f"paste the whole code, which starts with {CODE_HEAD}",
            value=compact[:12] or None,
        )
    version, body = match.groups()
    body = body.replace("-", "")
    if int(version[:6]) > SCHEMA_VERSION:
        raise _bad(
            f"this code was made by a newer member form (version {version[:6]}; this scorer "
            f"reads version {SCHEMA_VERSION})",
            "update the book's tools, or ask the member to send the file instead",
        )
    if int(version[:6]) != SCHEMA_VERSION:
        raise _bad("this code's version is unknown", f"a code starts with {CODE_HEAD}", version)
    if not re.fullmatch(r"[A-Z2-7]*", body):
        raise _bad(
            "the code holds characters a code never has",
            "copy it again: a code uses only the letters A-Z and the digits 2-7",
        )
    padded = body + "=" * (-len(body) % 8)
    try:
        raw = base64.b32decode(padded)
    except (binascii.Error, ValueError):
        raise _bad("the code is cut off or has a character too many or too few") from None
    if base64.b32encode(raw).decode("ascii").rstrip("=") != body:
        raise _bad("the code is cut off or has a character too many or too few")
    return _check_instrument(_from_code_bytes(raw, instrument), instrument)


def _from_code_bytes(raw: bytes, instrument: Instrument) -> MemberAnswers:
    if len(raw) < TAG_BYTES + 1 + 4:
        raise _bad("the code is cut off: it is too short")
    content, check = raw[:-4], raw[-4:]
    if zlib.crc32(content).to_bytes(4, "big") != check:
        raise _bad(
            "the code does not check out: a character was changed, lost or mistyped",
            "copy and paste the code again rather than typing it; or ask for the file",
        )
    tag, count = content[:TAG_BYTES], content[TAG_BYTES]
    if tag != instrument_tag(instrument.id, instrument.version):
        raise _bad(
            "these answers were given to another questionnaire, or another version of it",
            _WRONG_QUESTIONNAIRE,
        )
    packed_length = (count + 1) // 2
    expected = TAG_BYTES + 1 + packed_length + 2 + ID_BYTES
    if count == 0 or len(content) != expected:
        raise _bad("the code's length does not match its number of answers")
    packed = content[TAG_BYTES + 1 : TAG_BYTES + 1 + packed_length]
    answers = []
    for byte in packed:
        answers += [byte >> 4, byte & 0x0F]
    if count % 2 and answers[-1] != 0:
        raise _bad("the code's answers do not check out")
    answers = answers[:count]
    if not all(a in SCALE for a in answers):
        raise _bad(f"the code holds an answer outside {SCALE[0]}-{SCALE[-1]}")
    rest = content[TAG_BYTES + 1 + packed_length :]
    day = EPOCH + timedelta(days=int.from_bytes(rest[:2], "big"))
    return MemberAnswers(
        answers=tuple(answers),
        answered_on=day,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        answers_id=rest[2:].hex(),
    )


def parse_json(text: str, instrument: Instrument) -> MemberAnswers:
    """Read an answers file; a damaged, edited, foreign or newer file raises InputError."""
    if len(text) > MAX_INPUT:
        raise _bad("this file is far too big to be a member's answers", "pick the right file")
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        raise _bad(
            "the file is not complete JSON (it may be cut off or edited)",
            "ask the member to download it again from the member form and send it unchanged",
        ) from None
    if not isinstance(raw, dict) or raw.get("kind") != KIND:
        raise _bad(
            "this is not a member-answers file",
            f"pick the {FILE_NAME} file the member form made, or paste its code",
        )
    version = raw.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise _bad(
            f"this file was made by a newer member form (version {version}; this scorer reads "
            f"version {SCHEMA_VERSION})",
            "update the book's tools, or ask the member to use this book's member form",
        )
    if version != SCHEMA_VERSION:
        raise _bad("the file's schema_version is missing or unknown", value=version)
    unknown = sorted(set(raw) - set(FIELDS))
    missing = [key for key in FIELDS if key not in raw]
    if unknown or missing:
        parts = [f"unknown field(s) {', '.join(unknown)}"] if unknown else []
        parts += [f"missing field(s) {', '.join(missing)}"] if missing else []
        raise _bad(f"the file has {' and '.join(parts)}: it was edited or is damaged")
    doc = _doc_from_fields(raw, instrument)
    if raw["fingerprint"] != fingerprint(doc):
        raise _bad(
            "the file's fingerprint does not match its answers: it was changed after the "
            "member form made it"
        )
    return doc


def _doc_from_fields(raw: dict[str, Any], instrument: Instrument) -> MemberAnswers:
    spec = raw["instrument"]
    if (
        not isinstance(spec, dict)
        or set(spec) != {"id", "version"}
        or not isinstance(spec["id"], str)
        or not isinstance(spec["version"], int)
        or isinstance(spec["version"], bool)
    ):
        raise _bad("the file's 'instrument' field is damaged")
    answers_id = raw["id"]
    if not isinstance(answers_id, str) or not re.fullmatch(r"[0-9a-f]{12}", answers_id):
        raise _bad("the file's 'id' field is damaged", value=answers_id)
    try:
        answered_on = date.fromisoformat(str(raw["answered_on"]))
    except ValueError:
        raise _bad("the file's date is not a date", value=raw["answered_on"]) from None
    if not 0 <= (answered_on - EPOCH).days < 1 << 16:
        raise _bad("the file's date is out of range", value=raw["answered_on"])
    answers = raw["answers"]
    if not isinstance(answers, dict):
        raise _bad("the file's 'answers' field is damaged")
    values = list(answers.values())
    doc = MemberAnswers(tuple(values), answered_on, spec["id"], spec["version"], answers_id)
    _check_instrument(doc, instrument)
    if list(answers) != instrument.item_ids:
        raise _bad(
            "the file's answers are not the questionnaire's items",
            f"the items are {', '.join(instrument.item_ids)}: {_ASK_AGAIN}",
        )
    if not all(isinstance(v, int) and not isinstance(v, bool) and v in SCALE for v in values):
        raise _bad(
            f"every answer in the file must be a whole number from {SCALE[0]} to {SCALE[-1]}"
        )
    return doc


def read_member_answers(content: bytes | str, instrument: Instrument) -> MemberAnswers:
    """Read an answers file or a pasted code (either may arrive as a file or as text)."""
    if isinstance(content, (bytes, bytearray, memoryview)):
        if len(content) > MAX_INPUT * 4:
            raise _bad("this file is far too big to be a member's answers", "pick the right file")
        try:
            text = bytes(content).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _bad(
                "this file is not text",
                f"pick the {FILE_NAME} file the member form made, or paste its code",
            ) from None
    else:
        text = str(content)
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        raise _bad(
            "nothing was given", f"paste the code (it starts with {CODE_HEAD}) or pick the file"
        )
    if stripped.startswith("{"):
        return parse_json(stripped, instrument)
    return parse_code(stripped, instrument)
