"""Anonymous workshop summaries: what a participant hands in, and the group view built from them.

A participant summary holds counts and aggregates of one manager's scored team, never a name or
free text; its format is ``data/summary.schema.json``. A group summary combines the summaries
handed in and computes nothing at all until at least the minimum group size is reached.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..base.errors import InputError, Problem
from ..content.instrument import load_instrument
from ..content.organisation import check_min_group_size
from ..content.prompts import load_guide
from ..content.source import summary_schema
from ..content.workshop import load_workshop
from .plans import MAX_FOLLOW_UPS, ConversationPlan
from .scoring import Score, gradient

SUMMARY_KIND = "leading-for-learning-participant-summary"
FORMAT_VERSION = 1
DEFAULT_MIN_GROUP_SIZE = 5
# A summary file is a few hundred bytes; anything far larger is not one (and is not parsed).
MAX_SUMMARY_BYTES = 20_000
HAND_IN_FIX = "hand in the file exactly as the participant app saved it, or save a new one there"
# Fields that say which summary this is, not what it counts: left out of the content fingerprint.
IDENTITY_FIELDS = ("id", "fingerprint")


def _keys(section: str) -> list[str]:
    return list(summary_schema()["properties"][section]["required"])


def band_keys() -> list[str]:
    """Relationship band keys, lowest first, as the summary format lists them."""
    return _keys("band_counts")


def investment_band_keys() -> list[str]:
    """Investment band keys as the summary format lists them."""
    return _keys("investment_band_counts")


def pattern_keys() -> list[str]:
    """The allowed investment-pattern values."""
    return list(summary_schema()["properties"]["investment_pattern"]["enum"])


def timing_keys() -> list[str]:
    """The conversation stages a summary counts (before, after, follow-up)."""
    return _keys("planned_conversations")


def category_labels() -> dict[str, dict[str, str]]:
    """Display labels for every category a summary counts, read from data/."""
    instrument = load_instrument()
    investment = {band.key: band.label for band in instrument.investment_bands}
    investment["unknown"] = instrument.unknown_investment_label
    return {
        "band_counts": {band.key: band.label for band in instrument.bands},
        "investment_band_counts": investment,
        "investment_patterns": dict(load_workshop().investment_patterns),
        "planned_conversations": {
            stage: spec["label"] for stage, spec in load_guide().stages.items()
        },
    }


# ---------------------------------------------------------------------------------------------
# Making a summary from the scorer's output


# The scorer's gradient strengths (widgets.scoring.investment_gradient), as summary patterns.
PATTERN_OF_STRENGTH = {
    "strong_positive": "more_to_closer",
    "moderate_positive": "more_to_closer",
    "flat": "even",
    "negative": "more_to_distant",
}


def _investment_pattern(scores: Sequence[Score]) -> str:
    """Classify how investment follows relationship quality, using the scorer's own gradient."""
    result = gradient(scores)
    if not result.get("computed"):
        return "not_computed"
    return PATTERN_OF_STRENGTH.get(str(result.get("strength")), "not_computed")


def _as_plan(plan: Any) -> Any:
    """Accept a ConversationPlan, or a dict of its fields (checked by ConversationPlan)."""
    return ConversationPlan.from_dict(plan) if isinstance(plan, Mapping) else plan


def _key(name: Any) -> str:
    return str(name).strip().casefold()


def count_plans(scores: Sequence[Score], plans: Iterable[Any] | None) -> dict[str, Any]:
    """Count plans, their conversations by stage, and left-behind members with a plan."""
    items = [_as_plan(plan) for plan in plans or ()]
    stages = dict.fromkeys(timing_keys(), 0)
    for plan in items:
        for talk in plan.conversations():
            if talk.stage in stages:
                stages[talk.stage] += 1
    behind = {_key(s.name) for s in scores if s.left_behind}
    planned_for = {_key(plan.member) for plan in items}
    return {
        "plans": len(items),
        "left_behind_with_plan": len(behind & planned_for),
        "planned_conversations": stages,
    }


def new_summary_id() -> str:
    """A random id for one participant's summaries (16 hex digits): identifies no one."""
    return secrets.token_hex(8)


