"""Plain-language hints on a learning goal: specific, observable, dated, a real stretch.

A hint, not a grade: each says what the goal already has and what could be added. The word lists
and messages live in data/goal_check.yml; this module only matches them against the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..content.checking import Parsed, placeholder_problems, raise_if
from ..content.prompts import trust_level
from ..content.source import load_checked

RULES_FILE = "goal_check.yml"
ASPECTS = ("specific", "observable", "timeframe", "stretch")
_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b")
_SHOWN = 4
_NEEDS = {
    "specific": ("label", "signals", "vague", "present", "too_short", "vague_only", "missing"),
    "observable": ("label", "signals", "present", "missing"),
    "timeframe": (
        "label",
        "phrases",
        "markers",
        "numbers",
        "units",
        "months",
        "present",
        "missing",
    ),
    "stretch": ("label", "signals", "present", "missing", "low_trust_note"),
}


@dataclass(frozen=True)
class Hint:
    """One observation about a goal: which aspect, whether the goal has it, and what to say."""

    aspect: str
    label: str
    met: bool
    message: str
    found: tuple[str, ...] = ()


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


def _spans(tokens: list[str], phrases: Iterable[str]) -> list[tuple[int, int, str]]:
    """Where phrases occur in ``tokens`` as (start, end, phrase); longer phrases win overlaps."""
    taken: set[int] = set()
    spans = []
    for phrase in sorted({str(p) for p in phrases}, key=lambda p: -len(_tokens(p))):
        words = _tokens(phrase)
        for start in range(len(tokens) - len(words) + 1) if words else ():
            end = start + len(words)
            if tokens[start:end] == words and not taken.intersection(range(start, end)):
                spans.append((start, end, phrase))
                taken.update(range(start, end))
                break
    return sorted(spans)


def _find(tokens: list[str], phrases: Iterable[str]) -> list[str]:
    """Phrases whose words occur together in ``tokens``, in the order they first appear."""
    return [phrase for _, _, phrase in _spans(tokens, phrases)]


def _quote(found: Iterable[str]) -> str:
    items = list(dict.fromkeys(found))
    shown = ", ".join(f'"{item}"' for item in items[:_SHOWN])
    return shown + (", ..." if len(items) > _SHOWN else "")


# Texts the check fills in with str.format: the names each may use.
PLACEHOLDERS = {
    ("aspects", "specific", "present"): ("found",),
    ("aspects", "specific", "vague_only"): ("found",),
    ("aspects", "observable", "present"): ("found",),
    ("aspects", "timeframe", "present"): ("found",),
    ("aspects", "stretch", "present"): ("found",),
    ("hedges", "message"): ("found",),
}


def load_rules() -> dict[str, Any]:
    """Read data/goal_check.yml through its schema (every aspect, list and message it needs)."""
    return rules_from(load_checked(RULES_FILE, "goal_check"))


def rules_from(parsed: Parsed) -> dict[str, Any]:
    """The rules of a schema-checked file; its messages may hold only the {found} placeholder."""
    raise_if(placeholder_problems(parsed, PLACEHOLDERS), parsed.source)
    return parsed.data


def _timeframe(
    text: str, tokens: list[str], spec: Mapping[str, Any]
) -> tuple[list[tuple[int, str]], set[int]]:
    """Time expressions as (token index or -1, text), and the token indices they cover."""
    found = [(-1, match.group(0)) for match in _DATE.finditer(text)]
    used: set[int] = set()
    for start, end, phrase in _spans(tokens, spec["phrases"]):
        found.append((start, phrase))
        used.update(range(start, end))
    months = {str(m).lower() for m in spec["months"]}
    numbers = {str(n).lower() for n in spec["numbers"]}
    units = {str(u).lower() for u in spec["units"]}
    markers = [_tokens(str(m)) for m in spec["markers"]]
    for start in range(len(tokens)):
        for marker in (m for m in markers if m and tokens[start : start + len(m)] == m):
            at = start + len(marker)
            at += at < len(tokens) and tokens[at] == "the"
            nxt = tokens[at : at + 2]
            if nxt and nxt[0] in months:
                found.append((start, " ".join(tokens[start : at + 1])))
                used.update(range(start, at + 1))
            elif len(nxt) == 2 and (nxt[0] in numbers or nxt[0].isdigit()) and nxt[1] in units:
                found.append((start, " ".join(tokens[start : at + 2])))
                used.update(range(start, at + 2))
    for index, token in enumerate(tokens):
        if token not in months or index in used:
            continue
        for other in (index - 1, index + 1):
            if 0 <= other < len(tokens) and tokens[other].isdigit() and other not in used:
                pair = sorted((index, other))
                found.append((pair[0], " ".join(tokens[i] for i in pair)))
                used.update(pair)
    return found, used


def check_goal(
    text: str | None, *, band: str | None = None, rules: Mapping[str, Any] | None = None
) -> list[Hint]:
    """Hints on whether a learning goal is specific, observable, dated and a real stretch.

    ``band`` (a relationship band key) adds a note on stretch in a lower-trust relationship.
    ``rules`` replaces data/goal_check.yml (same shape), e.g. for another language.
    """
    rules = rules if rules is not None else load_rules()
    lower_trust = trust_level(band) == "lower"  # also refuses an unknown band
    text = (text or "").strip()
    # Dates such as 31/03/2027 are found by pattern; their digits are not counted as numbers.
    tokens = _tokens(_DATE.sub(" ", text))
    if not tokens and not _DATE.search(text):
        return [Hint("goal", "Goal", False, " ".join(str(rules["empty_message"]).split()))]
    aspects = rules["aspects"]
    times, in_times = _timeframe(text, tokens, aspects["timeframe"])
    hints = []

    spec = aspects["specific"]
    numbers = [t for i, t in enumerate(tokens) if t.isdigit() and i not in in_times]
    concrete = _find(tokens, spec["signals"]) + numbers
    vague = _find(tokens, spec["vague"])
    if concrete:
        met = len(tokens) >= rules["min_words"]
        message = spec["present"].format(found=_quote(concrete))
        if not met:
            message += " " + spec["too_short"]
        hints.append(Hint("specific", spec["label"], met, message, tuple(concrete)))
    elif vague:
        message = spec["vague_only"].format(found=_quote(vague))
        hints.append(Hint("specific", spec["label"], False, message, tuple(vague)))
    else:
        hints.append(Hint("specific", spec["label"], False, spec["missing"]))

    for aspect, found in (
        ("observable", _find(tokens, aspects["observable"]["signals"])),
        ("timeframe", [phrase for _, phrase in sorted(times)]),
        ("stretch", _find(tokens, aspects["stretch"]["signals"])),
    ):
        spec = aspects[aspect]
        if found:
            message = spec["present"].format(found=_quote(found))
            if aspect == "stretch" and lower_trust:
                message += " " + spec["low_trust_note"]
        else:
            message = spec["missing"]
        hints.append(Hint(aspect, spec["label"], bool(found), message, tuple(found)))

    hedges = _find(tokens, rules["hedges"]["phrases"])
    if hedges:
        message = rules["hedges"]["message"].format(found=_quote(hedges))
        hints.append(Hint("hedges", rules["hedges"]["label"], False, message, tuple(hedges)))
    return [Hint(h.aspect, h.label, h.met, " ".join(h.message.split()), h.found) for h in hints]
