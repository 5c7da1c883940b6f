"""Short text codes: a small JSON document as one line that survives a chat message or a document.

A code is ``PREFIX.PAYLOAD.CHECK``: the prefix says what it is (and its version), the payload is
the compact JSON in base64url without padding, and the check is the first characters of a SHA-256
of prefix and payload, so a code cut short, mistyped or edited by hand is refused. The check
catches accidents, not forgery: whoever reads the code checks its content as well.

Shared by every kind of code the tools hand around (workshop summaries, member answers).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any

from .errors import InputError, Problem

CHECK_LENGTH = 6
# A code carries a few hundred bytes at most; anything far longer is not decoded at all.
MAX_CODE_LENGTH = 2_000
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{1,15}$")
_B64 = r"A-Za-z0-9_\-"


def _check_prefix(prefix: str) -> str:
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"a code prefix is 2-16 capital letters or digits, not {prefix!r}")
    return prefix


def _check(prefix: str, payload: str) -> str:
    digest = hashlib.sha256(f"{prefix}.{payload}".encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:CHECK_LENGTH]


def encode_code(prefix: str, document: Any) -> str:
    """Return ``document`` (JSON-serialisable) as a one-line code starting with ``prefix``."""
    _check_prefix(prefix)
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    payload = base64.urlsafe_b64encode(text.encode("ascii")).decode("ascii").rstrip("=")
    return f"{prefix}.{payload}.{_check(prefix, payload)}"


def code_pattern(prefix: str) -> re.Pattern[str]:
    """A regular expression finding codes of this prefix inside any text (chat noise and all)."""
    _check_prefix(prefix)
    return re.compile(rf"(?<![{_B64}.]){re.escape(prefix)}\.[{_B64}]+\.[{_B64}]+(?![{_B64}])")


def find_codes(prefix: str, text: str) -> list[str]:
    """Every code-shaped piece of ``text`` in order (checked later, one by one, by decode_code)."""
    return code_pattern(prefix).findall(text[: MAX_CODE_LENGTH * 500])


def decode_code(prefix: str, code: str, *, source: str | None = None, fix: str = "") -> Any:
    """Return the document a code holds; raise one InputError if it is not a whole, valid code."""
    fix = fix or "copy the whole code again, from its first to its last character"
    text = code.strip()
    if len(text) > MAX_CODE_LENGTH:
        raise InputError(Problem("the code is far too long to be one", fix, source=source))
    parts = text.split(".")
    if len(parts) != 3 or parts[0] != _check_prefix(prefix):
        raise InputError(
            Problem(f"this is not a code of this kind (it must start with {prefix}.)", fix,
                    source=source)
        )  # fmt: skip
    _, payload, check = parts
    if check != _check(prefix, payload):
        raise InputError(
            Problem(
                "the code is incomplete or was changed (its check characters do not match)",
                fix,
                source=source,
            )
        )
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        return json.loads(raw.decode("ascii"))
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        raise InputError(Problem("the code does not hold a readable document", fix,
                                 source=source)) from None  # fmt: skip
