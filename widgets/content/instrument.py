"""The relationship instrument (items, anchors, bands, investment fields), read from data/.

All wording lives in ``data/instrument.yml``; this module checks the file and turns it into plain,
immutable objects so the scoring code, charts, app and chapter all read the same text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..base.errors import InputError, Problem
from .source import data_file, load_yaml

INSTRUMENT_FILE = "instrument.yml"
SCALE = (1, 2, 3, 4, 5)
MEMBER_PREFIX = "m_"
# The texts of the 'thresholds' section: each discloses the cut-offs of one rule.
THRESHOLD_TEXTS = ("left_behind", "gradient", "perception_gap")
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


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
    """Read and check ``data/<name>``; every mistake in the file is reported at once."""
    path = data_file(name)
    return _build_cached(str(path), name, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _build_cached(_path: str, name: str, _mtime: int) -> Instrument:
    return build_instrument(load_yaml(name), source=f"data/{name}")


def build_instrument(raw: Any, source: str = f"data/{INSTRUMENT_FILE}") -> Instrument:
    """Turn parsed YAML into an :class:`Instrument`; raise :class:`InputError` listing mistakes."""
    problems: list[Problem] = []

    def bad(where: str, message: str, fix: str, value: Any = None) -> None:
        problems.append(Problem(message, fix, column=where, value=value, source=source))

    if not isinstance(raw, dict):
        raise InputError(
            Problem("the file must hold a mapping of settings", "restore it", source=source)
        )

    def text(mapping: Any, key: str, where: str) -> str:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if not isinstance(value, str) or not value.strip():
            bad(
                f"{where}.{key}" if where else key, "missing text", f"give '{key}' some text", value
            )
            return ""
        return " ".join(value.split())

    items = _read_items(raw.get("items"), bad, text)
    bands = _read_bands(raw.get("bands"), len(items), bad, text)
    investment = raw.get("investment") if isinstance(raw.get("investment"), dict) else {}
    if not investment:
        bad("investment", "the investment section is missing", "restore it from the original book")
    fields = _read_fields(investment.get("fields"), bad, text)
    inv_bands = _read_investment_bands(investment.get("bands"), bad)
    perspectives = raw.get("perspectives") if isinstance(raw.get("perspectives"), dict) else {}
    for key in ("manager", "member"):
        for part in ("label", "help"):
            text(perspectives.get(key), part, f"perspectives.{key}")
    left = raw.get("left_behind") if isinstance(raw.get("left_behind"), dict) else {}
    for key in ("flag", "guidance"):
        text(left, key, "left_behind")
    band_keys = {b.key for b in bands}
    for key in left.get("relationship_bands") or []:
        if key not in band_keys:
            bad("left_behind.relationship_bands", "unknown band key", "use a key from bands", key)
    if left.get("investment_band") not in {b.key for b in inv_bands}:
        bad(
            "left_behind.investment_band",
            "unknown investment band",
            "use a key from investment.bands",
            left.get("investment_band"),
        )
    gap = raw.get("perception_gap") if isinstance(raw.get("perception_gap"), dict) else {}
    if not isinstance(gap.get("notable"), int) or gap.get("notable") < 1:
        bad("perception_gap.notable", "must be a whole number of points, 1 or more", "e.g. 5")
    for key in ("higher", "lower"):
        text(gap, key, "perception_gap")
    flags = raw.get("flags") if isinstance(raw.get("flags"), dict) else {}
    for key in ("not_recorded", "partly_recorded"):
        text(flags, key, "flags")
    gradient = raw.get("gradient") if isinstance(raw.get("gradient"), dict) else {}
    if not isinstance(gradient.get("min_members"), int) or gradient.get("min_members") < 3:
        bad("gradient.min_members", "must be a whole number, 3 or more", "e.g. 5")
    for key in ("too_few", "no_spread", "strong_positive", "moderate_positive", "flat", "negative"):
        text(gradient.get("text") or {}, key, "gradient.text")
    text(gradient, "caveat", "gradient")
    thresholds = raw.get("thresholds") if isinstance(raw.get("thresholds"), dict) else {}
    for key in THRESHOLD_TEXTS:
        text(thresholds, key, "thresholds")
    instrument_id, version = raw.get("id"), raw.get("version")
    if not isinstance(instrument_id, str) or not ID_PATTERN.fullmatch(instrument_id):
        bad(
            "id",
            "needs a short id in lower case without spaces (members' answers carry it)",
            "e.g. id: l4l-relationship-reflection",
            instrument_id,
        )
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= 255:
        bad("version", "must be a whole number from 1 to 255", "e.g. version: 1", version)
    name = text(raw, "name", "")
    note = text(raw, "note", "")
    citation = text(raw, "citation", "")
    if problems:
        raise InputError(problems, title=f"{source} has {len(problems)} problem(s)")
    return Instrument(
        name=name,
        note=note,
        citation=citation,
        perspectives={
            key: {
                part: " ".join(str(perspectives[key][part]).split()) for part in ("label", "help")
            }
            for key in ("manager", "member")
        },
        items=tuple(items),
        bands=tuple(bands),
        investment_period=str(investment.get("period", "the last six months")),
        investment_fields=tuple(fields),
        investment_bands=tuple(inv_bands),
        unknown_investment_label=str(investment.get("unknown_label", "Not recorded")),
        left_behind={
            "relationship_bands": tuple(left.get("relationship_bands") or ()),
            "investment_band": left.get("investment_band"),
            "flag": " ".join(left["flag"].split()),
            "guidance": " ".join(left["guidance"].split()),
        },
        perception_gap={
            k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in gap.items()
        },
        flags={k: " ".join(str(v).split()) for k, v in flags.items()},
        gradient={
            **{k: v for k, v in gradient.items() if k != "text"},
            "caveat": " ".join(str(gradient.get("caveat", "")).split()),
            "text": {k: " ".join(str(v).split()) for k, v in (gradient.get("text") or {}).items()},
        },
        thresholds={key: " ".join(str(thresholds[key]).split()) for key in THRESHOLD_TEXTS},
        id=str(instrument_id),
        version=int(version),
    )


def _read_items(raw: Any, bad, text) -> list[Item]:
    if not isinstance(raw, list) or not raw:
        bad("items", "the list of items is missing", "restore the items from the original book")
        return []
    items: list[Item] = []
    for number, entry in enumerate(raw, start=1):
        where = f"items[{number}]"
        expected = f"q{number}"
        if not isinstance(entry, dict):
            bad(where, "each item must be a mapping", "indent the item's fields under '- id:'")
            continue
        if entry.get("id") != expected:
            bad(
                f"{where}.id",
                f"items must be numbered in order: expected {expected}",
                "renumber the ids",
                entry.get("id"),
            )
        anchors = entry.get("anchors")
        if (
            not isinstance(anchors, list)
            or len(anchors) != len(SCALE)
            or not all(isinstance(a, str) and a.strip() for a in anchors)
        ):
            bad(
                f"{where}.anchors",
                "needs exactly five non-empty anchor labels",
                "list five labels, lowest first",
            )
            anchors = [str(v) for v in SCALE]
        items.append(
            Item(
                id=expected,
                theme=text(entry, "theme", where),
                manager=text(entry, "manager", where),
                member=text(entry, "member", where),
                anchors=tuple(" ".join(a.split()) for a in anchors),
            )
        )
    return items


def _read_bands(raw: Any, n_items: int, bad, text) -> list[Band]:
    if not isinstance(raw, list) or not raw:
        bad("bands", "the list of bands is missing", "restore the bands from the original book")
        return []
    bands: list[Band] = []
    for number, entry in enumerate(raw, start=1):
        where = f"bands[{number}]"
        if not isinstance(entry, dict):
            bad(where, "each band must be a mapping", "indent the band's fields under '- key:'")
            continue
        low, high = entry.get("min"), entry.get("max")
        if not isinstance(low, int) or not isinstance(high, int) or low > high:
            bad(
                where,
                "min and max must be whole numbers with min <= max",
                "fix the numbers",
                (low, high),
            )
            continue
        bands.append(
            Band(
                str(entry.get("key")),
                text(entry, "label", where),
                low,
                high,
                text(entry, "note", where),
            )
        )
    expected = n_items * SCALE[0]
    for band in sorted(bands, key=lambda b: b.min):
        if band.min != expected:
            bad(
                "bands",
                "the bands must cover every total without gaps or overlaps; expected a band "
                f"starting at {expected}",
                "adjust min and max",
                band.min,
            )
        expected = band.max + 1
    if bands and expected != n_items * SCALE[-1] + 1:
        bad(
            "bands",
            f"the last band must end at {n_items * SCALE[-1]}",
            "adjust the last max",
            expected - 1,
        )
    return sorted(bands, key=lambda b: b.min)


def _read_fields(raw: Any, bad, text) -> list[InvestmentField]:
    if not isinstance(raw, list) or not raw:
        bad(
            "investment.fields",
            "the investment fields are missing",
            "restore them from the original book",
        )
        return []
    fields: list[InvestmentField] = []
    for number, entry in enumerate(raw, start=1):
        where = f"investment.fields[{number}]"
        if not isinstance(entry, dict):
            bad(where, "each field must be a mapping", "indent the field's settings under '- id:'")
            continue
        kind = entry.get("kind")
        weight = entry.get("weight")
        if not isinstance(weight, (int, float)) or weight <= 0:
            bad(f"{where}.weight", "must be a positive number", "e.g. 1", weight)
            weight = 1
        common = dict(
            id=str(entry.get("id")),
            label=text(entry, "label", where),
            kind=str(kind),
            weight=float(weight),
            help=text(entry, "help", where),
        )
        if kind == "choice":
            options = []
            for option in entry.get("options") or []:
                score = option.get("score") if isinstance(option, dict) else None
                if not isinstance(score, (int, float)) or not 0 <= score <= 1:
                    bad(
                        f"{where}.options",
                        "each option needs a score from 0 to 1",
                        "fix the score",
                        score,
                    )
                    continue
                options.append(
                    Option(str(option.get("value")), text(option, "label", where), float(score))
                )
            if len(options) < 2:
                bad(
                    f"{where}.options",
                    "a choice needs at least two options",
                    "list the allowed values",
                )
            fields.append(InvestmentField(**common, options=tuple(options)))
        elif kind == "count":
            low, high, full = entry.get("min"), entry.get("max"), entry.get("full_at")
            if (
                not all(isinstance(v, int) for v in (low, high, full))
                or not 0 <= low < full <= high
            ):
                bad(
                    where,
                    "a count needs whole numbers with 0 <= min < full_at <= max",
                    "fix min, full_at and max",
                    (low, full, high),
                )
                low, high, full = 0, 50, 1
            fields.append(InvestmentField(**common, min=low, max=high, full_at=full))
        else:
            bad(f"{where}.kind", "kind must be 'choice' or 'count'", "set kind", kind)
    return fields


def _read_investment_bands(raw: Any, bad) -> list[InvestmentBand]:
    bands: list[InvestmentBand] = []
    previous = 0.0
    for number, entry in enumerate(raw or [], start=1):
        below = entry.get("below") if isinstance(entry, dict) else None
        last = number == len(raw)
        if not isinstance(entry, dict) or (not last and not isinstance(below, (int, float))):
            bad(
                f"investment.bands[{number}]",
                "every band but the last needs 'below' (0-1)",
                "add it",
                below,
            )
            continue
        if not last and not previous < below <= 1:
            bad(
                f"investment.bands[{number}].below",
                "limits must rise between 0 and 1",
                "fix the order",
                below,
            )
        previous = below if isinstance(below, (int, float)) else previous
        bands.append(
            InvestmentBand(
                str(entry.get("key")), str(entry.get("label")), None if last else float(below)
            )
        )
    if len(bands) < 2:
        bad(
            "investment.bands",
            "needs at least two bands",
            "restore the bands from the original book",
        )
    return bands
