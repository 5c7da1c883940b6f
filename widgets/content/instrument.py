"""The relationship instrument (items, anchors, bands, investment fields), read from data/.

All wording lives in ``data/instrument.yml``; this module checks the file and turns it into plain,
immutable objects so the scoring code, charts, app and chapter all read the same text.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..base.errors import InputError, Problem
from .checking import Parsed, check_schema, placeholder_problems, raise_if, words
from .source import data_file, load_checked, summary_schema

INSTRUMENT_FILE = "instrument.yml"
SCALE = (1, 2, 3, 4, 5)
MEMBER_PREFIX = "m_"
# The texts of the 'thresholds' section: each discloses the cut-offs of one rule.
THRESHOLD_TEXTS = ("left_behind", "gradient", "perception_gap")


@dataclass(frozen=True)
class Item:
    """One question: its column id, theme, wording for each perspective and five anchor labels."""

    id: str
    theme: str
    manager: str
    member: str
    anchors: tuple[str, ...]

    @property
    def member_id(self) -> str:
        """The team-CSV column holding the member's own answer to this item."""
        return MEMBER_PREFIX + self.id

    def anchor(self, value: int) -> str:
        """The label of answer ``value`` (1-5)."""
        return self.anchors[int(value) - 1]


@dataclass(frozen=True)
class Band:
    """A heuristic interpretation band for the total score."""

    key: str
    label: str
    min: int
    max: int
    note: str

    @property
    def range_text(self) -> str:
        return f"{self.min}-{self.max}"


@dataclass(frozen=True)
class Option:
    """One allowed value of a choice field, with its label and investment score (0-1)."""

    value: str
    label: str
    score: float


@dataclass(frozen=True)
class InvestmentField:
    """One development-investment column of the team CSV (a choice or a count)."""

    id: str
    label: str
    kind: str
    weight: float
    help: str
    options: tuple[Option, ...] = ()
    min: int = 0
    max: int = 0
    full_at: int = 1

    def score(self, value: Any) -> float:
        """Score a recorded value on 0-1 (choices by their option score, counts up to full_at)."""
        if self.kind == "choice":
            return next(o.score for o in self.options if o.value == value)
        return min(float(value), float(self.full_at)) / float(self.full_at)

    def option_label(self, value: Any) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return str(value)


@dataclass(frozen=True)
class InvestmentBand:
    key: str
    label: str
    below: float | None


@dataclass(frozen=True)
class Instrument:
    """Everything the scorer shows or computes from ``data/instrument.yml``."""

    name: str
    note: str
    citation: str
    perspectives: dict[str, dict[str, str]]
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    investment_period: str
    investment_fields: tuple[InvestmentField, ...]
    investment_bands: tuple[InvestmentBand, ...]
    unknown_investment_label: str
    left_behind: dict[str, Any]
    perception_gap: dict[str, Any]
    flags: dict[str, str]
    gradient: dict[str, Any] = field(default_factory=dict)
    # Templates that disclose the book's cut-offs next to each result (filled in by
    # widgets.core.scoring.threshold_notes from the rules above).
    thresholds: dict[str, str] = field(default_factory=dict)
    # Which questionnaire this is (a member's answers file or code names it; see member_answers).
    id: str = "l4l-relationship-reflection"
    version: int = 1

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]

    @property
    def member_item_ids(self) -> list[str]:
        return [item.member_id for item in self.items]

    @property
    def field_ids(self) -> list[str]:
        return [f.id for f in self.investment_fields]

    @property
    def total_range(self) -> tuple[int, int]:
        return len(self.items) * SCALE[0], len(self.items) * SCALE[-1]

    def item(self, item_id: str) -> Item:
        return next(item for item in self.items if item.id == item_id)

    def investment_field(self, field_id: str) -> InvestmentField:
        return next(f for f in self.investment_fields if f.id == field_id)

    def band(self, key: str) -> Band:
        return next(band for band in self.bands if band.key == key)

    def band_for(self, total: int) -> Band:
        """The band holding ``total``; raises ValueError outside the instrument's range."""
        for band in self.bands:
            if band.min <= total <= band.max:
                return band
        low, high = self.total_range
        raise ValueError(f"total {total} is outside {low}-{high}")

    def investment_band_for(self, index: float | None) -> InvestmentBand:
        """The investment band of an index (0-1); an unknown index gets the 'unknown' band."""
        if index is None or (isinstance(index, float) and math.isnan(index)):
            return InvestmentBand("unknown", self.unknown_investment_label, None)
        for band in self.investment_bands:
            if band.below is None or index < band.below:
                return band
        return self.investment_bands[-1]


