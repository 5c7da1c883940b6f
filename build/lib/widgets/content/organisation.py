"""The organisation settings an L&D team edits in ``data/organisation.yml``, checked on load."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..base.errors import InputError, Problem
from .source import load_yaml

SOURCE = "data/organisation.yml"
MIN_GROUP_SIZE_FLOOR = 3


@dataclass(frozen=True)
class Organisation:
    """Branding and privacy settings shared by the text and the tools."""

    org_name: str
    min_group_size: int
    timezone: str


def check_min_group_size(value: object, source: str | None = None) -> int:
    """Return ``value`` as a group size of at least 3, or raise :class:`InputError` saying why."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(
            Problem(
                "the minimum group size must be a whole number",
                f"write a whole number of at least {MIN_GROUP_SIZE_FLOOR}, for example 5",
                column="min_group_size",
                value=value,
                source=source,
            )
        )
    if value < MIN_GROUP_SIZE_FLOOR:
        raise InputError(
            Problem(
                f"the minimum group size can never be below {MIN_GROUP_SIZE_FLOOR}: smaller groups "
                "would let people work out each other's answers",
                f"set it to {MIN_GROUP_SIZE_FLOOR} or more (5 is the usual default)",
                column="min_group_size",
                value=value,
                source=source,
            )
        )
    return value


def load_organisation() -> Organisation:
    """Read and check ``data/organisation.yml``; every problem is reported at once."""
    raw = load_yaml("organisation.yml")
    if not isinstance(raw, dict):
        raise InputError(
            Problem(
                "the file must hold settings as 'name: value' lines", "restore it", source=SOURCE
            )
        )
    problems: list[Problem] = []
    name = raw.get("org_name")
    if not isinstance(name, str) or not name.strip():
        problems.append(
            Problem(
                "the organisation name is missing or empty",
                "write your organisation's name after 'org_name:'",
                column="org_name",
                value=name,
                source=SOURCE,
            )
        )
    size = raw.get("min_group_size", 5)
    try:
        check_min_group_size(size, SOURCE)
    except InputError as error:
        problems.extend(error.problems)
    zone = raw.get("timezone", "Europe/London")
    try:
        ZoneInfo(str(zone))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(
            Problem(
                "this is not a time zone name",
                "use an IANA name such as Europe/London, America/New_York or Asia/Singapore",
                column="timezone",
                value=zone,
                source=SOURCE,
            )
        )
    unknown = sorted(set(raw) - {"schema_version", "org_name", "min_group_size", "timezone"})
    for key in unknown:
        problems.append(
            Problem(
                "unknown setting",
                "check its spelling (org_name, min_group_size, timezone) or remove it",
                column=key,
                source=SOURCE,
            )
        )
    if problems:
        raise InputError(problems, title=f"{SOURCE} needs fixing")
    return Organisation(org_name=name.strip(), min_group_size=size, timezone=str(zone))
