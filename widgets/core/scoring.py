"""Score a team: relationship totals and bands, development investment, left-behind flags, gaps.

Pure functions over DataFrames in the team-CSV shape (see :mod:`widgets.teamfile`). Every rule
(bands, weights, thresholds, wording) comes from ``data/instrument.yml``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..base.errors import InputError, Problem
from ..content.instrument import SCALE, Instrument, load_instrument
from .teamfile import MEMBER, empty_team, team_columns, team_from_records

SCORE_COLUMNS = [
    "total",
    "band",
    "band_label",
    "investment_index",
    "investment_band",
    "investment_fields",
    "left_behind",
    "flags",
    "member_total",
    "member_band",
    "perception_gap",
]


def score_team(
    team: pd.DataFrame | list[Mapping[str, Any]],
    instrument: Instrument | None = None,
    *,
    checked: bool = False,
) -> pd.DataFrame:
    """Score every member, in input order: total, band, investment index and band, flags, gap.

    ``team`` is a DataFrame from :func:`read_team_csv` (or member dicts); anything else that does
    not fit the team format raises :class:`InputError`. ``checked=True`` skips the re-check for
    a frame that just came from :func:`read_team_csv` or :func:`team_from_records`.
    """
    inst = instrument or load_instrument()
    if not (checked and isinstance(team, pd.DataFrame)):
        team = _checked_team(team, inst)
    n = len(team)
    total = team[inst.item_ids].to_numpy(dtype="int64").sum(axis=1) if n else np.zeros(0, "int64")
    band_keys, band_labels = _bands(total, inst)
    index, recorded = investment_index(team, inst)
    investment_bands = [inst.investment_band_for(float(v)).key for v in index]
    rule = inst.left_behind
    left_behind = np.array(
        [
            b in rule["relationship_bands"] and ib == rule["investment_band"]
            for b, ib in zip(band_keys, investment_bands, strict=True)
        ],
        dtype=bool,
    )
    theirs = team[inst.member_item_ids].to_numpy(dtype="float64", na_value=np.nan)
    member_sum = theirs.sum(axis=1) if n else np.zeros(0)  # NaN unless all answers are present
    gap = member_sum - total
    member_total = pd.array([None if np.isnan(v) else int(v) for v in member_sum], dtype="Int64")
    member_band = [None if np.isnan(v) else inst.band_for(int(v)).key for v in member_sum]
    flags = [
        "; ".join(_flags(bool(lb), int(k), float(g), inst))
        for lb, k, g in zip(left_behind, recorded, gap, strict=True)
    ]
    scores = pd.DataFrame(
        {
            "total": total.astype("int64"),
            "band": band_keys,
            "band_label": band_labels,
            "investment_index": index,
            "investment_band": investment_bands,
            "investment_fields": recorded,
            "left_behind": left_behind,
            "flags": flags,
            "member_total": member_total,
            "member_band": member_band,
            "perception_gap": gap.astype("float64"),
        },
        index=team.index,
    )
    return pd.concat([team, scores], axis=1)


def investment_index(
    team: pd.DataFrame, instrument: Instrument | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean (0-1) of the recorded investment fields per member, and how many were recorded.

    A member with nothing recorded gets NaN: unknown is not the same as zero.
    """
    inst = instrument or load_instrument()
    n = len(team)
    weighted = np.zeros(n)
    weights = np.zeros(n)
    recorded = np.zeros(n, dtype="int64")
    for spec in inst.investment_fields:
        if spec.id not in team.columns:
            continue
        if spec.kind == "choice":
            lookup = {o.value: o.score for o in spec.options}
            scores = np.array([lookup.get(v, np.nan) for v in team[spec.id]], dtype="float64")
        else:
            counts = team[spec.id].to_numpy(dtype="float64", na_value=np.nan)
            scores = np.minimum(counts, spec.full_at) / spec.full_at
        present = ~np.isnan(scores)
        weighted += np.where(present, scores, 0.0) * spec.weight
        weights += spec.weight * present
        recorded += present
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(weights > 0, weighted / np.where(weights > 0, weights, 1), np.nan)
    return np.round(index, 4), recorded


