"""The conversation guide (data/prompts.yml): stages, relationship modes and tailored questions.

Everything here is read from data files, so an L&D team changes wording without touching code.
The guide is checked when it is read; a broken file becomes an :class:`InputError` naming the part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..base.errors import InputError, Problem
from .source import load_yaml

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
_SOURCE = f"data/{GUIDE_FILE}"


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


def _problem(where: str, message: str, fix: str, value: object = None) -> Problem:
    return Problem(message, fix, column=where, value=value, source=_SOURCE)


def _text_map(raw: Any, where: str, problems: list[Problem]) -> dict[str, str]:
    """A mapping of key -> non-empty text, e.g. activity types."""
    if not isinstance(raw, dict) or not raw:
        problems.append(_problem(where, "this section is missing or empty", "restore it"))
        return {}
    out = {}
    for key, label in raw.items():
        if not isinstance(label, str) or not label.strip():
            problems.append(_problem(f"{where}.{key}", "the label is empty", "write a label"))
        else:
            out[str(key)] = label.strip()
    return out


def _question_list(raw: Any, where: str, problems: list[Problem]) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(q, str) and q.strip() for q in raw):
        problems.append(
            _problem(where, "expected a list of questions", "write one question per '- ' line")
        )
        return []
    return [q.strip() for q in raw]


def _band_labels(problems: list[Problem]) -> dict[str, str]:
    bands = (load_yaml(INSTRUMENT_FILE) or {}).get("bands")
    if not isinstance(bands, list) or not bands:
        problems.append(
            Problem(
                "the relationship bands are missing",
                "restore the 'bands' section",
                source=f"data/{INSTRUMENT_FILE}",
            )
        )
        return {}
    return {str(b["key"]): str(b.get("label", b["key"])) for b in bands if "key" in b}


def _check_trust(raw: Any, bands: dict[str, str], problems: list[Problem]) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw:
        problems.append(_problem("trust", "this section is missing or empty", "restore it"))
        return {}
    trust: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for level, spec in raw.items():
        where = f"trust.{level}"
        if not isinstance(spec, dict) or not isinstance(spec.get("bands"), list):
            problems.append(_problem(where, "expected a label and a list of bands", "restore it"))
            continue
        for band in spec["bands"]:
            if band not in bands:
                problems.append(
                    _problem(
                        f"{where}.bands",
                        "unknown relationship band",
                        f"use band keys from data/{INSTRUMENT_FILE}: {', '.join(bands)}",
                        band,
                    )
                )
            elif band in seen:
                problems.append(
                    _problem(
                        f"{where}.bands",
                        f"this band is already listed under '{seen[band]}'",
                        "list every band once",
                        band,
                    )
                )
            else:
                seen[band] = level
        trust[str(level)] = {
            "label": str(spec.get("label") or level),
            "advice": str(spec.get("advice") or "").strip(),
            "bands": list(spec["bands"]),
        }
    missing = [band for band in bands if band not in seen]
    if missing and bands:
        problems.append(
            _problem(
                "trust",
                "some relationship bands belong to no trust level",
                "add them to one level's 'bands' list",
                ", ".join(missing),
            )
        )
    return trust


def _check_prompts(
    raw: Any, modes: dict[str, Any], trust: dict[str, Any], problems: list[Problem]
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    raw = raw if isinstance(raw, dict) else {}
    for stage in STAGES:
        where = f"prompts.{stage}"
        spec = raw.get(stage)
        if not isinstance(spec, dict):
            problems.append(_problem(where, "the questions for this stage are missing", "add them"))
            continue
        general = _question_list(spec.get("general"), f"{where}.general", problems)
        if not general:
            problems.append(
                _problem(f"{where}.general", "at least one general question is needed", "add one")
            )
        # Stretch questions are asked in every relationship band (never rationed by trust).
        stretch = _question_list(spec.get("stretch"), f"{where}.stretch", problems)
        parts: dict[str, Any] = {"general": general, "stretch": stretch}
        for group, known in (("trust", trust), ("modes", modes)):
            section = spec.get(group) or {}
            if not isinstance(section, dict):
                problems.append(_problem(f"{where}.{group}", "expected keys", "restore it"))
                section = {}
            for key in section:
                if key not in known:
                    problems.append(
                        _problem(
                            f"{where}.{group}",
                            "unknown key",
                            f"use one of: {', '.join(known)}",
                            key,
                        )
                    )
            parts[group] = {
                key: _question_list(section.get(key), f"{where}.{group}.{key}", problems)
                for key in known
            }
        out[stage] = parts
    return out


def _check_calendar(raw: Any, problems: list[Problem]) -> dict[str, Any]:
    """The calendar settings: reminder hours (a whole number in range) and check-in wording."""
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        problems.append(_problem("calendar", "expected a set of settings", "restore the section"))
        raw = {}
    hours = raw.get("reminder_hours_before", REMINDER_HOURS)
    low, high = REMINDER_RANGE
    if isinstance(hours, bool) or not isinstance(hours, int) or not low <= hours <= high:
        problems.append(
            _problem(
                "calendar.reminder_hours_before",
                "the reminder must be a whole number of hours",
                f"use {low} (when it starts) to {high} (two weeks), e.g. 24 for a day before",
                hours,
            )
        )
        hours = REMINDER_HOURS
    spec = raw.get("check_in", CHECK_IN)
    if not isinstance(spec, dict) or not str(spec.get("label") or "").strip():
        problems.append(
            _problem("calendar.check_in", "the check-in needs a label", "add 'label:' under it")
        )
        spec = CHECK_IN
    check_in = {
        "label": str(spec["label"]).strip(),
        "purpose": " ".join(str(spec.get("purpose") or "").split()),
    }
    return {"reminder_hours_before": hours, "check_in": check_in}


def load_guide() -> Guide:
    """Read and check data/prompts.yml (and the band labels of data/instrument.yml)."""
    raw = load_yaml(GUIDE_FILE)
    problems: list[Problem] = []
    if not isinstance(raw, dict):
        raise InputError(_problem("", "the file is empty or not a mapping", "restore the file"))
    bands = _band_labels(problems)
    stages: dict[str, dict[str, str]] = {}
    for stage in STAGES:
        spec = (raw.get("stages") or {}).get(stage)
        if not isinstance(spec, dict) or not spec.get("label"):
            problems.append(_problem(f"stages.{stage}", "this stage needs a label", "restore it"))
            continue
        stages[stage] = {"label": str(spec["label"]), "purpose": str(spec.get("purpose", ""))}
    modes: dict[str, dict[str, str]] = {}
    raw_modes = raw.get("modes")
    if not isinstance(raw_modes, dict) or not raw_modes:
        problems.append(_problem("modes", "this section is missing or empty", "restore it"))
        raw_modes = {}
    for key, spec in raw_modes.items():
        if not isinstance(spec, dict) or not spec.get("label"):
            problems.append(_problem(f"modes.{key}", "this mode needs a label", "add 'label:'"))
            continue
        modes[str(key)] = {
            "label": str(spec["label"]).strip(),
            "reminder": str(spec.get("reminder") or "").strip(),
        }
    activity_types = _text_map(raw.get("activity_types"), "activity_types", problems)
    resource_types = _text_map(raw.get("resource_types"), "resource_types", problems)
    trust = _check_trust(raw.get("trust"), bands, problems)
    prompts = _check_prompts(raw.get("prompts"), modes, trust, problems)
    calendar = _check_calendar(raw.get("calendar"), problems)
    if problems:
        raise InputError(problems, title="The conversation guide (data/prompts.yml) has problems")
    return Guide(stages, modes, activity_types, resource_types, trust, prompts, bands, calendar)


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
    """Read and check data/gap_prompts.yml; a broken file raises InputError naming the part."""
    raw = load_yaml(GAP_FILE)
    source = f"data/{GAP_FILE}"
    problems: list[Problem] = []

    def bad(where: str, message: str, fix: str) -> None:
        problems.append(Problem(message, fix, column=where, source=source))

    if not isinstance(raw, dict):
        raise InputError(Problem("the file is empty or not a mapping", "restore it", source=source))
    texts = {}
    for key in ("caution", "intro"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            bad(key, "missing text", f"give '{key}' some text")
        texts[key] = " ".join(str(value or "").split())
    lists = raw.get("questions") if isinstance(raw.get("questions"), dict) else {}
    questions: dict[str, tuple[str, ...]] = {}
    for key in GAP_LISTS:
        found = _question_list(lists.get(key), f"questions.{key}", problems)
        if not found:
            bad(f"questions.{key}", "at least one question is needed", "write one after '- '")
        questions[key] = tuple(" ".join(q.split()) for q in found)
    if problems:
        raise InputError(problems, title=f"The gap prompts ({source}) have problems")
    return GapGuide(texts["caution"], texts["intro"], questions)


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
