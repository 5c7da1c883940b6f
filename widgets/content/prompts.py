"""The conversation guide (data/prompts.yml): stages, relationship modes and tailored questions.

Everything here is read from data files, so an L&D team changes wording without touching code.
The guide is checked when it is read (its schema first, then the rules between its parts); a
broken file becomes an :class:`InputError` naming the line, the field and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..base.errors import InputError, Problem
from .checking import Parsed, raise_if, words
from .source import load_checked

GUIDE_FILE = "prompts.yml"
INSTRUMENT_FILE = "instrument.yml"
# The stages are fixed by the plan itself (it has a date for each); their wording is in the file.
STAGES = ("before", "after", "follow_up")
# Calendar settings a guide may leave out (a fork's older prompts.yml still works).
REMINDER_HOURS = 24
REMINDER_RANGE = (0, 336)
CHECK_IN = {
    "label": "Development check-in",
    "purpose": "A short monthly conversation once the plan's follow-ups are over.",
}


@dataclass(frozen=True)
class Guide:
    """The checked contents of the conversation guide; mappings keep the file's order."""

    stages: dict[str, dict[str, str]]
    modes: dict[str, dict[str, str]]
    activity_types: dict[str, str]
    resource_types: dict[str, str]
    trust: dict[str, dict[str, Any]]
    prompts: dict[str, dict[str, Any]]
    bands: dict[str, str]
    calendar: dict[str, Any] = field(
        default_factory=lambda: {"reminder_hours_before": REMINDER_HOURS, "check_in": CHECK_IN}
    )


def load_guide() -> Guide:
    """Read data/prompts.yml (schema first) with the band labels of data/instrument.yml."""
    from .instrument import load_instrument

    bands = {band.key: band.label for band in load_instrument().bands}
    return guide_from(load_checked(GUIDE_FILE, "prompts"), bands)


def guide_from(parsed: Parsed, bands: dict[str, str] | None) -> Guide:
    """Build the guide from a schema-checked file, checking what a schema cannot say.

    Those rules: every relationship band (key -> label, from data/instrument.yml; None when that
    file is broken, so the band rules wait) belongs to exactly one trust level, and the trust and
    mode questions of each stage name levels and modes the file defines.
    """
    raw = parsed.data
    problems: list[Problem] = []
    modes = {
        str(key): {"label": words(spec["label"]), "reminder": words(spec.get("reminder") or "")}
        for key, spec in raw["modes"].items()
    }
    trust: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for level, spec in raw["trust"].items():
        for index, band in enumerate(spec["bands"]):
            where = ("trust", level, "bands", index)
            if bands is not None and band not in bands:
                fix = f"use band keys from data/{INSTRUMENT_FILE}: {', '.join(bands)}"
                problems.append(parsed.problem(where, "unknown relationship band", fix, band))
            elif band in seen:
                message = f"this band is already listed under '{seen[band]}'"
                problems.append(parsed.problem(where, message, "list every band once", band))
            else:
                seen[band] = level
        trust[str(level)] = {
            "label": words(spec["label"]),
            "advice": words(spec.get("advice") or ""),
            "bands": list(spec["bands"]),
        }
    missing = [band for band in bands or {} if band not in seen]
    if missing:
        problems.append(
            parsed.problem(
                ("trust",),
                "some relationship bands belong to no trust level",
                "add them to one level's 'bands' list",
                ", ".join(missing),
            )
        )
    prompts: dict[str, dict[str, Any]] = {}
    for stage in STAGES:
        spec = raw["prompts"][stage]
        parts: dict[str, Any] = {
            "general": _questions(spec["general"]),
            # Stretch questions are asked in every relationship band (never rationed by trust).
            "stretch": _questions(spec.get("stretch")),
        }
        for group, known in (("trust", trust), ("modes", modes)):
            section = spec.get(group) or {}
            for key in section:
                if key not in known:
                    problems.append(
                        parsed.problem(
                            ("prompts", stage, group, key),
                            f"unknown {'trust level' if group == 'trust' else 'mode'}",
                            f"use one of: {', '.join(known)}",
                            key,
                        )
                    )
            parts[group] = {key: _questions(section.get(key)) for key in known}
        prompts[stage] = parts
    raise_if(problems, parsed.source)
    stages = {
        stage: {
            "label": words(raw["stages"][stage]["label"]),
            "purpose": words(raw["stages"][stage].get("purpose", "")),
        }
        for stage in STAGES
    }
    labels = {key: {str(k): v.strip() for k, v in raw[key].items()} for key in _LABELS}
    return Guide(
        stages,
        modes,
        labels["activity_types"],
        labels["resource_types"],
        trust,
        prompts,
        dict(bands or {}),
        _calendar(raw.get("calendar") or {}),
    )


