"""The workshop's evaluation: anonymous group counts of the forms in data/evaluation.yml.

Responses (from any form tool, as a CSV with one column per question key) are tallied per
question and option; like the workshop's group results, nothing is computed below the minimum
group size. No free text is ever collected or counted: every answer is a scale point or an option.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from ..base.errors import InputError, Problem
from ..content.evaluation import EvaluationKit, Form, Question, load_evaluation
from ..content.organisation import check_min_group_size
from .summary import DEFAULT_MIN_GROUP_SIZE

SCALE_POINTS = (1, 2, 3, 4, 5)
MAX_RESPONSES = 5_000
MAX_TEXT = 200_000


def evaluation_kit() -> EvaluationKit:
    """The checked kit: the scale labels, the counted forms and the interview guide."""
    return load_evaluation()


def form(key: str) -> Form:
    """One form with questions (``reaction`` or ``follow_up``); InputError for another key."""
    return evaluation_kit().form(key)


def _answer(question: Question, raw: Any, row: int) -> list[Any]:
    """The answer(s) one response gives to one question, checked; [] if left blank."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return []
    kind = question.kind
    if kind == "scale":
        if text not in {str(point) for point in SCALE_POINTS}:
            raise InputError(
                Problem("expected a scale point 1-5", "write a whole number from 1 to 5", row=row,
                        column=question.key, value=text[:40])
            )  # fmt: skip
        return [int(text)]
    options = question.options
    picked = [part.strip() for part in text.split(";")] if kind == "multiple" else [text]
    unknown = [part for part in picked if part not in options]
    if unknown:
        raise InputError(
            Problem("not one of the form's options", "use the option keys: " + ", ".join(options),
                    row=row, column=question.key, value=unknown[0][:40])
        )  # fmt: skip
    return list(dict.fromkeys(picked))


def read_responses(text: str) -> list[dict[str, str]]:
    """Read responses from CSV text (a header of question keys, one row per respondent)."""
    if len(text) > MAX_TEXT:
        raise InputError(Problem("the file is too large to be a workshop's responses",
                                 "export only this workshop's responses"))  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if len(rows) > MAX_RESPONSES:
        raise InputError(Problem("too many responses", f"at most {MAX_RESPONSES} at once"))
    return [{str(k).strip(): (v or "") for k, v in row.items() if k is not None} for row in rows]


def evaluation_summary(
    form_key: str,
    responses: Iterable[Mapping[str, Any]],
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
) -> dict[str, Any]:
    """Counts per question and option for one form, or only that they are suppressed.

    Below ``min_group_size`` responses nothing is computed (``suppressed=True`` and how many more
    are needed). A question answered by fewer than the minimum is reported as withheld too, so a
    question most skipped cannot single anyone out.
    """
    minimum = check_min_group_size(min_group_size)
    spec = form(form_key)
    items = list(responses)
    if len(items) < minimum:
        return {
            "suppressed": True,
            "min_group_size": minimum,
            "needed": minimum - len(items),
            "message": f"Results are hidden until at least {minimum} responses are in.",
        }
    problems: list[Problem] = []
    answers: dict[str, list[list[Any]]] = {q.key: [] for q in spec.questions}
    for row, response in enumerate(items, start=2):  # row 1 is the CSV header
        for question in spec.questions:
            try:
                answers[question.key].append(_answer(question, response.get(question.key), row))
            except InputError as error:
                problems.extend(error.problems)
    if problems:
        raise InputError(problems, title=f"The {spec.title} responses were rejected")
    results: dict[str, Any] = {}
    for question in spec.questions:
        given = [answer for answer in answers[question.key] if answer]
        keys = SCALE_POINTS if question.kind == "scale" else tuple(question.options)
        if len(given) < minimum:
            results[question.key] = {"withheld": True, "answered": len(given)}
            continue
        counts = {key: sum(key in answer for answer in given) for key in keys}
        results[question.key] = {"withheld": False, "answered": len(given), "counts": counts}
    return {
        "suppressed": False,
        "min_group_size": minimum,
        "form": form_key,
        "responses": len(items),
        "questions": results,
    }


def evaluation_rows(summary: Mapping[str, Any]) -> list[tuple[str, str, int]]:
    """(question, answer, count) rows in the form's own words, for a report; refuses when
    suppressed."""
    if summary.get("suppressed", True):
        raise InputError(
            Problem("the results are withheld below the minimum group size",
                    "collect more responses; never lower the minimum")
        )  # fmt: skip
    kit = evaluation_kit()
    spec = kit.form(str(summary["form"]))
    rows = []
    for question in spec.questions:
        result = summary["questions"][question.key]
        if result["withheld"]:
            rows.append((question.text, "(withheld: too few answers)", result["answered"]))
            continue
        labels = (
            dict(zip(SCALE_POINTS, kit.scale, strict=True))
            if question.kind == "scale"
            else question.options
        )
        rows += [(question.text, labels[key], n) for key, n in result["counts"].items()]
    return rows
