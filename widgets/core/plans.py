"""Development conversation plans: one member, one learning activity, and the talks around it.

A :class:`ConversationPlan` is checked when it is made, so a plan that exists is a valid one.
This module also proposes its dates, writes and reads its CSV register and saves it in the
per-user data folder. Its calendar events (.ics) are made in ``core.ics``; its Markdown and
printable handout in ``widgets.exports``. Labels and questions come from data/prompts.yml.
"""

from __future__ import annotations

import calendar
import os
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any, ClassVar

from ..base.csvtext import Source, column_problems, csv_records
from ..base.csvwrite import csv_text, write_text
from ..base.errors import InputError, Problem
from ..base.storage import data_dir, load_document, save_document
from ..content.prompts import load_guide, prompts_for
from .scoring import Score
from .teamfile import protect_team_text, restore_team_text

PLANS_KIND = "conversation-plans"
# Version 2 added check_ins; version 1 files (without it) still load, as plans with none.
PLANS_SCHEMA_VERSION = 2
PLANS_FILE = "plans.json"
DEFAULT_TZ = "Europe/London"
FOLLOW_UP_DAYS = (30, 60, 90)
MAX_FOLLOW_UPS = 6
MAX_RESOURCES = 50
MAX_NAME = 100
MAX_LINE = 300
MAX_TEXT = 20_000
MEETING_MINUTES = (5, 480)
YEARS = (2000, 2099)
CHECK_INS = (0, 12)  # monthly development check-ins after the last conversation: none to a year
CHECK_IN_GAP_DAYS = 30

