"""The workshop's printable pieces as HTML: role cards, worksheets and the evaluation forms.

The wording comes from data/ (role_cards.yml, prompts.yml, evaluation.yml) and the markup from
templates/workshop.html.j2, so text a fork writes is escaped like any other. The workshop chapters
show these; they build no HTML themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..base.templating import fragment
from ..content.prompts import load_guide, prompts_for
from ..content.source import load_yaml
from ..core.evaluation import evaluation_kit, evaluation_rows

TEMPLATE = "workshop.html.j2"


def role_cards_html() -> str:
    """One printable card per learning-relationship mode: the leader's half, the partner's."""
    deck = load_yaml("role_cards.yml")
    modes = load_guide().modes
    cards = [{**card, "mode": modes[card["mode"]]} for card in deck["cards"]]
    return fragment(
        TEMPLATE, "role_cards", cards=cards, timing=deck["timing"], debrief=deck["debrief"]
    )


def plan_worksheet_html(stages: Sequence[str] = ("before", "after")) -> str:
    """The worksheet for planning two conversations: each stage's purpose and questions."""
    guide = load_guide().stages
    blocks = [
        {
            "label": guide[stage]["label"],
            "purpose": guide[stage]["purpose"],
            "questions": prompts_for(stage),
        }
        for stage in stages
    ]
    return fragment(TEMPLATE, "plan_worksheet", stages=blocks)


def debrief_worksheet_html() -> str:
    """The worksheet for the practice debrief: the role cards' debrief questions."""
    return fragment(TEMPLATE, "debrief_worksheet", questions=load_yaml("role_cards.yml")["debrief"])


def evaluation_forms_html(keys: Sequence[str] = ("reaction", "follow_up")) -> str:
    """The evaluation forms' questions, each with its scale or its options."""
    kit = evaluation_kit()
    forms = [kit["forms"][key] for key in keys]
    return fragment(TEMPLATE, "evaluation_forms", forms=forms, scale=kit["scale"])


def success_case_html() -> str:
    """The success-case interview guide: when, whom to ask, and the questions by section."""
    return fragment(TEMPLATE, "success_case", guide=evaluation_kit()["forms"]["success_case"])


def evaluation_table_html(summary: Mapping[str, Any]) -> str:
    """A form's group counts as a table (refused, like the rows, below the minimum group)."""
    return fragment(TEMPLATE, "evaluation_table", rows=evaluation_rows(summary))
