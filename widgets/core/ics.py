"""Conversation plans as calendar events (.ics): one event per conversation, with its agenda.

Calendar apps (Outlook, Google Calendar) import the file; a stable UID and a rising SEQUENCE
make a re-import update the events instead of duplicating them. Only this module loads
icalendar, so a page that plans without exporting never pays for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event

from ..base.errors import InputError, Problem
from ..content.prompts import load_guide, mode_reminder
from .plans import DEFAULT_TZ, ConversationPlan

# Outlook shortens long event notes: user text in an event is cut to this many characters.
DESCRIPTION_TEXT = 400
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)
PRODID = "-//Leading for Learning//Conversation planner//EN"


def zone(tz: str) -> ZoneInfo:
    """The IANA time zone ``tz`` (e.g. "Europe/London"), or an InputError saying how to fix it."""
    try:
        if not isinstance(tz, str) or not tz.strip() or tz != tz.strip():
            raise ValueError(tz)
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InputError(
            Problem(
                "unknown time zone",
                "use an IANA name such as Europe/London, America/New_York or Asia/Singapore",
                column="tz",
                value=tz,
            )
        ) from None


def _short(text: str, limit: int = DESCRIPTION_TEXT) -> str:
    """User text for an event, cut at a word to ``limit`` characters (the plan keeps it whole)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(maxsplit=1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip() + "…"


def _event_description(plan: ConversationPlan, stage: str, purpose: str) -> str:
    """The event's notes: what the plan is about, the stage's purpose, and its full agenda."""
    guide = load_guide()
    lines = [
        f"Learning activity: {plan.activity} ({guide.activity_types[plan.activity_type]})",
        f"Learning goal: {_short(plan.goal)}",
        f"How it will be used at work: {_short(plan.application)}",
        "",
        " ".join(purpose.split()),
        "",
        "Agenda (questions to ask):",
        *(f"{i}. {q}" for i, q in enumerate(plan.prompts(stage), start=1)),
        "",
        f"Reminder: {mode_reminder(plan.mode)}",
    ]
    return "\n".join(lines)


def _local(day: date, plan: ConversationPlan, where: ZoneInfo) -> datetime:
    """The meeting's start on ``day``; a time the clocks pass twice is its first occurrence.

    That is how RFC 5545 reads a repeated local time, so every calendar app agrees.
    """
    return datetime.combine(day, plan.meeting_time.replace(fold=0), tzinfo=where)


def _event(
    uid: str, summary: str, description: str, start: datetime, minutes: int, stamp: datetime
) -> Event:
    """One calendar event with its reminder (VALARM), stamped so a re-import updates it."""
    hours = load_guide().calendar["reminder_hours_before"]
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    # Rises with every export, so a calendar app applies a re-imported event as an update.
    event.add("sequence", int((stamp - SEQUENCE_EPOCH).total_seconds() // 60))
    event.add("dtstart", start)
    # Elapsed minutes, so a meeting across a clock change still lasts as long.
    end = start.astimezone(timezone.utc) + timedelta(minutes=minutes)
    local = end.astimezone(start.tzinfo)
    # A local time in the hour the clocks go back happens twice, and a reader takes the first:
    # such an end is written in UTC, which says which one.
    ambiguous = local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()
    event.add("dtend", end if ambiguous else local)
    event.add("summary", summary)
    event.add("description", description)
    event.add("categories", ["Development conversation"])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Reminder: {summary}")
    alarm.add("trigger", -timedelta(hours=hours))
    event.add_component(alarm)
    return event


def plans_to_ics(
    plans: Iterable[ConversationPlan], tz: str = DEFAULT_TZ, *, stamp: datetime | None = None
) -> bytes:
    """One calendar (.ics bytes) with an event per conversation of every plan, in zone ``tz``.

    Each event has a stable UID (plan id and stage) and a SEQUENCE that rises with each export,
    so importing an updated file again updates the events instead of duplicating them. Each
    event carries its agenda and a reminder (data/prompts.yml, ``calendar``); a plan with
    ``check_ins`` adds one repeating monthly event. The relationship band is never written.
    """
    where = zone(tz)
    plans = list(plans)
    stamp = (stamp or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    guide = load_guide()
    days = []
    for plan in plans:
        for talk in plan.conversations():
            start = _local(talk.day, plan, where)
            suffix = talk.stage if not talk.number else f"{talk.stage}-{talk.number}"
            purpose = guide.stages[talk.stage]["purpose"]
            event = _event(
                f"{plan.plan_id}-{suffix}@leading-for-learning",
                f"{talk.label}: {plan.member}",
                _event_description(plan, talk.stage, purpose),
                start,
                plan.meeting_minutes,
                stamp,
            )
            cal.add_component(event)
            days.append(talk.day)
        check_ins = plan.check_in_dates()
        if check_ins:
            spec = guide.calendar["check_in"]
            first = check_ins[0]
            event = _event(
                f"{plan.plan_id}-check-in@leading-for-learning",
                f"{spec['label']}: {plan.member}",
                _event_description(plan, "follow_up", spec["purpose"]),
                _local(first, plan, where),
                plan.meeting_minutes,
                stamp,
            )
            weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[first.weekday()]
            nth = (first.day - 1) // 7 + 1
            event.add(
                "rrule", {"freq": "monthly", "count": len(check_ins), "byday": f"{nth}{weekday}"}
            )
            cal.add_component(event)
            days += [first, check_ins[-1]]
    if days:
        # Cover whole years around the events, so a meeting moved later keeps its rules.
        cal.add_missing_timezones(
            first_date=date(min(days).year - 1, 1, 1), last_date=date(max(days).year + 2, 1, 1)
        )
        _one_rdate_per_line(cal)
    return cal.to_ical()


def _one_rdate_per_line(cal: Calendar) -> None:
    """Write each clock change of a VTIMEZONE as its own RDATE line.

    icalendar lists them comma-separated in one RDATE, which RFC 5545 allows but some readers
    (vobject, found by the tests) take only the first date of: one date a line reads the same.
    """
    for tz in cal.walk("VTIMEZONE"):
        for part in tz.subcomponents:
            found = part.pop("RDATE", None)
            if found is None:
                continue
            for value in found if isinstance(found, list) else [found]:
                for one in value.dts:
                    part.add("rdate", one.dt)