def content_fingerprint(summary: Mapping[str, Any]) -> str:
    """A hash of what a summary counts (not its id), so equal counts give an equal fingerprint
    whatever the file name, key order or white space."""
    content = {key: value for key, value in summary.items() if key not in IDENTITY_FIELDS}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def participant_summary(
    scores: Sequence[Score],
    plans: Iterable[Any] | None = None,
    summary_id: str | None = None,
    *,
    earlier: Sequence[Score] | None = None,
) -> dict[str, Any]:
    """Summarise scored members as counts only: safe to hand in, validated.

    Only fully rated members count (someone not rated yet has no band to count). ``plans`` is an
    optional list of :class:`ConversationPlan`; only how many there are, and how many cover a
    left-behind member, is kept. Names, notes and flags never enter the summary. ``summary_id``
    is the participant page's random id (a new one if not given), so a summary handed in again,
    or updated, replaces the earlier one instead of counting twice. ``earlier``, the scores of an
    earlier scoring of the same team (a saved snapshot), adds its counts as ``earlier``, so a
    follow-up session can show the left-behind pattern before and after; no date goes with them.
    """
    if not isinstance(scores, Sequence) or not all(isinstance(s, Score) for s in scores):
        raise InputError(
            Problem(
                "this is not a scored team",
                "pass the scored team (score_team(team)), not the raw team table",
            )
        )
    rated = [s for s in scores if s.complete]
    if not rated:
        raise InputError(
            Problem(
                "no team member is fully rated yet",
                "answer every item for at least one team member first",
            )
        )
    bands = Counter(s.band.key for s in rated if s.band)
    investment = Counter(s.investment_band.key for s in rated)
    summary = {
        "kind": SUMMARY_KIND,
        "format_version": FORMAT_VERSION,
        "team_size": len(rated),
        "band_counts": {key: bands.get(key, 0) for key in band_keys()},
        "investment_band_counts": {key: investment.get(key, 0) for key in investment_band_keys()},
        "investment_pattern": _investment_pattern(rated),
        "left_behind": sum(s.left_behind for s in rated),
        **count_plans(rated, plans),
    }
    then = [s for s in earlier or () if s.complete]
    if then:
        before = Counter(s.band.key for s in then if s.band)
        summary["earlier"] = {
            "team_size": len(then),
            "band_counts": {key: before.get(key, 0) for key in band_keys()},
            "investment_pattern": _investment_pattern(then),
            "left_behind": sum(s.left_behind for s in then),
        }
    summary = {"id": summary_id or new_summary_id(), **summary}
    summary["fingerprint"] = content_fingerprint(summary)
    return validate_summary(summary)


# ---------------------------------------------------------------------------------------------
# Validating, writing and reading summary files


def _where(path: Iterable[Any]) -> str | None:
    parts = [str(part) for part in path]
    return ".".join(parts) if parts else None


def shown_value(value: Any) -> Any:
    """A value safe and short to quote in a message: a crafted file's nesting or 5,000-digit
    number is described, never turned into text (which would fail or flood the page)."""
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        return value if value.bit_length() <= 64 else "a number far too long to be a count"
    if isinstance(value, str):
        return value[:40]
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, Mapping):
        return f"an object with {len(value)} field(s)"
    return type(value).__name__


def _schema_problem(error: Any, source: str | None) -> Problem:
    """Turn one schema violation into a plain-language :class:`Problem`."""
    problem = _plain_problem(error, source)
    return Problem(
        problem.message,
        problem.fix,
        column=problem.column,
        value=shown_value(problem.value),
        source=problem.source,
    )


