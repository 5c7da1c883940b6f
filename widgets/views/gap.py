"""The two views of one relationship side by side: per item, in total, the gap and what to ask.

Pure HTML built from a scored member, every text escaped. The caution and the questions come
from data/gap_prompts.yml, the notable gap from data/instrument.yml.
"""

from __future__ import annotations

from ..base.escaping import escape_html
from ..content.instrument import Instrument
from ..content.prompts import GapGuide, gap_direction, gap_prompts, load_gap_guide
from ..core.scoring import Score

GAP_STYLE = (
    ".l4l-gap{border-collapse:collapse}"
    ".l4l-gap th,.l4l-gap td{padding:2px 8px;text-align:left;border-bottom:1px solid #ddd;"
    "vertical-align:top}"
    ".l4l-gap tfoot td,.l4l-gap tfoot th{font-weight:bold;border-top:2px solid #999}"
)


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
    name = escape_html(member.name)
    caution = f'<p class="l4l-gap-caution"><em>{escape_html(guide.caution)}</em></p>'
    if not member.has_their_view:
        return (
            f"<p><b>{name}</b>: their own answers are not in yet. Import the file or code from "
            "the member form above, if they chose to send it.</p>" + caution
        )
    rows = []
    for index, item in enumerate(instrument.items):
        yours = member.answers[index]
        theirs = member.their_answers[index]
        gap = "" if yours is None or theirs is None else _signed(theirs - yours)
        rows.append(
            f'<tr><th scope="row">{index + 1}. {escape_html(item.theme)}</th>'
            f"<td>{escape_html(_answer(yours, instrument, index))}</td>"
            f"<td>{escape_html(_answer(theirs, instrument, index))}</td>"
            f"<td>{escape_html(gap)}</td></tr>"
        )
    total_gap = "" if score.perception_gap is None else _signed(score.perception_gap)
    yours_total = "not complete" if score.total is None else str(score.total)
    low, high = instrument.total_range
    table = (
        f"<style>{GAP_STYLE}</style>"
        f'<table class="l4l-gap"><caption>{name}: your view and theirs, item by item '
        f"(gap = their answer minus yours)</caption><thead><tr>"
        '<th scope="col">Item</th><th scope="col">Your view</th>'
        '<th scope="col">Their view</th><th scope="col">Gap</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody>"
        f'<tfoot><tr><th scope="row">Total ({low}-{high})</th><td>{escape_html(yours_total)}'
        f"</td><td>{score.member_total}</td><td>{escape_html(total_gap)}</td></tr></tfoot>"
        "</table>"
    )
    questions = gap_prompts(score.perception_gap, instrument.perception_gap["notable"], guide)
    prompts = (
        f"<h5>Talking about it</h5><p>{escape_html(guide.intro)}</p><ul>"
        + "".join(f"<li>{escape_html(q)}</li>" for q in questions)
        + "</ul>"
    )
    summary = f'<p class="l4l-gap-summary"><b>{escape_html(gap_summary(score, instrument))}</b></p>'
    return f'<div class="l4l-gap-view">{table}{summary}{caution}{prompts}</div>'
