"""Handing summaries in: text codes, a collection that counts each participant once, and the
guard that keeps the minimum group size from being walked around by subtraction.

A summary code is a summary in one line (``L4LS1.`` + base64url of its values in a fixed order +
a check), short enough for a meeting chat. The :class:`HandIn` collection reads codes (a pasted
batch, chat noise and all) and files, one message per item. The :class:`ReleaseGuard` remembers
every group result shown or exported and lets a changed group through only when it differs from
each of them by at least the minimum group size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..base.errors import InputError, Problem
from ..base.textcode import decode_code, encode_code
from .summary import (
    FORMAT_VERSION,
    SUMMARY_KIND,
    band_keys,
    content_fingerprint,
    distinct_summaries,
    group_summary,
    investment_band_keys,
    pattern_keys,
    read_summary,
    timing_keys,
    validate_summary,
)

CODE_PREFIX = "L4LS1"
CODE_FIX = "ask the participant to copy their whole summary code again (it starts with L4LS1.)"
MAX_ITEMS = 500  # a workshop hands in dozens; a paste of thousands is refused, not processed


# ---------------------------------------------------------------------------------------------
# Codes


def summary_to_code(summary: Mapping[str, Any]) -> str:
    """The summary as one short line to paste into a chat; holds exactly the file's content."""
    item = validate_summary(summary)
    values = [
        item.get("id", ""),
        item["team_size"],
        [item["band_counts"][key] for key in band_keys()],
        [item["investment_band_counts"][key] for key in investment_band_keys()],
        pattern_keys().index(item["investment_pattern"]),
        item["left_behind"],
        item["plans"],
        item["left_behind_with_plan"],
        [item["planned_conversations"][key] for key in timing_keys()],
    ]
    if "earlier" in item:  # the counts of an earlier scoring, for the before/after view
        earlier = item["earlier"]
        values.append(
            [
                earlier["team_size"],
                [earlier["band_counts"][key] for key in band_keys()],
                pattern_keys().index(earlier["investment_pattern"]),
                earlier["left_behind"],
            ]
        )
    return encode_code(CODE_PREFIX, values)


def _counts(keys: list[str], values: Any) -> Any:
    if not isinstance(values, list) or len(values) != len(keys):
        raise ValueError
    return dict(zip(keys, values, strict=True))