SINGLE_LINE = ("member", "activity", "skill", "protected_time")
LONG_TEXT = ("goal", "application", "support", "notes")
REQUIRED = ("member", "activity", "goal", "application")
DATES = ("before_date", "activity_start", "activity_end", "after_date")
CSV_COLUMNS = (
    "plan_id", "member", "activity", "activity_type", "mode", "skill", "goal", "application",
    "support", "protected_time", "resources", "band", "before_date", "activity_start",
    "activity_end", "after_date", "follow_ups", "meeting_time", "meeting_minutes", "notes",
    "check_ins",
)  # fmt: skip
CSV_REQUIRED = (*REQUIRED, *DATES)

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
_DIGITS = re.compile(r"^[0-9]{1,6}$")  # ASCII digits only: str.isdigit() also takes "²"
_PLAN_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Line breaks of every kind become "\n"; other control characters are refused.
_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def new_plan_id() -> str:
    """A fresh identifier for a plan (it keeps calendar events and the register in step)."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Conversation:
    """One conversation of a plan: its stage key, its label, the day and (for follow-ups) number."""

    stage: str
    label: str
    day: date
    number: int = 0


@dataclass(frozen=True)
class ConversationPlan:
    """A development conversation plan; checked on creation (all problems in one InputError).

    Dates may be given as ``date`` objects or as text ``YYYY-MM-DD``; the mode, activity type and
    band as keys or labels from data/prompts.yml and data/instrument.yml.
    """

    member: str
    activity: str
    goal: str
    application: str
    before_date: date
    activity_start: date
    activity_end: date
    after_date: date
    activity_type: str = "course"
    mode: str = "coaching"
    skill: str = ""
    support: str = ""
    protected_time: str = ""
    resources: tuple[str, ...] = ()
    band: str | None = None
    follow_ups: tuple[date, ...] = ()
    meeting_time: time = time(10, 0)
    meeting_minutes: int = 30
    notes: str = ""
    check_ins: int = 0
    plan_id: str = field(default_factory=new_plan_id)

    FIELD_NAMES: ClassVar[tuple[str, ...]]

    def __post_init__(self) -> None:
        values, problems = clean_plan_values({f: getattr(self, f) for f in self.FIELD_NAMES})
        if problems:
            raise InputError(problems, title=_title(problems, "The plan"))
        for name, value in values.items():
            object.__setattr__(self, name, value)

    # ------------------------------------------------------------------ construction and checks

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, row: int | None = None, source: str | None = None
    ) -> ConversationPlan:
        """Build a plan from a mapping of field name to value (text is fine), checking it all.

        Raises :class:`InputError` listing every problem at once, each with ``row``/``source``.
        """
        values = {k: v for k, v in data.items() if k in cls.FIELD_NAMES}
        problems = [
            Problem(
                "unknown field",
                f"use only: {', '.join(cls.FIELD_NAMES)}",
                row=row,
                column=str(key),
                source=source,
            )
            for key in data
            if key not in cls.FIELD_NAMES
        ]
        if not values.get("plan_id"):
            values["plan_id"] = new_plan_id()
        values, found = clean_plan_values(values, row=row, source=source)
        problems += found
        if problems:
            raise InputError(problems, title=_title(problems, "The plan"))
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready values (dates YYYY-MM-DD, time HH:MM); inverse of from_dict."""
        return {
            "plan_id": self.plan_id,
            "member": self.member,
            "activity": self.activity,
            "activity_type": self.activity_type,
            "mode": self.mode,
            "skill": self.skill,
            "goal": self.goal,
            "application": self.application,
            "support": self.support,
            "protected_time": self.protected_time,
            "resources": list(self.resources),
            "band": self.band,
            "before_date": self.before_date.isoformat(),
            "activity_start": self.activity_start.isoformat(),
            "activity_end": self.activity_end.isoformat(),
            "after_date": self.after_date.isoformat(),
            "follow_ups": [d.isoformat() for d in self.follow_ups],
            "meeting_time": self.meeting_time.strftime("%H:%M"),
            "meeting_minutes": self.meeting_minutes,
            "notes": self.notes,
            "check_ins": self.check_ins,
        }

    # ------------------------------------------------------------------------------ the talks

    def conversations(self) -> list[Conversation]:
        """The before-, after- and follow-up conversations in date order, labelled."""
        stages = load_guide().stages
        talks = [
            Conversation("before", stages["before"]["label"], self.before_date),
            Conversation("after", stages["after"]["label"], self.after_date),
        ]
        for number, day in enumerate(self.follow_ups, start=1):
            days = (day - self.activity_end).days
            label = f"{stages['follow_up']['label']} {number} (day {days} after the activity)"
            talks.append(Conversation("follow_up", label, day, number))
        return talks

    def check_in_dates(self) -> tuple[date, ...]:
        """The days of the monthly check-ins (none unless ``check_ins`` is set), in order."""
        if not self.check_ins:
            return ()
        first = check_in_start(self)
        nth = (first.day - 1) // 7  # 0 to 3: the day is the 1st to 4th such weekday of its month
        days = []
        for step in range(self.check_ins):
            year, month = divmod(first.month - 1 + step, 12)
            start = date(first.year + year, month + 1, 1)
            offset = (first.weekday() - start.weekday()) % 7
            days.append(start + timedelta(days=offset + 7 * nth))
        return tuple(days)

    def prompts(self, stage: str) -> list[str]:
        """The questions for one stage, tailored to this plan's band and mode."""
        return prompts_for(stage, band=self.band, mode=self.mode)

    # -------------------------------------------------------------------------------- exports

    def to_markdown(self) -> str:
        """The plan as Markdown to share or print; every piece of user text is escaped."""
        from .markdown import plan_markdown

        return plan_markdown(self)

    def to_ics(self, tz: str = DEFAULT_TZ, *, stamp: datetime | None = None) -> bytes:
        """Calendar events for every conversation of the plan (an .ics file's bytes)."""
        from .ics import plans_to_ics  # icalendar loads only when a calendar is made

        return plans_to_ics([self], tz=tz, stamp=stamp)


ConversationPlan.FIELD_NAMES = tuple(f.name for f in fields(ConversationPlan))


# ----------------------------------------------------------------------------------- checking


