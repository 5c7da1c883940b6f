"""Plan exports: Markdown, HTML handout, calendar (.ics), CSV register, saved file."""

from __future__ import annotations

import html
import io
import json
import os
import re
from datetime import date, datetime, time, timedelta, timezone
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from markdown_it import MarkdownIt
from plan_samples import BASE as SAMPLE_PLAN
from strategies import NASTY_PLAN_TEXT as NASTY
from strategies import plans

import widgets.base.storage
from widgets import (
    ConversationPlan,
    InputError,
    load_plans,
    plan_markdown,
    read_plans_csv,
    save_plans,
    write_plans_csv,
)
from widgets.content.source import load_yaml
from widgets.core.ics import plans_to_ics
from widgets.core.plans import (
    CSV_COLUMNS,
    PLANS_KIND,
    PLANS_SCHEMA_VERSION,
    default_plans_path,
    propose_follow_ups,
)
from widgets.exports.handout import handout_html
from widgets.exports.plans import EXPORT_FORMATS, export_text

BASE = {**SAMPLE_PLAN, "follow_ups": "2027-04-09; 2027-05-10; 2027-06-08"}


def plan(**changes) -> ConversationPlan:
    return ConversationPlan.from_dict({**BASE, **changes})


def nasty_plan(text: str) -> ConversationPlan:
    one_line = text.replace("\r\n", " ")
    return plan(
        member=one_line,
        activity=one_line,
        skill=one_line,
        protected_time=one_line,
        goal=text,
        application=text,
        support=text,
        notes=text,
        resources=[one_line],
    )


# ---------------------------------------------------------------------------------- Markdown


class TextOf(HTMLParser):
    """Collect tag names and the text inside the first tag named ``want``."""

    def __init__(self, want: str = "h1") -> None:
        super().__init__(convert_charrefs=True)
        self.want, self.inside, self.text, self.tags = want, False, "", []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.inside = self.inside or tag == self.want

    def handle_endtag(self, tag):
        if tag == self.want:
            self.inside = False
            self.want = None

    def handle_data(self, data):
        if self.inside:
            self.text += data


def rendered(markdown: str, want: str = "h1") -> TextOf:
    parser = TextOf(want)
    parser.feed(MarkdownIt("commonmark").enable("table").render(markdown))
    return parser


def test_markdown_has_the_plan_and_the_tailored_questions():
    text = plan_markdown(plan(band="low", mode="co_creating", resources=["Coaching skills"]))
    assert text.startswith("# Development conversation plan: Sam Synthetic\n")
    assert "| Learning relationship | Learning together with a direct report" in text
    before = load_yaml("prompts.yml")["prompts"]["before"]
    assert f"1. {before['trust']['lower'][0]}" in text  # lower-trust extra questions first
    assert all(question in text for question in before["stretch"])  # stretch, as for everyone
    assert "What do you already know about this that I do not?" in text  # co-creating
    assert "### Follow-up 3 (day 90 after the activity): Tuesday 8 June 2027" in text
    assert "- Coaching skills" in text
    assert "low" not in text.lower().split("## conversations")[0]  # the band is not shown


@pytest.mark.parametrize("text", NASTY)
def test_markdown_shows_user_text_literally(text):
    made = nasty_plan(text)
    page = rendered(plan_markdown(made))
    assert page.text == f"Development conversation plan: {made.member}"
    plain = rendered(plan_markdown(nasty_plan("plain words")))
    extra = {tag for tag, _ in page.tags} - {tag for tag, _ in plain.tags}
    assert extra <= {"br"}  # line breaks the user typed, and no other element
    assert all("href" not in attrs and "src" not in attrs for _, attrs in page.tags)


@settings(max_examples=80, deadline=None)
@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=60,
    ).filter(lambda s: s.strip())
)
def test_any_member_name_renders_as_typed(name):
    made = plan(member=name)
    page = rendered(plan_markdown(made))
    assert " ".join(page.text.split()) == " ".join(
        f"Development conversation plan: {made.member}".split()
    )
    assert not {tag for tag, _ in page.tags} - {
        "h1",
        "h2",
        "h3",
        "p",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ol",
        "li",
        "em",
        "ul",
        "br",
    }


