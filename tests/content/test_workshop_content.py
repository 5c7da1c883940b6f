"""The workshop's content as shipped: agendas cover the activities, the pages show the agendas
and check-ins the data holds, one role card per mode. The rules themselves (agendas add up,
check-in days increase, one card per mode) are the loaders', tested in
tests/unit/test_workshop_loaders.py; here the shipped files must pass them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from widgets.content.prompts import load_guide
from widgets.content.workshop import Workshop, load_role_cards, load_workshop
from widgets.core.summary import category_labels, pattern_keys

REPO = Path(__file__).resolve().parents[2]
AGENDAS = ("ninety_minute", "three_hour")  # the two agendas the guide pages render


@pytest.fixture(scope="module")
def workshop() -> Workshop:
    return load_workshop()  # the loader refuses an agenda that does not add up


@pytest.mark.parametrize("key", AGENDAS)
def test_agenda_minutes_add_up_to_the_stated_length(workshop, key):
    agenda = workshop.agendas[key]
    assert sum(block.minutes for block in agenda.blocks) == agenda.length_minutes
    assert agenda.starts[-1] + agenda.blocks[-1].minutes == agenda.length_minutes


@pytest.mark.parametrize("key", AGENDAS)
def test_every_agenda_covers_the_workshop_activities(workshop, key):
    titles = " ".join(block.title.lower() for block in workshop.agendas[key].blocks)
    for activity in ("evidence", "score", "left-behind", "plan", "practise", "group", "commit"):
        assert activity in titles, f"{key} has no block about {activity!r}"


def test_agenda_pages_show_the_agenda_of_their_length():
    for page, key in (("three-hour", "three_hour"), ("ninety-minute", "ninety_minute")):
        text = (REPO / "chapters" / "workshop" / f"{page}.md").read_text(encoding="utf-8")
        assert f'agenda_html("{key}")' in text


def test_one_role_card_per_learning_relationship_mode():
    deck = load_role_cards()
    modes = [card.mode for card in deck.cards]
    assert sorted(modes) == sorted(load_guide().modes)
    assert len(modes) == len(set(modes)) == 4


def test_the_follow_up_page_runs_the_check_ins_the_data_holds(workshop):
    page = (REPO / "chapters" / "workshop" / "follow-up.md").read_text(encoding="utf-8")
    assert "check_ins_html()" in page
    described = [int(day) for day in re.findall(r"\*\*Day (\d+)\.\*\*", page)]
    assert described == [check_in.day for check_in in workshop.check_ins]


def test_every_investment_pattern_has_a_label():
    assert list(category_labels()["investment_patterns"]) == pattern_keys()


def test_schema_file_is_valid_json():
    schema = json.loads((REPO / "data" / "summary.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
