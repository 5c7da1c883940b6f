"""The organisation settings an L&D team edits in ``data/organisation.yml``, checked on load.

Its structure (names, types, the group-size floor) is checked by its schema; here only what a
schema cannot say: that the time zone exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..base.errors import InputError, Problem
from .checking import Parsed, raise_if
from .source import load_checked

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
    """Read ``data/organisation.yml``: its schema first, then the time zone it names."""
    return organisation_from(load_checked("organisation.yml", "organisation"))


def organisation_from(parsed: Parsed) -> Organisation:
    """Build the settings from a schema-checked file; the time zone must exist on this machine."""
    raw = parsed.data
    zone = str(raw.get("timezone", "Europe/London"))
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        fix = "use an IANA name such as Europe/London, America/New_York or Asia/Singapore"
        raise_if(
            [parsed.problem(("timezone",), "this is not a time zone name", fix, zone)],
            parsed.source,
        )
    return Organisation(
        org_name=raw["org_name"].strip(),
        min_group_size=raw.get("min_group_size", 5),
        timezone=zone,
    )
