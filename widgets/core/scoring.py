"""Score a team: relationship totals and bands, development investment, left-behind flags, gaps.

Pure Python over :class:`~widgets.core.members.Member` records (``widgets.frames`` adapts it to
DataFrames). Every rule (bands, weights, thresholds, wording) comes from ``data/instrument.yml``.
A member not yet fully rated gets no total, band or flag, and is left out of team statistics.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..content.instrument import Band, Instrument, InvestmentBand, load_instrument
from .members import Member


@dataclass(frozen=True)
class Score:
    """What the tool computes for one member (``total`` and ``band`` are None until rated)."""

    member: Member
    total: int | None
    band: Band | None
    investment_index: float | None
    investment_band: InvestmentBand
    investment_fields: int
    left_behind: bool
    flags: tuple[str, ...]
    member_total: int | None
    member_band: Band | None
    perception_gap: int | None

    @property
    def name(self) -> str:
        return self.member.name

    @property
    def complete(self) -> bool:
        return self.total is not None


def score_members(team: Sequence[Member], instrument: Instrument | None = None) -> list[Score]:
    """Score every member, in input order."""
    inst = instrument or load_instrument()
    return [score_member(member, inst) for member in team]


def score_member(member: Member, inst: Instrument) -> Score:
    """Total, band, investment index and band, left-behind flag and perception gap of one member."""
    total = sum(member.answers) if member.complete else None  # type: ignore[arg-type]
    band = inst.band_for(total) if total is not None else None
    index, recorded = investment_index(member, inst)
    investment_band = inst.investment_band_for(index)
    rule = inst.left_behind
    left_behind = (
        band is not None
        and band.key in rule["relationship_bands"]
        and investment_band.key == rule["investment_band"]
    )
    member_total = sum(member.their_answers) if member.has_their_view else None  # type: ignore[arg-type]
    gap = member_total - total if member_total is not None and total is not None else None
    return Score(
        member=member,
        total=total,
        band=band,
        investment_index=index,
        investment_band=investment_band,
        investment_fields=recorded,
        left_behind=left_behind,
        flags=tuple(_flags(member, left_behind, recorded, gap, inst)),
        member_total=member_total,
        member_band=inst.band_for(member_total) if member_total is not None else None,
        perception_gap=gap,
    )


def investment_index(member: Member, inst: Instrument) -> tuple[float | None, int]:
    """Weighted mean (0-1) of the recorded investment fields, and how many were recorded.

    A member with nothing recorded gets None: unknown is not the same as zero.
    """
    weighted = weights = 0.0
    recorded = 0
    for spec in inst.investment_fields:
        value = member.investment.get(spec.id)
        if value is None:
            continue
        if spec.kind == "choice":
            lookup = {o.value: o.score for o in spec.options}
            if value not in lookup:
                continue
            score = lookup[value]
        else:
            score = min(float(value), spec.full_at) / spec.full_at
        weighted += score * spec.weight
        weights += spec.weight
        recorded += 1
    if weights <= 0:
        return None, recorded
    return round(weighted / weights, 4), recorded


def _flags(
    member: Member, left_behind: bool, recorded: int, gap: int | None, inst: Instrument
) -> list[str]:
    if not member.complete:
        return [f"Not rated yet ({member.answered} of {len(inst.items)} items answered)"]
    flags = []
    if left_behind:
        flags.append(inst.left_behind["flag"])
    n_fields = len(inst.investment_fields)
    if recorded == 0:
        flags.append(inst.flags["not_recorded"])
    elif recorded < n_fields:
        flags.append(inst.flags["partly_recorded"].format(recorded=recorded, fields=n_fields))
    if gap is not None and abs(gap) >= inst.perception_gap["notable"]:
        key = "higher" if gap > 0 else "lower"
        flags.append(inst.perception_gap[key].format(gap=abs(gap)))
    return flags


def band_edges(instrument: Instrument | None = None) -> list[tuple[int, int]]:
    """Pairs (last total of a band, first total of the next), e.g. (14, 15)."""
    inst = instrument or load_instrument()
    return [(a.max, b.min) for a, b in zip(inst.bands, inst.bands[1:], strict=False)]


# ---------------------------------------------------------------------------- team indicators


def ranks(values: Sequence[float]) -> list[float]:
    """Average ranks from 1 (ties share the mean rank), as Spearman's rho needs."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        mean_rank = (start + end) / 2 + 1
        for position in range(start, end + 1):
            out[order[position]] = mean_rank
        start = end + 1
    return out


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman rank correlation of two equal-length sequences, or None if either is constant."""
    if len(x) != len(y) or len(x) < 2:
        return None
    rx, ry = ranks(list(x)), ranks(list(y))
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


#: The team indicator is shown to two decimals; it is classified as shown, so "+0.50" is never
#: called moderate when the rule says 0.5 or more is strong (float noise gives 0.49999...).
SHOWN_DECIMALS = 2


def gradient_strength(rho: float, config: dict[str, Any]) -> str:
    """The strength key for a rank correlation ``rho``, by the cut-offs in ``config``."""
    shown = round(rho, SHOWN_DECIMALS)
    if shown >= config["strong"]:
        return "strong_positive"
    if shown >= config["moderate"]:
        return "moderate_positive"
    if shown > -config["moderate"]:
        return "flat"
    return "negative"


def gradient(scores: Sequence[Score], instrument: Instrument | None = None) -> dict[str, Any]:
    """How strongly development investment follows relationship quality across the team.

    Uses fully rated members with recorded investment; needs at least ``min_members`` (5) of
    them. Returns ``computed``, ``members_used``, ``min_members``, ``rho`` (or None),
    ``strength`` and ``summary``.
    """
    inst = instrument or load_instrument()
    config = inst.gradient
    text = config["text"]
    minimum = int(config["min_members"])
    usable = [s for s in scores if s.total is not None and s.investment_index is not None]
    used = len(usable)
    result: dict[str, Any] = {
        "computed": False,
        "members_used": used,
        "min_members": minimum,
        "rho": None,
        "strength": None,
    }
    if used < minimum:
        result["summary"] = text["too_few"].format(min_members=minimum, members_used=used)
        return result
    totals = [float(s.total) for s in usable]  # type: ignore[arg-type]
    index = [float(s.investment_index) for s in usable]  # type: ignore[arg-type]
    if len(set(totals)) == 1 or len(set(index)) == 1:
        what = "relationship score" if len(set(totals)) == 1 else "investment index"
        result["summary"] = text["no_spread"].format(what=what, members_used=used)
        return result
    rho = spearman(totals, index)
    assert rho is not None
    strength = gradient_strength(rho, config)
    result.update(
        computed=True,
        rho=round(rho, 3),
        strength=strength,
        summary=f"{text[strength].format(rho=rho, members_used=used)} {config['caveat']}",
    )
    return result


# ------------------------------------------------------------------------- views of the scores


def score_table_rows(scores: Sequence[Score], instrument: Instrument | None = None) -> list[dict]:
    """A reader-friendly row per member (for the chapter's table and the app's team tab)."""
    inst = instrument or load_instrument()
    low, high = inst.total_range
    rows = []
    for s in scores:
        rows.append(
            {
                "Member": s.name,
                f"Total ({low}-{high})": "not rated yet" if s.total is None else s.total,
                "Band": s.band.label if s.band else "",
                "Investment (0-1)": (
                    "not recorded" if s.investment_index is None else f"{s.investment_index:.2f}"
                ),
                "Investment band": s.investment_band.label,
                "Left behind?": "yes" if s.left_behind else "",
                "Their total": "" if s.member_total is None else str(s.member_total),
                "Gap": "" if s.perception_gap is None else f"{s.perception_gap:+d}",
                "Flags": "; ".join(s.flags),
            }
        )
    return rows


def item_rows(score: Score, instrument: Instrument | None = None) -> list[dict[str, Any]]:
    """One row per item for a member: theme, question, answer and anchor (theirs too if given)."""
    inst = instrument or load_instrument()
    member = score.member
    theirs = member.their_answers if member.has_their_view else (None,) * len(inst.items)
    rows = []
    for number, (item, mine, their) in enumerate(
        zip(inst.items, member.answers, theirs, strict=True), start=1
    ):
        rows.append(
            {
                "item": item.id,
                "number": number,
                "theme": item.theme,
                "question": item.manager,
                "score": mine,
                "anchor": item.anchor(mine) if mine is not None else None,
                "member_score": their,
                "member_anchor": item.anchor(their) if their is not None else None,
            }
        )
    return rows


def member_guidance(
    score: Score | Mapping[str, Any], instrument: Instrument | None = None
) -> list[str]:
    """What a member's scores suggest, as short plain sentences (band note, left-behind advice)."""
    inst = instrument or load_instrument()
    if isinstance(score, Score):
        band_key, left = (score.band.key if score.band else None), score.left_behind
    else:
        band_key, left = score.get("band"), score.get("left_behind")
    if band_key is None:
        return []
    lines = [inst.band(band_key).note]
    if left:
        lines.append(inst.left_behind["guidance"])
    return lines