_LABELS = ("activity_types", "resource_types")


def _calendar(raw: dict[str, Any]) -> dict[str, Any]:
    """The calendar settings (their range is the schema's), with the defaults for left-out ones."""
    spec = raw.get("check_in", CHECK_IN)
    check_in = {"label": words(spec["label"]), "purpose": words(spec.get("purpose") or "")}
    return {
        "reminder_hours_before": raw.get("reminder_hours_before", REMINDER_HOURS),
        "check_in": check_in,
    }


def _questions(raw: list[str] | None) -> list[str]:
    return [q.strip() for q in raw or []]


def _unknown(field: str, value: object, choices: dict[str, Any]) -> Problem:
    return Problem(
        f"unknown {field}", f"use one of: {', '.join(choices)}", column=field, value=value
    )


def trust_level(band: str | None, guide: Guide | None = None) -> str | None:
    """Return the trust level ('lower', 'middle', 'higher') for a relationship band, or None."""
    if band is None:
        return None
    guide = guide or load_guide()
    for level, spec in guide.trust.items():
        if band in spec["bands"]:
            return level
    raise InputError(_unknown("band", band, guide.bands))


def prompts_for(stage: str, band: str | None = None, mode: str | None = None) -> list[str]:
    """Questions for one conversation stage, tailored to the relationship band and mode.

    The trust level's extra questions come first (for a lower-trust relationship: what the
    person wants, open questions, visible support), then the general questions, then the
    stretch questions, which every band gets, then those for the mode. A band only ever adds
    questions: the stretch and general questions are the same whatever the relationship.
    """
    guide = load_guide()
    problems = []
    if stage not in guide.prompts:
        problems.append(_unknown("stage", stage, guide.stages))
    if band is not None and band not in guide.bands:
        problems.append(_unknown("band", band, guide.bands))
    if mode is not None and mode not in guide.modes:
        problems.append(_unknown("mode", mode, guide.modes))
    if problems:
        raise InputError(problems)
    spec = guide.prompts[stage]
    level = trust_level(band, guide)
    questions = [
        *(spec["trust"].get(level, []) if level else []),
        *spec["general"],
        *spec.get("stretch", []),
        *(spec["modes"].get(mode, []) if mode else []),
    ]
    return list(dict.fromkeys(questions))


def mode_reminder(mode: str) -> str:
    """The note for the person leading a conversation in this learning-relationship mode."""
    guide = load_guide()
    if mode not in guide.modes:
        raise InputError(_unknown("mode", mode, guide.modes))
    return guide.modes[mode]["reminder"]


def trust_advice(band: str | None) -> str:
    """One or two sentences on how to hold the conversation at this band's trust level."""
    guide = load_guide()
    level = trust_level(band, guide)
    return guide.trust[level]["advice"] if level else ""


# ------------------------------------------------------------------ perception-gap prompts

GAP_FILE = "gap_prompts.yml"
GAP_LISTS = ("general", "they_higher", "they_lower", "alike")


@dataclass(frozen=True)
class GapGuide:
    """The caution and questions for talking about a perception gap (data/gap_prompts.yml)."""

    caution: str
    intro: str
    questions: dict[str, tuple[str, ...]]


def load_gap_guide() -> GapGuide:
    """Read data/gap_prompts.yml: its schema says everything that must hold."""
    return gap_guide_from(load_checked(GAP_FILE, "gap_prompts"))


def gap_guide_from(parsed: Parsed) -> GapGuide:
    """Build the gap guide from a schema-checked file (no rules beyond the schema)."""
    raw = parsed.data
    questions = {key: tuple(words(q) for q in raw["questions"][key]) for key in GAP_LISTS}
    return GapGuide(words(raw["caution"]), words(raw["intro"]), questions)


def gap_direction(gap: int | None, notable: int) -> str:
    """Which list fits a gap (their total minus yours): they_higher, they_lower or alike."""
    if gap is not None and gap >= notable:
        return "they_higher"
    if gap is not None and gap <= -notable:
        return "they_lower"
    return "alike"


def gap_prompts(gap: int | None, notable: int, guide: GapGuide | None = None) -> list[str]:
    """The questions for talking about a gap: the general ones, then those for its direction
    (only the general ones while the gap is unknown, e.g. your own answers are incomplete)."""
    guide = guide or load_gap_guide()
    chosen = list(guide.questions["general"])
    if gap is not None:
        chosen += guide.questions[gap_direction(gap, notable)]
    return list(dict.fromkeys(chosen))
