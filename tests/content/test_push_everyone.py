"""Push everyone: the planner never rations stretch or ambition by relationship band.

Everything is computed from data/prompts.yml through the loader (or from the copy named by
LEADING_FOR_LEARNING_BOOK_DATA), so the test checks whatever guide the book or a fork ships:

- every stage has stretch questions, identified structurally (the stage's shared ``stretch``
  list), and every band is asked exactly the stretch questions the highest band is asked;
- a weaker relationship only ever adds questions: a lower band gets every question a higher band
  gets, in every stage and mode, so it never gets fewer;
- no question anywhere offers to drop the goal or to stop working on it.

The first edition's guide fails all three (its stretch questions sat under the higher trust
level, and its lower trust level asked "Is this still something you want to work on?").
"""

from __future__ import annotations

import itertools
import re

import pytest

from widgets import prompts_for
from widgets.content.instrument import load_instrument
from widgets.content.prompts import STAGES, load_guide, trust_advice

# Phrasings that invite someone to give up on a learning goal. A question may ask what got in
# the way or what should change; it may not offer an exit.
EXIT_QUESTIONS = re.compile(
    r"\b(still (something|what) you want|still want|rather not|drop (it|this|the goal)"
    r"|give (it )?up|stop (working|doing|this)|abandon|close it|quit|not worth"
    r"|worth (it|continuing)|put (it|this) aside|let (it|this) go|call it a day|move on from)\b",
    re.IGNORECASE,
)


def bands_lowest_first() -> list[str]:
    return [band.key for band in sorted(load_instrument().bands, key=lambda b: b.min)]


def modes() -> list[str | None]:
    return [None, *load_guide().modes]


def stretch_questions(stage: str) -> set[str]:
    """The stage's stretch questions, as the loader reads them from the shared list."""
    return set(load_guide().prompts[stage].get("stretch") or [])


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_has_stretch_questions(stage):
    assert stretch_questions(stage), (
        f"{stage}: no shared 'stretch' questions, so ambition depends on the band"
    )


@pytest.mark.parametrize("stage", STAGES)
def test_every_band_gets_the_stretch_questions_of_the_highest_band(stage):
    stretch = stretch_questions(stage)
    assert stretch, f"{stage}: no shared 'stretch' questions to compare"
    bands = bands_lowest_first()
    for mode in modes():
        top = set(prompts_for(stage, band=bands[-1], mode=mode)) & stretch
        for band in [None, *bands]:
            asked = set(prompts_for(stage, band=band, mode=mode))
            assert asked & stretch == top == stretch, (stage, band, mode)


@pytest.mark.parametrize("stage", STAGES)
def test_a_weaker_relationship_only_adds_questions(stage):
    bands = bands_lowest_first()
    fewer = []
    for mode in modes():
        asked = {band: prompts_for(stage, band=band, mode=mode) for band in bands}
        for lower, higher in itertools.pairwise(bands):
            missing = [q for q in asked[higher] if q not in asked[lower]]
            if missing or len(asked[lower]) < len(asked[higher]):
                fewer.append(f"{mode or 'no mode'}: {lower} lacks what {higher} gets: {missing}")
        # The questions every relationship gets are those asked with no band at all.
        common = prompts_for(stage, mode=mode)
        for band in bands:
            assert set(common) <= set(asked[band]), (stage, mode, band)
    assert not fewer, f"{stage}: " + "; ".join(dict.fromkeys(fewer))


def every_question() -> list[tuple[str, str]]:
    guide = load_guide()
    found = []
    for stage, spec in guide.prompts.items():
        found += [(f"{stage}.general", q) for q in spec["general"]]
        found += [(f"{stage}.stretch", q) for q in spec.get("stretch") or []]
        for group in ("trust", "modes"):
            for key, questions in spec[group].items():
                found += [(f"{stage}.{group}.{key}", q) for q in questions]
    return found


def test_no_question_offers_to_drop_the_goal():
    exits = [(where, q) for where, q in every_question() if EXIT_QUESTIONS.search(q)]
    assert not exits, f"questions that offer a way out of the goal: {exits}"


def test_the_exit_pattern_catches_the_first_editions_wording():
    for text in (
        "Is this still something you want to work on?",
        "Is there anything you would rather not have spent time on?",
        "Is it time to change our mentoring arrangement, or to close it?",
    ):
        assert EXIT_QUESTIONS.search(text), text
    assert not EXIT_QUESTIONS.search("What has got in the way?")


def test_lower_trust_openers_ask_and_do_not_judge():
    for stage in STAGES:
        for question in load_guide().prompts[stage]["trust"]["lower"]:
            assert question.endswith("?")
            assert not any(w in question.lower() for w in ("rate", "score", "should have"))


@pytest.mark.parametrize("band", ["very_low", "low", "moderate", "high", "very_high"])
def test_the_advice_for_every_band_says_challenge_is_for_everyone(band):
    # Shown beside the questions: it must never read as a reason to ask less of someone.
    assert "challenge is for everyone" in trust_advice(band).lower()
