"""The learning-leader checklist: a pure summary of a reader's answers, and the widget.

The statements, answer scale and "try next" suggestions live once in
``data/learning_leader_behaviours.yml``; this module only validates, summarises and displays them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ipywidgets as w

from ..base.errors import InputError, Problem
from ..base.templating import fragment
from ..content.checklist import Checklist, load_checklist, parse_checklist

TEMPLATE = "checklist.html.j2"

__all__ = ["LearningLeaderChecklist", "checklist_summary", "load_checklist", "parse_checklist"]


def checklist_summary(
    answers: Mapping[str, str | None], checklist: Checklist | None = None
) -> dict[str, Any]:
    """Summarise a reader's answers: counts, strengths, priorities (weakest first) and a next step.

    ``answers`` maps a behaviour id to a scale key, or to None when not answered yet. Unknown ids
    and unknown answers raise one :class:`InputError` listing all of them.
    """
    checklist = checklist or load_checklist()
    if not isinstance(answers, Mapping):
        raise InputError(
            Problem(
                "answers must map statement ids to answers",
                "pass a dict such as {'ask_and_listen': 'usually'}",
                value=type(answers).__name__,
            )
        )
    by_id = {b.id: b for b in checklist.behaviours}
    points = {option.key: option.points for option in checklist.scale}
    problems = []
    for key, value in answers.items():
        if key not in by_id:
            problems.append(
                Problem(
                    "there is no statement with this id",
                    f"use one of: {', '.join(by_id)}",
                    column="id",
                    value=key,
                )
            )
        elif value is not None and value not in points:
            problems.append(
                Problem(
                    "this is not one of the answers",
                    f"use one of: {', '.join(points)}, or None if not answered",
                    column=key,
                    value=value,
                )
            )
    if problems:
        raise InputError(problems)

    given = {key: value for key, value in answers.items() if value is not None}
    order = {b.id: position for position, b in enumerate(checklist.behaviours)}
    strengths, priorities, unanswered = [], [], []
    for behaviour in checklist.behaviours:
        answer = given.get(behaviour.id)
        if answer is None:
            unanswered.append(behaviour.id)
        elif points[answer] >= checklist.strength_points:
            strengths.append({"id": behaviour.id, "text": behaviour.text, "answer": answer})
        else:
            priorities.append(
                {
                    "id": behaviour.id,
                    "text": behaviour.text,
                    "answer": answer,
                    "try_next": behaviour.try_next,
                }
            )
    priorities.sort(key=lambda item: (points[item["answer"]], order[item["id"]]))

    by_focus = {}
    for focus_key, label in checklist.focus.items():
        ids = [b.id for b in checklist.behaviours if b.focus == focus_key]
        scored = [points[given[i]] for i in ids if i in given]
        by_focus[focus_key] = {
            "label": label,
            "statements": len(ids),
            "answered": len(scored),
            "mean_points": sum(scored) / len(scored) if scored else None,
        }

    total, answered = len(checklist.behaviours), len(given)
    if not answered:
        next_step = "Answer at least one statement to see your summary."
    elif priorities:
        next_step = priorities[0]["try_next"]
    elif unanswered:
        next_step = "Everything you answered is a strength so far: answer the remaining statements."
    else:
        next_step = (
            "Every statement is a strength in your own eyes: ask two people you work with "
            "whether they see it the same way."
        )
    return {
        "title": checklist.title,
        "total": total,
        "answered": answered,
        "complete": answered == total,
        "counts": {o.key: sum(1 for v in given.values() if v == o.key) for o in checklist.scale},
        "labels": {o.key: o.label for o in checklist.scale},
        "points": sum(points[v] for v in given.values()),
        "max_points": answered * checklist.max_points,
        "strengths": strengths,
        "priorities": priorities,
        "unanswered": unanswered,
        "by_focus": by_focus,
        "next_step": next_step,
    }


def summary_text(summary: Mapping[str, Any]) -> str:
    """Render a :func:`checklist_summary` result as plain text the reader can paste into notes.

    Shown in a text box (never rendered as HTML or Markdown), so the wording stays as written.
    """
    labels = summary["labels"]
    counts = ", ".join(f"{labels[key]}: {n}" for key, n in summary["counts"].items())
    lines = [
        summary["title"],
        "",
        f"Answered {summary['answered']} of {summary['total']} statements ({counts}).",
        "",
    ]
    if summary["priorities"]:
        lines += ["Where to start (least frequent first):"]
        for item in summary["priorities"]:
            lines.append(f"- [{labels[item['answer']]}] {item['text']}")
            lines.append(f"  Try next: {item['try_next']}")
        lines.append("")
    if summary["strengths"]:
        lines += ["Strengths to keep:"]
        lines += [f"- {item['text']}" for item in summary["strengths"]]
        lines.append("")
    lines += [f"Next step: {summary['next_step']}"]
    return "\n".join(lines)


def summary_html(summary: Mapping[str, Any]) -> str:
    """Render a :func:`checklist_summary` result as escaped HTML for the widget."""
    return fragment(TEMPLATE, "summary", summary=summary)


class LearningLeaderChecklist:
    """The checklist as an ipywidgets app: one row of answer buttons per statement, live summary.

    Answers stay in the widget (nothing is saved or sent); the summary comes from
    :func:`checklist_summary` and can be copied as plain text.
    """

    def __init__(self, checklist: Checklist | None = None) -> None:
        self.checklist = checklist or load_checklist()
        options = [(option.label, option.key) for option in self.checklist.scale]
        self.toggles: dict[str, w.ToggleButtons] = {}
        rows: list[w.Widget] = [
            w.HTML(
                fragment(TEMPLATE, "header", title=self.checklist.title, intro=self.checklist.intro)
            )
        ]
        number = 0
        for focus_key, label in self.checklist.focus.items():
            items = [b for b in self.checklist.behaviours if b.focus == focus_key]
            if not items:
                continue
            rows.append(w.HTML(fragment(TEMPLATE, "focus", label=label)))
            for behaviour in items:
                number += 1
                toggle = w.ToggleButtons(
                    options=options,
                    value=None,
                    style={"button_width": "7.5em"},
                    tooltips=[label for label, _ in options],
                )
                toggle.observe(self._refresh, names="value")
                self.toggles[behaviour.id] = toggle
                rows.append(
                    w.VBox(
                        [
                            w.HTML(
                                fragment(TEMPLATE, "behaviour", number=number, text=behaviour.text)
                            ),
                            toggle,
                        ],
                        layout=w.Layout(margin="0 0 0.5em 1em"),
                    )
                )
        self.clear_button = w.Button(
            description="Clear my answers",
            icon="eraser",
            tooltip="Start the checklist again",
            layout=w.Layout(width="auto"),
        )
        self.clear_button.on_click(lambda _button: self.clear())
        self.summary_html = w.HTML()
        self.text_export = w.Textarea(
            description="As text:",
            layout=w.Layout(width="100%", height="10em"),
            tooltip="Copy this into your notes or a development plan",
        )
        self.widget = w.VBox([*rows, self.clear_button, self.summary_html, self.text_export])
        self._refresh()

    @property
    def answers(self) -> dict[str, str | None]:
        """The current answers, by statement id (None where not answered)."""
        return {item_id: toggle.value for item_id, toggle in self.toggles.items()}

    @property
    def summary(self) -> dict[str, Any]:
        """The current :func:`checklist_summary`."""
        return checklist_summary(self.answers, self.checklist)

    def clear(self) -> None:
        """Forget every answer."""
        for toggle in self.toggles.values():
            toggle.value = None
        self._refresh()

    def _refresh(self, _change: Any = None) -> None:
        summary = self.summary
        self.summary_html.value = summary_html(summary)
        self.text_export.value = summary_text(summary)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
