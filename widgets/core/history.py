"""Change over time: dated snapshots of the scored team, and what changed between two of them.

Every save of the user's own team also keeps a snapshot of the day (see
:class:`~widgets.base.storage.SnapshotStore`). This module turns snapshots back into scores with
the scorer's own rules (:func:`~widgets.core.scoring.score_members`, ``left_behind``,
:func:`~widgets.core.scoring.gradient`) and compares two of them. As everywhere in the tool, only
fully rated members count: anyone partly rated in a snapshot is left out and counted.
People are matched across snapshots by name, ignoring capitals (a renamed person is two people).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..base.csvwrite import csv_text
from ..base.errors import InputError, Problem
from ..base.storage import SnapshotStore
from ..content.instrument import Instrument, load_instrument
from .members import Member
from .scoring import Score, gradient, score_members
from .summary import band_keys, participant_summary, pattern_keys
from .teamfile import protect_team_text, team_from_records, team_to_records

SNAPSHOT_KIND = "relationship-scorer-snapshot"
SNAPSHOT_SCHEMA_VERSION = 1
SNAPSHOT_SUFFIX = "-snapshot"
HISTORY_EXPORT_NAME = "team-history-export.csv"
HISTORY_CSV_COLUMNS = (
    "snapshot",
    "saved_at",
    "member",
    "fully_rated",
    "total",
    "band",
    "investment_index",
    "investment_band",
    "left_behind",
)


def snapshot_store(team_path: str | Path, *, limit: int | None = None) -> SnapshotStore:
    """The snapshots of a saved team, beside it: ``team.json`` -> ``team-snapshot-<day>.json``."""
    path = Path(team_path)
    extra = {} if limit is None else {"limit": limit}
    return SnapshotStore(
        path.parent,
        path.stem + SNAPSHOT_SUFFIX,
        SNAPSHOT_KIND,
        SNAPSHOT_SCHEMA_VERSION,
        **extra,
    )


@dataclass(frozen=True)
class Snapshot:
    """One day's saved team, scored: ``day`` is ``YYYY-MM-DD``, ``saved_at`` an ISO time."""

    day: str
    saved_at: str
    scores: tuple[Score, ...]

    @property
    def rated(self) -> list[Score]:
        """The fully rated members (the only ones any comparison counts)."""
        return [s for s in self.scores if s.complete]

    @property
    def not_rated(self) -> int:
        """How many members were only partly rated (left out, and counted)."""
        return sum(not s.complete for s in self.scores)


def record_snapshot(
    store: SnapshotStore,
    team: Iterable[Member],
    instrument: Instrument | None = None,
    *,
    now: datetime | None = None,
) -> Path:
    """Keep ``team`` as today's snapshot (replacing today's earlier one, if any)."""
    inst = instrument or load_instrument()
    return store.save({"team": team_to_records(team, inst)}, now=now)


def snapshot_from_team(
    team: Sequence[Member], day: str, saved_at: str = "", instrument: Instrument | None = None
) -> Snapshot:
    """A snapshot of a team in memory (for comparisons with what is on screen, and tests)."""
    inst = instrument or load_instrument()
    return Snapshot(day, saved_at or day, tuple(score_members(team, inst)))


def load_snapshots(
    store: SnapshotStore, instrument: Instrument | None = None
) -> tuple[list[Snapshot], list[Problem]]:
    """Every readable snapshot, oldest first, and the problems with the others.

    A damaged snapshot (not JSON, wrong kind, members that fail the team file's checks) is moved
    aside and reported; one made by a newer version is left alone and reported. Never raises
    for a file's content.
    """
    inst = instrument or load_instrument()
    snapshots: list[Snapshot] = []
    problems: list[Problem] = []
    for day in store.days():
        try:
            snapshots.append(_read_snapshot(store, day, inst))
        except InputError as error:
            problems.extend(error.problems)
        except OSError as error:  # unreadable (permissions, a failing disk): say so, keep going
            problems.append(
                Problem(
                    f"the snapshot could not be read ({error.strerror or type(error).__name__})",
                    "check that the data folder can be read; the file was left as it is",
                    source=store.path_for(day).name,
                )
            )
    return snapshots, problems


