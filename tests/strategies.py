"""Hypothesis strategies shared by the test suites (one place, as attrs keeps them)."""

from __future__ import annotations

import itertools
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


# A member's own answers (the member form): one 1-5 answer per item, a day a code can hold,
# and a random id as the form makes it (6 bytes, hex).
member_answer_values = st.lists(st.integers(min_value=1, max_value=5), min_size=7, max_size=7)
answer_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2179, 6, 6))
answer_ids = st.binary(min_size=6, max_size=6).map(bytes.hex)


# A team member as the scorer keeps them: fully rated or partly (some answers not given yet), each
# investment field recorded or not (choices from the instrument, counts in their range).
@st.composite
def team_members(draw, name: str):
    """One Member called ``name``; about three in four are fully rated."""
    from widgets.content.instrument import load_instrument
    from widgets.core.members import Member

    inst = load_instrument()
    investment = {}
    for spec in inst.investment_fields:
        if spec.kind == "choice":
            values = st.sampled_from([o.value for o in spec.options])
        else:
            values = st.integers(spec.min, spec.max)
        investment[spec.id] = draw(st.none() | values)
    answer = st.integers(1, 5)
    n_items = len(inst.items)
    if draw(st.integers(0, 3)):
        answers = draw(st.tuples(*[answer] * n_items))
    else:
        answers = draw(st.tuples(*[st.none() | answer] * n_items))
    return Member(name=name, answers=answers, investment=investment)


@st.composite
def teams(draw, max_size: int = 12):
    """A team of distinct names (by the team file's rule) drawn from ``member_names``."""
    names = draw(st.lists(member_names, min_size=0, max_size=max_size, unique_by=name_key))
    return [draw(team_members(name)) for name in names]


@st.composite
def participant_summaries(draw, with_id: bool = True) -> dict:
    """A valid participant summary (counts that add up), with a random id and its fingerprint."""
    from widgets.core.summary import FORMAT_VERSION, SUMMARY_KIND, content_fingerprint

    size = draw(st.integers(1, 50))

    def split(total: int, parts: int) -> list[int]:
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
        bounds = [0, *cuts, total]
        return [b - a for a, b in itertools.pairwise(bounds)]

    bands = split(size, 5)
    investment = split(size, 4)
    behind = draw(st.integers(0, min(bands[0] + bands[1], investment[0])))
    plans = draw(st.integers(0, min(3 * size, 150)))
    summary = {
        "kind": SUMMARY_KIND,
        "format_version": FORMAT_VERSION,
        "team_size": size,
        "band_counts": dict(zip(["very_low", "low", "moderate", "high", "very_high"], bands,
                                strict=True)),
        "investment_band_counts": dict(zip(["low", "medium", "high", "unknown"], investment,
                                           strict=True)),
        "investment_pattern": draw(
            st.sampled_from(["more_to_closer", "even", "more_to_distant", "not_computed"])
        ),
        "left_behind": behind,
        "plans": plans,
        "left_behind_with_plan": draw(st.integers(0, min(behind, plans))),
        "planned_conversations": {
            "before": plans, "after": plans, "follow_up": draw(st.integers(0, min(6 * plans, 900)))
        },
    }  # fmt: skip
    if with_id:
        summary = {"id": draw(st.text("0123456789abcdef", min_size=16, max_size=16)), **summary}
        summary["fingerprint"] = content_fingerprint(summary)
    return summary


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