def load_instrument(name: str = INSTRUMENT_FILE) -> Instrument:
    """Read and check ``data/<name>``: its schema first, then the rules a schema cannot state."""
    path = data_file(name)
    return _build_cached(str(path), name, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _build_cached(_path: str, name: str, _mtime: int) -> Instrument:
    return instrument_from(load_checked(name, "instrument"))


def build_instrument(raw: Any, source: str = f"data/{INSTRUMENT_FILE}") -> Instrument:
    """Check parsed data held in memory against the schema, then build the :class:`Instrument`."""
    parsed = Parsed(source, raw)
    check_schema(parsed, "instrument")
    return instrument_from(parsed)


# Texts the tools fill in with str.format: the names each may use.
PLACEHOLDERS = {
    ("flags", "partly_recorded"): ("recorded", "fields"),
    ("perception_gap", "higher"): ("gap",),
    ("perception_gap", "lower"): ("gap",),
    ("gradient", "text", "too_few"): ("min_members", "members_used"),
    ("gradient", "text", "no_spread"): ("what", "members_used"),
    ("gradient", "text", "strong_positive"): ("rho", "members_used"),
    ("gradient", "text", "moderate_positive"): ("rho", "members_used"),
    ("gradient", "text", "flat"): ("rho", "members_used"),
    ("gradient", "text", "negative"): ("rho", "members_used"),
    ("thresholds", "left_behind"): ("bands", "totals", "investment_band", "investment_below"),
    ("thresholds", "gradient"): ("min_members", "strong", "moderate", "negative"),
    ("thresholds", "perception_gap"): ("notable",),
}


def instrument_from(parsed: Parsed) -> Instrument:
    """Build the :class:`Instrument` from a schema-checked file, checking what a schema cannot.

    Those rules: items numbered in order, bands covering every total once, references between
    sections, choice and count settings that fit together, rising investment limits, band keys
    the saved summaries use, and the placeholders each text may hold.
    """
    raw = parsed.data
    problems: list[Problem] = []

    def bad(path: tuple[Any, ...], message: str, fix: str, value: Any = None) -> None:
        problems.append(parsed.problem(path, message, fix, value))

    items = _read_items(raw["items"], bad)
    bands = _read_bands(raw["bands"], len(items), bad)
    investment = raw["investment"]
    fields = _read_fields(investment["fields"], bad)
    inv_bands = _read_investment_bands(investment["bands"], bad)
    left = raw["left_behind"]
    band_keys = [b.key for b in bands]
    for index, key in enumerate(left["relationship_bands"]):
        if key not in band_keys:
            bad(
                ("left_behind", "relationship_bands", index),
                "unknown band key",
                f"use a key from bands: {', '.join(band_keys)}",
                key,
            )
    inv_keys = [b.key for b in inv_bands]
    if left["investment_band"] not in inv_keys:
        bad(
            ("left_behind", "investment_band"),
            "unknown investment band",
            f"use a key from investment.bands: {', '.join(inv_keys)}",
            left["investment_band"],
        )
    problems += placeholder_problems(parsed, PLACEHOLDERS)
    problems += _summary_key_problems(parsed)
    raise_if(problems, parsed.source)
    perspectives, gap, flags, gradient = (
        raw["perspectives"],
        raw["perception_gap"],
        raw["flags"],
        raw["gradient"],
    )
    return Instrument(
        name=words(raw["name"]),
        note=words(raw["note"]),
        citation=words(raw["citation"]),
        perspectives={
            key: {part: words(perspectives[key][part]) for part in ("label", "help")}
            for key in ("manager", "member")
        },
        items=tuple(items),
        bands=tuple(bands),
        investment_period=str(investment.get("period", "the last six months")),
        investment_fields=tuple(fields),
        investment_bands=tuple(inv_bands),
        unknown_investment_label=str(investment.get("unknown_label", "Not recorded")),
        left_behind={
            "relationship_bands": tuple(left["relationship_bands"]),
            "investment_band": left["investment_band"],
            "flag": words(left["flag"]),
            "guidance": words(left["guidance"]),
        },
        perception_gap={k: (words(v) if isinstance(v, str) else v) for k, v in gap.items()},
        flags={k: words(v) for k, v in flags.items()},
        gradient={
            **{k: v for k, v in gradient.items() if k != "text"},
            "caveat": words(gradient["caveat"]),
            "text": {k: words(v) for k, v in gradient["text"].items()},
        },
        thresholds={key: words(raw["thresholds"][key]) for key in THRESHOLD_TEXTS},
        id=str(raw["id"]),
        version=int(raw["version"]),
    )


def _read_items(raw: list[dict[str, Any]], bad) -> list[Item]:
    items: list[Item] = []
    for index, entry in enumerate(raw):
        expected = f"q{index + 1}"
        if entry["id"] != expected:
            bad(
                ("items", index, "id"),
                f"items must be numbered in order: expected {expected} here",
                f"write id: {expected} (the items are numbered q1 to q7, top to bottom)",
                entry["id"],
            )
        items.append(
            Item(
                id=expected,
                theme=words(entry["theme"]),
                manager=words(entry["manager"]),
                member=words(entry["member"]),
                anchors=tuple(words(a) for a in entry["anchors"]),
            )
        )
    return items


def _read_bands(raw: list[dict[str, Any]], n_items: int, bad) -> list[Band]:
    """The bands, which must cover every total from n_items x 1 to n_items x 5 exactly once."""
    order = sorted(range(len(raw)), key=lambda i: raw[i]["min"])
    for index in order:
        low, high = raw[index]["min"], raw[index]["max"]
        if low > high:
            bad(
                ("bands", index, "max"),
                f"this band ends at {high}, before it starts ({low})",
                f"set max to {low} or more",
                high,
            )
    lowest, highest = n_items * SCALE[0], n_items * SCALE[-1]
    expected, first = lowest, True
    for index in order:
        found = raw[index]["min"]
        if found != expected:
            kind = "a gap" if found > expected else "an overlap"
            if first:
                message = (
                    f"{kind}: the lowest band starts at {found}, but totals start at {expected}"
                )
                fix = f"set min to {expected}"
            else:
                message = (
                    f"{kind}: this band starts at {found}, but the band before it ends at "
                    f"{expected - 1}"
                )
                fix = f"set min to {expected}, or set the previous band's max to {found - 1}"
            bad(("bands", index, "min"), message, fix, found)
        expected, first = max(expected, raw[index]["max"] + 1), False
    if raw and expected != highest + 1:
        last = order[-1]
        bad(
            ("bands", last, "max"),
            f"the last band must end at {highest}, the highest total",
            f"set the last band's max to {highest}",
            raw[last]["max"],
        )
    return [
        Band(
            str(raw[i]["key"]),
            words(raw[i]["label"]),
            raw[i]["min"],
            raw[i]["max"],
            words(raw[i]["note"]),
        )
        for i in order
    ]


def _read_fields(raw: list[dict[str, Any]], bad) -> list[InvestmentField]:
    fields: list[InvestmentField] = []
    for index, entry in enumerate(raw):
        where = ("investment", "fields", index)
        kind = entry["kind"]
        common = dict(
            id=str(entry["id"]),
            label=words(entry["label"]),
            kind=str(kind),
            weight=float(entry["weight"]),
            help=words(entry["help"]),
        )
        if kind == "choice":
            options = tuple(
                Option(str(o["value"]), words(o["label"]), float(o["score"]))
                for o in entry.get("options") or []
            )
            if len(options) < 2:
                bad(
                    (*where, "options"),
                    f"a choice needs at least two options; this one has {len(options)}",
                    "list the allowed values under 'options:', each with value, label and score",
                )
            fields.append(InvestmentField(**common, options=options))
        else:  # count (the schema allows only choice and count)
            low, high, full = entry.get("min"), entry.get("max"), entry.get("full_at")
            if None in (low, high, full) or not low < full <= high:
                bad(
                    where,
                    "a count needs min, full_at and max with min < full_at <= max",
                    "set them, e.g. min: 0, full_at: 4, max: 50",
                    None if None in (low, high, full) else f"{low}, {full}, {high}",
                )
                low, high, full = 0, 50, 1
            fields.append(InvestmentField(**common, min=low, max=high, full_at=full))
    return fields


def _read_investment_bands(raw: list[dict[str, Any]], bad) -> list[InvestmentBand]:
    bands: list[InvestmentBand] = []
    previous = 0.0
    for index, entry in enumerate(raw):
        last = index == len(raw) - 1
        below = entry.get("below")
        if not last and below is None:
            bad(
                ("investment", "bands", index),
                "every band but the last needs 'below' (the limit where the next band starts)",
                "add a line 'below: ...' with a number between 0 and 1, e.g. below: 0.4",
            )
        elif not last and not previous < below:
            bad(
                ("investment", "bands", index, "below"),
                f"the limits must rise: this one is not above the band before it ({previous})",
                f"set below to more than {previous}",
                below,
            )
        previous = below if isinstance(below, (int, float)) else previous
        bands.append(
            InvestmentBand(
                str(entry["key"]), words(entry["label"]), None if last else float(below or 0)
            )
        )
    return bands


def _summary_key_problems(parsed: Parsed) -> list[Problem]:
    """The band keys must be those the saved workshop summaries use (data/summary.schema.json)."""
    try:
        summary = summary_schema()
    except (InputError, OSError, ValueError):
        return []
    problems = []
    for section, path, skip in (
        ("band_counts", ("bands",), ()),
        ("investment_band_counts", ("investment", "bands"), ("unknown",)),
    ):
        wanted = [k for k in summary["properties"][section]["required"] if k not in skip]
        entries: Any = parsed.data
        for part in path:
            entries = entries[part]
        keys = [str(e["key"]) for e in entries]
        if sorted(keys) != sorted(wanted):
            problems.append(
                parsed.problem(
                    path,
                    f"the band keys must be exactly {', '.join(wanted)}: the workshop summaries "
                    "and saved files use them",
                    "keep the keys and change the labels, notes and limits instead",
                    ", ".join(keys),
                )
            )
    return problems
