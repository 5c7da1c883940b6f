"""The .ics export as calendar apps read it: agenda, reminder, stable UIDs, monthly check-ins.

Every file is read by two independent parsers (icalendar, which writes it, and vobject), and
checked against the import rules of Google Calendar and Outlook: CRLF line ends, lines folded at
75 octets without splitting a character, a VTIMEZONE for every TZID, notes of a sane length.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import jsonschema
import pytest
import vobject
import yaml
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from plan_samples import BASE as SAMPLE_PLAN
from strategies import plans

from widgets import ConversationPlan, InputError, load_plans, read_plans_csv, write_plans_csv
from widgets.base.storage import save_document
from widgets.content.prompts import load_guide
from widgets.content.source import ENV_BOOK_DATA
from widgets.core.ics import plans_to_ics
from widgets.core.markdown import plan_markdown
from widgets.core.plans import CSV_COLUMNS, PLANS_KIND
from widgets.exports.handout import handout_html

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "widgets" / "content" / "schemas" / "prompts.schema.json"
BASE = {**SAMPLE_PLAN, "follow_ups": "2027-04-09; 2027-05-10; 2027-06-08"}
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
STAMP = datetime(2027, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
DESCRIPTION_LIMIT = 3000  # Outlook shortens long notes; keep well under its few thousand


def plan(**changes) -> ConversationPlan:
    return ConversationPlan.from_dict({**BASE, **changes})


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def unfolded(data: bytes) -> str:
    return re.sub(rb"\r\n[ \t]", b"", data).decode("utf-8")


def vobject_read(data: bytes):
    """The calendar as vobject reads it (one VCALENDAR, or the test fails)."""
    [calendar] = list(vobject.readComponents(data.decode("utf-8")))
    return calendar


def their_local(calendar, value: datetime) -> datetime:
    """A vobject time read with the file's own VTIMEZONE rules.

    vobject binds a TZID to the first definition it met in the process (or to pytz), not to
    the file's own VTIMEZONE: the zone is rebuilt from this file's definition, as an app would.
    """
    if (
        value.tzinfo is not None
        and value.utcoffset() == timedelta(0)
        and not hasattr(calendar, "vtimezone")
    ):
        return value
    return value.replace(tzinfo=calendar.vtimezone.gettzinfo())


def clear(moment: datetime) -> bool:
    """True unless the local time happens twice (the hour the clocks go back)."""
    return moment.utcoffset() == moment.replace(fold=1).utcoffset()


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` (1-4) ``weekday`` (0 = Monday) of a month, counted from the calendar."""
    days = [date(year, month, d) for d in range(1, 29)]
    return [d for d in days if d.weekday() == weekday][nth - 1]


# ------------------------------------------------------------------------- agenda, reminder


def test_every_event_carries_its_full_agenda_and_a_reminder_a_day_before():
    made = plan(band="low", mode="co_creating", check_ins=3)
    found = events(made.to_ics(stamp=STAMP))
    stages = [t.stage for t in made.conversations()] + ["follow_up"]
    assert len(found) == len(stages) == 6
    for event, stage in zip(found, stages, strict=True):
        description = str(event["DESCRIPTION"])
        numbered = [f"{i}. {q}" for i, q in enumerate(made.prompts(stage), start=1)]
        assert all(line in description.split("\n") for line in numbered), stage
        assert made.goal in description and made.application in description
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert str(alarm["DESCRIPTION"]) == f"Reminder: {event['SUMMARY']}"
        assert alarm["TRIGGER"].dt == timedelta(days=-1)
        assert alarm["TRIGGER"].params.get("RELATED", "START") == "START"


def guide_copy(tmp_path: Path, monkeypatch, edit) -> Path:
    """A copy of data/ whose prompts.yml ``edit`` changed, used as the book's data folder."""
    folder = tmp_path / "data"
    shutil.copytree(REPO / "data", folder)
    path = folder / "prompts.yml"
    guide = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(guide)
    path.write_text(yaml.safe_dump(guide, sort_keys=False, allow_unicode=True), "utf-8")
    monkeypatch.setenv(ENV_BOOK_DATA, str(folder))
    return path