def _plain_problem(error: Any, source: str | None) -> Problem:
    where = _where(error.absolute_path)
    validator = error.validator
    if validator == "additionalProperties":
        extra = sorted(
            str(k) for k in set(error.instance) - set(error.schema.get("properties", {}))
        )
        return Problem(
            "unexpected field(s) "
            + ", ".join(repr(key[:30]) for key in extra[:10])
            + " (a summary holds only counts: names and notes are never allowed in it)",
            HAND_IN_FIX,
            column=where,
            source=source,
        )
    if validator == "required":
        return Problem(
            f"a required field is missing: {error.message.split(' ')[0]}",
            HAND_IN_FIX,
            column=where,
            source=source,
        )
    if validator == "const" and where == "kind":
        return Problem(
            "this is not a participant summary file",
            "choose the summary file the participant app downloads (it ends in .json)",
            column=where,
            value=error.instance,
            source=source,
        )
    if validator == "const" and where == "format_version":
        return Problem(
            f"unsupported format version (this tool reads version {FORMAT_VERSION})",
            "make the summary with the same version of the workshop tools",
            column=where,
            value=error.instance,
            source=source,
        )
    if validator == "enum":
        allowed = ", ".join(str(item) for item in error.schema["enum"])
        return Problem(
            f"not one of the allowed values ({allowed})",
            HAND_IN_FIX,
            column=where,
            value=error.instance,
            source=source,
        )
    if validator == "type":
        expected = error.schema.get("type")
        wanted = "a whole number" if expected == "integer" else f"a value of type {expected}"
        return Problem(
            f"expected {wanted}", HAND_IN_FIX, column=where, value=error.instance, source=source
        )
    if validator == "minimum":
        noun = "a team has at least one member" if where == "team_size" else "counts cannot be"
        message = noun if where == "team_size" else f"{noun} negative"
        return Problem(message, HAND_IN_FIX, column=where, value=error.instance, source=source)
    if validator == "pattern":
        return Problem(
            "not an id the participant app makes (16 digits 0-9 and letters a-f)",
            HAND_IN_FIX,
            column=where,
            value=error.instance,
            source=source,
        )
    if validator == "maximum":
        return Problem(
            f"too large to be plausible (at most {error.schema['maximum']})",
            HAND_IN_FIX,
            column=where,
            value=error.instance,
            source=source,
        )
    return Problem(error.message, HAND_IN_FIX, column=where, source=source)


def _consistency_problems(summary: Mapping[str, Any], source: str | None) -> list[Problem]:
    """Cross-field checks the schema cannot express: every count must add up."""
    problems = []
    size = summary["team_size"]
    for section in ("band_counts", "investment_band_counts"):
        total = sum(summary[section].values())
        if total != size:
            problems.append(
                Problem(
                    f"the counts add up to {total}, but team_size is {size}",
                    HAND_IN_FIX,
                    column=section,
                    value=total,
                    source=source,
                )
            )
    weak = summary["band_counts"]["low"] + summary["band_counts"]["very_low"]
    low_investment = summary["investment_band_counts"]["low"]
    limit = min(weak, low_investment)
    if summary["left_behind"] > limit:
        problems.append(
            Problem(
                "more members are counted as left behind than are in a low relationship band "
                f"with low investment ({limit})",
                HAND_IN_FIX,
                column="left_behind",
                value=summary["left_behind"],
                source=source,
            )
        )
    earlier = summary.get("earlier")
    if earlier is not None:
        total = sum(earlier["band_counts"].values())
        if total != earlier["team_size"]:
            problems.append(
                Problem(
                    f"the earlier counts add up to {total}, but their team_size is "
                    f"{earlier['team_size']}",
                    HAND_IN_FIX,
                    column="earlier.band_counts",
                    value=total,
                    source=source,
                )
            )
        weak_then = earlier["band_counts"]["low"] + earlier["band_counts"]["very_low"]
        if earlier["left_behind"] > weak_then:
            problems.append(
                Problem(
                    "more members are counted as left behind earlier than were in a low "
                    f"relationship band then ({weak_then})",
                    HAND_IN_FIX,
                    column="earlier.left_behind",
                    value=earlier["left_behind"],
                    source=source,
                )
            )
    with_plan = summary["left_behind_with_plan"]
    if with_plan > min(summary["left_behind"], summary["plans"]):
        problems.append(
            Problem(
                "more left-behind members are counted as having a plan than there are "
                "left-behind members or plans",
                HAND_IN_FIX,
                column="left_behind_with_plan",
                value=with_plan,
                source=source,
            )
        )
    follow_ups = summary["planned_conversations"]["follow_up"]
    if follow_ups > summary["plans"] * MAX_FOLLOW_UPS:
        problems.append(
            Problem(
                f"a plan holds at most {MAX_FOLLOW_UPS} follow-up conversations, so there cannot "
                f"be {follow_ups} follow-ups in {summary['plans']} plan(s)",
                HAND_IN_FIX,
                column="planned_conversations.follow_up",
                value=follow_ups,
                source=source,
            )
        )
    if summary["plans"] > summary["team_size"] * 3:
        problems.append(
            Problem(
                f"more plans than three per scored member ({summary['team_size']} members)",
                HAND_IN_FIX,
                column="plans",
                value=summary["plans"],
                source=source,
            )
        )
    if "fingerprint" in summary and summary["fingerprint"] != content_fingerprint(summary):
        problems.append(
            Problem(
                "the counts were changed after the participant app made this summary (its "
                "fingerprint no longer matches them)",
                HAND_IN_FIX,
                column="fingerprint",
                source=source,
            )
        )
    for stage in ("before", "after"):
        talks = summary["planned_conversations"][stage]
        if talks != summary["plans"]:
            problems.append(
                Problem(
                    f"every plan holds one {stage}-conversation, so this count must equal plans "
                    f"({summary['plans']})",
                    HAND_IN_FIX,
                    column=f"planned_conversations.{stage}",
                    value=talks,
                    source=source,
                )
            )
    return problems


