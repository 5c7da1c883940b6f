"""The learning-leader checklist's content: statements, scale and suggestions from data/.

The statements, answer scale and "try next" suggestions live once in
``data/learning_leader_behaviours.yml``; this module reads them through their schema, checks
the rules a schema cannot state (unique keys, listed focus keys, a source data/references.bib
holds) and turns them into objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..base.errors import Problem
from .checking import Parsed, check_schema, raise_if
from .source import load_checked

DATA_FILE = "learning_leader_behaviours.yml"


@dataclass(frozen=True)
class ScaleOption:
    """One answer a reader can give, e.g. "Sometimes", with the points that order it."""

    key: str
    label: str
    points: int


@dataclass(frozen=True)
class Behaviour:
    """One statement of the checklist, with the relationship it is about and a next step."""

    id: str
    focus: str
    focus_label: str
    text: str
    try_next: str


@dataclass(frozen=True)
class Checklist:
    """The whole checklist as read from its data file."""

    title: str
    intro: str
    source: str
    scale: tuple[ScaleOption, ...]
    strength_points: int
    focus: dict[str, str]
    behaviours: tuple[Behaviour, ...]

    @property
    def max_points(self) -> int:
        """Points of the highest answer on the scale."""
        return max(option.points for option in self.scale)


def parse_checklist(raw: Any, source: str = f"data/{DATA_FILE}") -> Checklist:
    """Check parsed data held in memory against the schema, then build the checklist."""
    parsed = Parsed(source, raw)
    check_schema(parsed, "learning_leader_behaviours")
    return checklist_from(parsed)


def checklist_from(parsed: Parsed, citation_keys: list[str] | None = None) -> Checklist:
    """Build the checklist from a schema-checked file; keys unique, focus keys listed.

    ``citation_keys`` (those of data/references.bib; None or empty: not checked) must hold the
    file's ``source``.
    """
    raw = parsed.data
    problems: list[Problem] = []
    source = raw.get("source")
    if citation_keys and isinstance(source, str) and source not in citation_keys:
        problems.append(
            parsed.problem(
                ("source",),
                "this citation key is not in data/references.bib",
                "use a key from data/references.bib, or add the source there",
                source,
            )
        )
    scale: list[ScaleOption] = []
    for index, option in enumerate(raw["scale"]):
        key = option["key"].strip()
        if any(existing.key == key for existing in scale):
            problems.append(
                parsed.problem(
                    ("scale", index, "key"),
                    "this answer key is used twice",
                    "give each option its own key",
                    key,
                )
            )
        scale.append(ScaleOption(key, option["label"].strip(), option["points"]))
    focus = {str(k): v.strip() for k, v in raw["focus"].items()}
    behaviours: list[Behaviour] = []
    seen: set[str] = set()
    for index, item in enumerate(raw["behaviours"]):
        if item["id"] in seen:
            problems.append(
                parsed.problem(
                    ("behaviours", index, "id"),
                    "this id is used twice",
                    "give each statement its own id",
                    item["id"],
                )
            )
        seen.add(item["id"])
        if item["focus"] not in focus:
            problems.append(
                parsed.problem(
                    ("behaviours", index, "focus"),
                    "this focus is not listed under 'focus'",
                    f"use one of: {', '.join(focus)}",
                    item["focus"],
                )
            )
        behaviours.append(
            Behaviour(
                item["id"],
                item["focus"],
                focus.get(item["focus"], item["focus"]),
                item["text"].strip(),
                item["try_next"].strip(),
            )
        )
    raise_if(problems, parsed.source)
    return Checklist(
        title=raw["title"].strip(),
        intro=str(raw.get("intro") or "").strip(),
        source=str(raw.get("source") or "").strip(),
        scale=tuple(scale),
        strength_points=raw["strength_points"],
        focus=focus,
        behaviours=tuple(behaviours),
    )


def load_checklist() -> Checklist:
    """Read ``data/learning_leader_behaviours.yml``: its schema first, then its own rules."""
    from .references import citation_keys

    parsed = load_checked(DATA_FILE, "learning_leader_behaviours")
    return checklist_from(parsed, citation_keys())