def _bands(total: np.ndarray, inst: Instrument) -> tuple[list[str], list[str]]:
    lows = np.array([band.min for band in inst.bands])
    positions = np.searchsorted(lows, total, side="right") - 1
    keys = [inst.bands[p].key for p in positions]
    labels = [inst.bands[p].label for p in positions]
    return keys, labels


def _flags(left_behind: bool, recorded: int, gap: float, inst: Instrument) -> list[str]:
    flags = []
    if left_behind:
        flags.append(inst.left_behind["flag"])
    n_fields = len(inst.investment_fields)
    if recorded == 0:
        flags.append(inst.flags["not_recorded"])
    elif recorded < n_fields:
        flags.append(inst.flags["partly_recorded"].format(recorded=recorded, fields=n_fields))
    if not math.isnan(gap) and abs(gap) >= inst.perception_gap["notable"]:
        key = "higher" if gap > 0 else "lower"
        flags.append(inst.perception_gap[key].format(gap=int(abs(gap))))
    return flags


def _checked_team(team: Any, inst: Instrument) -> pd.DataFrame:
    """Return ``team`` as a valid team DataFrame, re-checking every cell unless it clearly is."""
    if isinstance(team, list):
        return team_from_records(team, instrument=inst, allow_empty=True)
    if not isinstance(team, pd.DataFrame):
        raise InputError(
            Problem(
                f"cannot score a {type(team).__name__}", "pass the DataFrame from read_team_csv"
            )
        )
    if _looks_valid(team, inst):
        return team[team_columns(inst)].reset_index(drop=True)
    records = [
        {str(k).strip().lower(): v for k, v in row.items()} for row in team.to_dict("records")
    ]
    if not records:
        names = {str(c).strip().lower() for c in team.columns}
        missing = [c for c in [MEMBER, *inst.item_ids] if c not in names]
        if missing:
            raise InputError(
                [Problem("a required column is missing", "add it", column=c) for c in missing]
            )
        return empty_team(inst)
    return team_from_records(records, instrument=inst)


def _looks_valid(team: pd.DataFrame, inst: Instrument) -> bool:
    """Fast vectorised check that a non-empty DataFrame already satisfies the team format."""
    if len(team) == 0 or not set(team_columns(inst)).issubset(team.columns):
        return False
    names = list(team[MEMBER])
    if not all(isinstance(n, str) and n and n == n.strip() for n in names):
        return False
    if len({n.casefold() for n in names}) != len(names):
        return False
    if not all(pd.api.types.is_integer_dtype(team[c].dtype) for c in inst.item_ids):
        return False
    answers = team[inst.item_ids].to_numpy(dtype="float64", na_value=np.nan)
    if not np.isin(answers, SCALE).all():
        return False
    theirs = team[inst.member_item_ids].to_numpy(dtype="float64", na_value=np.nan)
    filled = (~np.isnan(theirs)).sum(axis=1)
    if not np.isin(filled, (0, len(inst.member_item_ids))).all():
        return False
    if not (np.isnan(theirs) | np.isin(theirs, SCALE)).all():
        return False
    for spec in inst.investment_fields:
        column = team[spec.id]
        if spec.kind == "choice":
            allowed = {o.value for o in spec.options}
            if not all(v is None or (isinstance(v, str) and v in allowed) for v in column):
                return False
        else:
            if not pd.api.types.is_integer_dtype(column.dtype):
                return False
            values = column.to_numpy(dtype="float64", na_value=np.nan)
            if not (np.isnan(values) | ((values >= spec.min) & (values <= spec.max))).all():
                return False
    return True


def band_edges(instrument: Instrument | None = None) -> list[tuple[int, int]]:
    """Pairs (last total of a band, first total of the next), e.g. (14, 15)."""
    inst = instrument or load_instrument()
    return [(a.max, b.min) for a, b in zip(inst.bands, inst.bands[1:], strict=False)]


# ---------------------------------------------------------------------------- team indicators


def _ranks(values: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean rank), as Spearman's rho needs."""
    return pd.Series(values).rank(method="average").to_numpy()


