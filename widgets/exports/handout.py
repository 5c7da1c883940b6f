"""HTML views of conversation plans: the printable handout, and the planner's panels.

The markup is templates/handout.html.j2, which escapes every piece of user text. The handout is
one self-contained page (inline CSS, no scripts, fonts or images from elsewhere) that prints one
sheet per conversation, and one more for a plan's monthly check-ins, worded as the Markdown and
the calendar word them (``core.plans.check_in_rhythm``; ``calendar: check_in`` in
data/prompts.yml).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..base.templating import fragment
from ..content.prompts import STAGES, load_guide, mode_reminder, prompts_for, trust_advice
from ..core.goal_hints import Hint
from ..core.plans import Conversation, ConversationPlan, check_in_rhythm, long_date

TEMPLATE = "handout.html.j2"


def _facts(plan: ConversationPlan) -> list[tuple[str, str]]:
    guide = load_guide()
    rows = [
        ("Learning activity", f"{plan.activity} ({guide.activity_types[plan.activity_type]})"),
        ("Learning relationship", guide.modes[plan.mode]["label"]),
        ("Activity dates", f"{long_date(plan.activity_start)} to {long_date(plan.activity_end)}"),
    ]
    if plan.skill:
        rows.insert(1, ("Skill", plan.skill))
    if plan.protected_time:
        rows.append(("Protected time", plan.protected_time))
    return rows


def _plan_part(plan: ConversationPlan) -> dict[str, Any]:
    """What every page of a plan shows: who, when, the plan's details, goal and reminder."""
    return {
        "member": plan.member,
        "time": f"{plan.meeting_time:%H:%M}",
        "minutes": plan.meeting_minutes,
        "facts": _facts(plan),
        "goal": plan.goal,
        "application": plan.application,
        "reminder": mode_reminder(plan.mode),
        "activity": plan.activity,
        "support": "",
        "resources": [],
        "check_ins": 0,
    }


def _page(
    plan: ConversationPlan, talk: Conversation, page_id: str, page: int, pages: int
) -> dict[str, Any]:
    """What one page of the handout shows: one conversation of one plan."""
    extra = {"support": plan.support, "resources": list(plan.resources)}
    return {
        **_plan_part(plan),
        **(extra if talk.stage == "before" else {}),
        "id": page_id,
        "number": page,
        "of": pages,
        "label": talk.label,
        "day": long_date(talk.day),
        "purpose": " ".join(load_guide().stages[talk.stage]["purpose"].split()),
        "questions": plan.prompts(talk.stage),
    }


def _check_in_page(plan: ConversationPlan, page_id: str) -> dict[str, Any]:
    """The page for a plan's monthly check-ins: their rhythm, purpose and (follow-up) questions.

    The same sources as the calendar's check-in event, so the printout and the calendar agree.
    """
    spec = load_guide().calendar["check_in"]
    return {
        **_plan_part(plan),
        "id": page_id,
        "check_ins": plan.check_ins,
        "label": spec["label"],
        "day": check_in_rhythm(plan),
        "purpose": " ".join(spec["purpose"].split()),
        "questions": plan.prompts("follow_up"),
    }


def handout_html(
    plans: Iterable[ConversationPlan], title: str = "Development conversations"
) -> str:
    """A printable, self-contained HTML handout: one page per conversation of every plan.

    A plan with monthly check-ins gets one more page after its conversations, for all of them.
    """
    pages = []
    for number, plan in enumerate(plans, start=1):
        talks = plan.conversations()
        pages += [
            _page(plan, talk, f"plan{number}-talk{index}", index, len(talks))
            for index, talk in enumerate(talks, start=1)
        ]
        if plan.check_ins:
            pages.append(_check_in_page(plan, f"plan{number}-check-ins"))
    return fragment(TEMPLATE, "handout", title=title, pages=pages)


# ------------------------------------------------------------------------ planner panels


def hints_html(hints: Sequence[Hint]) -> str:
    """The goal hints as a list marked with a tick or a plus and words, never by colour alone."""
    return fragment(TEMPLATE, "hints", items=hints)


def prompts_html(band: str | None = None, mode: str | None = None) -> str:
    """The questions for every stage, tailored to ``band`` and ``mode``, with the guidance notes."""
    guide = load_guide()
    stages = [
        {"label": guide.stages[stage]["label"], "questions": prompts_for(stage, band, mode)}
        for stage in STAGES
    ]
    return fragment(
        TEMPLATE,
        "prompts",
        advice=trust_advice(band),
        mode_label=guide.modes[mode]["label"] if mode else "",
        reminder=mode_reminder(mode) if mode else "",
        stages=stages,
    )
