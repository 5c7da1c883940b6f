"""The workshop's loaders (data/workshop.yml, data/role_cards.yml): typed objects, and the rules
a schema cannot state, each at its line, the same from the loader and from make check-data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from widgets.base.errors import InputError
from widgets.book.validation import check_book_data
from widgets.content.prompts import load_guide
from widgets.content.workshop import load_role_cards, load_workshop, pattern_keys
from widgets.core.summary import category_labels

REPO = Path(__file__).resolve().parents[2]


def edit(path: Path, change) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, sort_keys=False, width=10_000), encoding="utf-8")


def loader_problems(load) -> list:
    with pytest.raises(InputError) as caught:
        load()
    return caught.value.problems


def checked(data: Path, source: str) -> list:
    """What make check-data reports for ``source`` in a book whose data folder is ``data``."""
    return [p for p in check_book_data(REPO, data=data) if p.source == source]


def test_the_workshop_is_read_as_typed_objects_with_one_label_per_pattern():
    workshop = load_workshop()
    for agenda in workshop.agendas.values():
        assert sum(block.minutes for block in agenda.blocks) == agenda.length_minutes
        assert all("\n" not in block.what for block in agenda.blocks)
    assert list(workshop.investment_patterns) == pattern_keys()
    assert category_labels()["investment_patterns"] == workshop.investment_patterns
    assert [c.day for c in workshop.check_ins] == sorted(c.day for c in workshop.check_ins)


def test_the_role_cards_are_read_one_per_mode():
    deck = load_role_cards()
    assert sorted(card.mode for card in deck.cards) == sorted(load_guide().modes)
    assert all(card.leader.to_try and card.leader.to_avoid for card in deck.cards)
    assert deck.timing and deck.debrief


def test_an_agenda_that_does_not_add_up_is_the_same_problem_from_the_loader_and_the_check(
    content_copy,
):
    path = content_copy / "workshop.yml"
    edit(path, lambda raw: raw["agendas"]["ninety_minute"]["blocks"][0].update(minutes=1))
    (problem,) = loader_problems(load_workshop)
    assert problem.column == "agendas.ninety_minute.length_minutes"
    assert "add up to" in problem.message and problem.fix
    lines = path.read_text("utf-8").splitlines()
    start = next(n for n, line in enumerate(lines, start=1) if "ninety_minute:" in line)
    assert problem.row == next(
        n for n, line in enumerate(lines, start=1) if n > start and "length_minutes:" in line
    )
    assert checked(content_copy, "data/workshop.yml") == [problem]


def test_each_block_starts_when_the_one_before_it_ends(content_copy):
    edit(
        content_copy / "workshop.yml",
        lambda raw: raw["agendas"].update(
            ninety_minute={
                "title": "Short",
                "length_minutes": 65,
                "blocks": [
                    {"title": "One", "minutes": 5, "what": "a"},
                    {"title": "Two", "minutes": 45, "what": "b"},
                    {"title": "Three", "minutes": 15, "what": "c"},
                ],
            }
        ),
    )
    assert load_workshop().agendas["ninety_minute"].starts == (0, 5, 50)


def test_a_check_in_that_comes_before_the_one_above_it_is_named_at_its_line(content_copy):
    path = content_copy / "workshop.yml"
    edit(path, lambda raw: raw["check_ins"][1].update(day=raw["check_ins"][0]["day"]))
    days = [c["day"] for c in yaml.safe_load(path.read_text("utf-8"))["check_ins"]]
    (problem,) = loader_problems(load_workshop)
    assert (problem.column, problem.value) == ("check_ins[2].day", days[1])
    assert f"day {days[0]}" in problem.message and "order" in problem.fix
    lines = path.read_text("utf-8").splitlines()
    day_lines = [n for n, line in enumerate(lines, start=1) if line.strip().startswith("- day:")]
    assert problem.row == day_lines[1]
    assert checked(content_copy, "data/workshop.yml") == [problem]


def test_check_ins_out_of_order_are_each_named_once(content_copy):
    def shuffle(raw):
        first = raw["check_ins"][0]
        raw["check_ins"] = [{**first, "day": day} for day in (90, 30, 60)]

    edit(content_copy / "workshop.yml", shuffle)
    problems = loader_problems(load_workshop)
    # 30 comes after 90; 60 is still before 90, so it is out of order too
    assert [(p.column, p.value) for p in problems] == [
        ("check_ins[2].day", 30),
        ("check_ins[3].day", 60),
    ]


def test_a_missing_and_an_unknown_pattern_name_are_each_named(content_copy):
    def rename(raw):
        patterns = raw["investment_patterns"]
        patterns["more_to_everyone"] = patterns.pop("even")

    edit(content_copy / "workshop.yml", rename)
    problems = loader_problems(load_workshop)
    assert [(p.column, p.message) for p in problems] == [
        ("investment_patterns.even", "'even' is missing"),
        ("investment_patterns.more_to_everyone", "unknown pattern"),
    ]
    assert checked(content_copy, "data/workshop.yml") == problems


def test_two_cards_for_one_mode_and_none_for_another_are_both_reported(content_copy):
    cards = yaml.safe_load((content_copy / "role_cards.yml").read_text("utf-8"))["cards"]
    lost = cards[-1]["mode"]
    edit(
        content_copy / "role_cards.yml", lambda raw: raw["cards"][-1].update(mode=cards[0]["mode"])
    )
    problems = loader_problems(load_role_cards)
    assert [p.message for p in problems] == [  # in file order: 'cards:' comes first
        f"no card for the mode '{lost}'",
        "a second card for this mode",
    ]
    assert problems[1].column == f"cards[{len(cards)}].mode" and problems[1].row
    assert checked(content_copy, "data/role_cards.yml") == problems


def test_an_unknown_mode_lists_the_modes_of_the_guide(content_copy):
    edit(content_copy / "role_cards.yml", lambda raw: raw["cards"][0].update(mode="mentoring"))
    problems = loader_problems(load_role_cards)
    unknown = next(p for p in problems if p.column == "cards[1].mode")
    assert (unknown.message, unknown.value) == ("unknown learning-relationship mode", "mentoring")
    assert all(mode in unknown.fix for mode in load_guide().modes)
    assert checked(content_copy, "data/role_cards.yml") == problems