# ------------------------------------------------------------------------------ HTML handout


def test_handout_has_one_printable_page_per_conversation():
    plans = [plan(), plan(member="Kit", follow_ups="")]
    page = handout_html(plans)
    assert page.count('<section class="page"') == 5 + 2
    assert "@media print" in page and "break-after: page" in page and "@page" in page
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "Before-conversation with Kit" in page


@pytest.mark.parametrize("text", NASTY)
def test_handout_escapes_user_text_and_loads_nothing_from_elsewhere(text):
    page = handout_html([nasty_plan(text)])
    parser = TextOf("h1")
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    assert not set(tags) & {"script", "img", "link", "iframe", "object", "embed", "a"}
    assert all(
        not any(k.startswith("on") or k in ("src", "href") for k in attrs)
        for _, attrs in parser.tags
    )
    style = page.split("<style>")[1].split("</style>")[0]
    assert "url(" not in style and "@import" not in style
    assert html.unescape(parser.text).endswith(f"with {nasty_plan(text).member}")


def test_handout_with_no_plans_says_so():
    assert "No plans yet" in handout_html([])


def handout_pages(page: str) -> list[str]:
    """Each printed page of a handout, as its HTML."""
    return str(page).split('<section class="page"')[1:]


def when_line(page: str) -> str:
    """The text of a handout page's line saying when the meeting is."""
    return html.unescape(re.search(r'<p class="when">(.*?)</p>', page, re.S).group(1))


def markdown_check_in_line(markdown: str) -> str:
    """The Markdown's sentence under its check-in heading."""
    lines = markdown.split("\n")
    heading = next(i for i, line in enumerate(lines) if line.startswith("### Development check"))
    return lines[heading + 2]


def test_handout_without_check_ins_has_no_check_in_page():
    page = handout_html([plan()])
    assert len(handout_pages(page)) == 5
    assert "check-in" not in page and "of each month" not in page


def test_handout_has_a_page_for_the_monthly_check_ins_worded_as_the_markdown():
    made = plan(check_ins=6, meeting_time="09:30", meeting_minutes="45")
    pages = handout_pages(handout_html([made, plan(member="Kit")]))
    assert len(pages) == 5 + 1 + 5  # Kit's plan has no check-ins, so no page for them
    check_ins = pages[5]
    assert "Development check-in with Sam Synthetic</h1>" in check_ins
    assert "After the conversations: 6 monthly check-ins" in check_ins
    rhythm = (
        "The second Thursday of each month, from Thursday 8 July 2027 to Thursday 9 December 2027"
    )
    assert when_line(check_ins) == f"{rhythm}, 09:30, 45 minutes"
    assert markdown_check_in_line(plan_markdown(made)) == (
        f"{rhythm}, 09:30 (45 min). Questions: as for the follow-ups."
    )
    # The same purpose and questions as the check-in's calendar event.
    event = events(made.to_ics())[-1]
    description = str(event["DESCRIPTION"]).split("\n")
    purpose = " ".join(load_yaml("prompts.yml")["calendar"]["check_in"]["purpose"].split())
    assert purpose in description and purpose in html.unescape(check_ins)
    questions = re.findall(r"<li>(.*?)<div", check_ins)
    assert questions and [html.unescape(q) for q in questions] == made.prompts("follow_up")
    assert all(f"{i}. {q}" in description for i, q in enumerate(made.prompts("follow_up"), 1))


def test_a_single_check_in_prints_as_its_date():
    made = plan(check_ins=1)
    check_ins = handout_pages(handout_html([made]))[-1]
    assert "After the conversations: 1 monthly check-in</p>" in check_ins
    assert when_line(check_ins) == "Once, on Thursday 8 July 2027, 10:00, 30 minutes"
    assert markdown_check_in_line(plan_markdown(made)).startswith("Once, on Thursday 8 July 2027,")


