"""ConversationPlan: construction, normalising, validation, date helpers, scorer hand-over."""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plan_samples import BASE

from widgets import ConversationPlan, InputError
from widgets.content.instrument import load_instrument
from widgets.core.members import new_member
from widgets.core.plans import (
    band_for,
    member_options,
    parse_date,
    propose_dates,
    propose_follow_ups,
)
from widgets.core.scoring import score_members
from widgets.core.teamfile import read_team


def plan(**changes) -> ConversationPlan:
    return ConversationPlan.from_dict({**BASE, **changes})


def columns(error: InputError) -> list[str | None]:
    return [p.column for p in error.problems]


# ------------------------------------------------------------------------ building a plan


def test_from_dict_reads_text_dates_and_fills_defaults():
    made = plan(follow_ups="2027-04-09; 2027-05-10", meeting_time="9:30", meeting_minutes="45")
    assert made.before_date == date(2027, 3, 1)
    assert made.follow_ups == (date(2027, 4, 9), date(2027, 5, 10))
    assert made.meeting_time == time(9, 30) and made.meeting_minutes == 45
    assert made.mode == "coaching" and made.activity_type == "course" and made.band is None
    assert len(made.plan_id) == 32


def test_constructor_takes_date_objects_and_normalises_text():
    made = ConversationPlan(
        member="  Sam  ",
        activity="Course",
        goal="Line one\r\nLine two\u2028three",
        application="Use",
        before_date=date(2027, 3, 1),
        activity_start=date(2027, 3, 8),
        activity_end=date(2027, 3, 8),
        after_date=date(2027, 3, 8),
        resources=[" A ", "", "B", "A"],
    )
    assert made.member == "Sam"
    assert made.goal == "Line one\nLine two\nthree"
    assert made.resources == ("A", "B")


def test_keys_or_labels_are_accepted_for_choices():
    very_low = load_instrument().band("very_low").label
    made = plan(mode="Mentoring a peer", activity_type="STRETCH_ASSIGNMENT", band=very_low)
    assert (made.mode, made.activity_type, made.band) == (
        "mentoring_peer",
        "stretch_assignment",
        "very_low",
    )


def test_plan_is_frozen_and_replace_revalidates():
    made = plan()
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.goal = "changed"  # type: ignore[misc]
    with pytest.raises(InputError):
        dataclasses.replace(made, goal="  ")


def test_to_dict_from_dict_round_trip_keeps_every_field():
    made = plan(band="low", resources=["X", "Y"], follow_ups=["2027-04-09"], notes="n\nm")
    assert ConversationPlan.from_dict(made.to_dict()) == made


# ------------------------------------------------------------------------------ validation


def test_every_bad_case_from_the_issue_is_reported_at_once():
    with pytest.raises(InputError) as caught:
        plan(
            after_date="2027-03-05",  # before the activity ends
            before_date="2027-03-09",  # after the activity starts
            goal="   ",
            activity_end="2026-02-30",  # no such day
            mode="telling",
        )
    error = caught.value
    assert set(columns(error)) == {"after_date", "before_date", "goal", "activity_end", "mode"}
    text = str(error)
    assert "February 2026 has 28 days" in text
    assert "use one of: coaching, co_creating, mentoring_peer, peer_learning" in text
    assert "Fix:" in text and "5 problems" in text


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"after_date": "2027-03-09"}, "after_date", "before the activity ends"),
        ({"before_date": "2027-03-09"}, "before_date", "after the activity starts"),
        ({"goal": ""}, "goal", "empty"),
        ({"application": " "}, "application", "empty"),
        ({"member": ""}, "member", "empty"),
        ({"before_date": "2027-02-29"}, "before_date", "does not exist"),
        ({"before_date": "2027-13-01"}, "before_date", "no month 13"),
        ({"before_date": "01/03/2027"}, "before_date", "YYYY-MM-DD"),
        ({"before_date": None}, "before_date", "missing"),
        ({"before_date": "1999-12-31"}, "before_date", "year"),
        ({"mode": "bossing"}, "mode", "unknown mode"),
        ({"activity_type": "holiday"}, "activity_type", "unknown activity type"),
        ({"band": "medium"}, "band", "unknown relationship band"),
        ({"activity_end": "2027-03-07"}, "activity_end", "ends before it starts"),
        ({"follow_ups": "2027-03-11"}, "follow_ups", "after the after-conversation"),
        ({"follow_ups": "2027-05-01; 2027-04-01"}, "follow_ups", "previous follow-up"),
        ({"follow_ups": "2027-04-01; 2027-04-01"}, "follow_ups", "previous follow-up"),
        ({"follow_ups": "2027-03-12"}, "follow_ups", "after the after-conversation"),
        ({"meeting_time": "25:00"}, "meeting_time", "time of day"),
        ({"meeting_minutes": "0"}, "meeting_minutes", "whole number of minutes"),
        ({"member": "Sam\nATTENDEE:x"}, "member", "single line"),
        ({"member": "S" * 101}, "member", "too long"),
        ({"notes": "x" * 20_001}, "notes", "too long"),
        ({"goal": "bell \x07 here"}, "goal", "control character"),
        ({"goal": 42}, "goal", "expected text"),
        ({"plan_id": "../../etc"}, "plan_id", "not a valid plan id"),
        ({"colour": "blue"}, "colour", "unknown field"),
        ({"follow_ups": 5}, "follow_ups", "expected a list of dates"),
        ({"resources": 5}, "resources", "expected a list of resource titles"),
    ],
)
def test_each_bad_value_names_its_field_and_a_fix(changes, column, words):
    with pytest.raises(InputError) as caught:
        plan(**changes)
    problem = next(p for p in caught.value.problems if p.column == column)
    assert words in problem.message + problem.fix
    assert problem.fix