def validate_summary(summary: Any, source: str | None = None) -> dict[str, Any]:
    """Return ``summary`` if it is a valid participant summary; else raise one InputError."""
    try:
        return _validate(summary, source)
    except InputError:
        raise
    except (RecursionError, OverflowError, TypeError, ValueError):
        # A crafted object (nested thousands deep, odd types): refused, never a traceback.
        raise InputError(
            Problem(
                "this is not a participant summary (it is nested too deeply or holds values "
                "no summary holds)",
                "choose the summary file the participant app downloads",
                source=source,
            )
        ) from None


def _validate(summary: Any, source: str | None) -> dict[str, Any]:
    if not isinstance(summary, Mapping):
        raise InputError(
            Problem(
                "this is not a participant summary file (it holds no summary object)",
                "choose the summary file the participant app downloads",
                value=type(summary).__name__,
                source=source,
            )
        )
    validator = _validator()
    errors = sorted(validator.iter_errors(summary), key=lambda e: [str(p) for p in e.path])
    kind_errors = [e for e in errors if list(e.absolute_path) == ["kind"]]
    if kind_errors or "kind" not in summary:
        # A foreign file: one clear message beats a list of every field it lacks.
        raise InputError(
            Problem(
                "this is not a participant summary file",
                "choose the summary file the participant app downloads (it ends in .json)",
                column="kind",
                value=shown_value(summary.get("kind")),
                source=source,
            )
        )
    problems = [_schema_problem(error, source) for error in errors]
    if not problems:
        problems = _consistency_problems(summary, source)
    if problems:
        raise InputError(problems, title=_title(source, len(problems)))
    return dict(summary)


@lru_cache(maxsize=1)
def _validator() -> Any:
    """The summary schema's validator. Its ``$id`` is left out: jsonschema 4.17 (the browser's)
    joins a relative ``$id`` with itself and then cannot resolve the schema's own ``#/$defs``."""
    import jsonschema  # pure Python (4.17 in the browser); loaded only to check a summary

    schema = {key: value for key, value in summary_schema().items() if key != "$id"}
    return jsonschema.Draft202012Validator(schema)


def _title(source: str | None, count: int) -> str:
    what = f"The summary file {source!r}" if source else "The summary"
    plural = "problem" if count == 1 else "problems"
    return f"{what} was rejected ({count} {plural})"


def summary_to_json(summary: Mapping[str, Any]) -> str:
    """Return the summary as JSON text for download, after validating it."""
    return json.dumps(validate_summary(summary), indent=2, sort_keys=False) + "\n"


def _looks_like_text(value: str) -> bool:
    return value.lstrip().startswith(("{", "[")) or "\n" in value