def spearman(x: np.ndarray, y: np.ndarray) -> float | None:
    """Spearman rank correlation of two equal-length arrays, or None if either is constant."""
    rx, ry = _ranks(np.asarray(x, dtype=float)), _ranks(np.asarray(y, dtype=float))
    if len(rx) < 2 or np.all(rx == rx[0]) or np.all(ry == ry[0]):
        return None
    return float(np.corrcoef(rx, ry)[0, 1])


def investment_gradient(
    scored: pd.DataFrame, instrument: Instrument | None = None
) -> dict[str, Any]:
    """How strongly development investment follows relationship quality across the team.

    Uses members with recorded investment; needs at least ``min_members`` (5) of them. Returns
    ``computed``, ``members_used``, ``min_members``, ``rho`` (or None), ``strength``, ``summary``.
    """
    inst = instrument or load_instrument()
    config = inst.gradient
    text = config["text"]
    minimum = int(config["min_members"])
    usable = scored[scored["investment_index"].notna()] if len(scored) else scored
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
    totals = usable["total"].to_numpy(dtype=float)
    index = usable["investment_index"].to_numpy(dtype=float)
    if np.all(totals == totals[0]) or np.all(index == index[0]):
        what = "relationship score" if np.all(totals == totals[0]) else "investment index"
        result["summary"] = text["no_spread"].format(what=what)
        return result
    rho = spearman(totals, index)
    assert rho is not None
    if rho >= config["strong"]:
        strength = "strong_positive"
    elif rho >= config["moderate"]:
        strength = "moderate_positive"
    elif rho > -config["moderate"]:
        strength = "flat"
    else:
        strength = "negative"
    result.update(
        computed=True,
        rho=round(rho, 3),
        strength=strength,
        summary=f"{text[strength].format(rho=rho, members_used=used)} {config['caveat']}",
    )
    return result


# ------------------------------------------------------------------------- views of the scores


def item_profile(
    scored: pd.DataFrame, member: str, instrument: Instrument | None = None
) -> pd.DataFrame:
    """One row per item for ``member``: theme, question, answer and anchor (theirs too if given)."""
    inst = instrument or load_instrument()
    rows = scored[scored[MEMBER] == member]
    if rows.empty:
        raise InputError(
            Problem(
                "no member with this name", "pick a member of the team", column=MEMBER, value=member
            )
        )
    row = rows.iloc[0]
    records = []
    for number, item in enumerate(inst.items, start=1):
        theirs = row.get(item.member_id)
        has_theirs = theirs is not None and not pd.isna(theirs)
        records.append(
            {
                "item": item.id,
                "number": number,
                "theme": item.theme,
                "question": item.manager,
                "score": int(row[item.id]),
                "anchor": item.anchor(int(row[item.id])),
                "member_score": int(theirs) if has_theirs else None,
                "member_anchor": item.anchor(int(theirs)) if has_theirs else None,
            }
        )
    return pd.DataFrame.from_records(records)


def scores_table(scored: pd.DataFrame, instrument: Instrument | None = None) -> pd.DataFrame:
    """A reader-friendly table of the scores (one row per member) for the chapter and the app."""
    inst = instrument or load_instrument()
    low, high = inst.total_range
    table = pd.DataFrame(
        {
            "Member": scored[MEMBER],
            f"Total ({low}-{high})": scored["total"],
            "Band": scored["band_label"],
            "Investment (0-1)": [
                "not recorded" if pd.isna(v) else f"{v:.2f}" for v in scored["investment_index"]
            ],
            "Investment band": [
                inst.investment_band_for(v).label for v in scored["investment_index"]
            ],
            "Left behind?": ["yes" if v else "" for v in scored["left_behind"]],
            "Their total": ["" if pd.isna(v) else str(int(v)) for v in scored["member_total"]],
            "Gap": ["" if pd.isna(v) else f"{int(v):+d}" for v in scored["perception_gap"]],
            "Flags": scored["flags"],
        }
    )
    return table


def member_guidance(row: Mapping[str, Any], instrument: Instrument | None = None) -> list[str]:
    """What a member's scores suggest, as short plain sentences (band note, left-behind advice)."""
    inst = instrument or load_instrument()
    band = inst.band(row["band"])
    lines = [band.note]
    if row.get("left_behind"):
        lines.append(inst.left_behind["guidance"])
    return lines