def _title(problems: list[Problem], what: str) -> str:
    count = len(problems)
    return f"{what} has {count} problem{'s' if count != 1 else ''}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def parse_date(value: Any) -> tuple[date | None, str | None, str | None]:
    """Read a date from a ``date`` or ``YYYY-MM-DD`` text: (date, problem, fix)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    else:
        text = "" if value is None else str(value).strip()
        if not text:
            return None, "the date is missing", "pick a date, or type it as YYYY-MM-DD"
        match = _ISO_DATE.match(text)
        if not match:
            return None, "not a date in the form YYYY-MM-DD", "write it as e.g. 2027-03-31"
        year, month, dom = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            return (
                None,
                f"this date does not exist (there is no month {month})",
                ("check the month: YYYY-MM-DD puts the month in the middle"),
            )
        try:
            day = date(year, month, dom)
        except ValueError:
            last = _last_day(year, month)
            return (
                None,
                "this date does not exist",
                (f"{date(year, month, 1):%B %Y} has {last} days: use a day from 01 to {last}"),
            )
    if not YEARS[0] <= day.year <= YEARS[1]:
        return None, "the year is out of range", f"use a year from {YEARS[0]} to {YEARS[1]}"
    return day, None, None


def _choice(value: Any, choices: Mapping[str, str]) -> str | None:
    """The key of ``value`` among ``choices`` (matching a key or a label, ignoring case)."""
    text = str(value).strip().casefold()
    for key, label in choices.items():
        if text in (key.casefold(), label.casefold()):
            return key
    return None


def _text(value: Any) -> tuple[str | None, str | None]:
    """Normalise one piece of user text: (text, problem)."""
    if value is None:
        return "", None
    if not isinstance(value, str):
        if isinstance(value, float) and value != value:  # NaN from a spreadsheet
            return "", None
        return None, "expected text"
    text = _BREAKS.sub("\n", value).strip()
    bad = next(
        (ch for ch in text if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cs")),
        None,
    )
    if bad is not None:
        return None, f"contains an invisible control character (U+{ord(bad):04X})"
    return text, None


Report = Callable[..., None]  # report(column, message, fix, value=None)


def clean_plan_values(
    values: Mapping[str, Any], *, row: int | None = None, source: str | None = None
) -> tuple[dict[str, Any], list[Problem]]:
    """Normalise and check plan field values; return (clean values, every problem found)."""
    problems: list[Problem] = []
    out: dict[str, Any] = {}

    def report(column: str, message: str, fix: str, value: Any = None) -> None:
        shown = value if value not in (None, "") else None
        problems.append(Problem(message, fix, row=row, column=column, value=shown, source=source))

    for clean in (
        _clean_texts,
        _clean_choices,
        _clean_resources,
        _clean_dates,
        _clean_meeting,
        _clean_check_ins,
    ):
        clean(values, out, report)
    _check_order(out, report)
    return out, problems


def _clean_texts(values: Mapping[str, Any], out: dict[str, Any], report: Report) -> None:
    for name in ("plan_id", *SINGLE_LINE, *LONG_TEXT):
        raw = values.get(name)
        text, issue = _text(raw)
        if issue:
            report(name, issue, "remove it, or retype the text", raw)
            continue
        limit = MAX_NAME if name == "member" else MAX_LINE if name in SINGLE_LINE else MAX_TEXT
        if name in SINGLE_LINE and "\n" in text:
            report(name, "this must be a single line", "remove the line breaks", text)
        elif len(text) > limit:
            report(
                name,
                f"too long ({len(text):,} characters; the limit is {limit:,})",
                "shorten it, or keep long notes in a document and link to it",
            )
        elif name in REQUIRED and not text:
            report(name, "this is empty", f"write the {name.replace('_', ' ')}")
        out[name] = text
    if "plan_id" in out and not _PLAN_ID.match(out["plan_id"]):
        report("plan_id", "not a valid plan id", "leave it empty to get a new one", out["plan_id"])


def _blank(value: Any) -> bool:
    """True for an empty cell: None, blank text, or the NaN a spreadsheet library reads."""
    return (
        value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""
    )


def _clean_choices(values: Mapping[str, Any], out: dict[str, Any], report: Report) -> None:
    guide = load_guide()
    for name, choices, default in (
        ("mode", {k: v["label"] for k, v in guide.modes.items()}, "coaching"),
        ("activity_type", guide.activity_types, "course"),
        ("band", guide.bands, None),
    ):
        raw = values.get(name)
        if _blank(raw):
            out[name] = default
            continue
        out[name] = _choice(raw, choices)
        if out[name] is None:
            what = "relationship band" if name == "band" else name.replace("_", " ")
            report(name, f"unknown {what}", f"use one of: {', '.join(choices)}", raw)


def _clean_resources(values: Mapping[str, Any], out: dict[str, Any], report: Report) -> None:
    raw = values.get("resources") or ()
    items = raw.split("\n") if isinstance(raw, str) else raw
    if not isinstance(items, Iterable):
        report("resources", "expected a list of resource titles", "give one title per line")
        items = ()
    resources: list[str] = []
    for item in items:
        text, issue = _text(item)
        if issue or "\n" in (text or "") or len(text or "") > MAX_LINE:
            report(
                "resources",
                issue or "each resource must be one short line",
                f"give one title per line, each under {MAX_LINE} characters",
                item,
            )
        elif text and text not in resources:
            resources.append(text)
    if len(resources) > MAX_RESOURCES:
        report(
            "resources",
            f"too many resources ({len(resources)})",
            f"recommend at most {MAX_RESOURCES}: a few well-chosen ones work better",
        )
    out["resources"] = tuple(resources)


def _clean_dates(values: Mapping[str, Any], out: dict[str, Any], report: Report) -> None:
    for name in DATES:
        day, issue, fix = parse_date(values.get(name))
        if issue:
            report(name, issue, fix or "", values.get(name))
        out[name] = day
    raw = values.get("follow_ups") or ()
    if isinstance(raw, str):
        items: Iterable[Any] = re.split(r"[;,\s]+", raw.strip())
    elif isinstance(raw, Iterable):
        items = raw
    else:
        report("follow_ups", "expected a list of dates", "write dates as YYYY-MM-DD; YYYY-MM-DD")
        items = ()
    follow_ups = []
    for item in (i for i in items if not _blank(i)):
        day, issue, fix = parse_date(item)
        if issue:
            report("follow_ups", issue, fix or "", item)
        else:
            follow_ups.append(day)
    if len(follow_ups) > MAX_FOLLOW_UPS:
        report(
            "follow_ups",
            f"too many follow-ups ({len(follow_ups)})",
            f"plan at most {MAX_FOLLOW_UPS}; about 30, 60 and 90 days is usual",
        )
    out["follow_ups"] = tuple(follow_ups)


def _clean_meeting(values: Mapping[str, Any], out: dict[str, Any], report: Report) -> None:
    raw = values.get("meeting_time")
    clock = _CLOCK.match(raw.strip()) if isinstance(raw, str) else None
    if isinstance(raw, time):
        out["meeting_time"] = raw.replace(second=0, microsecond=0, tzinfo=None)
    elif _blank(raw):
        out["meeting_time"] = time(10, 0)
    elif clock:
        out["meeting_time"] = time(int(clock.group(1)), int(clock.group(2)))
    else:
        report("meeting_time", "not a time of day", "write it as HH:MM, e.g. 09:30", raw)
    raw = values.get("meeting_minutes")
    minutes = None
    if _blank(raw):
        minutes = 30
    elif isinstance(raw, int) and not isinstance(raw, bool):
        minutes = raw
    elif isinstance(raw, str) and _DIGITS.match(raw.strip()):
        minutes = int(raw.strip())
    if minutes is None or not MEETING_MINUTES[0] <= minutes <= MEETING_MINUTES[1]:
        report(
            "meeting_minutes",
            "the length must be a whole number of minutes",
            f"use {MEETING_MINUTES[0]} to {MEETING_MINUTES[1]}, e.g. 30",
            raw,
        )
    out["meeting_minutes"] = minutes


def _clean_check_ins(values: Mapping[str, Any], out: dict[str, Any], report: Report) -> None:
    raw = values.get("check_ins")
    count = None
    if _blank(raw):
        count = 0
    elif isinstance(raw, int) and not isinstance(raw, bool):
        count = raw
    elif isinstance(raw, str) and _DIGITS.match(raw.strip()):
        count = int(raw.strip())
    low, high = CHECK_INS
    if count is None or not low <= count <= high:
        report(
            "check_ins",
            "the monthly check-ins must be a whole number of months",
            f"use {low} for none, or up to {high} (e.g. 6 for six months)",
            raw,
        )
        count = 0
    out["check_ins"] = count


def _check_order(out: Mapping[str, Any], report: Report) -> None:
    """Report dates out of the order the conversations need (only dates that could be read)."""
    before, start, end, after = (out.get(name) for name in DATES)
    if start and end and end < start:
        report(
            "activity_end",
            "the activity ends before it starts",
            f"end on or after the start ({start.isoformat()})",
            end.isoformat(),
        )
    # When one activity date could not be read, the other still shows a conversation misplaced.
    first, last = start or end, end or start
    if before and first and before > first:
        report(
            "before_date",
            f"the before-conversation is after the activity {'starts' if start else 'ends'}",
            f"hold it on or before {first.isoformat()}, so the goal is agreed before the "
            "learning begins",
            before.isoformat(),
        )
    if after and last and after < last:
        report(
            "after_date",
            f"the after-conversation is before the activity {'ends' if end else 'starts'}",
            f"hold it on or after {last.isoformat()}",
            after.isoformat(),
        )
    previous = after
    for day in out.get("follow_ups", ()):
        if previous and day <= previous:
            report(
                "follow_ups",
                "each follow-up must come after the after-conversation and the previous follow-up",
                "put the dates in order, a few weeks apart",
                day.isoformat(),
            )
        previous = day


# ------------------------------------------------------------------------------ date helpers


def _weekday(day: date, step: int) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=step)
    return day


def propose_follow_ups(
    activity_end: date, days: Iterable[int] = FOLLOW_UP_DAYS
) -> tuple[date, ...]:
    """Follow-up dates about 30, 60 and 90 days after the activity ends, moved off weekends."""
    return tuple(_weekday(activity_end + timedelta(days=d), +1) for d in days)


def propose_dates(activity_start: date, activity_end: date) -> dict[str, Any]:
    """A schedule to start from: a week before, a few days after, then 30/60/90-day follow-ups."""
    if activity_end < activity_start:
        raise InputError(
            Problem(
                "the activity ends before it starts",
                "correct the dates",
                column="activity_end",
                value=activity_end.isoformat(),
            )
        )
    before = _weekday(activity_start - timedelta(days=7), -1)
    after = _weekday(activity_end + timedelta(days=3), +1)
    follow_ups = tuple(d for d in propose_follow_ups(activity_end) if d > after)
    return {"before_date": before, "after_date": after, "follow_ups": follow_ups}


def check_in_start(plan: ConversationPlan) -> date:
    """The first monthly check-in: about a month after the last conversation, on a weekday.

    It falls in the first four weeks of its month, so "the same weekday of every month" (e.g.
    the 2nd Tuesday) exists in every month and a calendar repeats it without skipping any.
    """
    last = max((plan.after_date, *plan.follow_ups))
    day = _weekday(last + timedelta(days=CHECK_IN_GAP_DAYS), +1)
    return day + timedelta(days=7) if day.day > 28 else day


def long_date(day: date) -> str:
    """A date as people write it: "Monday 1 March 2027"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