# ---------------------------------------------------------------------------------- calendar

ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
PROPERTIES = {
    "SUMMARY", "DTSTART", "DTEND", "DTSTAMP", "UID", "DESCRIPTION", "CATEGORIES", "SEQUENCE",
    "LAST-MODIFIED",
}  # fmt: skip


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_ics_has_what_outlook_and_google_need():
    made = plan(meeting_time="14:00", meeting_minutes="45")
    stamp = datetime(2027, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    data = made.to_ics("Europe/London", stamp=stamp)
    cal = Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and "Leading for Learning" in str(cal["PRODID"])
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    found = events(data)
    assert len(found) == 5
    first = found[0]
    assert first["DTSTART"].params["TZID"] == "Europe/London"
    assert first["DTSTART"].dt == datetime(2027, 3, 1, 14, 0, tzinfo=first["DTSTART"].dt.tzinfo)
    assert first["DTEND"].dt - first["DTSTART"].dt == timedelta(minutes=45)
    assert first["DTSTAMP"].dt == stamp
    assert str(first["SUMMARY"]) == "Before-conversation: Sam Synthetic"
    assert "What do you want to be able to do afterwards" in str(first["DESCRIPTION"])
    assert len({str(e["UID"]) for e in found}) == 5
    assert str(found[4]["UID"]) == f"{made.plan_id}-follow_up-3@leading-for-learning"
    assert b"\r\n" in data and all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_summer_and_winter_times_keep_their_local_clock_time():
    made = plan(
        before_date="2027-03-26",
        activity_start="2027-03-29",
        activity_end="2027-03-29",
        after_date="2027-03-30",
        follow_ups="",
    )
    offsets = [e["DTSTART"].dt.utcoffset() for e in events(made.to_ics())]
    assert offsets == [timedelta(0), timedelta(hours=1)]  # GMT, then BST after 28 March
    assert [e["DTSTART"].dt.hour for e in events(made.to_ics())] == [10, 10]


def test_the_band_and_private_notes_never_reach_the_calendar():
    data = plan(band="very_low", notes="private: thinking of moving Sam").to_ics()
    text = data.decode("utf-8").lower()
    assert "very_low" not in text and "very low" not in text and "private" not in text


@pytest.mark.parametrize("text", NASTY)
def test_user_text_cannot_add_calendar_properties_or_events(text):
    made = nasty_plan(text)
    data = made.to_ics("America/New_York")
    found = events(data)
    assert len(found) == len(made.conversations())
    for event in found:
        assert set(event.keys()) == PROPERTIES
        assert str(event["SUMMARY"]).endswith(made.member)
        assert made.goal in str(event["DESCRIPTION"])
    unfolded = re.sub(rb"\r\n[ \t]", b"", data).decode("utf-8")
    names = {re.split(r"[;:]", line, maxsplit=1)[0] for line in unfolded.split("\r\n") if line}
    allowed = PROPERTIES | {
        "BEGIN",
        "END",
        "VERSION",
        "PRODID",
        "CALSCALE",
        "METHOD",
        "TZID",
        "TZNAME",
        "TZOFFSETFROM",
        "TZOFFSETTO",
        "RDATE",
        "COMMENT",
        "RRULE",
        "ACTION",
        "TRIGGER",
    }
    assert names <= allowed, names - allowed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.dates(min_value=date(2001, 1, 1), max_value=date(2097, 6, 1)),
    length=st.integers(0, 60),
    clock=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    minutes=st.integers(5, 480),
    tz=st.sampled_from(ZONES),
)
def test_every_ics_parses_and_keeps_dates_times_and_zone(start, length, clock, minutes, tz):
    end = start + timedelta(days=length)
    made = ConversationPlan(
        member="M",
        activity="A",
        goal="G",
        application="U",
        before_date=start,
        activity_start=start,
        activity_end=end,
        after_date=end,
        follow_ups=propose_follow_ups(end),
        meeting_time=clock,
        meeting_minutes=minutes,
    )
    found = events(made.to_ics(tz))
    assert [e["DTSTART"].dt.date() for e in found] == [t.day for t in made.conversations()]
    for event in found:
        start_dt = event["DTSTART"].dt
        assert start_dt.tzinfo is not None and event["DTSTART"].params["TZID"] == tz
        assert (start_dt.hour, start_dt.minute) == (clock.hour, clock.minute)
        # Elapsed time (in UTC): a meeting across a clock change still lasts its minutes.
        elapsed = event["DTEND"].dt.astimezone(timezone.utc) - start_dt.astimezone(timezone.utc)
        assert elapsed == timedelta(minutes=minutes)