def test_the_reminder_and_check_in_wording_come_from_the_data_folder(tmp_path, monkeypatch):
    def edit(guide):
        guide["calendar"] = {
            "reminder_hours_before": 2,
            "check_in": {"label": "Monthly chat", "purpose": "How is it going?"},
        }

    guide_copy(tmp_path, monkeypatch, edit)
    made = plan(check_ins=2)
    found = events(made.to_ics())
    assert {e.walk("VALARM")[0]["TRIGGER"].dt for e in found} == {timedelta(hours=-2)}
    assert str(found[-1]["SUMMARY"]) == "Monthly chat: Sam Synthetic"
    assert "How is it going?" in str(found[-1]["DESCRIPTION"])
    assert "### Monthly chat: monthly, 2 times" in plan_markdown(made)
    page = handout_html([made])
    assert "Monthly chat with Sam Synthetic</h1>" in page and "<p>How is it going?</p>" in page


def test_a_guide_without_calendar_settings_still_works(tmp_path, monkeypatch):
    guide_copy(tmp_path, monkeypatch, lambda guide: guide.pop("calendar"))
    [alarm] = events(plan().to_ics())[0].walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(days=-1)


@pytest.mark.parametrize("hours", [-1, 337, "a day", 1.5, True])
def test_a_bad_reminder_setting_is_a_clear_message(tmp_path, monkeypatch, hours):
    path = guide_copy(
        tmp_path, monkeypatch, lambda g: g["calendar"].update(reminder_hours_before=hours)
    )
    with pytest.raises(InputError) as caught:
        load_guide()
    [problem] = caught.value.problems
    assert problem.column == "calendar.reminder_hours_before"
    # One check, the schema's (the loader reads the file through it), with its line and fix.
    assert problem.row == next(
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "reminder_hours_before" in line
    )
    assert problem.value == hours
    assert problem.message in ("must be at least 0", "must be at most 336") or (
        problem.message == "expected a whole number"
    )
    assert "whole number of hours" in problem.fix and "336" in problem.fix
    # The schema the data checks use refuses it too.
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = list(
        jsonschema.Draft202012Validator(schema).iter_errors(
            yaml.safe_load(path.read_text(encoding="utf-8"))
        )
    )
    assert [list(e.path) for e in errors] == [["calendar", "reminder_hours_before"]]