_ORDINALS = ("first", "second", "third", "fourth")


def check_in_rhythm(plan: ConversationPlan) -> str:
    """The monthly check-ins in words, for every export that lists them ("" if there are none).

    E.g. "The second Thursday of each month, from Thursday 8 July 2027 to ...": the rule that
    :meth:`ConversationPlan.check_in_dates` follows, so the words and the dates agree. A single
    check-in is its date: "Once, on Thursday 8 July 2027".
    """
    days = plan.check_in_dates()
    if not days:
        return ""
    if len(days) == 1:
        return f"Once, on {long_date(days[0])}"
    nth = _ORDINALS[(days[0].day - 1) // 7]
    return (
        f"The {nth} {days[0]:%A} of each month, from {long_date(days[0])} to {long_date(days[-1])}"
    )


# -------------------------------------------------------------------------- the CSV register


def _cells(plan: ConversationPlan) -> list[str]:
    data = plan.to_dict()
    data["resources"] = "\n".join(plan.resources)
    data["follow_ups"] = "; ".join(data["follow_ups"])
    data["band"] = plan.band or ""
    data["meeting_minutes"] = str(plan.meeting_minutes)
    return [str(data[column]) for column in CSV_COLUMNS]


def plans_csv_text(plans: Iterable[ConversationPlan]) -> str:
    """The plan register as CSV text (with a BOM for Excel); no cell can start a formula."""
    return csv_text(CSV_COLUMNS, (_cells(plan) for plan in plans), protect=protect_team_text)


def write_plans_csv(
    plans: Iterable[ConversationPlan], path_or_file: str | os.PathLike[str] | IO[Any] | None = None
) -> str:
    """Write the plan register as CSV to a path (atomically) or an open file; return the text."""
    return write_text(plans_csv_text(plans), path_or_file)


def _plans_from_records(
    records: Iterable[tuple[int, Any]], source: str, what: str
) -> list[ConversationPlan]:
    """Build a plan from each (row, mapping); report every bad row and repeated id at once."""
    plans: list[ConversationPlan] = []
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    for number, values in records:
        if not isinstance(values, Mapping):
            problems.append(
                Problem(
                    "this plan is not a record",
                    "restore an earlier copy",
                    row=number,
                    source=source,
                )
            )
            continue
        plan_id = str(values.get("plan_id") or "").strip()
        if plan_id in first_row:
            problems.append(
                Problem(
                    f"the same plan id as row {first_row[plan_id]}",
                    "clear the plan_id cell to give this plan a new one",
                    row=number,
                    column="plan_id",
                    value=plan_id,
                    source=source,
                )
            )
        elif plan_id:
            first_row[plan_id] = number
        try:
            plans.append(ConversationPlan.from_dict(values, row=number, source=source))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems, title=_title(problems, f"{what} ({source})"))
    return plans