def load_snapshot(store: SnapshotStore, day: str, instrument: Instrument | None = None) -> Snapshot:
    """One snapshot, scored; an :class:`InputError` says why it cannot be used."""
    return _read_snapshot(store, day, instrument or load_instrument())


def _read_snapshot(store: SnapshotStore, day: str, inst: Instrument) -> Snapshot:
    document = store.load(day)
    path = store.path_for(day)
    records = document.get("team")
    saved_at = document.get("saved_at")
    try:
        if not isinstance(records, list):
            raise InputError(
                Problem("the snapshot has no team list", "delete it", source=path.name)
            )
        team = team_from_records(records, instrument=inst, source=path.name, allow_empty=True)
    except InputError as error:
        raise store.set_aside(path, error.problems) from None
    return Snapshot(day, str(saved_at or day), tuple(score_members(team, inst)))


# ------------------------------------------------------------------------------ comparing two


def person_key(name: str) -> str:
    """How two snapshots decide they hold the same person: the team file's rule (NFC, no case)."""
    return unicodedata.normalize("NFC", name).casefold()


@dataclass(frozen=True)
class PersonChange:
    """One person rated in both snapshots: then, now, and whether they moved across the zone."""

    name: str
    then: Score
    now: Score

    @property
    def total_change(self) -> int:
        return int(self.now.total or 0) - int(self.then.total or 0)

    @property
    def investment_change(self) -> float | None:
        before, after = self.then.investment_index, self.now.investment_index
        return None if before is None or after is None else round(after - before, 4)

    @property
    def zone(self) -> str:
        """``entered``, ``left``, ``stayed`` (in the left-behind zone both times) or ``outside``."""
        if self.now.left_behind and not self.then.left_behind:
            return "entered"
        if self.then.left_behind and not self.now.left_behind:
            return "left"
        return "stayed" if self.now.left_behind else "outside"


@dataclass(frozen=True)
class Comparison:
    """What changed from snapshot ``then`` to snapshot ``now`` (fully rated members only)."""

    then: Snapshot
    now: Snapshot
    people: tuple[PersonChange, ...]
    only_then: tuple[str, ...]  # rated then, not on the team (or not rated) now
    only_now: tuple[str, ...]  # rated now, not on the team (or not rated) then
    not_rated_then: int
    not_rated_now: int
    indicator_then: dict[str, Any] = field(default_factory=dict)
    indicator_now: dict[str, Any] = field(default_factory=dict)

    @property
    def entered(self) -> list[str]:
        """Who is in the left-behind zone now but was not then."""
        return [p.name for p in self.people if p.zone == "entered"]

    @property
    def left(self) -> list[str]:
        """Who was in the left-behind zone then and is not now."""
        return [p.name for p in self.people if p.zone == "left"]


def compare(then: Snapshot, now: Snapshot, instrument: Instrument | None = None) -> Comparison:
    """Per person: total and investment then and now, and who entered or left the zone."""
    inst = instrument or load_instrument()
    before = {person_key(s.name): s for s in then.rated}
    after = {person_key(s.name): s for s in now.rated}
    people = tuple(
        PersonChange(score.name, before[key], score)
        for key, score in after.items()
        if key in before
    )
    return Comparison(
        then=then,
        now=now,
        people=people,
        only_then=tuple(s.name for key, s in before.items() if key not in after),
        only_now=tuple(s.name for key, s in after.items() if key not in before),
        not_rated_then=then.not_rated,
        not_rated_now=now.not_rated,
        indicator_then=gradient(then.rated, inst),
        indicator_now=gradient(now.rated, inst),
    )


