"""Synthetic illustrations for Part I: small, deterministic models, not data.

Each function shows one piece of arithmetic behind a point the chapters make (how unequal
investment adds up, why a between-unit variance share is not a share of one person's engagement,
what a minimum group size hides). Results are labelled synthetic wherever they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..base.errors import InputError, Problem

POLICIES = ("proportional", "equal")
POLICY_LABELS = {
    "proportional": "Shared in proportion to relationship quality",
    "equal": "Shared equally",
}


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def simulate_investment(
    relationships: Mapping[str, float],
    quarters: int = 8,
    hours_per_quarter: float = 60.0,
) -> pd.DataFrame:
    """Cumulative development hours each member receives under two ways of sharing a fixed budget.

    "proportional": each quarter a member gets a share of ``hours_per_quarter`` in proportion to
    their relationship score (the differential-investment pattern); "equal": everyone gets the same.
    Returns one row per policy, member and quarter (0 to ``quarters``), in a long table.
    """
    problems = []
    if not isinstance(relationships, Mapping) or len(relationships) < 2:
        problems.append(
            Problem(
                "give at least two members with a relationship score",
                "pass a dict such as {'Ana': 32, 'Ben': 16}",
            )
        )
        relationships = {}
    for name, score in relationships.items():
        number = _number(score)
        if number is None or number <= 0:
            problems.append(
                Problem(
                    "a relationship score must be a positive number",
                    "use a score such as an LMX-7 total (7-35)",
                    column=str(name),
                    value=score,
                )
            )
    if isinstance(quarters, bool) or not isinstance(quarters, int) or not 1 <= quarters <= 40:
        problems.append(
            Problem(
                "quarters must be a whole number from 1 to 40",
                "use for example 8 (two years)",
                column="quarters",
                value=quarters,
            )
        )
    hours = _number(hours_per_quarter)
    if hours is None or hours <= 0:
        problems.append(
            Problem(
                "hours per quarter must be a positive number",
                "use for example 60",
                column="hours_per_quarter",
                value=hours_per_quarter,
            )
        )
    if problems:
        raise InputError(problems)

    names = list(relationships)
    scores = np.array([float(relationships[name]) for name in names])
    shares = {
        "proportional": scores / scores.sum(),
        "equal": np.full(len(names), 1 / len(names)),
    }
    rows = []
    for policy in POLICIES:
        for name, score, share in zip(names, scores, shares[policy], strict=True):
            for quarter in range(quarters + 1):
                rows.append(
                    {
                        "policy": policy,
                        "policy_label": POLICY_LABELS[policy],
                        "member": name,
                        "relationship": score,
                        "quarter": quarter,
                        "hours": share * hours * quarter,
                    }
                )
    return pd.DataFrame(rows)


def investment_gap(simulation: pd.DataFrame) -> pd.DataFrame:
    """Gap in cumulative hours between the best- and least-served member, per policy and quarter."""
    grouped = simulation.groupby(["policy", "quarter"])["hours"]
    gap = (grouped.max() - grouped.min()).rename("gap").reset_index()
    return gap


def variance_shares(manager_variance: float, individual_variance: float, team_size: int) -> dict:
    """Share of variance a manager effect accounts for, across unit averages and across people.

    Toy model: a person's score = their manager's effect + their own independent part. The
    manager's share of the variance of *unit averages* is m / (m + e / n); of *individual* scores it
    is m / (m + e). The same world gives two very different percentages.
    """
    problems = []
    m, e = _number(manager_variance), _number(individual_variance)
    if m is None or m <= 0:
        problems.append(
            Problem(
                "the manager variance must be a positive number",
                "use for example 1.0",
                column="manager_variance",
                value=manager_variance,
            )
        )
    if e is None or e < 0:
        problems.append(
            Problem(
                "the individual variance must be zero or more",
                "use for example 4.0",
                column="individual_variance",
                value=individual_variance,
            )
        )
    if isinstance(team_size, bool) or not isinstance(team_size, int) or team_size < 1:
        problems.append(
            Problem(
                "the team size must be a whole number of at least 1",
                "use for example 10",
                column="team_size",
                value=team_size,
            )
        )
    if problems:
        raise InputError(problems)
    return {
        "team_size": team_size,
        "unit_average_share": m / (m + e / team_size),
        "individual_share": m / (m + e),
    }


def variance_share_table(
    manager_variance: float, individual_variance: float, team_sizes: Sequence[int]
) -> pd.DataFrame:
    """:func:`variance_shares` for several team sizes, as a long table ready to chart."""
    rows = []
    for size in team_sizes:
        shares = variance_shares(manager_variance, individual_variance, size)
        rows.append(
            {
                "team_size": size,
                "level": "Across unit averages",
                "share": shares["unit_average_share"],
            }
        )
        rows.append(
            {
                "team_size": size,
                "level": "Across individual people",
                "share": shares["individual_share"],
            }
        )
    return pd.DataFrame(rows)


def simulate_units(
    units: int, team_size: int, manager_variance: float, individual_variance: float, seed: int = 1
) -> dict:
    """Draw a synthetic organisation and measure both shares empirically (a check on the algebra).

    Returns the squared correlation of the manager effect with unit averages and with individual
    scores; with many units they approach :func:`variance_shares`.
    """
    variance_shares(manager_variance, individual_variance, team_size)  # validates the inputs
    if isinstance(units, bool) or not isinstance(units, int) or units < 3:
        raise InputError(
            Problem(
                "there must be at least 3 units", "use for example 200", column="units", value=units
            )
        )
    rng = np.random.default_rng(seed)
    manager = rng.normal(0, np.sqrt(manager_variance), units)
    people = manager[:, None] + rng.normal(0, np.sqrt(individual_variance), (units, team_size))
    unit_means = people.mean(axis=1)
    unit_r2 = np.corrcoef(manager, unit_means)[0, 1] ** 2
    person_r2 = np.corrcoef(np.repeat(manager, team_size), people.ravel())[0, 1] ** 2
    return {
        "units": units,
        "team_size": team_size,
        "unit_average_share": float(unit_r2),
        "individual_share": float(person_r2),
    }


def threshold_coverage(group_sizes: Sequence[int], thresholds: Sequence[int]) -> pd.DataFrame:
    """For each minimum group size, how many groups and people a report could show or must hide."""
    problems = []
    for index, size in enumerate(group_sizes, start=1):
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 0:
            problems.append(
                Problem(
                    "a group size must be a whole number of at least 0",
                    "count the people in the group",
                    row=index,
                    column="group_sizes",
                    value=size,
                )
            )
    for threshold in thresholds:
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, (int, np.integer))
            or (threshold < 1)
        ):
            problems.append(
                Problem(
                    "a minimum group size must be a whole number of at least 1",
                    "use for example 3 or 5",
                    column="thresholds",
                    value=threshold,
                )
            )
    if not group_sizes:
        problems.append(
            Problem("there are no groups", "give at least one group size", column="group_sizes")
        )
    if problems:
        raise InputError(problems)
    sizes = np.array([int(size) for size in group_sizes])
    rows = []
    for threshold in thresholds:
        shown = sizes >= threshold
        rows.append(
            {
                "min_group_size": int(threshold),
                "groups_shown": int(shown.sum()),
                "groups_hidden": int((~shown).sum()),
                "people_shown": int(sizes[shown].sum()),
                "people_hidden": int(sizes[~shown].sum()),
                "share_of_people_shown": float(sizes[shown].sum() / sizes.sum())
                if sizes.sum()
                else 0.0,
            }
        )
    return pd.DataFrame(rows)
