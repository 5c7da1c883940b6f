"""The two views of one relationship side by side: per item, in total, the gap and what to ask.

Pure HTML built from a scored member by templates/gap.html.j2, every text escaped. The caution
and the questions come from data/gap_prompts.yml, the notable gap from data/instrument.yml.
"""

from __future__ import annotations

from ..base.templating import fragment
from ..content.instrument import Instrument
from ..content.prompts import GapGuide, gap_direction, gap_prompts, load_gap_guide
from ..core.scoring import Score


def _answer(value: int | None, instrument: Instrument, index: int) -> str:
    if value is None:
        return "not answered"
    return f"{value} ({instrument.items[index].anchor(value)})"


def _signed(value: int) -> str:
    return f"{value:+d}" if value else "0"


def gap_summary(score: Score, instrument: Instrument) -> str:
    """One plain sentence on the totals and their gap (their total minus yours)."""
    if score.member_total is None:
        return "Their own answers are not in yet."
    if score.total is None:
        return (
            f"Their own total is {score.member_total}. Answer every item yourself to see the gap."
        )
    gap = score.perception_gap or 0
    notable = instrument.perception_gap["notable"]
    direction = gap_direction(gap, notable)
    if direction == "alike":
        said = (
            f"a gap of {_signed(gap)}, under the {notable} points the book treats as notable"
            if gap
            else "no gap in total"
        )
    else:
        key = "higher" if direction == "they_higher" else "lower"
        said = instrument.perception_gap[key].format(gap=abs(gap))
        said = said[0].lower() + said[1:]
    return f"Your total {score.total}, theirs {score.member_total}: {said}."


def gap_html(score: Score, instrument: Instrument, guide: GapGuide | None = None) -> str:
    """The side-by-side table, the totals and gap, the caution and the conversation prompts."""
    guide = guide or load_gap_guide()
    member = score.member
    if not member.has_their_view:
        return fragment("gap.html.j2", "not_yet", name=member.name, caution_text=guide.caution)
    rows = []
    for index, item in enumerate(instrument.items):
        yours = member.answers[index]
        theirs = member.their_answers[index]
        rows.append(
            {
                "number": index + 1,
                "theme": item.theme,
                "yours": _answer(yours, instrument, index),
                "theirs": _answer(theirs, instrument, index),
                "gap": "" if yours is None or theirs is None else _signed(theirs - yours),
            }
        )
    low, high = instrument.total_range
    return fragment(
        "gap.html.j2",
        "gap_view",
        name=member.name,
        rows=rows,
        low=low,
        high=high,
        yours_total="not complete" if score.total is None else str(score.total),
        their_total=score.member_total,
        total_gap="" if score.perception_gap is None else _signed(score.perception_gap),
        summary=gap_summary(score, instrument),
        caution_text=guide.caution,
        intro=guide.intro,
        questions=gap_prompts(score.perception_gap, instrument.perception_gap["notable"], guide),
    )