def read_plans_csv(path_or_file: Source) -> list[ConversationPlan]:
    """Read a plan register written by :func:`write_plans_csv` (or typed in a spreadsheet).

    Rows are numbered as a spreadsheet shows them (the header is row 1). Every problem in the
    file is reported at once in one :class:`InputError`.
    """
    header, rows, label = csv_records(path_or_file, "plans", key_column="member")
    positions, problems = column_problems(header, CSV_REQUIRED, CSV_COLUMNS, label)
    if problems:
        raise InputError(problems, title=_title(problems, f"The plan register ({label})"))
    records = (
        (
            number,
            {
                c: restore_team_text(cells[i]) if i < len(cells) else ""
                for c, i in positions.items()
            },
        )
        for number, cells in rows
    )
    return _plans_from_records(records, label, "The plan register")


# ------------------------------------------------------------------------------ saving, loading


def default_plans_path() -> Path:
    """Where plans are saved unless told otherwise: ``plans.json`` in the per-user data folder."""
    return data_dir() / PLANS_FILE


def save_plans(
    plans: Iterable[ConversationPlan], path: str | os.PathLike[str] | None = None
) -> Path:
    """Save plans atomically (the previous file stays whole if anything fails); return the path."""
    payload = {"plans": [plan.to_dict() for plan in plans]}
    return save_document(path or default_plans_path(), PLANS_KIND, PLANS_SCHEMA_VERSION, payload)