def test_utc_and_a_bad_zone():
    start = events(plan().to_ics("UTC"))[0]["DTSTART"].dt
    assert start.utcoffset() == timedelta(0) and start.hour == 10
    for bad in ("Europe/Londn", "", " Europe/London", "../../etc/passwd"):
        with pytest.raises(InputError) as caught:
            plan().to_ics(bad)
        assert caught.value.problems[0].column == "tz"


def test_several_plans_share_one_calendar():
    data = plans_to_ics([plan(), plan(member="Kit", follow_ups="")], tz="Asia/Kolkata")
    assert len(events(data)) == 7
    assert len(Calendar.from_ical(data).walk("VTIMEZONE")) == 1


# ------------------------------------------------------------------------------ CSV register


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(plans(), max_size=4))
def test_csv_register_round_trip_is_exact(made):
    text = write_plans_csv(made)
    assert read_plans_csv(io.BytesIO(text.encode("utf-8"))) == made
    assert read_plans_csv(io.StringIO(text)) == made


@pytest.mark.parametrize("text", NASTY)
def test_no_csv_cell_can_start_a_formula(text, tmp_path):
    path = tmp_path / "register.csv"
    made = nasty_plan(text)
    write_plans_csv([made], path)
    raw = path.read_text(encoding="utf-8-sig")
    import csv

    for row in csv.reader(io.StringIO(raw, newline="")):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")), cell
    assert read_plans_csv(path) == [made]


def test_write_to_an_open_text_or_binary_file():
    text_file, binary_file, made = io.StringIO(), io.BytesIO(), plan()
    write_plans_csv([made], text_file)
    write_plans_csv([made], binary_file)
    assert text_file.getvalue().encode("utf-8") == binary_file.getvalue()
    assert text_file.getvalue().lstrip("\ufeff").startswith(",".join(CSV_COLUMNS))


def test_a_register_typed_in_a_spreadsheet_is_read():
    text = (
        "Member;Activity;Goal;Application;Before_date;Activity_start;Activity_end;After_date;Band\n"
        "Kit;Course;Chair the review;Team review;2027-01-04;2027-01-11;2027-01-12;2027-01-14;Low\n"
        ";;;;;;;;\n"
    )
    [made] = read_plans_csv(io.BytesIO(text.encode("utf-8")))
    assert made.member == "Kit" and made.band == "low" and len(made.plan_id) == 32


def test_bad_register_rows_are_all_reported_with_row_and_column():
    good = write_plans_csv([plan()]).lstrip("\ufeff").splitlines()
    header = good[0]
    row = good[1].split(",")
    index = {name: i for i, name in enumerate(CSV_COLUMNS)}
    bad_date = row.copy()
    bad_date[index["before_date"]] = "2026-02-30"
    bad_mode = row.copy()
    bad_mode[index["mode"]] = "telling"
    bad_mode[index["plan_id"]] = "other"
    text = "\n".join([header, good[1], ",".join(bad_date), ",".join(bad_mode)]) + "\n"
    with pytest.raises(InputError) as caught:
        read_plans_csv(io.BytesIO(text.encode("utf-8")))
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(3, "before_date"), (3, "plan_id"), (4, "mode")}
    assert "the same plan id as row 2" in str(caught.value)


def test_a_register_without_required_columns_is_refused():
    with pytest.raises(InputError) as caught:
        read_plans_csv(io.BytesIO(b"member,goal,colour\nKit,x,blue\n"))
    columns = {p.column for p in caught.value.problems}
    assert {"activity", "application", "before_date", "after_date", "colour"} <= columns


