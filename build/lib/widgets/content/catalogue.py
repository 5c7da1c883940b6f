"""The learning-resource catalogue (data/resources.csv): read it, check it, filter it by skill.

An L&D team replaces the rows with its own courses, guides and communities; the planner offers
the ones that match the skill a plan is about. Every bad cell is reported at once, with its row
and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from ..base.csvtext import Source, column_problems, csv_records
from ..base.errors import InputError, Problem
from .prompts import load_guide
from .source import data_file

CATALOGUE_FILE = "resources.csv"
COLUMNS = ("title", "type", "skill", "duration", "link", "internal_or_external")
PLACES = ("internal", "external")
SKILL_SEPARATOR = ";"
MAX_MINUTES = 100_000
# Links the catalogue accepts: a web address, or a placeholder for a page on your own intranet.
LINK_SCHEMES = ("https", "http", "intranet")
_TRACKING = ("utm_", "fbclid", "gclid", "mc_eid", "mc_cid")


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


def _resource(cells: dict[str, str], row: int, source: str, types: dict[str, str]):
    problems = []

    def problem(column: str, message: str, fix: str) -> None:
        problems.append(
            Problem(
                message, fix, row=row, column=column, value=cells[column] or None, source=source
            )
        )

    title = cells["title"]
    if not title:
        problem("title", "the title is empty", "write the resource's title")
    kind = cells["type"].lower()
    if kind not in types:
        problem("type", "unknown type", f"use one of: {', '.join(types)}")
    skills = tuple(s.strip() for s in cells["skill"].split(SKILL_SEPARATOR) if s.strip())
    if not skills:
        problem("skill", "no skill given", "name the skill it helps with, e.g. 'feedback'")
    duration = cells["duration"]
    minutes = int(duration) if duration.isdigit() else -1
    if not 1 <= minutes <= MAX_MINUTES:
        problem(
            "duration",
            "the duration must be a whole number of minutes",
            "write minutes as digits, e.g. 90 for an hour and a half",
        )
    reason = _link_problem(cells["link"])
    if reason:
        problem(
            "link",
            reason,
            "use a plain https:// address without tracking parameters, "
            "an intranet:/... path, or leave it empty",
        )
    place = cells["internal_or_external"].lower()
    if place not in PLACES:
        problem(
            "internal_or_external",
            "expected internal or external",
            "write 'internal' or 'external'",
        )
    if problems:
        return None, problems
    return Resource(title, kind, skills, minutes, cells["link"], place), []


def read_catalogue(path_or_file: Source | None = None) -> list[Resource]:
    """Read and check the resource catalogue (data/resources.csv unless another file is given)."""
    source = data_file(CATALOGUE_FILE) if path_or_file is None else path_or_file
    header, rows, label = csv_records(source, "resources")
    positions, problems = column_problems(header, COLUMNS, COLUMNS, label)
    if problems:
        raise InputError(problems, title=f"The resource catalogue ({label}) has problems")
    types = load_guide().resource_types
    resources = []
    for number, raw in rows:
        cells = {c: raw[i].strip() if i < len(raw) else "" for c, i in positions.items()}
        resource, found = _resource(cells, number, label, types)
        problems += found
        if resource:
            resources.append(resource)
    if problems:
        raise InputError(problems, title=f"The resource catalogue ({label}) has problems")
    return resources


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
