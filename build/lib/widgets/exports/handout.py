"""HTML views of conversation plans: the printable handout, and the planner's panels.

Every piece of user text is escaped. The handout is one self-contained page (inline CSS, no
scripts, fonts or images from elsewhere) that prints one sheet per conversation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..base.escaping import escape_html
from ..content.prompts import STAGES, load_guide, mode_reminder, prompts_for, trust_advice
from ..core.goal_hints import Hint
from ..core.plans import Conversation, ConversationPlan, long_date

HANDOUT_CSS = """
:root { --ink: #1b1b1b; --muted: #555; --rule: #9aa5ab; --brand: #1f6f8b; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef1f2; color: var(--ink);
  font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.page { background: #fff; max-width: 190mm; margin: 10mm auto; padding: 12mm 14mm;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.2); }
.kicker { color: var(--brand); font-weight: 600; margin: 0; text-transform: uppercase;
  letter-spacing: 0.04em; font-size: 9pt; }
h1 { font-size: 14pt; margin: 0.1em 0 0.2em; }
h2 { font-size: 11pt; margin: 0.8em 0 0.2em; border-bottom: 1px solid var(--rule); }
.when { margin: 0 0 0.8em; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.text { white-space: pre-line; overflow-wrap: anywhere; margin: 0.2em 0; }
.reminder { border-left: 4px solid var(--brand); padding: 0.2em 0.8em; background: #f2f7f9;
  margin: 0.6em 0; }
ol.questions { margin: 0.2em 0; }
ol.questions li { margin: 0.15em 0 0; }
.write { height: 1.45em; border-bottom: 1px dotted var(--rule); }
.write.tall { height: 4.2em; background: repeating-linear-gradient(transparent 0 1.7em,
  var(--rule) 1.7em calc(1.7em + 1px)); border: 0; }
footer { margin-top: 0.8em; color: var(--muted); font-size: 9pt; }
@page { size: A4; margin: 11mm 12mm; }
@media print {
  body { background: none; }
  .page { box-shadow: none; margin: 0; padding: 0; max-width: none;
    break-after: page; page-break-after: always; }
  .page:last-child { break-after: auto; page-break-after: auto; }
  ol.questions li { break-inside: avoid; page-break-inside: avoid; }
}
"""


def _text(value: str) -> str:
    return f'<p class="text">{escape_html(value)}</p>'


def _facts(plan: ConversationPlan) -> str:
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
    items = "".join(f"<dt>{escape_html(k)}</dt><dd>{escape_html(v)}</dd>" for k, v in rows)
    return f'<dl class="facts">{items}</dl>'


def _page(plan: ConversationPlan, talk: Conversation, page_id: str, page: int, pages: int) -> str:
    guide = load_guide()
    parts = [
        f'<section class="page" aria-labelledby="{page_id}">',
        f'<p class="kicker">Development conversation {page} of {pages}</p>',
        f'<h1 id="{page_id}">{escape_html(talk.label)} with {escape_html(plan.member)}</h1>',
        f'<p class="when">{escape_html(long_date(talk.day))}, {plan.meeting_time:%H:%M}, '
        f"{plan.meeting_minutes} minutes</p>",
        _facts(plan),
        f"<p>{escape_html(' '.join(guide.stages[talk.stage]['purpose'].split()))}</p>",
        "<h2>Learning goal</h2>",
        _text(plan.goal),
        "<h2>How it will be used at work</h2>",
        _text(plan.application),
    ]
    if talk.stage == "before" and (plan.support or plan.resources):
        parts.append("<h2>Support and resources</h2>")
        if plan.support:
            parts.append(_text(plan.support))
        if plan.resources:
            parts.append(
                "<ul>" + "".join(f"<li>{escape_html(r)}</li>" for r in plan.resources) + "</ul>"
            )
    parts += [
        f'<p class="reminder">{escape_html(mode_reminder(plan.mode))}</p>',
        "<h2>Questions</h2>",
        '<ol class="questions">'
        + "".join(
            f'<li>{escape_html(q)}<div class="write" aria-hidden="true"></div></li>'
            for q in plan.prompts(talk.stage)
        )
        + "</ol>",
        "<h2>What we agreed</h2>",
        '<div class="write tall" aria-hidden="true"></div>',
        f"<footer>Plan for {escape_html(plan.member)}: {escape_html(plan.activity)}</footer>",
        "</section>",
    ]
    return "\n".join(parts)


def handout_html(
    plans: Iterable[ConversationPlan], title: str = "Development conversations"
) -> str:
    """A printable, self-contained HTML handout: one page per conversation of every plan."""
    pages = []
    for number, plan in enumerate(plans, start=1):
        talks = plan.conversations()
        pages += [
            _page(plan, talk, f"plan{number}-talk{index}", index, len(talks))
            for index, talk in enumerate(talks, start=1)
        ]
    if not pages:
        pages = [
            '<section class="page"><h1>No plans yet</h1>'
            "<p>Add a plan in the planner, then export the handout again.</p></section>"
        ]
    body = "\n".join(pages)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape_html(title)}</title>\n<style>{HANDOUT_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


# ------------------------------------------------------------------------ planner panels


def hints_html(hints: Sequence[Hint]) -> str:
    """The goal hints as a list marked with a tick or a plus and words, never by colour alone."""
    items = []
    for hint in hints:
        mark, word = ("\u2713", "Has it") if hint.met else ("+", "Could add")
        items.append(
            f'<li class="l4l-hint l4l-hint-{"met" if hint.met else "open"}">'
            f'<span aria-hidden="true">{mark}</span> <strong>{escape_html(hint.label)}</strong> '
            f'<span class="l4l-sr">({word})</span>: {escape_html(hint.message)}</li>'
        )
    return (
        '<div class="l4l-goal-hints" role="status" aria-live="polite">'
        "<p><em>Hints, not a grade: what the goal has, and what could be added.</em></p>"
        f'<ul style="list-style: none; padding-left: 0">{"".join(items)}</ul></div>'
    )


def prompts_html(band: str | None = None, mode: str | None = None) -> str:
    """The questions for every stage, tailored to ``band`` and ``mode``, with the guidance notes."""
    guide = load_guide()
    parts = ['<div class="l4l-prompts">']
    advice = trust_advice(band)
    if advice:
        parts.append(f"<p><strong>This relationship:</strong> {escape_html(advice)}</p>")
    if mode:
        parts.append(
            f"<p><strong>{escape_html(guide.modes[mode]['label'])}:</strong> "
            f"{escape_html(mode_reminder(mode))}</p>"
        )
    for stage in STAGES:
        questions = prompts_for(stage, band, mode)
        items = "".join(f"<li>{escape_html(q)}</li>" for q in questions)
        label = escape_html(guide.stages[stage]["label"])
        parts.append(
            f"<details{' open' if stage == STAGES[0] else ''}><summary><strong>{label}</strong> "
            f"({len(questions)} questions)</summary><ol>{items}</ol></details>"
        )
    parts.append("</div>")
    return "".join(parts)