def test_the_shipped_guide_passes_its_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    guide = yaml.safe_load((REPO / "data" / "prompts.yml").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(guide)
    assert guide["calendar"]["reminder_hours_before"] == 24


# ----------------------------------------------------------------------------- stable UIDs


def test_uids_stay_the_same_across_exports_and_edits_while_sequence_rises():
    made = plan(check_ins=6)
    first = events(made.to_ics(stamp=STAMP))
    later = STAMP + timedelta(days=3, minutes=7)
    edited = ConversationPlan.from_dict(
        {
            **made.to_dict(),
            "goal": "Chair the renewal call",
            "after_date": "2027-03-15",
            "meeting_time": "15:00",
            "check_ins": 3,
        }
    )
    again = events(made.to_ics(stamp=later))
    changed = events(edited.to_ics(stamp=later))
    uids = [str(e["UID"]) for e in first]
    assert len(set(uids)) == len(uids) == 6
    assert [str(e["UID"]) for e in again] == uids == [str(e["UID"]) for e in changed]
    assert uids[-1] == f"{made.plan_id}-check-in@leading-for-learning"
    for old, new in zip(first, changed, strict=True):
        assert new["SEQUENCE"] > old["SEQUENCE"] >= 0
        assert new["LAST-MODIFIED"].dt == new["DTSTAMP"].dt == later
    assert "Chair the renewal call" in str(changed[0]["DESCRIPTION"])
    assert changed[1]["DTSTART"].dt.date() == date(2027, 3, 15)


def test_one_calendar_of_many_plans_has_no_repeated_uid():
    team = [plan(member=f"Member {n}", check_ins=n % 3) for n in range(5)]
    uids = [str(e["UID"]) for e in events(plans_to_ics(team))]
    assert len(uids) == len(set(uids)) == 5 * 5 + 3


# ---------------------------------------------------------------------- the monthly check-in


def test_check_ins_repeat_on_the_same_weekday_of_each_month_after_the_last_follow_up():
    made = plan(check_ins=6)  # last follow-up Tuesday 8 June 2027
    event = events(made.to_ics(stamp=STAMP))[-1]
    rule = event["RRULE"]
    assert (rule["FREQ"], rule["COUNT"], rule["BYDAY"]) == (["MONTHLY"], [6], ["2TH"])
    start = event["DTSTART"].dt
    assert start == datetime(2027, 7, 8, 10, 0, tzinfo=start.tzinfo)
    expected = [nth_weekday(2027, m, 3, 2) for m in range(7, 13)]  # 2nd Thursdays, Jul-Dec
    assert list(made.check_in_dates()) == expected
    assert "The second Thursday of each month" in plan_markdown(made)


def test_a_single_check_in_is_written_as_its_date_not_as_a_monthly_rhythm():
    made = plan(check_ins=1)  # last follow-up Tuesday 8 June 2027
    text = plan_markdown(made)
    assert "### Development check\\-in\n" in text and "1 times" not in text
    assert "Once, on Thursday 8 July 2027, 10:00 (30 min)." in text
    assert "of each month" not in text
    rule = events(made.to_ics(stamp=STAMP))[-1]["RRULE"]
    assert rule["COUNT"] == [1]


def test_no_check_in_unless_asked():
    made = plan()
    assert made.check_ins == 0 and made.check_in_dates() == ()
    assert b"RRULE" not in made.to_ics() and "check-in" not in plan_markdown(made)


@pytest.mark.parametrize("value", [-1, 13, "six", "2.5", 2.5, True, [3]])
def test_a_bad_number_of_check_ins_is_a_clear_message(value):
    with pytest.raises(InputError) as caught:
        plan(check_ins=value)
    [problem] = caught.value.problems
    assert problem.column == "check_ins" and "whole number of months" in problem.message
    assert "0 for none" in problem.fix and "12" in problem.fix


def test_check_ins_round_trip_through_csv_and_saved_file(tmp_path):
    made = [plan(check_ins=6), plan(member="Kit")]
    assert read_plans_csv(io.StringIO(write_plans_csv(made))) == made
    assert CSV_COLUMNS[-1] == "check_ins"


def test_plans_saved_before_check_ins_existed_still_load(tmp_path):
    old = {k: v for k, v in plan().to_dict().items() if k != "check_ins"}
    path = save_document(tmp_path / "plans.json", PLANS_KIND, 1, {"plans": [old]})
    [loaded] = load_plans(path)
    assert loaded.check_ins == 0 and loaded.plan_id == old["plan_id"]
    header = ",".join(c for c in CSV_COLUMNS if c != "check_ins")
    row = write_plans_csv([plan()]).lstrip("\ufeff").splitlines()[1].rsplit(",", 1)[0]
    [from_csv] = read_plans_csv(io.StringIO(f"{header}\n{row}\n"))
    assert from_csv.check_ins == 0


# ---------------------------------------------------------------- what importers require


LONG = "Wörter für Zoë 🌱 日本語のテキスト " * 800  # ~20,000 characters, multi-byte throughout


def test_long_texts_keep_descriptions_short_and_the_agenda_whole():
    made = plan(
        goal=LONG[:20_000].strip(),
        application=LONG[:20_000].strip(),
        support=LONG[:20_000].strip(),
        activity=LONG[:300].strip(),
        member=LONG[:100].strip(),
        band="very_low",
        mode="mentoring_peer",
        check_ins=12,
    )
    for event in events(made.to_ics(stamp=STAMP)):
        description = str(event["DESCRIPTION"])
        assert len(description) < DESCRIPTION_LIMIT, len(description)
        assert "Learning goal: Wörter" in description and "\u2026\n" in description
        assert description.count("\n1. ") == 1 and "Reminder:" in description


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(made=st.lists(plans(), min_size=1, max_size=3), tz=st.sampled_from(ZONES))
def test_lines_are_crlf_folded_at_75_octets_and_never_split_a_character(made, tz):
    data = plans_to_ics(made, tz=tz, stamp=STAMP)
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert b"\r" not in data.replace(b"\r\n", b"")
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # a folded line holds whole characters only


@pytest.mark.parametrize("tz", ZONES)
def test_every_tzid_used_has_its_vtimezone_or_the_time_is_utc(tz):
    data = plans_to_ics([plan(check_ins=12), plan(member="Kit")], tz=tz)
    text = unfolded(data)
    used = set(re.findall(r";TZID=([^:;]+)[:;]", text))
    defined = {str(z["TZID"]) for z in Calendar.from_ical(data).walk("VTIMEZONE")}
    assert used <= defined
    in_events = "".join(re.findall(r"BEGIN:VEVENT.*?END:VEVENT", text, re.S))
    times = [line for line in in_events.split("\r\n") if line.startswith(("DTSTART", "DTEND"))]
    assert len(times) == 2 * (6 + 5)
    if tz == "UTC":  # written as UTC ("Z"), so no time zone definition is needed
        assert not used and not defined and all(line.endswith("Z") for line in times)
    else:
        assert used == {tz} and all(";TZID=" in line for line in times)


# ---------------------------------------------------------------- two parsers, any plan


def expected_check_ins(first: date, count: int) -> list[date]:
    """The check-in days a calendar should show: the same nth weekday, month after month."""
    nth = (first.day - 1) // 7 + 1
    out = []
    for step in range(count):
        year, month = divmod(first.month - 1 + step, 12)
        out.append(nth_weekday(first.year + year, month + 1, first.weekday(), nth))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(made=st.lists(plans(), min_size=1, max_size=3), tz=st.sampled_from(ZONES))
def test_any_plans_parse_with_icalendar_and_vobject_alike(made, tz):
    data = plans_to_ics(made, tz=tz, stamp=STAMP)
    again = plans_to_ics(made, tz=tz, stamp=STAMP + timedelta(hours=5))
    ours = events(data)
    theirs = vobject_read(data)
    other = theirs.vevent_list
    wanted = sum(len(p.conversations()) + (1 if p.check_ins else 0) for p in made)
    assert len(ours) == len(other) == wanted
    uids = [str(e["UID"]) for e in ours]
    assert len(set(uids)) == len(uids) == len({e.uid.value for e in other})
    assert uids == [str(e["UID"]) for e in events(again)]
    for mine, theirs_event in zip(ours, other, strict=True):
        assert str(mine["UID"]) == theirs_event.uid.value
        start = their_local(theirs, theirs_event.dtstart.value)
        assert start.replace(tzinfo=None) == mine["DTSTART"].dt.replace(tzinfo=None)
        if clear(mine["DTSTART"].dt):  # an hour that happens twice may be read either way
            assert start.utcoffset() == mine["DTSTART"].dt.utcoffset()
        assert str(mine["DESCRIPTION"]) == theirs_event.description.value
        assert len(theirs_event.description.value) < DESCRIPTION_LIMIT
        [alarm] = mine.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY" and str(alarm["DESCRIPTION"]).strip()
        [their_alarm] = theirs_event.valarm_list
        assert their_alarm.trigger.value == alarm["TRIGGER"].dt == timedelta(days=-1)
    for one in made:
        if not one.check_ins:
            continue
        uid = f"{one.plan_id}-check-in@leading-for-learning"
        [event] = [e for e in ours if str(e["UID"]) == uid]
        [vevent] = [e for e in other if e.uid.value == uid]
        start = event["DTSTART"].dt
        last_talk = max(t.day for t in one.conversations())
        assert 28 <= (start.date() - last_talk).days <= 40 and start.weekday() < 5
        want = expected_check_ins(start.date(), one.check_ins)
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        by_icalendar = list(rule)
        by_vobject = [their_local(theirs, d) for d in vevent.getrruleset()]
        assert [d.date() for d in by_icalendar] == want == list(one.check_in_dates())
        assert [d.date() for d in by_vobject] == want
        # Each repeat keeps the local clock time, across clock changes too.
        clock = (one.meeting_time.hour, one.meeting_time.minute)
        assert {(d.hour, d.minute) for d in by_vobject} == {clock}
        for theirs_day, ours_day in zip(by_vobject, by_icalendar, strict=True):
            assert not clear(ours_day) or theirs_day.utcoffset() == ours_day.utcoffset()


def test_each_clock_change_is_its_own_rdate_so_every_reader_sees_them_all():
    # Found by the property test: vobject read only the first date of a comma-separated RDATE,
    # so a check-in in the second summer of a file came out an hour off.
    made = plan(
        before_date="2001-01-01",
        activity_start="2001-01-01",
        activity_end="2001-01-01",
        after_date="2001-01-01",
        follow_ups="",
        check_ins=12,
    )
    data = made.to_ics("Europe/London")
    assert not re.search(r"^RDATE:[^\r]*,", unfolded(data), re.M)
    zone = vobject_read(data).vtimezone.gettzinfo()
    for day in (date(2001, 7, 1), date(2002, 4, 1), date(2002, 11, 1), date(2003, 7, 1)):
        ours = datetime.combine(day, made.meeting_time, tzinfo=ZoneInfo("Europe/London"))
        assert ours.replace(tzinfo=zone).utcoffset() == ours.utcoffset(), day


@pytest.mark.parametrize("hours", [0, 1, 24, 336])
def test_every_allowed_reminder_reads_the_same_in_both_parsers(tmp_path, monkeypatch, hours):
    guide_copy(tmp_path, monkeypatch, lambda g: g["calendar"].update(reminder_hours_before=hours))
    data = plan(check_ins=1).to_ics()
    theirs = [e.valarm.trigger.value for e in vobject_read(data).vevent_list]
    ours = [e.walk("VALARM")[0]["TRIGGER"].dt for e in events(data)]
    assert ours == theirs == [timedelta(hours=-hours)] * 6


@pytest.mark.parametrize("field", ["check_ins", "meeting_minutes"])
@pytest.mark.parametrize("value", ["²", "٣", "３"])
def test_digits_of_other_scripts_are_a_message_not_a_crash(field, value):
    with pytest.raises(InputError) as caught:
        plan(**{field: value})
    assert [p.column for p in caught.value.problems] == [field]


def test_a_meeting_ending_in_the_repeated_hour_keeps_its_length():
    """Clocks go back at 02:00 BST on 31 October 2038: a 01:00 meeting of an hour ends at the
    second 01:00, which a local time cannot say; the end is written in UTC instead."""
    day = date(2038, 10, 31)
    made = plan(
        before_date=day,
        activity_start=day + timedelta(days=1),
        activity_end=day + timedelta(days=2),
        after_date=day + timedelta(days=3),
        follow_ups="",
        meeting_time="01:00",
        meeting_minutes=60,
    )
    data = plans_to_ics([made], tz="Europe/London", stamp=STAMP)
    first = Calendar.from_ical(data).walk("VEVENT")[0]
    start = first["DTSTART"].dt  # the first 01:00 (BST), as RFC 5545 reads a repeated time
    assert start.astimezone(timezone.utc) == datetime(2038, 10, 31, 0, 0, tzinfo=timezone.utc)
    ends = (first["DTEND"].dt, vobject_read(data).vevent.dtend.value)
    for end in ends:  # the second 01:00 (GMT), for both parsers
        assert end.astimezone(timezone.utc) == datetime(2038, 10, 31, 1, 0, tzinfo=timezone.utc)