def _pattern(value: Any, patterns: list[str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(patterns):
        raise ValueError
    return value


def summary_from_code(code: str, source: str | None = None) -> dict[str, Any]:
    """Read a summary code back into a validated summary; one InputError if it is not one."""
    values = decode_code(CODE_PREFIX, code, source=source, fix=CODE_FIX)
    try:
        if not isinstance(values, list) or len(values) not in (9, 10):
            raise ValueError
        summary_id, size, bands, investment, pattern, behind, plans, with_plan, talks = values[:9]
        patterns = pattern_keys()
        pattern = _pattern(pattern, patterns)
        summary = {
            "kind": SUMMARY_KIND,
            "format_version": FORMAT_VERSION,
            **({"id": summary_id} if summary_id != "" else {}),
            "team_size": size,
            "band_counts": _counts(band_keys(), bands),
            "investment_band_counts": _counts(investment_band_keys(), investment),
            "investment_pattern": patterns[pattern],
            "left_behind": behind,
            "plans": plans,
            "left_behind_with_plan": with_plan,
            "planned_conversations": _counts(timing_keys(), talks),
        }
        if len(values) == 10:
            if not isinstance(values[9], list) or len(values[9]) != 4:
                raise ValueError
            before_size, before_bands, before_pattern, before_behind = values[9]
            summary["earlier"] = {
                "team_size": before_size,
                "band_counts": _counts(band_keys(), before_bands),
                "investment_pattern": patterns[_pattern(before_pattern, patterns)],
                "left_behind": before_behind,
            }
    except (ValueError, TypeError):
        raise InputError(
            Problem("the code does not hold a participant summary", CODE_FIX, source=source)
        ) from None
    validated = validate_summary(summary, source)
    if "id" in validated:
        validated["fingerprint"] = content_fingerprint(validated)
    return validated


def code_candidates(text: str) -> list[str]:
    """Every piece of pasted text that starts like a summary code (whole or broken)."""
    words = text[: 2_000 * MAX_ITEMS].replace(",", " ").replace(";", " ").split()
    found = []
    for word in words:
        start = word.find(CODE_PREFIX + ".")
        if start >= 0:
            found.append(word[start:].strip("\"'()<>[]{}`*").rstrip(".:!?"))
    return found


# ---------------------------------------------------------------------------------------------
# The collection


def participant_key(summary: Mapping[str, Any]) -> str:
    """Which participant page a summary comes from: its id, else its counts."""
    summary_id = summary.get("id")
    return (
        f"id:{summary_id}"
        if isinstance(summary_id, str)
        else f"counts:{content_fingerprint(summary)}"
    )


def version_key(summary: Mapping[str, Any]) -> str:
    """One participant's summary as it stands: page and counts (an update is a new version)."""
    return f"{participant_key(summary)}/{content_fingerprint(summary)}"


@dataclass
class Outcome:
    """What happened to one handed-in item: added, updated, duplicate or rejected."""

    source: str
    status: str
    message: str


@dataclass
class HandIn:
    """The summaries a facilitator holds, each participant once, with a message per item.

    What is held is always :func:`distinct_summaries` of what was received (the latest summary
    of each page, equal counts once), so the dashboard, the group result and the exports count
    alike, whatever the order things came in or how often a code is pasted again.
    """

    received: list[dict[str, Any]] = field(default_factory=list)

    @property
    def summaries(self) -> dict[str, dict[str, Any]]:
        """The summaries held, by participant, in the order they came in."""
        kept, _ = distinct_summaries(self.received)
        return {participant_key(item): item for item in kept}

    def __len__(self) -> int:
        return len(self.summaries)

    def values(self) -> list[dict[str, Any]]:
        """The summaries held, in the order they came in."""
        return list(self.summaries.values())

    def add(self, summary: Mapping[str, Any], source: str) -> Outcome:
        """Add one valid summary: the same page's newer one replaces it, equal counts count once."""
        item = dict(summary)
        key = participant_key(item)
        fingerprint = content_fingerprint(item)
        held = self.summaries
        if key in held and content_fingerprint(held[key]) == fingerprint:
            return Outcome(source, "duplicate", "already held: counted once")
        # Only the latest summary of a page counts, so earlier ones need not be kept.
        self.received = [other for other in self.received if participant_key(other) != key]
        self.received.append(item)
        if participant_key(item) not in self.summaries:
            return Outcome(
                source, "duplicate", "the same counts as a summary already held: counted once"
            )
        if key in held:
            return Outcome(
                source, "updated", "replaces an earlier summary from the same participant"
            )
        return Outcome(source, "added", "added")

    def add_text(self, text: str, label: str = "pasted code") -> list[Outcome]:
        """Add every summary code in pasted text (one per line, or mixed with chat messages)."""
        candidates = code_candidates(text)
        if not candidates:
            if not text.strip():
                return []
            return [
                Outcome(
                    label,
                    "rejected",
                    "no summary code found (a code starts with L4LS1.). Fix: " + CODE_FIX,
                )
            ]
        if len(candidates) > MAX_ITEMS:
            return [Outcome(label, "rejected", f"more than {MAX_ITEMS} codes at once: paste fewer")]
        outcomes = []
        for number, code in enumerate(candidates, start=1):
            source = f"{label} {number}" if len(candidates) > 1 else label
            try:
                outcomes.append(self.add(summary_from_code(code, source), source))
            except InputError as error:
                outcomes.append(Outcome(source, "rejected", str(error)))
        return outcomes

    def add_files(self, files: Iterable[tuple[str, bytes]]) -> list[Outcome]:
        """Add summary files (JSON as the app saves it, or text holding codes), one outcome each."""
        outcomes: list[Outcome] = []
        for count, (name, content) in enumerate(files, start=1):
            if count > MAX_ITEMS:
                outcomes.append(Outcome(name, "rejected", f"more than {MAX_ITEMS} files at once"))
                continue
            raw = bytes(content)
            if (
                raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(CODE_PREFIX.encode())
                and len(raw) <= 2_000 * MAX_ITEMS
            ):
                outcomes.extend(self.add_text(raw.decode("utf-8", "replace"), name))
                continue
            try:
                outcomes.append(self.add(read_summary(raw, source=name), name))
            except InputError as error:
                outcomes.append(Outcome(name, "rejected", str(error)))
        return outcomes

    def clear(self) -> None:
        """Forget every summary held (the guard keeps what was already shown)."""
        self.received.clear()


# ---------------------------------------------------------------------------------------------
# The guard against subtraction


def difference(first: Iterable[str], second: Iterable[str]) -> int:
    """How many people are in one group and not the other (either way)."""
    return len(set(first) ^ set(second))


@dataclass
class ReleaseGuard:
    """Every group result shown or exported so far, and whether a new one may be shown.

    A group that equals a shown one may be shown again; any other group only when at least the
    minimum group size of people are in it and not in each shown group, or the other way round.
    Otherwise comparing the two results would reveal the counts of the few who changed.
    """

    released: list[tuple[frozenset[str], dict[str, Any]]] = field(default_factory=list)

    def closest(self, keys: Iterable[str]) -> tuple[int, dict[str, Any] | None]:
        """The smallest difference to a shown group other than this one, and that group's result."""
        current = frozenset(keys)
        best: tuple[int, dict[str, Any] | None] = (10**9, None)
        for shown, result in self.released:
            if shown == current:
                continue
            gap = difference(shown, current)
            if gap < best[0]:
                best = (gap, result)
        return best

    def needed(self, keys: Iterable[str], minimum: int) -> int:
        """How many more (new) people the group needs before it may be shown; 0 if it may now."""
        current = frozenset(keys)
        if any(shown == current for shown, _ in self.released):
            return 0
        gap, _ = self.closest(current)
        return max(0, minimum - gap)

    def release(self, keys: Iterable[str], result: Mapping[str, Any]) -> None:
        """Record that this group's result was shown or exported."""
        current = frozenset(keys)
        if not any(shown == current for shown, _ in self.released):
            self.released.append((current, dict(result)))

    def last(self) -> dict[str, Any] | None:
        """The most recent result shown (the one to keep showing while a change is held)."""
        return dict(self.released[-1][1]) if self.released else None

    def to_list(self) -> list[dict[str, Any]]:
        """For saving: each shown group's keys and result."""
        return [{"keys": sorted(keys), "result": result} for keys, result in self.released]

    @classmethod
    def from_list(cls, items: Sequence[Any]) -> ReleaseGuard:
        """Read what :meth:`to_list` saved (items that are not in its shape are skipped)."""
        guard = cls()
        for item in items if isinstance(items, list) else []:
            if (
                isinstance(item, dict)
                and isinstance(item.get("keys"), list)
                and all(isinstance(key, str) for key in item["keys"])
                and isinstance(item.get("result"), dict)
            ):
                guard.released.append((frozenset(item["keys"]), item["result"]))
        return guard


def guarded_group(
    summaries: Sequence[Mapping[str, Any]], minimum: int, guard: ReleaseGuard
) -> dict[str, Any]:
    """The group result as it may be shown now: computed, suppressed, or held back by the guard.

    ``held`` (with ``needed`` and ``previous``) means the group changed by fewer people than the
    minimum since a result was shown; the view then keeps showing ``previous``. A result that may
    be shown is recorded in the guard: whatever is shown or exported has been released.
    """
    group = group_summary(summaries, minimum)
    if group["suppressed"]:
        return group
    keys = [version_key(item) for item in summaries]
    needed = guard.needed(keys, group["min_group_size"])
    if needed:
        return {
            "suppressed": True,
            "held": True,
            "min_group_size": group["min_group_size"],
            "needed": needed,
            "previous": guard.last(),
            "message": (
                "The group changed by fewer people than the minimum group size since results "
                f"were last shown, so the new results are held back: {needed} more new "
                "summaries needed (or the group exactly as it was shown). Comparing two results "
                "that differ by one or two people would reveal those people's counts."
            ),
        }
    guard.release(keys, group)
    return group
