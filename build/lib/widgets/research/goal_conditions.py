"""Check a development goal against goal-setting research: which goal type, what is missing.

Questions and advice come from ``data/research/goal_conditions.yml`` (Locke & Latham, 2002;
Seijts & Latham, 2005). The check is a reflection aid that applies those conditions, not a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..base.errors import InputError, Problem
from ..content.source import load_yaml

DATA_FILE = "research/goal_conditions.yml"
SKILLED = "already_skilled"


def load_goal_conditions() -> dict[str, Any]:
    """Read the goal conditions and goal-type advice, checking that each part is present."""
    raw = load_yaml(DATA_FILE)
    source = f"data/{DATA_FILE}"
    problems = []
    conditions = raw.get("conditions") if isinstance(raw, Mapping) else None
    if not isinstance(conditions, list) or not conditions:
        problems.append(
            Problem(
                "'conditions' must list the conditions",
                "restore the list",
                column="conditions",
                source=source,
            )
        )
        conditions = []
    for index, item in enumerate(conditions, start=1):
        for field in ("id", "label", "question", "advice", "source"):
            if not isinstance(item, Mapping) or not str(item.get(field) or "").strip():
                problems.append(
                    Problem(
                        f"a condition has no '{field}'",
                        f"add a '{field}'",
                        row=index,
                        column=field,
                        source=source,
                    )
                )
    goal_type = raw.get("goal_type") if isinstance(raw, Mapping) else None
    for part in ("learning", "performance"):
        block = goal_type.get(part) if isinstance(goal_type, Mapping) else None
        if not isinstance(block, Mapping) or not all(
            str(block.get(f) or "").strip() for f in ("label", "advice", "source")
        ):
            problems.append(
                Problem(
                    f"'goal_type.{part}' needs a label, advice and source",
                    "restore that block",
                    column=f"goal_type.{part}",
                    source=source,
                )
            )
    if problems:
        raise InputError(problems, title=f"{source} has problems")
    return {"conditions": conditions, "goal_type": goal_type}


def check_goal_conditions(answers: Mapping[str, bool]) -> dict[str, Any]:
    """Apply the goal-setting conditions to yes/no answers about one goal.

    ``answers`` holds ``already_skilled`` and one entry per condition id, each True or False.
    Returns the suggested goal type with its advice and source, the conditions met, and the ones
    missing (each with advice and source). Missing or non-boolean answers raise an InputError.
    """
    spec = load_goal_conditions()
    ids = [item["id"] for item in spec["conditions"]]
    expected = [SKILLED, *ids]
    problems = [
        Problem("this answer is missing", "answer True or False", column=key)
        for key in expected
        if key not in answers
    ]
    problems += [
        Problem("there is no such question", f"use only: {', '.join(expected)}", column=key)
        for key in answers
        if key not in expected
    ]
    problems += [
        Problem("the answer must be True or False", "answer True or False", column=key, value=value)
        for key, value in answers.items()
        if key in expected and not isinstance(value, bool)
    ]
    if problems:
        raise InputError(problems)
    kind = "performance" if answers[SKILLED] else "learning"
    block = spec["goal_type"][kind]
    met = [item["id"] for item in spec["conditions"] if answers[item["id"]]]
    missing = [
        {
            "id": item["id"],
            "label": item["label"],
            "advice": item["advice"],
            "source": item["source"],
        }
        for item in spec["conditions"]
        if not answers[item["id"]]
    ]
    return {
        "goal_type": kind,
        "goal_type_label": block["label"],
        "goal_type_advice": " ".join(str(block["advice"]).split()),
        "goal_type_source": block["source"],
        "met": met,
        "missing": missing,
        "ready": not missing,
    }


def goal_conditions_table(goals: Mapping[str, Mapping[str, bool]]) -> pd.DataFrame:
    """Run :func:`check_goal_conditions` on several named goals: one table row per goal."""
    rows = []
    for name, answers in goals.items():
        result = check_goal_conditions(answers)
        total = len(result["met"]) + len(result["missing"])
        missing = result["missing"]
        rows.append(
            {
                "Goal": name,
                "Suggested goal type": result["goal_type_label"],
                "Conditions met": f"{len(result['met'])} of {total}",
                "Missing": ", ".join(item["label"] for item in missing) or "None",
                "First thing to fix": missing[0]["advice"] if missing else "Nothing: go ahead",
            }
        )
    return pd.DataFrame(rows).set_index("Goal").rename_axis(None)
