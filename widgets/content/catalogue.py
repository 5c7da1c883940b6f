"""The learning-resource catalogue (data/resources.csv): read it, check it, filter it by skill.

An L&D team replaces the rows with its own courses, guides and communities; the planner offers
the ones that match the skill a plan is about. The file is checked here, once: its header, then
each row against its schema (``schemas/resources.schema.json``), then the rules a schema cannot
state. Every bad cell is reported at once, with its row, column and fix.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlsplit

from ..base.csvtext import Source, column_problems, csv_records, extra_values_problem
from ..base.errors import InputError, Problem
from .checking import Parsed, schema_problems
from .prompts import load_guide
from .source import data_file, is_packaged_copy

CATALOGUE_FILE = "resources.csv"
COLUMNS = ("title", "type", "skill", "duration", "link", "internal_or_external")
SKILL_SEPARATOR = ";"
MAX_MINUTES = 100_000
# Links the catalogue accepts: a web address, or a placeholder for a page on your own intranet.
LINK_SCHEMES = ("https", "http", "intranet")
_TRACKING = ("utm_", "fbclid", "gclid", "mc_eid", "mc_cid")
LINK_FIX = (
    "use a plain https:// address without tracking parameters, an intranet:/... path, "
    "or leave it empty"
)


@dataclass(frozen=True)
class Resource:
    """One catalogue entry; ``duration`` is in minutes, ``skills`` in the order written."""

    title: str
    type: str
    skills: tuple[str, ...]
    duration: int
    link: str
    internal_or_external: str

    @property
    def duration_label(self) -> str:
        """The duration as people say it: "45 min", "3 h", "1 h 30 min"."""
        hours, minutes = divmod(self.duration, 60)
        if not hours:
            return f"{minutes} min"
        return f"{hours} h" + (f" {minutes} min" if minutes else "")

    @property
    def is_web_link(self) -> bool:
        """True when the link is a web address a browser can open (not an intranet placeholder)."""
        return urlsplit(self.link).scheme in ("http", "https")


def _link_problem(link: str) -> str | None:
    if not link:
        return None
    parts = urlsplit(link)
    if parts.scheme not in LINK_SCHEMES or (parts.scheme != "intranet" and not parts.netloc):
        return "not a web address or intranet path"
    if any(key.lower().startswith(_TRACKING) for key, _ in parse_qsl(parts.query)):
        return "the link carries tracking parameters"
    if any(ch.isspace() for ch in link):
        return "the link contains spaces"
    return None


def _rule_problems(
    cells: dict[str, str], row: int, source: str, types: dict[str, str] | None, done: set[str]
) -> list[Problem]:
    """What the row schema cannot state: a listed type, a duration in range, a clean link.

    ``done`` holds the columns the schema has already reported, each reported once.
    """
    problems = []

    def problem(column: str, message: str, fix: str) -> None:
        if column not in done:
            value = cells[column] or None
            problems.append(
                Problem(message, fix, row=row, column=column, value=value, source=source)
            )

    if types is not None and cells["type"].lower() not in types:
        problem("type", "unknown type", f"use one of: {', '.join(types)}")
    minutes = cells["duration"]
    whole = minutes.isascii() and minutes.isdigit()
    if "duration" not in done and not (whole and 1 <= int(minutes) <= MAX_MINUTES):
        problem(
            "duration",
            f"the duration must be from 1 to {MAX_MINUTES:,} minutes",
            "write the minutes as digits, e.g. 90 for an hour and a half",
        )
    reason = _link_problem(cells["link"])
    if reason:
        problem("link", reason, LINK_FIX)
    return problems


def _resource(cells: dict[str, str]) -> Resource:
    skills = tuple(s.strip() for s in cells["skill"].split(SKILL_SEPARATOR) if s.strip())
    return Resource(
        cells["title"],
        cells["type"].lower(),
        skills,
        int(cells["duration"]),
        cells["link"],
        cells["internal_or_external"].lower(),
    )


def catalogue_from(
    source: Source, resource_types: dict[str, str] | None, schema: bool = True
) -> list[Resource]:
    """Read and check a catalogue file: its header, each row's schema, then the rules.

    ``resource_types`` are the type keys data/prompts.yml lists (None while that file is broken:
    the type rule waits for it). ``schema=False`` skips the row schema, for the packaged copy that
    was checked when it was built.
    """
    header, rows, label = csv_records(source, "resources")
    positions, problems = column_problems(header, COLUMNS, COLUMNS, label)
    if problems:
        raise InputError(problems, title=f"The resource catalogue ({label}) has problems")
    resources = []
    for number, raw in rows:
        surplus = extra_values_problem(raw, header, number, label)
        if surplus:
            problems.append(surplus)
            continue
        cells = {c: raw[i].strip() if i < len(raw) else "" for c, i in positions.items()}
        found = []
        if schema:
            found = [
                replace(p, row=number, value=p.value or None)
                for p in schema_problems(Parsed(label, cells), "resources")
            ]
        found += _rule_problems(cells, number, label, resource_types, {p.column for p in found})
        problems += sorted(found, key=lambda p: COLUMNS.index(p.column or COLUMNS[0]))
        if not found:
            resources.append(_resource(cells))
    if problems:
        raise InputError(problems, title=f"The resource catalogue ({label}) has problems")
    return resources


def read_catalogue(path_or_file: Source | None = None) -> list[Resource]:
    """Read and check the resource catalogue (data/resources.csv unless another file is given)."""
    if path_or_file is None:
        path = data_file(CATALOGUE_FILE)
        return catalogue_from(path, load_guide().resource_types, schema=not is_packaged_copy())
    return catalogue_from(path_or_file, load_guide().resource_types)


def skills(catalogue: list[Resource] | None = None) -> list[str]:
    """Every skill in the catalogue, sorted, each once (case-insensitively)."""
    seen: dict[str, str] = {}
    for resource in read_catalogue() if catalogue is None else catalogue:
        for skill in resource.skills:
            seen.setdefault(skill.casefold(), skill)
    return sorted(seen.values(), key=str.casefold)


def resources_for(skill: str | None, catalogue: list[Resource] | None = None) -> list[Resource]:
    """The resources that help with ``skill`` (case-insensitive); all of them when it is empty."""
    resources = read_catalogue() if catalogue is None else catalogue
    wanted = (skill or "").strip().casefold()
    if not wanted:
        return list(resources)
    return [r for r in resources if wanted in (s.casefold() for s in r.skills)]


def skill_to_show(preferred: str, catalogue: list[Resource] | None = None) -> str:
    """``preferred`` when the catalogue has resources for it, else the catalogue's first skill:
    an example filtered by skill never shows an empty list from a fork's own catalogue."""
    resources = read_catalogue() if catalogue is None else catalogue
    if resources_for(preferred, resources):
        return preferred
    return next(iter(skills(resources)), preferred)
