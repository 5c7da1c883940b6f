"""Hypothesis strategies shared by the test suites (one place, as attrs keeps them)."""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import strategies as st

SPECIAL_NAMES = [
    "=SUM(A1)",
    "+plus",
    "-minus",
    "@at",
    "'quoted",
    "''double",
    "comma, inside",
    "emoji 😀🎉",
    "<script>alert(1)</script>",
    "Zoë Ångström",
    "＝full-width",
    "−minus sign",
]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Any printable text a person's name may hold: no control, format (zero-width, direction) or
# line-separator characters, which the team file refuses; stored in NFC as the reader stores it.
name_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp"))
    | st.sampled_from(";,\"'=+-@＝＋－＠−"),
    min_size=1,
    max_size=30,
)
member_names = (
    (st.sampled_from(SPECIAL_NAMES) | name_text).map(lambda s: nfc(s).strip()).filter(bool)
)


def name_key(name: str) -> str:
    """How the team file decides two names are the same person."""
    return nfc(name).casefold()


# A member's own answers (the member form): one 1-5 answer per item, a day a code can hold,
# and a random id as the form makes it (6 bytes, hex).
member_answer_values = st.lists(st.integers(min_value=1, max_value=5), min_size=7, max_size=7)
answer_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2179, 6, 6))
answer_ids = st.binary(min_size=6, max_size=6).map(bytes.hex)
