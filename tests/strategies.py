"""Hypothesis strategies shared by the test suites (one place, as attrs keeps them)."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

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


# --------------------------------------------------------------------- conversation plans

# Text that tries to break out of its place in Markdown, HTML, CSV and .ics.
NASTY_PLAN_TEXT = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click me](javascript:alert(1))",
    "**bold** _it_ `code` # heading | pipe",
    '=HYPERLINK("http://evil.example","x")',
    "+1 -2 @SUM(A1) 'quoted",
    'Zoë 🌱 O\'Neil & Co; "quotes", commas',
    "line\r\nATTENDEE;CN=Eve:mailto:eve@example.com\r\nEND:VEVENT",
]

ONE_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=40
)
ANY_TEXT = st.one_of(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs",),
            blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08"
            "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b"
            "\x1f\x7f\x80\x81\x82\x83\x84\x86\x87\x88\x89\x8a\x8b\x8c"
            "\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a"
            "\x9b\x9c\x9d\x9e\x9f",
        ),
        max_size=80,
    ),
    st.sampled_from(NASTY_PLAN_TEXT),
)


@st.composite
def plans(draw, check_ins: bool = True):
    """A valid conversation plan: any text, dates in order, optional monthly check-ins."""
    from widgets import ConversationPlan  # late, so the team-file tests need no planner

    start = draw(st.dates(min_value=date(2001, 1, 1), max_value=date(2097, 1, 1)))
    end = start + timedelta(days=draw(st.integers(0, 90)))
    after = end + timedelta(days=draw(st.integers(0, 10)))
    follow = [
        after + timedelta(days=d) for d in sorted(draw(st.sets(st.integers(1, 200), max_size=4)))
    ]
    return ConversationPlan.from_dict(
        {
            "member": draw(ONE_LINE.filter(str.strip)),
            "activity": draw(ONE_LINE.filter(str.strip)),
            "goal": draw(ANY_TEXT.filter(str.strip)),
            "application": draw(ANY_TEXT.filter(str.strip)),
            "support": draw(ANY_TEXT),
            "notes": draw(ANY_TEXT),
            "skill": draw(ONE_LINE),
            "protected_time": draw(ONE_LINE),
            "resources": draw(st.lists(ONE_LINE, max_size=4)),
            "band": draw(
                st.sampled_from([None, "very_low", "low", "moderate", "high", "very_high"])
            ),
            "mode": draw(
                st.sampled_from(["coaching", "co_creating", "mentoring_peer", "peer_learning"])
            ),
            "activity_type": draw(st.sampled_from(["course", "project", "other"])),
            "before_date": start - timedelta(days=draw(st.integers(0, 30))),
            "activity_start": start,
            "activity_end": end,
            "after_date": after,
            "follow_ups": follow,
            "meeting_time": draw(st.times()).replace(second=0, microsecond=0),
            "meeting_minutes": draw(st.integers(5, 480)),
            "check_ins": draw(st.integers(0, 12)) if check_ins else 0,
        }
    )
