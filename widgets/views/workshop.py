"""The workshop's pieces as HTML: agendas, check-ins, role cards, worksheets and evaluation forms.

The wording comes from data/ (workshop.yml, role_cards.yml, prompts.yml, evaluation.yml), read
through their checked loaders, and the markup from templates/workshop.html.j2, so text a fork
writes is escaped like any other. The workshop chapters show these; they build no HTML themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..base.templating import fragment
from ..content.prompts import load_guide, prompts_for
from ..content.workshop import load_role_cards, load_workshop
from ..core.evaluation import evaluation_kit, evaluation_rows

TEMPLATE = "workshop.html.j2"


def clock(minutes: int) -> str:
    """Minutes from the start as the agenda shows them: 0:00, 1:05, 2:40."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def agenda_html(key: str) -> str:
    """One agenda (``three_hour`` or ``ninety_minute``) as a table of its blocks and its total.

    The loader refuses an agenda whose blocks do not add up to its length, so a page showing
    this does not build with one that does not.
    """
    agenda = load_workshop().agendas[key]
    rows = [
        (clock(start), block) for start, block in zip(agenda.starts, agenda.blocks, strict=True)
    ]
    return fragment(TEMPLATE, "agenda", rows=rows, total=agenda.length_minutes)


def check_ins_html() -> str:
    """The follow-up check-ins as a table: the day after the workshop, the title, the questions."""
    return fragment(TEMPLATE, "check_ins", check_ins=load_workshop().check_ins)


def role_cards_html() -> str:
    """One printable card per learning-relationship mode: the leader's half, the partner's."""
    deck = load_role_cards()
    return fragment(
        TEMPLATE,
        "role_cards",
        cards=deck.cards,
        modes=load_guide().modes,
        timing=deck.timing,
        debrief=deck.debrief,
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
    return fragment(TEMPLATE, "debrief_worksheet", questions=load_role_cards().debrief)


def evaluation_forms_html(keys: Sequence[str] = ("reaction", "follow_up")) -> str:
    """The evaluation forms' questions, each with its scale or its options."""
    kit = evaluation_kit()
    forms = [kit.form(key) for key in keys]
    return fragment(TEMPLATE, "evaluation_forms", forms=forms, scale=kit.scale)


def success_case_html() -> str:
    """The success-case interview guide: when, whom to ask, and the questions by section."""
    return fragment(TEMPLATE, "success_case", guide=evaluation_kit().success_case)


def evaluation_table_html(summary: Mapping[str, Any]) -> str:
    """A form's group counts as a table (refused, like the rows, below the minimum group)."""
    return fragment(TEMPLATE, "evaluation_table", rows=evaluation_rows(summary))
