"""pandas adapters for notebook users: DataFrame in, DataFrame out, over the pure core.

``read_team_csv`` and ``score_team`` return DataFrames in the team-CSV shape (plus the score
columns); underneath, the core works on plain :class:`~widgets.core.members.Member` records, which
is what runs in the browser, where pandas is not available.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import IO, Any

import numpy as np
import pandas as pd

from .base.errors import InputError, Problem
from .content.instrument import Instrument, load_instrument
from .core import scoring, teamfile
from .core.members import Member
from .core.teamfile import MEMBER, team_columns
from .views import charts
from .views.vegalite import VegaLiteChart

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[Any]


# ------------------------------------------------------------------------------ team <-> frame


def team_frame(team: Iterable[Member], instrument: Instrument | None = None) -> pd.DataFrame:
    """The team as a DataFrame with the team-CSV columns and types (blanks are missing values)."""
    inst = instrument or load_instrument()
    team = list(team)
    columns: dict[str, Any] = {MEMBER: np.array([m.name for m in team], dtype=object)}
    for position, item_id in enumerate(inst.item_ids):
        values = [m.answers[position] for m in team]
        if any(v is None for v in values):
            columns[item_id] = pd.array(values, dtype="Int64")
        else:
            columns[item_id] = np.array(values, dtype="int64")
    for spec in inst.investment_fields:
        values = [m.investment.get(spec.id) for m in team]
        if spec.kind == "count":
            columns[spec.id] = pd.array(values, dtype="Int64")
        else:
            columns[spec.id] = np.array(values, dtype=object)
    blank = (None,) * len(inst.items)
    for position, column in enumerate(inst.member_item_ids):
        values = [(m.their_answers or blank)[position] for m in team]
        columns[column] = pd.array(values, dtype="Int64")
    return pd.DataFrame(columns)


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def team_members(team: pd.DataFrame | list[Mapping[str, Any]], inst: Instrument) -> list[Member]:
    """Check a DataFrame (or member dicts) in the team-CSV shape and return the records."""
    if isinstance(team, list):
        return teamfile.team_from_records(team, instrument=inst, allow_empty=True)
    if not isinstance(team, pd.DataFrame):
        raise InputError(
            Problem(
                f"cannot use a {type(team).__name__} as a team",
                "pass the DataFrame from read_team_csv",
            )
        )
    names = {str(c).strip().lower(): c for c in team.columns}
    if len(team) == 0:
        missing = [c for c in [MEMBER, *inst.item_ids] if c not in names]
        if missing:
            raise InputError(
                [Problem("a required column is missing", "add it", column=c) for c in missing]
            )
        return []
    known = [c for c in team_columns(inst) if c in names]
    records = [
        {column: _plain(value) for column, value in zip(known, row, strict=True)}
        for row in team[[names[c] for c in known]].itertuples(index=False, name=None)
    ]
    return teamfile.team_from_records(records, instrument=inst)


# ---------------------------------------------------------------------------------- the API


def read_team_csv(
    path_or_file: Source, *, instrument: Instrument | None = None, name: str | None = None
) -> pd.DataFrame:
    """Read a team CSV (a path, bytes, or an open file) into a checked DataFrame.

    Raises :class:`InputError` listing every problem (row, column, value and fix) at once.
    """
    inst = instrument or load_instrument()
    return team_frame(teamfile.read_team(path_or_file, instrument=inst, name=name), inst)


def write_team_csv(
    team: pd.DataFrame,
    path_or_file: str | os.PathLike[str] | IO[Any] | None = None,
    delimiter: str = ",",
) -> str:
    """Export the team as a spreadsheet-safe CSV to a path (atomically) or an open file.

    The frame is checked like a file would be, so a frame built by hand is made safe too.
    Returns the CSV text; with no target only the text is returned.
    """
    inst = load_instrument()
    return teamfile.write_team(team_members(team, inst), path_or_file, delimiter=delimiter)


def empty_team(instrument: Instrument | None = None) -> pd.DataFrame:
    """A team with no members, with the columns and types :func:`read_team_csv` returns."""
    return team_frame([], instrument)


def team_from_records(
    records: Iterable[Mapping[str, Any]],
    *,
    instrument: Instrument | None = None,
    allow_empty: bool = False,
) -> pd.DataFrame:
    """Check member dicts (as saved by the app) and return the team DataFrame."""
    inst = instrument or load_instrument()
    members = teamfile.team_from_records(records, instrument=inst, allow_empty=allow_empty)
    return team_frame(members, inst)


def team_to_records(team: pd.DataFrame) -> list[dict[str, Any]]:
    """The team as JSON-ready dicts (blank values become None), inverse of team_from_records."""
    inst = load_instrument()
    return teamfile.team_to_records(team_members(team, inst), inst)


def team_format_table(instrument: Instrument | None = None) -> pd.DataFrame:
    """One row per team-CSV column: whether it is required, what it allows and what it means."""
    return pd.DataFrame(teamfile.team_format_rows(instrument), columns=teamfile.FORMAT_COLUMNS)


# ------------------------------------------------------------------------------------ scores


def scored_frame(scores: list[scoring.Score], inst: Instrument) -> pd.DataFrame:
    """The team frame with the score columns added."""
    team = team_frame([s.member for s in scores], inst)
    totals = [s.total for s in scores]
    complete = all(t is not None for t in totals)
    columns = {
        "total": np.array(totals, dtype="int64") if complete else pd.array(totals, dtype="Int64"),
        "band": [s.band.key if s.band else None for s in scores],
        "band_label": [s.band.label if s.band else None for s in scores],
        "investment_index": np.array(
            [np.nan if s.investment_index is None else s.investment_index for s in scores],
            dtype="float64",
        ),
        "investment_band": [s.investment_band.key for s in scores],
        "investment_fields": np.array([s.investment_fields for s in scores], dtype="int64"),
        "left_behind": np.array([s.left_behind for s in scores], dtype=bool),
        "flags": ["; ".join(s.flags) for s in scores],
        "member_total": pd.array([s.member_total for s in scores], dtype="Int64"),
        "member_band": [s.member_band.key if s.member_band else None for s in scores],
        "perception_gap": np.array(
            [np.nan if s.perception_gap is None else s.perception_gap for s in scores],
            dtype="float64",
        ),
    }
    return pd.concat([team, pd.DataFrame(columns, index=team.index)], axis=1)


def score_team(
    team: pd.DataFrame | list[Mapping[str, Any]],
    instrument: Instrument | None = None,
    *,
    checked: bool = False,
) -> pd.DataFrame:
    """Score every member, in input order: total, band, investment index and band, flags, gap.

    ``team`` is a DataFrame from :func:`read_team_csv` (or member dicts); anything else that does
    not fit the team format raises :class:`InputError`. (``checked`` is accepted for
    compatibility; the frame is always checked, which is cheap.)
    """
    inst = instrument or load_instrument()
    return scored_frame(scoring.score_members(team_members(team, inst), inst), inst)


def _scores(scored: pd.DataFrame, inst: Instrument) -> list[scoring.Score]:
    return scoring.score_members(team_members(scored, inst), inst)


def investment_gradient(
    scored: pd.DataFrame, instrument: Instrument | None = None
) -> dict[str, Any]:
    """How strongly development investment follows relationship quality (see core.scoring)."""
    inst = instrument or load_instrument()
    return scoring.gradient(_scores(scored, inst), inst)


def scores_table(scored: pd.DataFrame, instrument: Instrument | None = None) -> pd.DataFrame:
    """A reader-friendly table of the scores (one row per member) for the chapter and the app."""
    inst = instrument or load_instrument()
    rows = scoring.score_table_rows(_scores(scored, inst), inst)
    low, high = inst.total_range
    columns = [
        "Member",
        f"Total ({low}-{high})",
        "Band",
        "Investment (0-1)",
        "Investment band",
        "Left behind?",
        "Their total",
        "Gap",
        "Flags",
    ]
    return pd.DataFrame(rows, columns=columns)


def item_profile(
    scored: pd.DataFrame, member: str, instrument: Instrument | None = None
) -> pd.DataFrame:
    """One row per item for ``member``: theme, question, answer and anchor (theirs too if given)."""
    inst = instrument or load_instrument()
    for score in _scores(scored, inst):
        if score.name == member:
            return pd.DataFrame.from_records(scoring.item_rows(score, inst))
    raise InputError(
        Problem(
            "no member with this name", "pick a member of the team", column=MEMBER, value=member
        )
    )


# ------------------------------------------------------------------------------------ charts


def team_chart(
    scored: pd.DataFrame,
    instrument: Instrument | None = None,
    *,
    subtitle: str | None = None,
    aggregate_above: int = charts.AGGREGATE_ABOVE,
) -> VegaLiteChart:
    """Relationship total against investment index (see :func:`charts.team_chart_spec`)."""
    inst = instrument or load_instrument()
    spec = charts.team_chart_spec(
        _scores(scored, inst), inst, subtitle=subtitle, aggregate_above=aggregate_above
    )
    return VegaLiteChart(spec)


def item_profile_chart(
    scored: pd.DataFrame, member: str, instrument: Instrument | None = None
) -> VegaLiteChart:
    """One bar per item for ``member``, their own answers as ticks (see ``item_profile_spec``)."""
    inst = instrument or load_instrument()
    for score in _scores(scored, inst):
        if score.name == member:
            return VegaLiteChart(charts.item_profile_spec(score, inst))
    raise InputError(
        Problem(
            "no member with this name", "pick a member of the team", column=MEMBER, value=member
        )
    )


def participant_summary(
    scored: pd.DataFrame | list[scoring.Score], plans: Iterable[Any] | None = None
) -> dict[str, Any]:
    """The anonymous participant summary of a scored team (a :func:`score_team` DataFrame)."""
    from .core import summary

    if isinstance(scored, pd.DataFrame):
        inst = load_instrument()
        required = ("member", "band", "investment_band", "left_behind")
        missing = [c for c in required if c not in scored.columns]
        if missing:
            raise InputError(
                [
                    Problem(
                        "this is not the output of score_team",
                        "pass the scored team (score_team(team)), not the raw team table",
                        column=column,
                    )
                    for column in missing
                ]
            )
        if len(scored) == 0:
            raise InputError(
                Problem("the scored team is empty", "score at least one team member first")
            )
        scored = _scores(scored, inst)
    return summary.participant_summary(scored, plans)