def default_pair(snapshots: Sequence[Snapshot]) -> tuple[Snapshot, Snapshot] | None:
    """The earliest and the latest snapshot (None until there are two)."""
    if len(snapshots) < 2:
        return None
    return snapshots[0], snapshots[-1]


def change_rows(comparison: Comparison) -> list[dict[str, Any]]:
    """A reader-friendly row per person in both snapshots (for the app's table)."""
    rows = []
    for person in comparison.people:
        then, now = person.then, person.now
        rows.append(
            {
                "Member": person.name,
                "Total then": then.total,
                "Total now": now.total,
                "Change": f"{person.total_change:+d}",
                "Band then": then.band.label if then.band else "",
                "Band now": now.band.label if now.band else "",
                "Investment then": _index_text(then.investment_index),
                "Investment now": _index_text(now.investment_index),
                "Left-behind zone": ZONE_WORDS[person.zone],
            }
        )
    return rows


ZONE_WORDS = {
    "entered": "entered",
    "left": "left",
    "stayed": "in it both times",
    "outside": "",
}


def _index_text(index: float | None) -> str:
    return "not recorded" if index is None else f"{index:.2f}"


# --------------------------------------------------------------------------- over all snapshots


def indicator_timeline(
    snapshots: Sequence[Snapshot], instrument: Instrument | None = None
) -> list[dict[str, Any]]:
    """The team indicator (:func:`gradient`) and left-behind count of every snapshot, in order."""
    inst = instrument or load_instrument()
    timeline = []
    for snap in snapshots:
        rated = snap.rated
        result = gradient(rated, inst)
        timeline.append(
            {
                "day": snap.day,
                "rated": len(rated),
                "not_rated": snap.not_rated,
                "left_behind": sum(s.left_behind for s in rated),
                "computed": bool(result["computed"]),
                "rho": result["rho"],
                "strength": result["strength"],
                "members_used": result["members_used"],
                "min_members": result["min_members"],
                "summary": result["summary"],
            }
        )
    return timeline


def history_csv_text(snapshots: Sequence[Snapshot]) -> str:
    """Every snapshot as CSV, one row per person per snapshot, every text cell formula-safe."""
    rows = []
    for snap in snapshots:
        for s in snap.scores:
            rows.append(
                [
                    snap.day,
                    snap.saved_at,
                    s.name,
                    "yes" if s.complete else "no",
                    s.total,
                    s.band.key if s.band else "",
                    "" if s.investment_index is None else f"{s.investment_index:.4f}",
                    s.investment_band.key,
                    ("yes" if s.left_behind else "no") if s.complete else "",
                ]
            )
    return csv_text(HISTORY_CSV_COLUMNS, rows, protect=protect_team_text)


# ------------------------------------------------------------- for participant summaries (lead)


def summary_counts(snapshot: Snapshot) -> dict[str, Any]:
    """A snapshot's counts in the participant summary's keys (bands, pattern, left behind)."""
    rated = snapshot.rated
    if rated:
        made = participant_summary(rated)
        bands = dict(made["band_counts"])
        pattern = str(made["investment_pattern"])
        left_behind = int(made["left_behind"])
    else:
        bands = dict.fromkeys(band_keys(), 0)
        pattern = "not_computed"
        left_behind = 0
    return {
        "day": snapshot.day,
        "team_size": len(rated),
        "not_rated": snapshot.not_rated,
        "band_counts": bands,
        "investment_pattern": pattern,
        "pattern_counts": {key: int(key == pattern) for key in pattern_keys()},
        "left_behind": left_behind,
    }


def summary_counts_before_after(before: Snapshot, after: Snapshot) -> dict[str, dict[str, Any]]:
    """Band and pattern counts of two snapshots, in the keys of ``band_keys()``/``pattern_keys()``.

    ``pattern_counts`` is one-hot (this team's pattern counts 1), so a group can add them up.
    Counts only, no names: safe to put in a participant summary.
    """
    return {"before": summary_counts(before), "after": summary_counts(after)}