def load_plans(path: str | os.PathLike[str] | None = None) -> list[ConversationPlan]:
    """Load saved plans; with no path and nothing saved yet, return an empty list."""
    target = Path(path) if path is not None else default_plans_path()
    if path is None and not target.exists():
        return []
    return plans_from_document(load_document(target, PLANS_KIND, PLANS_SCHEMA_VERSION), target.name)


def plans_from_document(document: Mapping[str, Any], source: str) -> list[ConversationPlan]:
    """The plans of a saved plans document (as read by ``load_document``), each checked."""
    items = document.get("plans")
    if not isinstance(items, list):
        raise InputError(
            Problem(
                "the file holds no list of plans",
                "choose a file saved by the planner",
                column="plans",
                source=source,
            )
        )
    return _plans_from_records(enumerate(items, start=1), source, "The saved plans")


# ---------------------------------------------------------------------- working with the scorer


def member_options(scores: Sequence[Score] | None) -> list[tuple[str, str]]:
    """(label, member) choices from a scored team: members left behind first, and labelled so."""
    options_first, options_rest = [], []
    for s in scores or ():
        band = f"{s.band.label} relationship" if s.band else "not rated yet"
        detail = "; ".join(
            p for p in (band, "left behind: plan first" if s.left_behind else "") if p
        )
        label = f"{s.name} ({detail})"
        (options_first if s.left_behind else options_rest).append((label, s.name))
    return options_first + options_rest


def band_for(scores: Sequence[Score] | None, member: str) -> str | None:
    """The relationship band key the scorer gave ``member``, or None if not (fully) scored."""
    for s in scores or ():
        if s.name == member:
            return s.band.key if s.band else None
    return None


def __getattr__(name: str) -> Any:
    # The calendar export moved to core.ics; these names stay importable from here, loaded (with
    # icalendar) only when asked for.
    if name in ("plans_to_ics", "zone"):
        from . import ics

        return getattr(ics, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