def read_summary(
    path_or_text: str | bytes | os.PathLike[str], source: str | None = None
) -> dict[str, Any]:
    """Read a summary from a file path, JSON text or uploaded bytes; reject anything else."""
    if isinstance(path_or_text, (bytes, bytearray, memoryview)):
        raw = bytes(path_or_text)
    elif isinstance(path_or_text, str) and _looks_like_text(path_or_text):
        raw = path_or_text.encode("utf-8")
    else:
        path = Path(path_or_text)
        source = source or path.name
        try:
            size = path.stat().st_size
        except OSError:
            raise InputError(
                Problem("the file does not exist", "check the file name", source=source)
            ) from None
        if size > MAX_SUMMARY_BYTES:
            raise _too_large(source)  # not read at all: a summary is a few hundred bytes
        try:
            with path.open("rb") as handle:  # capped: a device or pipe reports size 0
                raw = handle.read(MAX_SUMMARY_BYTES + 1)
        except OSError as exc:
            raise InputError(
                Problem(f"the file cannot be read ({exc.strerror})", "check it", source=source)
            ) from None
    if len(raw) > MAX_SUMMARY_BYTES:
        raise _too_large(source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            Problem(
                "the file is not text (is it a spreadsheet or a picture?)",
                "choose the summary file the participant app downloads (it ends in .json)",
                source=source,
            )
        ) from None
    try:
        document = json.loads(text)
    except (RecursionError, ValueError) as exc:
        if not isinstance(exc, json.JSONDecodeError):  # nested too deep, or a huge number
            raise InputError(
                Problem(
                    "the file is not a summary (it is nested too deeply or holds a number too "
                    "long to be a count)",
                    "choose the summary file the participant app downloads, or save it again",
                    source=source,
                )
            ) from None
        raise InputError(
            Problem(
                f"the file is not valid JSON (line {exc.lineno}, column {exc.colno}): it is not "
                "a summary, or it was edited or cut short",
                "choose the summary file the participant app downloads, or save it again",
                source=source,
            )
        ) from None
    return validate_summary(document, source)


def _too_large(source: str | None) -> InputError:
    return InputError(
        Problem(
            f"the file is too large to be a participant summary (over {MAX_SUMMARY_BYTES} bytes)",
            "choose the summary file the participant app downloads",
            source=source,
        )
    )


# ---------------------------------------------------------------------------------------------
# The group view


def distinct_summaries(
    summaries: Iterable[Mapping[str, Any]],
) -> tuple[list[dict[str, Any]], list[tuple[int, str]]]:
    """Count each participant once: return the distinct summaries and each duplicate's reason.

    Summaries with the same id come from the same participant page: the one handed in last
    replaces the others. Summaries with the same counts (whatever their id, file name or white
    space) count once. Duplicates are (position from 1, reason) so the dashboard can say so.
    """
    items = [dict(item) for item in summaries]
    duplicates: list[tuple[int, str]] = []
    last_of_id: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        if isinstance(item.get("id"), str):
            if item["id"] in last_of_id:
                duplicates.append(
                    (last_of_id[item["id"]], "replaced by a later summary from the same page")
                )
            last_of_id[item["id"]] = number
    kept: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        if isinstance(item.get("id"), str) and last_of_id[item["id"]] != number:
            continue
        fingerprint = content_fingerprint(item)
        if fingerprint in seen:
            duplicates.append((number, "the same counts as a summary already counted"))
            continue
        seen.add(fingerprint)
        kept.append(item)
    return kept, sorted(duplicates)


