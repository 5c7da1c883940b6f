"""A conversation plan as Markdown, to paste into a document or send to the member.

Beside ``core.ics`` (the calendar), so ``ConversationPlan.to_markdown()`` and ``to_ics()`` stay the
plan's own methods, each loading its format on first use.

Every piece of user text is escaped (``base.escaping.escape_markdown``), so what was typed shows
as typed; labels, questions and the check-in's wording come from data/prompts.yml. The
relationship band is never written.
"""

from __future__ import annotations

import re

from ..base.escaping import escape_markdown
from ..content.prompts import load_guide, mode_reminder
from .plans import ConversationPlan, check_in_rhythm, long_date


def _md_block(text: str) -> str:
    """Multi-line user text as escaped Markdown paragraphs (line breaks kept)."""
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(
        "  \n".join(escape_markdown(line.strip()) for line in para.split("\n") if line.strip())
        for para in paragraphs
    )


def plan_markdown(plan: ConversationPlan) -> str:
    """The plan as Markdown: details, goal, use at work, support, resources, the conversations."""
    guide = load_guide()
    mode = guide.modes[plan.mode]["label"]
    kind = guide.activity_types[plan.activity_type]
    rows = [
        ("Learning activity", f"{escape_markdown(plan.activity)} ({escape_markdown(kind)})"),
        ("Learning relationship", escape_markdown(mode)),
        ("Activity dates", f"{long_date(plan.activity_start)} to {long_date(plan.activity_end)}"),
    ]
    if plan.skill:
        rows.insert(1, ("Skill", escape_markdown(plan.skill)))
    lines = [
        f"# Development conversation plan: {escape_markdown(plan.member)}",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in rows),
        "",
        "## Learning goal",
        "",
        _md_block(plan.goal),
        "",
        "## How it will be used at work",
        "",
        _md_block(plan.application),
        "",
    ]
    if plan.support or plan.protected_time:
        lines += ["## Support and protected time", ""]
        if plan.protected_time:
            lines += [f"Protected time: {escape_markdown(plan.protected_time)}", ""]
        if plan.support:
            lines += [_md_block(plan.support), ""]
    if plan.resources:
        lines += [
            "## Recommended resources",
            "",
            *(f"- {escape_markdown(r)}" for r in plan.resources),
            "",
        ]
    lines += ["## Conversations", "", f"*{mode_reminder(plan.mode)}*", ""]
    asked: set[str] = set()
    for talk in plan.conversations():
        lines += [
            f"### {talk.label}: {long_date(talk.day)}, "
            f"{plan.meeting_time:%H:%M} ({plan.meeting_minutes} min)",
            "",
        ]
        if talk.stage in asked:
            lines += ["Questions: as for the first follow-up.", ""]
            continue
        asked.add(talk.stage)
        purpose = guide.stages[talk.stage]["purpose"]
        lines += [" ".join(purpose.split()), ""]
        lines += [f"{i}. {q}" for i, q in enumerate(plan.prompts(talk.stage), start=1)] + [""]
    if plan.check_ins:
        label = escape_markdown(guide.calendar["check_in"]["label"])
        times = f": monthly, {plan.check_ins} times" if plan.check_ins > 1 else ""
        lines += [
            f"### {label}{times}",
            "",
            f"{check_in_rhythm(plan)}, {plan.meeting_time:%H:%M} "
            f"({plan.meeting_minutes} min). Questions: as for the follow-ups.",
            "",
        ]
    if plan.notes:
        lines += ["## Notes", "", _md_block(plan.notes), ""]
    return "\n".join(lines).rstrip() + "\n"