ANYTHING = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.times(),
    st.lists(st.one_of(st.text(max_size=10), st.dates(), st.integers()), max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([*ConversationPlan.FIELD_NAMES, "x"]), ANYTHING))
def test_any_input_gives_a_plan_or_an_input_error_never_a_crash(changes):
    try:
        made = plan(**changes)
    except InputError as error:
        assert error.problems and all(p.fix for p in error.problems)
    else:
        assert ConversationPlan.from_dict(made.to_dict()) == made


def test_problems_carry_row_and_source_when_given():
    with pytest.raises(InputError) as caught:
        ConversationPlan.from_dict({**BASE, "goal": ""}, row=7, source="plans.csv")
    assert str(caught.value.problems[0]).startswith("plans.csv, row 7, column 'goal'")


def test_long_note_emoji_name_and_markup_are_accepted_as_text():
    made = plan(member="Zoë 🌱 <script>alert(1)</script>", notes="n" * 10_000)
    assert made.member.startswith("Zoë 🌱 <script>")
    assert len(made.notes) == 10_000


def test_same_day_before_and_start_is_fine():
    made = plan(before_date="2027-03-08", after_date="2027-03-10")
    assert made.before_date == made.activity_start


# ---------------------------------------------------------------------------- date helpers


def test_parse_date_reports_the_real_last_day_of_month():
    day, problem, fix = parse_date("2028-02-30")
    assert day is None and "does not exist" in problem and "29 days" in fix


def test_follow_ups_are_30_60_90_days_after_the_end_moved_off_weekends():
    # 2027-03-10 is a Wednesday: +30 = Friday 9 April, +60 = Sunday 9 May -> Monday 10 May.
    assert propose_follow_ups(date(2027, 3, 10)) == (
        date(2027, 4, 9),
        date(2027, 5, 10),
        date(2027, 6, 8),
    )


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=date(2001, 1, 1), max_value=date(2097, 1, 1)),
    length=st.integers(min_value=0, max_value=120),
)
def test_proposed_dates_always_make_a_valid_plan(start, length):
    end = start + timedelta(days=length)
    proposal = propose_dates(start, end)
    assert proposal["before_date"] <= start and proposal["before_date"].weekday() < 5
    assert proposal["after_date"] >= end and proposal["after_date"].weekday() < 5
    for nominal, day in zip((30, 60, 90), propose_follow_ups(end), strict=True):
        assert 0 <= (day - (end + timedelta(days=nominal))).days <= 2 and day.weekday() < 5
    made = ConversationPlan(
        member="M",
        activity="A",
        goal="G",
        application="U",
        activity_start=start,
        activity_end=end,
        **proposal,
    )
    assert [c.day for c in made.conversations()] == sorted(c.day for c in made.conversations())


def test_propose_dates_refuses_an_end_before_the_start():
    with pytest.raises(InputError):
        propose_dates(date(2027, 3, 10), date(2027, 3, 1))


def test_conversations_are_labelled_in_order():
    made = plan(follow_ups=list(propose_follow_ups(date(2027, 3, 10))))
    talks = made.conversations()
    assert [t.stage for t in talks] == ["before", "after", "follow_up", "follow_up", "follow_up"]
    assert talks[0].label == "Before-conversation"
    assert talks[2].label == "Follow-up 1 (day 30 after the activity)"
    assert talks[4].number == 3


# ---------------------------------------------------------------------- the scorer hand-over


TEAM = (
    b"member,q1,q2,q3,q4,q5,q6,q7,goal,opportunities\n"
    b"Ana,5,5,5,5,5,5,5,stretch,5\nZed,1,1,1,1,1,1,1,none,0\n"
    b"Mo,3,3,3,3,3,3,3,,\nKit,2,2,2,2,2,3,3,none,0\n"
)


def contract_scores() -> list:
    """Scores of a small team: Zed and Kit left behind, Ana and Mo not."""
    return score_members(read_team(TEAM))


def test_member_options_put_left_behind_members_first_and_say_so():
    options = member_options(contract_scores())
    assert [value for _, value in options] == ["Zed", "Kit", "Ana", "Mo"]
    assert "left behind" in options[0][0] and "Very low" in options[0][0]
    assert "left behind" not in options[2][0]
    assert member_options(None) == [] and member_options([]) == []


def test_member_options_say_who_is_not_rated_yet():
    inst = load_instrument()
    scores = score_members([new_member("New", inst)])
    assert member_options(scores) == [("New (not rated yet)", "New")]
    assert band_for(scores, "New") is None


def test_band_for_finds_the_scored_band():
    scored = contract_scores()
    assert band_for(scored, "Kit") == "low"
    assert band_for(scored, "Zed") == "very_low"
    assert band_for(scored, "Nobody") is None
    assert band_for(None, "Kit") is None
    assert plan(member="Zed", band=band_for(scored, "Zed")).band == "very_low"
