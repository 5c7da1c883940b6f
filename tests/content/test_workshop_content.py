"""The workshop's content: agendas add up and cover the activities, one role card per mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from widgets.content.prompts import load_guide
from widgets.content.source import load_yaml
from widgets.core.summary import category_labels, pattern_keys

REPO = Path(__file__).resolve().parents[2]
AGENDAS = ("ninety_minute", "three_hour")  # the two agendas the guide pages render


@pytest.fixture(scope="module")
def workshop() -> dict:
    return load_yaml("workshop.yml")


@pytest.mark.parametrize("key", AGENDAS)
def test_agenda_minutes_add_up_to_the_stated_length(workshop, key):
    agenda = workshop["agendas"][key]
    minutes = [block["minutes"] for block in agenda["blocks"]]
    assert all(isinstance(m, int) and m > 0 for m in minutes), minutes
    assert sum(minutes) == agenda["length_minutes"]


@pytest.mark.parametrize("key", AGENDAS)
def test_every_agenda_covers_the_workshop_activities(workshop, key):
    titles = " ".join(block["title"].lower() for block in workshop["agendas"][key]["blocks"])
    for activity in ("evidence", "score", "left-behind", "plan", "practise", "group", "commit"):
        assert activity in titles, f"{key} has no block about {activity!r}"
    for block in workshop["agendas"][key]["blocks"]:
        assert block["title"].strip() and block["what"].strip()


def test_agenda_pages_say_the_length_they_render():
    for page, key in (("three-hour", "three_hour"), ("ninety-minute", "ninety_minute")):
        text = (REPO / "chapters" / "workshop" / f"{page}.md").read_text(encoding="utf-8")
        assert f'["agendas"]["{key}"]' in text


def test_one_role_card_per_learning_relationship_mode():
    cards = load_yaml("role_cards.yml")["cards"]
    modes = [card["mode"] for card in cards]
    assert sorted(modes) == sorted(load_guide().modes)
    assert len(modes) == len(set(modes)) == 4
    for card in cards:
        for side in ("leader", "partner"):
            assert card[side]["role"].strip()
        assert card["scene"].strip() and card["leader"]["aim"].strip()
        assert card["partner"]["brief"].strip()
        assert card["leader"]["try"] and card["leader"]["avoid"]


def test_check_ins_come_in_order_after_the_workshop(workshop):
    days = [c["day"] for c in workshop["check_ins"]]
    assert days and all(isinstance(d, int) and d > 0 for d in days)
    assert days == sorted(set(days)), "check-in days must increase"


def test_every_investment_pattern_has_a_label():
    assert list(category_labels()["investment_patterns"]) == pattern_keys()


def test_schema_file_is_valid_json():
    schema = json.loads((REPO / "data" / "summary.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
