"""Published figures and summaries used in Part I, read from ``data/research/``.

Every file there carries a ``source`` column naming a key of ``data/references.bib`` (or one of
:data:`NON_BIB_SOURCES` for rows that are this book's own convention), so each figure shown in a
chapter can be traced to its citation.
"""

from __future__ import annotations

import warnings

import pandas as pd

from ..base.errors import InputError, Problem
from ..content.source import data_file

NON_BIB_SOURCES = frozenset({"common practice", "this book"})

# Columns each file must have; everything else in a file is kept as it is.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "studies.csv": ("key", "source", "study", "who_was_studied"),
    "bezuijen2010_measures.csv": ("measure", "rated_by", "role", "role_label", "x", "y", "source"),
    "bezuijen2010_paths.csv": ("from", "to", "kind", "source"),
    "transfer_matrix.csv": ("role", "timing", "example", "source"),
    "evidence_links.csv": ("link", "level", "design", "finding", "study", "source"),
    "min_group_sizes.csv": ("context", "min_group_size", "source", "note"),
    "learning_situations.csv": (
        "situation",
        "partner",
        "direction",
        "authority",
        "what_helps",
        "watch_out_for",
        "source",
    ),
}

TIMINGS = ("Before", "During", "After")
ROLES = ("Manager", "Trainer", "Trainee")


def read_research_csv(name: str) -> pd.DataFrame:
    """Read ``data/research/<name>``, checking its required columns and that no cell is missing.

    Optional numeric columns (sample sizes a study does not have) may be blank; the required ones
    may not. All problems are reported together as one :class:`InputError`.
    """
    path = data_file(f"research/{name}")
    source = f"data/research/{name}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        table = pd.read_csv(
            path, encoding="utf-8-sig", dtype=str, keep_default_na=False, index_col=False
        )
    table.columns = [column.strip() for column in table.columns]
    required = REQUIRED_COLUMNS.get(name, ("source",))
    problems: list[Problem] = []
    if any(issubclass(warning.category, pd.errors.ParserWarning) for warning in caught):
        problems.append(
            Problem(
                "some rows have more cells than the header has columns",
                "quote any cell that contains a comma, or add the missing column to the header",
                source=source,
            )
        )
    problems += [
        Problem(
            "a required column is missing", f"add a '{column}' column", column=column, source=source
        )
        for column in required
        if column not in table.columns
    ]
    for column in (c for c in required if c in table.columns):
        for index, value in table[column].items():
            if not value.strip():
                problems.append(
                    Problem(
                        "this cell is empty",
                        f"fill in '{column}'",
                        row=int(index) + 2,
                        column=column,
                        source=source,
                    )
                )
    if problems:
        raise InputError(problems, title=f"{source} has problems")
    return table.apply(lambda column: column.str.strip())


def studies() -> pd.DataFrame:
    """Who each key study looked at, with its published sample sizes (blank where none)."""
    table = read_research_csv("studies.csv")
    for column in ("people", "groups", "organisations"):
        table[column] = pd.to_numeric(table[column].replace("", None)).astype("Int64")
    return table.set_index("key")


def people_per_group(key: str) -> float:
    """Average number of people per group in a study, e.g. employees per leader."""
    row = studies().loc[key]
    if pd.isna(row["people"]) or pd.isna(row["groups"]):
        raise InputError(
            Problem(
                "this study does not report both people and groups",
                "pick a study with both counts",
                value=key,
                source="data/research/studies.csv",
            )
        )
    return float(row["people"]) / float(row["groups"])


def bezuijen_measures() -> pd.DataFrame:
    """Which variables Bezuijen et al. (2010) measured, who rated each, and their roles."""
    table = read_research_csv("bezuijen2010_measures.csv")
    table[["x", "y"]] = table[["x", "y"]].astype(float)
    return table


def bezuijen_paths() -> pd.DataFrame:
    """The paths of the Bezuijen et al. (2010) findings, each joined to its end points' positions.

    ``kind`` is "reported" for paths in the published findings and "not reported" for feedback,
    which was measured but is not reported as a mediator.
    """
    measures = bezuijen_measures().set_index("measure")
    paths = read_research_csv("bezuijen2010_paths.csv")
    unknown = sorted((set(paths["from"]) | set(paths["to"])) - set(measures.index))
    if unknown:
        raise InputError(
            [
                Problem(
                    "this measure is not in bezuijen2010_measures.csv",
                    "use a measure's exact name",
                    value=name,
                    source="data/research/bezuijen2010_paths.csv",
                )
                for name in unknown
            ]
        )
    for end in ("from", "to"):
        paths[f"x_{end}"] = paths[end].map(measures["x"])
        paths[f"y_{end}"] = paths[end].map(measures["y"])
    return paths


def transfer_matrix() -> pd.DataFrame:
    """The Broad & Newstrom role-by-timing matrix as a 3x3 table of example actions.

    The matrix structure is Broad & Newstrom's; the example in each cell is this book's.
    """
    table = read_research_csv("transfer_matrix.csv")
    source = "data/research/transfer_matrix.csv"
    problems = []
    for index, row in table.iterrows():
        if row["role"] not in ROLES:
            problems.append(
                Problem(
                    "unknown role",
                    f"use one of: {', '.join(ROLES)}",
                    row=int(index) + 2,
                    column="role",
                    value=row["role"],
                    source=source,
                )
            )
        if row["timing"] not in TIMINGS:
            problems.append(
                Problem(
                    "unknown timing",
                    f"use one of: {', '.join(TIMINGS)}",
                    row=int(index) + 2,
                    column="timing",
                    value=row["timing"],
                    source=source,
                )
            )
    duplicated = table.duplicated(["role", "timing"], keep=False)
    for index in table.index[duplicated]:
        problems.append(
            Problem(
                "this cell of the matrix appears twice",
                "keep one row per cell",
                row=int(index) + 2,
                value=f"{table.at[index, 'role']}/{table.at[index, 'timing']}",
                source=source,
            )
        )
    if problems:
        raise InputError(problems, title=f"{source} has problems")
    matrix = table.pivot(index="role", columns="timing", values="example")
    matrix = matrix.reindex(index=list(ROLES), columns=list(TIMINGS)).fillna("")
    matrix.index.name = None
    matrix.columns.name = None
    return matrix


def evidence_links() -> pd.DataFrame:
    """The links between relationships, goals, safety and learning, each with its study."""
    return read_research_csv("evidence_links.csv")


def min_group_sizes() -> pd.DataFrame:
    """Minimum group sizes used before survey results are reported, with where each comes from."""
    table = read_research_csv("min_group_sizes.csv")
    values = pd.to_numeric(table["min_group_size"], errors="coerce")
    bad = table.index[values.isna() | (values < 1) | (values % 1 != 0)]
    if len(bad):
        raise InputError(
            [
                Problem(
                    "the minimum group size must be a whole number of at least 1",
                    "write a number such as 5",
                    row=int(i) + 2,
                    column="min_group_size",
                    value=table.at[i, "min_group_size"],
                    source="data/research/min_group_sizes.csv",
                )
                for i in bad
            ]
        )
    table["min_group_size"] = values.astype(int)
    return table


def learning_situations() -> pd.DataFrame:
    """The four learning-relationship situations of McKenzie (2013), with this book's notes."""
    return read_research_csv("learning_situations.csv")
