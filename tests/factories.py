"""Test factories shared by the suites: the one place a hand-written test object is made.

Hypothesis strategies (any valid object) live in ``strategies.py``; these are fixed, readable
examples that a test changes one field of.
"""

from __future__ import annotations

from typing import Any


def make_summary(**overrides: Any) -> dict[str, Any]:
    """A valid participant summary of a six-person team (synthetic); overrides replace fields."""
    summary: dict[str, Any] = {
        "kind": "leading-for-learning-participant-summary",
        "format_version": 1,
        "team_size": 6,
        "band_counts": {"very_low": 1, "low": 1, "moderate": 2, "high": 1, "very_high": 1},
        "investment_band_counts": {"low": 2, "medium": 2, "high": 1, "unknown": 1},
        "investment_pattern": "more_to_closer",
        "left_behind": 1,
        "plans": 1,
        "left_behind_with_plan": 1,
        "planned_conversations": {"before": 1, "after": 1, "follow_up": 3},
    }
    summary.update(overrides)
    return summary


def distinct_summary(number: int, **overrides: Any) -> dict[str, Any]:
    """The ``number``-th of a set of valid summaries that all differ in their counts."""
    summary = make_summary(**overrides)
    summary["planned_conversations"] = {"before": 1, "after": 1, "follow_up": number % 7}
    if number // 7 % 2:
        summary["band_counts"] = {**summary["band_counts"], "moderate": 1, "high": 2}
    if number // 14:
        summary["investment_band_counts"] = {"low": 2, "medium": 1, "high": 1, "unknown": 2}
    return summary


def group_of(count: int, **overrides: Any) -> list[dict[str, Any]]:
    """``count`` different participants' summaries (identical ones would count once)."""
    return [distinct_summary(number, **overrides) for number in range(count)]


def picked_file(content: bytes, name: str, mime: str = "text/csv") -> dict[str, Any]:
    """One file as ipywidgets' FileUpload holds it once the reader has picked it."""
    from datetime import datetime, timezone

    return {
        "name": name,
        "type": mime,
        "size": len(content),
        "content": memoryview(content),
        "last_modified": datetime.now(timezone.utc),
    }


def upload(widget: Any, content: bytes, name: str = "team.csv", mime: str = "text/csv") -> None:
    """Pick one file in a FileUpload widget, as the reader's file chooser does."""
    widget.value = (picked_file(content, name, mime),)