# -------------------------------------------------------------------------- saving, loading


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(plans(), max_size=3))
def test_saved_plans_load_back_exactly(tmp_path, made):
    path = save_plans(made, tmp_path / "plans.json")
    assert load_plans(path) == made


def test_default_location_is_the_per_user_data_folder(private_data_dir):
    assert load_plans() == []  # nothing saved yet
    path = save_plans([plan()])
    assert path == default_plans_path() == private_data_dir / "plans.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (
        document["kind"] == PLANS_KIND and document["schema_version"] == PLANS_SCHEMA_VERSION == 2
    )
    assert load_plans() == [plan(plan_id=document["plans"][0]["plan_id"])]


@pytest.mark.parametrize(
    "breakage",
    ["dumps", "replace", "fsync"],
)
def test_a_failed_save_leaves_the_last_good_copy(breakage, monkeypatch, private_data_dir):
    good = [plan()]
    path = save_plans(good)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full (simulated)")

    target = {
        "dumps": (widgets.base.storage.json, "dumps"),
        "replace": (widgets.base.storage.os, "replace"),
        "fsync": (widgets.base.storage.os, "fsync"),
    }[breakage]
    monkeypatch.setattr(*target, fail)
    with pytest.raises(OSError):
        save_plans([plan(member="Kit"), *good])
    assert path.read_bytes() == before
    assert load_plans(path) == good
    assert sorted(os.listdir(private_data_dir)) == ["plans.json"]  # no half-written temp file


def test_a_damaged_or_foreign_file_is_a_readable_error(tmp_path):
    path = tmp_path / "plans.json"
    path.write_text('{"kind": "relationship-scorer", "schema_version": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="not a saved conversation-plans file"):
        load_plans(path)
    path.write_text(
        '{"kind": "conversation-plans", "schema_version": 1, "plans": [{"member": "Kit"}, 7]}',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_plans(path)
    rows = {p.row for p in caught.value.problems}
    assert rows == {1, 2} and "goal" in str(caught.value)
    path.write_text('{"kind": "conversation-plans", "schema_version": 3, "plans": []}')
    with pytest.raises(InputError, match="schema version"):
        load_plans(path)
    with pytest.raises(InputError, match="does not exist"):
        load_plans(tmp_path / "missing.json")


# --------------------------------------------------------------------------- export_text


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_export_text_gives_name_type_and_content(fmt):
    name, mime, text = export_text([plan(), plan(member="Kit")], fmt, tz="Europe/Paris")
    assert name.startswith("conversation-") and "/" in mime and "Kit" in text
    if fmt == "ics":
        assert len(events(text.encode("utf-8"))) == 10 and "TZID=Europe/Paris" in text


def test_export_text_refuses_an_unknown_format():
    with pytest.raises(InputError, match="unknown export format"):
        export_text([plan()], "pdf")


def test_meeting_time_is_kept_as_a_clock_time():
    made = plan(meeting_time=time(8, 5))
    assert made.to_dict()["meeting_time"] == "08:05"


def test_the_calendar_export_loads_icalendar_only_when_a_calendar_is_made():
    """core.plans keeps the plan; core.ics makes the calendar: planning alone never loads it."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import widgets.core.plans, widgets.core.summary\n"
        "assert 'icalendar' not in sys.modules, 'planning loaded icalendar'\n"
        "from widgets.core.plans import plans_to_ics  # the old place still works\n"
        "from widgets.core import ics\n"
        "assert plans_to_ics is ics.plans_to_ics and 'icalendar' in sys.modules\n"
    )
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = subprocess.run(
        [sys.executable, "-c", script],
        env={"PYTHONPATH": repo},
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr


def test_the_plans_own_markdown_method_is_the_markdown_export():
    """``ConversationPlan.to_markdown()`` is part of the public surface (DESIGN.md): it stays the
    same text as ``plan_markdown``, loading the format on first use like ``to_ics()``."""
    made = plan(band="low", mode="co_creating", resources=["Coaching skills"])
    assert made.to_markdown() == plan_markdown(made)
    assert made.to_markdown().startswith("#")