def group_summary(
    summaries: Iterable[Mapping[str, Any]], min_group_size: int = DEFAULT_MIN_GROUP_SIZE
) -> dict[str, Any]:
    """Combine participant summaries into group results, or only say they are suppressed.

    Each participant counts once (:func:`distinct_summaries`: the same id or the same counts,
    whatever the file name). With fewer than ``min_group_size`` distinct summaries nothing is
    computed from them: the result holds
    ``suppressed=True``, the minimum and how many more summaries are needed. Views and exports
    check ``suppressed`` before showing or writing anything.
    """
    minimum = check_min_group_size(min_group_size)
    handed_in = list(summaries)
    problems: list[Problem] = []
    for number, item in enumerate(handed_in, start=1):
        try:
            validate_summary(item, source=f"summary {number}")
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    items, _duplicates = distinct_summaries(handed_in)
    if len(items) < minimum:
        needed = minimum - len(items)
        return {
            "suppressed": True,
            "min_group_size": minimum,
            "needed": needed,
            "message": (
                f"Group results are hidden until at least {minimum} summaries are in: "
                f"{needed} more needed."
            ),
        }

    def total(section: str, keys: list[str]) -> dict[str, int]:
        return {key: sum(int(item[section][key]) for item in items) for key in keys}

    patterns = dict.fromkeys(pattern_keys(), 0)
    for item in items:
        patterns[item["investment_pattern"]] += 1
    return {
        "suppressed": False,
        "min_group_size": minimum,
        "participants": len(items),
        "members": sum(int(item["team_size"]) for item in items),
        "band_counts": total("band_counts", band_keys()),
        "investment_band_counts": total("investment_band_counts", investment_band_keys()),
        "left_behind": sum(int(item["left_behind"]) for item in items),
        "participants_with_left_behind": sum(1 for item in items if item["left_behind"] > 0),
        "investment_patterns": patterns,
        "plans": sum(int(item["plans"]) for item in items),
        "left_behind_with_plan": sum(int(item["left_behind_with_plan"]) for item in items),
        "planned_conversations": total("planned_conversations", timing_keys()),
        "participants_with_plans": sum(1 for item in items if item["plans"] > 0),
        "change": _group_change(items),
    }


def _group_change(items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Before and after over the whole group, or why not: only when every summary carries its
    earlier counts, so the change is always over exactly the group shown (a subset could differ
    from it by one person, whose counts a comparison would then reveal)."""
    with_earlier = sum(1 for item in items if "earlier" in item)
    if with_earlier < len(items):
        return {
            "computed": False,
            "with_earlier": with_earlier,
            "message": (
                f"{with_earlier} of {len(items)} summaries carry earlier counts; the before and "
                "after view needs them from every participant in the group."
            ),
        }
    return {
        "computed": True,
        "with_earlier": with_earlier,
        "members_before": sum(int(item["earlier"]["team_size"]) for item in items),
        "members_now": sum(int(item["team_size"]) for item in items),
        "left_behind_before": sum(int(item["earlier"]["left_behind"]) for item in items),
        "left_behind_now": sum(int(item["left_behind"]) for item in items),
        "band_counts_before": {
            key: sum(int(item["earlier"]["band_counts"][key]) for item in items)
            for key in band_keys()
        },
        "band_counts_now": {
            key: sum(int(item["band_counts"][key]) for item in items) for key in band_keys()
        },
    }


# ---------------------------------------------------------------------------------------------
# What the participant checks before handing in (as rows; views/summary.py draws them)


def summary_rows(summary: Mapping[str, Any]) -> list[tuple[str, str, int | str]]:
    """The summary as (section, what, value) rows, in plain words, for a participant to check."""
    labels = category_labels()

    def counts(section: str, kind: str, values: Mapping[str, Any], keys: list[str]) -> list:
        return [(section, labels[kind][key], values[kind][key]) for key in keys]

    def pattern(section: str, what: str, values: Mapping[str, Any]) -> tuple[str, str, str]:
        return (section, what, labels["investment_patterns"][values["investment_pattern"]])

    rows: list[tuple[str, str, int | str]] = [("Team", "Members scored", summary["team_size"])]
    rows += counts("Relationship band", "band_counts", summary, band_keys())
    rows += counts(
        "Development investment", "investment_band_counts", summary, investment_band_keys()
    )
    rows.append(pattern("Pattern", "How investment follows relationships", summary))
    rows.append(("Left behind", "Members left behind", summary["left_behind"]))
    rows.append(("Plans", "Conversation plans made", summary["plans"]))
    rows.append(("Plans", "Left-behind members with a plan", summary["left_behind_with_plan"]))
    rows += counts("Planned conversations", "planned_conversations", summary, timing_keys())
    earlier = summary.get("earlier")
    if earlier:
        rows.append(("Earlier scoring", "Members scored then", earlier["team_size"]))
        rows += counts("Earlier scoring", "band_counts", earlier, band_keys())
        rows.append(
            pattern("Earlier scoring", "How investment followed relationships then", earlier)
        )
        rows.append(("Earlier scoring", "Members left behind then", earlier["left_behind"]))
    return rows


def summary_file_name() -> str:
    """A download name unique to this page, so a facilitator can tell files apart."""
    return f"l4l-summary-{secrets.token_hex(4)}.json"
