"""The learning-leader checklist's content: statements, scale and suggestions from data/.

The statements, answer scale and "try next" suggestions live once in
``data/learning_leader_behaviours.yml``; this module checks them and turns them into objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..base.errors import InputError, Problem
from .source import load_yaml

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


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_checklist(raw: Any, source: str = f"data/{DATA_FILE}") -> Checklist:
    """Validate the parsed YAML of a checklist; every problem found is reported at once."""
    if not isinstance(raw, Mapping):
        raise InputError(
            Problem(
                "the file must hold a mapping with 'scale', 'focus' and 'behaviours'",
                "restore the file from the original book",
                source=source,
            )
        )
    problems: list[Problem] = []

    scale: list[ScaleOption] = []
    raw_scale = raw.get("scale")
    if not isinstance(raw_scale, list) or len(raw_scale) < 2:
        problems.append(
            Problem(
                "'scale' must list at least two answer options",
                "give each option a key, a label and whole-number points",
                column="scale",
                source=source,
            )
        )
        raw_scale = []
    for index, option in enumerate(raw_scale, start=1):
        option = option if isinstance(option, Mapping) else {}
        key, label, points = (
            _text(option.get("key")),
            _text(option.get("label")),
            option.get("points"),
        )
        if not key or not label or not isinstance(points, int) or isinstance(points, bool):
            problems.append(
                Problem(
                    "an answer option needs a key, a label and whole-number points",
                    "fill in all three",
                    row=index,
                    column="scale",
                    value=dict(option) or None,
                    source=source,
                )
            )
            continue
        if any(existing.key == key for existing in scale):
            problems.append(
                Problem(
                    "this answer key is used twice",
                    "give each option its own key",
                    row=index,
                    column="scale",
                    value=key,
                    source=source,
                )
            )
            continue
        scale.append(ScaleOption(key, label, points))

    raw_focus = raw.get("focus")
    focus = (
        {str(k): _text(v) for k, v in raw_focus.items()} if isinstance(raw_focus, Mapping) else {}
    )
    if not focus or not all(focus.values()):
        problems.append(
            Problem(
                "'focus' must map each focus key to a heading",
                "add a heading for every focus key",
                column="focus",
                source=source,
            )
        )

    behaviours: list[Behaviour] = []
    raw_items = raw.get("behaviours")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(
            Problem(
                "'behaviours' must list at least one statement",
                "add statements with id, focus, text and try_next",
                column="behaviours",
                source=source,
            )
        )
        raw_items = []
    seen: set[str] = set()
    for index, item in enumerate(raw_items, start=1):
        item = item if isinstance(item, Mapping) else {}
        item_id = _text(item.get("id"))
        for field in ("id", "focus", "text", "try_next"):
            if not _text(item.get(field)):
                problems.append(
                    Problem(
                        f"the statement has no '{field}'",
                        f"add a '{field}'",
                        row=index,
                        column=field,
                        source=source,
                    )
                )
        if item_id and item_id in seen:
            problems.append(
                Problem(
                    "this id is used twice",
                    "give each statement its own id",
                    row=index,
                    column="id",
                    value=item_id,
                    source=source,
                )
            )
        seen.add(item_id)
        item_focus = _text(item.get("focus"))
        if item_focus and focus and item_focus not in focus:
            problems.append(
                Problem(
                    "this focus is not listed under 'focus'",
                    f"use one of: {', '.join(focus)}",
                    row=index,
                    column="focus",
                    value=item_focus,
                    source=source,
                )
            )
        if all(_text(item.get(f)) for f in ("id", "focus", "text", "try_next")):
            behaviours.append(
                Behaviour(
                    item_id,
                    item_focus,
                    focus.get(item_focus, item_focus),
                    _text(item.get("text")),
                    _text(item.get("try_next")),
                )
            )

    strength = raw.get("strength_points")
    if scale and (not isinstance(strength, int) or isinstance(strength, bool)):
        problems.append(
            Problem(
                "'strength_points' must be a whole number",
                "set it to the points of the lowest answer that counts as a strength",
                column="strength_points",
                value=strength,
                source=source,
            )
        )
    if problems:
        raise InputError(problems, title=f"The checklist file {source} has problems")
    return Checklist(
        title=_text(raw.get("title")) or "Learning-leader checklist",
        intro=_text(raw.get("intro")),
        source=_text(raw.get("source")),
        scale=tuple(scale),
        strength_points=int(strength),
        focus=focus,
        behaviours=tuple(behaviours),
    )


def load_checklist() -> Checklist:
    """Read and validate ``data/learning_leader_behaviours.yml``."""
    return parse_checklist(load_yaml(DATA_FILE))
