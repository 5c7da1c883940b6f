"""The learning-leader checklist: its items (from data/), a pure summary of answers, and a widget.

The statements, answer scale and "try next" suggestions live once in
``data/learning_leader_behaviours.yml``; this module only validates, summarises and displays them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from ..base.errors import InputError, Problem
from ..base.escaping import escape_html
from ..content.source import load_yaml

DATA_FILE = "learning_leader_behaviours.yml"


@dataclass(frozen=True)
class ScaleOption:
    """One answer a reader can give, e.g. "Sometimes", with the points that order it."""

    key: str
    label: str
    points: int


@dataclass(frozen=True)
class Behaviour:
    """One statement of the checklist, with the relationship it is about and a next step."""

    id: str
    focus: str
    focus_label: str
    text: str
    try_next: str


@dataclass(frozen=True)
class Checklist:
    """The whole checklist as read from its data file."""

    title: str
    intro: str
    source: str
    scale: tuple[ScaleOption, ...]
    strength_points: int
    focus: dict[str, str]
    behaviours: tuple[Behaviour, ...]

    @property
    def max_points(self) -> int:
        """Points of the highest answer on the scale."""
        return max(option.points for option in self.scale)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_checklist(raw: Any, source: str = f"data/{DATA_FILE}") -> Checklist:
    """Validate the parsed YAML of a checklist; every problem found is reported at once."""
    if not isinstance(raw, Mapping):
        raise InputError(
            Problem(
                "the file must hold a mapping with 'scale', 'focus' and 'behaviours'",
                "restore the file from the original book",
                source=source,
            )
        )
    problems: list[Problem] = []

    scale: list[ScaleOption] = []
    raw_scale = raw.get("scale")
    if not isinstance(raw_scale, list) or len(raw_scale) < 2:
        problems.append(
            Problem(
                "'scale' must list at least two answer options",
                "give each option a key, a label and whole-number points",
                column="scale",
                source=source,
            )
        )
        raw_scale = []
    for index, option in enumerate(raw_scale, start=1):
        option = option if isinstance(option, Mapping) else {}
        key, label, points = (
            _text(option.get("key")),
            _text(option.get("label")),
            option.get("points"),
        )
        if not key or not label or not isinstance(points, int) or isinstance(points, bool):
            problems.append(
                Problem(
                    "an answer option needs a key, a label and whole-number points",
                    "fill in all three",
                    row=index,
                    column="scale",
                    value=dict(option) or None,
                    source=source,
                )
            )
            continue
        if any(existing.key == key for existing in scale):
            problems.append(
                Problem(
                    "this answer key is used twice",
                    "give each option its own key",
                    row=index,
                    column="scale",
                    value=key,
                    source=source,
                )
            )
            continue
        scale.append(ScaleOption(key, label, points))

    raw_focus = raw.get("focus")
    focus = (
        {str(k): _text(v) for k, v in raw_focus.items()} if isinstance(raw_focus, Mapping) else {}
    )
    if not focus or not all(focus.values()):
        problems.append(
            Problem(
                "'focus' must map each focus key to a heading",
                "add a heading for every focus key",
                column="focus",
                source=source,
            )
        )

    behaviours: list[Behaviour] = []
    raw_items = raw.get("behaviours")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append(
            Problem(
                "'behaviours' must list at least one statement",
                "add statements with id, focus, text and try_next",
                column="behaviours",
                source=source,
            )
        )
        raw_items = []
    seen: set[str] = set()
    for index, item in enumerate(raw_items, start=1):
        item = item if isinstance(item, Mapping) else {}
        item_id = _text(item.get("id"))
        for field in ("id", "focus", "text", "try_next"):
            if not _text(item.get(field)):
                problems.append(
                    Problem(
                        f"the statement has no '{field}'",
                        f"add a '{field}'",
                        row=index,
                        column=field,
                        source=source,
                    )
                )
        if item_id and item_id in seen:
            problems.append(
                Problem(
                    "this id is used twice",
                    "give each statement its own id",
                    row=index,
                    column="id",
                    value=item_id,
                    source=source,
                )
            )
        seen.add(item_id)
        item_focus = _text(item.get("focus"))
        if item_focus and focus and item_focus not in focus:
            problems.append(
                Problem(
                    "this focus is not listed under 'focus'",
                    f"use one of: {', '.join(focus)}",
                    row=index,
                    column="focus",
                    value=item_focus,
                    source=source,
                )
            )
        if all(_text(item.get(f)) for f in ("id", "focus", "text", "try_next")):
            behaviours.append(
                Behaviour(
                    item_id,
                    item_focus,
                    focus.get(item_focus, item_focus),
                    _text(item.get("text")),
                    _text(item.get("try_next")),
                )
            )

    strength = raw.get("strength_points")
    if scale and (not isinstance(strength, int) or isinstance(strength, bool)):
        problems.append(
            Problem(
                "'strength_points' must be a whole number",
                "set it to the points of the lowest answer that counts as a strength",
                column="strength_points",
                value=strength,
                source=source,
            )
        )
    if problems:
        raise InputError(problems, title=f"The checklist file {source} has problems")
    return Checklist(
        title=_text(raw.get("title")) or "Learning-leader checklist",
        intro=_text(raw.get("intro")),
        source=_text(raw.get("source")),
        scale=tuple(scale),
        strength_points=int(strength),
        focus=focus,
        behaviours=tuple(behaviours),
    )


def load_checklist() -> Checklist:
    """Read and validate ``data/learning_leader_behaviours.yml``."""
    return parse_checklist(load_yaml(DATA_FILE))


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
    labels = summary["labels"]
    counts = " · ".join(
        f"{escape_html(labels[key])}: <strong>{n}</strong>" for key, n in summary["counts"].items()
    )
    parts = [
        '<div class="l4l-checklist-summary" aria-live="polite">',
        f"<p>Answered <strong>{summary['answered']}</strong> of {summary['total']} statements. "
        f"{counts}</p>",
    ]
    if summary["priorities"]:
        parts.append("<p><strong>Where to start</strong> (least frequent first):</p><ol>")
        for item in summary["priorities"][:3]:
            parts.append(
                f"<li>{escape_html(item['text'])} <em>({escape_html(labels[item['answer']])}"
                f")</em><br>Try next: {escape_html(item['try_next'])}</li>"
            )
        parts.append("</ol>")
    if summary["strengths"]:
        parts.append(
            f"<p><strong>Strengths to keep:</strong> {len(summary['strengths'])} "
            "statement(s) you answered at the top of the scale.</p>"
        )
    parts.append(f"<p><strong>Next step:</strong> {escape_html(summary['next_step'])}</p></div>")
    return "".join(parts)


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
                f'<p style="font-size:1.15em"><strong>{escape_html(self.checklist.title)}'
                "</strong></p>"
                f"<p>{escape_html(self.checklist.intro)}</p>"
            )
        ]
        number = 0
        for focus_key, label in self.checklist.focus.items():
            items = [b for b in self.checklist.behaviours if b.focus == focus_key]
            if not items:
                continue
            rows.append(w.HTML(f"<strong>{escape_html(label)}</strong>"))
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
                            w.HTML(f"<span>{number}. {escape_html(behaviour.text)}</span>"),
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
