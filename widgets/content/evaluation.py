"""The workshop's evaluation kit: data/evaluation.yml as typed, frozen objects.

The file holds the five scale labels, the forms whose answers are counted (the end-of-session
reaction, the 30-day follow-up check and any a fork adds) and the Success Case interview guide.
It is read through its schema, then checked for what a schema cannot state: within a form each
question key is used once (a key names a column of the responses CSV), and a question has options
exactly when it is answered by choosing them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ..base.errors import InputError, Problem
from .checking import Parsed, raise_if, words
from .source import load_checked

EVALUATION_FILE = "evaluation.yml"
#: The part of the kit that is an interview guide rather than a form with counted answers.
GUIDE_KEY = "success_case"


@dataclass(frozen=True)
class Question:
    """One question: a scale point, one option (``choice``) or several (``multiple``)."""

    key: str
    kind: str
    text: str
    options: Mapping[str, str]  # option key -> its wording, in the file's order; empty for a scale


@dataclass(frozen=True)
class Form:
    """A form whose answers are counted as anonymous group results."""

    key: str
    title: str
    when: str
    level: int  # the evaluation level it reports on (Kirkpatrick, 1 to 4)
    purpose: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class GuideSection:
    """A section of the interview guide: its title and its open questions."""

    title: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class InterviewGuide:
    """The Success Case interview guide: when, whom to ask, the questions by section."""

    title: str
    when: str
    level: int | None
    purpose: str
    choose: str
    sections: tuple[GuideSection, ...]


@dataclass(frozen=True)
class EvaluationKit:
    """The checked contents of data/evaluation.yml; ``forms`` keeps the file's order."""

    scale: tuple[str, ...]
    forms: Mapping[str, Form]
    success_case: InterviewGuide

    def form(self, key: str) -> Form:
        """One form with questions (``reaction``, ``follow_up``, ...); InputError for another."""
        if key not in self.forms:
            raise InputError(
                Problem("there is no such form", f"use one of {', '.join(self.forms)}", value=key)
            )
        return self.forms[key]


def load_evaluation() -> EvaluationKit:
    """Read data/evaluation.yml: its schema first, then the rules a schema cannot state."""
    return evaluation_from(load_checked(EVALUATION_FILE, "evaluation"))


def evaluation_from(parsed: Parsed) -> EvaluationKit:
    """Build the kit from a schema-checked file: question keys unique within a form, and options
    exactly for choice and multiple questions."""
    raw = parsed.data
    problems: list[Problem] = []
    forms = {}
    for key, spec in raw["forms"].items():
        if key == GUIDE_KEY:
            continue
        seen: set[str] = set()
        for index, question in enumerate(spec["questions"]):
            if question["key"] in seen:
                problems.append(
                    parsed.problem(
                        ("forms", key, "questions", index, "key"),
                        "this question key is already used in the form",
                        "give each question of a form its own key (it names a CSV column)",
                        question["key"],
                    )
                )
            seen.add(question["key"])
            has_options = bool(question.get("options"))
            if has_options != (question["kind"] != "scale"):
                problems.append(
                    parsed.problem(
                        ("forms", key, "questions", index, "kind"),
                        "a scale question has options"
                        if has_options
                        else f"a {question['kind']} question has no options",
                        "give choice and multiple questions their options, and scale ones none",
                        question["kind"],
                    )
                )
        forms[str(key)] = _form(str(key), spec)
    raise_if(problems, parsed.source)
    guide = raw["forms"][GUIDE_KEY]
    return EvaluationKit(
        scale=tuple(words(label) for label in raw["scale"]),
        forms=MappingProxyType(forms),
        success_case=InterviewGuide(
            title=words(guide["title"]),
            when=words(guide["when"]),
            level=guide.get("level"),
            purpose=words(guide["purpose"]),
            choose=words(guide["choose"]),
            sections=tuple(
                GuideSection(words(s["title"]), tuple(words(q) for q in s["questions"]))
                for s in guide["sections"]
            ),
        ),
    )


def _form(key: str, spec: Mapping[str, Any]) -> Form:
    questions = tuple(
        Question(
            key=str(q["key"]),
            kind=str(q["kind"]),
            text=words(q["text"]),
            options=MappingProxyType(
                {str(k): words(v) for k, v in (q.get("options") or {}).items()}
            ),
        )
        for q in spec["questions"]
    )
    return Form(
        key=key,
        title=words(spec["title"]),
        when=words(spec["when"]),
        level=int(spec["level"]),
        purpose=words(spec["purpose"]),
        questions=questions,
    )
