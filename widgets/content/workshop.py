"""The workshop's content: agendas, pattern names and check-ins, and the role cards.

``data/workshop.yml`` holds the two agendas, the names of the investment patterns the workshop
summaries count, and the follow-up check-ins; ``data/role_cards.yml`` the scenes for the paired
practice. Each is read through its schema, then checked for what a schema cannot state: an
agenda's blocks add up to its length, the pattern names are those the summary format counts, and
the check-ins come in order of their days, and there is exactly one role card per
learning-relationship mode of ``data/prompts.yml``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..base.errors import InputError, Problem
from .checking import Parsed, raise_if, words
from .source import load_checked, summary_schema

WORKSHOP_FILE = "workshop.yml"
ROLE_CARDS_FILE = "role_cards.yml"


@dataclass(frozen=True)
class Block:
    """One block of an agenda: what happens, for how many minutes, in which step of the app."""

    title: str
    minutes: int
    what: str
    app_step: str | None = None


@dataclass(frozen=True)
class Agenda:
    """A workshop agenda whose blocks add up to its stated length."""

    key: str
    title: str
    length_minutes: int
    blocks: tuple[Block, ...]

    @property
    def starts(self) -> tuple[int, ...]:
        """The minute each block starts at, counted from the start of the workshop."""
        starts, minute = [], 0
        for block in self.blocks:
            starts.append(minute)
            minute += block.minutes
        return tuple(starts)


@dataclass(frozen=True)
class CheckIn:
    """A follow-up check-in, ``day`` days after the workshop (each later than the one before)."""

    day: int
    title: str
    focus: str


@dataclass(frozen=True)
class Workshop:
    """The checked contents of data/workshop.yml; mappings keep the file's order."""

    agendas: dict[str, Agenda]
    investment_patterns: dict[str, str]
    check_ins: tuple[CheckIn, ...]


def pattern_keys() -> list[str] | None:
    """The investment patterns a summary counts (data/summary.schema.json); None if unreadable."""
    try:
        return list(summary_schema()["properties"]["investment_pattern"]["enum"])
    except (InputError, OSError, ValueError, KeyError, TypeError):
        return None


def load_workshop() -> Workshop:
    """Read data/workshop.yml: its schema first, then the rules a schema cannot state."""
    return workshop_from(load_checked(WORKSHOP_FILE, "workshop"), pattern_keys())


def workshop_from(parsed: Parsed, patterns: list[str] | None) -> Workshop:
    """Build the workshop from a schema-checked file: agendas add up, pattern names are known,
    check-in days increase.

    ``patterns`` are the pattern keys of the summary format (None when it cannot be read: the
    pattern rule waits for it).
    """
    raw = parsed.data
    problems: list[Problem] = []
    agendas = {}
    for key, spec in raw["agendas"].items():
        blocks = tuple(
            Block(
                words(b["title"]),
                b["minutes"],
                words(b["what"]),
                words(b["app_step"]) if b.get("app_step") else None,
            )
            for b in spec["blocks"]
        )
        total, length = sum(b.minutes for b in blocks), spec["length_minutes"]
        if total != length:
            problems.append(
                parsed.problem(
                    ("agendas", key, "length_minutes"),
                    f"the blocks add up to {total} minutes, but the agenda says {length}",
                    "change the blocks' minutes or length_minutes until they match",
                    length,
                )
            )
        agendas[str(key)] = Agenda(str(key), words(spec["title"]), length, blocks)
    names = {str(key): words(label) for key, label in raw["investment_patterns"].items()}
    for key in patterns or []:
        if key not in names:
            problems.append(
                parsed.problem(
                    ("investment_patterns", key),
                    f"'{key}' is missing",
                    f"add a line '{key}: ...' under investment_patterns with its label",
                )
            )
    for key in names if patterns is not None else []:
        if key not in patterns:
            problems.append(
                parsed.problem(
                    ("investment_patterns", key),
                    "unknown pattern",
                    f"use the keys {', '.join(patterns)}",
                    key,
                )
            )
    latest = 0  # the latest day so far (the schema holds every day to 1 or more)
    for index, check_in in enumerate(raw["check_ins"]):
        day = check_in["day"]
        if day <= latest:
            problems.append(
                parsed.problem(
                    ("check_ins", index, "day"),
                    f"this check-in is on day {day}, but one listed before it is on day {latest}",
                    "list the check-ins in order of their days, each on a later day than the last",
                    day,
                )
            )
        latest = max(latest, day)
    raise_if(sorted(problems, key=lambda p: p.row or 0), parsed.source)  # in file order
    check_ins = tuple(
        CheckIn(c["day"], words(c["title"]), words(c["focus"])) for c in raw["check_ins"]
    )
    return Workshop(agendas, names, check_ins)


# ------------------------------------------------------------------------------- role cards


@dataclass(frozen=True)
class LeaderBrief:
    """The leader's side of a card: who they are, what they aim for, what to try and avoid."""

    role: str
    aim: str
    to_try: tuple[str, ...]
    to_avoid: tuple[str, ...]


@dataclass(frozen=True)
class PartnerBrief:
    """The partner's side of a card: who they play, and what they know and feel."""

    role: str
    brief: str


@dataclass(frozen=True)
class RoleCard:
    """One card for the paired practice: a scene in one learning-relationship mode."""

    mode: str
    relationship: str
    scene: str
    leader: LeaderBrief
    partner: PartnerBrief


@dataclass(frozen=True)
class RoleCards:
    """The checked contents of data/role_cards.yml: one card per mode, in the file's order."""

    timing: str
    debrief: tuple[str, ...]
    cards: tuple[RoleCard, ...]


def load_role_cards() -> RoleCards:
    """Read data/role_cards.yml (schema first), with the modes of data/prompts.yml."""
    from .prompts import load_guide

    return role_cards_from(load_checked(ROLE_CARDS_FILE, "role_cards"), list(load_guide().modes))


def role_cards_from(parsed: Parsed, modes: list[str] | None) -> RoleCards:
    """Build the role cards from a schema-checked file: exactly one card per mode.

    ``modes`` are the mode keys of data/prompts.yml (None while that file is broken: the mode
    rules wait for it).
    """
    raw = parsed.data
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, card in enumerate(raw["cards"]):
        mode, where = card["mode"], ("cards", index, "mode")
        if modes is not None and mode not in modes:
            fix = f"use a mode key from data/prompts.yml: {', '.join(modes)}"
            problems.append(parsed.problem(where, "unknown learning-relationship mode", fix, mode))
        elif mode in seen:
            fix = "keep one card per mode"
            problems.append(parsed.problem(where, "a second card for this mode", fix, mode))
        seen.add(mode)
    for mode in modes or []:
        if mode not in seen:
            problems.append(
                parsed.problem(
                    ("cards",),
                    f"no card for the mode '{mode}'",
                    f"add a card with 'mode: {mode}' (one card per mode in data/prompts.yml)",
                )
            )
    raise_if(sorted(problems, key=lambda p: p.row or 0), parsed.source)  # in file order
    cards = tuple(
        RoleCard(
            str(card["mode"]),
            words(card["relationship"]),
            words(card["scene"]),
            LeaderBrief(
                words(card["leader"]["role"]),
                words(card["leader"]["aim"]),
                tuple(words(line) for line in card["leader"]["try"]),
                tuple(words(line) for line in card["leader"]["avoid"]),
            ),
            PartnerBrief(words(card["partner"]["role"]), words(card["partner"]["brief"])),
        )
        for card in raw["cards"]
    )
    return RoleCards(words(raw["timing"]), tuple(words(q) for q in raw["debrief"]), cards)
