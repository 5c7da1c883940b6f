"""check_goal: plain-language hints on a learning goal, driven by data/goal_check.yml."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import InputError, check_goal
from widgets.core.goal_hints import ASPECTS, Hint

GOOD = (
    "Run the Monday planning meeting on my own by the end of March, so that the team leaves "
    "with three agreed priorities"
)


def by_aspect(hints: list[Hint]) -> dict[str, Hint]:
    return {hint.aspect: hint for hint in hints}


def test_an_empty_goal_gets_one_invitation_to_write_it():
    for text in ("", "   ", None):
        hints = check_goal(text)
        assert len(hints) == 1 and hints[0].aspect == "goal" and not hints[0].met
        assert "Write the learning goal" in hints[0].message


def test_a_strong_goal_has_every_aspect_and_says_what_is_there():
    hints = check_goal(GOOD)
    assert [h.aspect for h in hints] == list(ASPECTS)
    assert all(h.met for h in hints)
    found = by_aspect(hints)
    assert found["specific"].found == ("meeting", "team")
    assert '"on my own"' in found["stretch"].message
    assert found["timeframe"].found == ("end of march",)
    assert "run" in found["observable"].found


def test_a_vague_goal_gets_suggestions_not_a_score():
    hints = by_aspect(check_goal("Improve my skills"))
    assert not any(h.met for h in hints.values())
    assert '"improve"' in hints["specific"].message
    assert hints["specific"].message.startswith("It uses general words")
    assert all(h.message.startswith("Could add") for k, h in hints.items() if k != "specific")
    assert all(not any(ch.isdigit() for ch in h.message) for h in hints.values())  # no scores


def test_a_short_goal_with_a_concrete_word_is_asked_for_more():
    hint = by_aspect(check_goal("Better meetings"))["specific"]
    assert not hint.met and "short" in hint.message


@pytest.mark.parametrize(
    "text",
    [
        "present to the board by March",
        "chair the meeting within six weeks",
        "lead the call in 3 months",
        "write the report before 2027-03-31",
        "write the report by 31/03",
        "present the plan next quarter",
        "present the plan by the end of May",
        "deliver it on 14 June",
    ],
)
def test_timeframes_are_found(text):
    assert by_aspect(check_goal(text))["timeframe"].met


@pytest.mark.parametrize("text", ["I may lead the weekly meeting", "present to the board soon"])
def test_no_timeframe_is_invented(text):
    assert not by_aspect(check_goal(text))["timeframe"].met


def test_digits_of_a_date_do_not_make_a_goal_specific():
    hints = by_aspect(check_goal("Do it all by 31/03/2027 or by 14 June"))
    assert not hints["specific"].met and hints["timeframe"].met


def test_longer_phrases_win_over_the_words_inside_them():
    hint = by_aspect(check_goal("Present to the board for the first time by May"))["stretch"]
    assert hint.found == ("for the first time",)


def test_do_your_best_wording_adds_a_hint():
    hints = by_aspect(check_goal("Try to do my best at presentations if time allows"))
    assert hints["hedges"].found == ("try to", "do my best", "if time allows")
    assert not hints["hedges"].met and '"try to"' in hints["hedges"].message


def test_stretch_in_a_lower_trust_relationship_adds_a_note():
    note = "Keep the stretch: it is for everyone"
    assert note in by_aspect(check_goal(GOOD, band="very_low"))["stretch"].message
    assert note not in by_aspect(check_goal(GOOD, band="high"))["stretch"].message
    assert note not in by_aspect(check_goal(GOOD))["stretch"].message
    with pytest.raises(InputError):
        check_goal(GOOD, band="medium")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_hints_and_never_an_error(text):
    hints = check_goal(text)
    assert hints and all(isinstance(h, Hint) and h.message for h in hints)
    assert {h.aspect for h in hints} <= {*ASPECTS, "hedges", "goal"}


def test_word_lists_come_from_the_data_file(content_copy):
    path = content_copy / "goal_check.yml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules["aspects"]["specific"]["signals"].append("synergy matrix")
    rules["aspects"]["timeframe"]["present"] = "Zeitrahmen: {found}."
    path.write_text(yaml.safe_dump(rules), encoding="utf-8")
    hints = by_aspect(check_goal("Document the synergy matrix for all six squads by June"))
    assert hints["specific"].found == ("synergy matrix",)
    assert hints["timeframe"].message == 'Zeitrahmen: "by june".'


def test_a_broken_rules_file_names_what_is_missing(content_copy):
    path = content_copy / "goal_check.yml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    del rules["aspects"]["stretch"]
    rules["min_words"] = "six"
    path.write_text(yaml.safe_dump(rules), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        check_goal(GOOD)
    text = str(caught.value)
    assert "data/goal_check.yml" in text
    # One problem per mistake, each at its line: the missing aspect (not each of its parts).
    problems = {p.column: p for p in caught.value.problems}
    assert set(problems) == {"aspects.stretch", "min_words"}, text
    assert "'stretch' is missing" in problems["aspects.stretch"].message
    assert all(p.row for p in problems.values())