# --------------------------------------------------------------- the book's thresholds, disclosed


def _either(labels: Sequence[str]) -> str:
    """'A', 'A or B', 'A, B or C'."""
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"


def threshold_notes(instrument: Instrument | None = None) -> dict[str, str]:
    """The sentences that disclose the book's cut-offs, filled in from ``data/instrument.yml``.

    Keys ``left_behind`` (which relationship bands, their totals, which investment band and its
    limit), ``gradient`` (minimum members and the rank-correlation cut-offs) and
    ``perception_gap`` (the points at which a gap is flagged). The wording is the file's
    ``thresholds`` section; the numbers come from the rules the tool applies, so they always match.
    """
    inst = instrument or load_instrument()
    rule = inst.left_behind
    bands = [b for b in inst.bands if b.key in rule["relationship_bands"]]
    runs: list[list[int]] = []
    for band in bands:  # contiguous bands read as one range of totals, e.g. 7-19
        if runs and runs[-1][1] + 1 == band.min:
            runs[-1][1] = band.max
        else:
            runs.append([band.min, band.max])
    investment = next(b for b in inst.investment_bands if b.key == rule["investment_band"])
    below = 1.0 if investment.below is None else investment.below
    config = inst.gradient
    texts = inst.thresholds
    return {
        "left_behind": texts["left_behind"].format(
            bands=_either([b.label for b in bands]),
            totals=_either([f"{low}-{high}" for low, high in runs]),
            investment_band=investment.label,
            investment_below=f"{below:.2f}",
        ),
        "gradient": texts["gradient"].format(
            min_members=int(config["min_members"]),
            strong=f"{float(config['strong']):.2f}",
            moderate=f"{float(config['moderate']):.2f}",
            negative=f"{-float(config['moderate']):.2f}",
        ),
        "perception_gap": texts["perception_gap"].format(notable=inst.perception_gap["notable"]),
    }
