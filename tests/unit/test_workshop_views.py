"""The workshop's HTML pieces (widgets/views/workshop.py): the agenda tables, the check-ins and
the role cards show what the checked loaders read, and an agenda that does not add up is refused
before anything is drawn."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from widgets.base.errors import InputError
from widgets.content.prompts import load_guide
from widgets.views.workshop import (
    agenda_html,
    check_ins_html,
    clock,
    debrief_worksheet_html,
    role_cards_html,
)


class Cells(HTMLParser):
    """The text of each table row (a list of cell texts) and of every paragraph, as shown."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.paragraphs: list[str] = []
        self._cell: list[str] | None = None
        self._para: list[str] | None = None
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "p":
            self._para = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "p" and self._para is not None:
            self.paragraphs.append("".join(self._para))
            self._para = None

    def handle_data(self, data):
        for part in (self._cell, self._para):
            if part is not None:
                part.append(data)


def edit(path: Path, change) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, sort_keys=False, width=10_000), encoding="utf-8")


SHORT = {
    "title": "Short",
    "length_minutes": 75,
    "blocks": [
        {"title": "Open", "minutes": 5, "what": "Say hello."},
        {"title": "Score", "minutes": 60, "what": "Rate the team.", "app_step": "Step 1"},
        {"title": "Close", "minutes": 10, "what": "Say goodbye."},
    ],
}


@pytest.mark.parametrize("minutes, shown", [(0, "0:00"), (5, "0:05"), (65, "1:05"), (160, "2:40")])
def test_a_start_reads_as_hours_and_minutes(minutes, shown):
    assert clock(minutes) == shown


def test_the_agenda_lists_each_block_with_its_start_and_the_total(content_copy):
    edit(content_copy / "workshop.yml", lambda raw: raw["agendas"].update(ninety_minute=SHORT))
    shown = Cells(agenda_html("ninety_minute"))
    assert shown.rows == [
        ["Starts at", "Minutes", "Activity", "App", "What happens"],
        ["0:00", "5", "Open", "", "Say hello."],
        ["0:05", "60", "Score", "Step 1", "Rate the team."],
        ["1:05", "10", "Close", "", "Say goodbye."],
    ]
    assert shown.paragraphs == ["Total: 75 minutes."]


def test_an_agenda_that_does_not_add_up_is_not_drawn(content_copy):
    """The guarantee the agenda pages give: they will not build with an agenda that is off."""
    edit(
        content_copy / "workshop.yml",
        lambda raw: raw["agendas"].update(ninety_minute={**SHORT, "length_minutes": 90}),
    )
    with pytest.raises(InputError) as caught:
        agenda_html("ninety_minute")
    (problem,) = caught.value.problems
    assert problem.column == "agendas.ninety_minute.length_minutes"
    assert "add up to 75 minutes" in problem.message


def test_the_check_ins_are_listed_by_day(content_copy):
    def two(raw):
        raw["check_ins"] = [
            {"day": 14, "title": "Early", "focus": "Did it happen?"},
            {"day": 45, "title": "Later", "focus": "What stuck?"},
        ]

    edit(content_copy / "workshop.yml", two)
    assert Cells(check_ins_html()).rows == [
        ["Day", "Check-in", "Questions"],
        ["14", "Early", "Did it happen?"],
        ["45", "Later", "What stuck?"],
    ]


def test_each_role_card_shows_its_modes_words_and_what_to_try_and_avoid(content_copy):
    def reword(raw):
        card = raw["cards"][0]
        card["leader"]["try"] = ["Ask first."]
        card["leader"]["avoid"] = ["Fixing it for them."]

    edit(content_copy / "role_cards.yml", reword)
    cards = str(role_cards_html())
    for mode in load_guide().modes.values():
        assert f"<h3>{mode['label']}</h3>" in cards
    assert "<li>Ask first.</li>" in cards and "<li>Fixing it for them.</li>" in cards
    assert cards.count('class="l4l-worksheet l4l-role-card"') == len(load_guide().modes)


def test_the_debrief_worksheet_asks_the_cards_debrief_questions(content_copy):
    edit(content_copy / "role_cards.yml", lambda raw: raw.update(debrief=["What helped?"]))
    assert "What helped?" in str(debrief_worksheet_html())
