"""The error the tools raise for bad input: every problem at once, each with a fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what was found, and how to fix it."""

    message: str
    fix: str
    row: int | None = None
    column: str | None = None
    value: object = None
    source: str | None = None

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.row is not None:
            line_based = str(self.source).endswith((".yml", ".yaml", ".json"))
            where.append(f"{'line' if line_based else 'row'} {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        head = ", ".join(where)
        shown = ""
        if self.value is not None:
            text = str(self.value)
            if len(text) > 40:
                text = text[:37] + "..."
            shown = f" (found {text!r})"
        prefix = f"{head}: " if head else ""
        return f"{prefix}{self.message}{shown}. Fix: {self.fix}"


class InputError(ValueError):
    """Bad input: the message lists every problem with its row, column, value and fix."""

    def __init__(self, problems: list[Problem] | Problem | str, *, title: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(message=problems, fix="check the input and try again")]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.title = title or (
            "There is 1 problem with the input"
            if len(self.problems) == 1
            else f"There are {len(self.problems)} problems with the input"
        )
        super().__init__(self._render())

    def _render(self, limit: int = 50) -> str:
        lines = [f"{self.title}:"]
        for problem in self.problems[:limit]:
            lines.append(f"  - {problem}")
        if len(self.problems) > limit:
            lines.append(f"  ... and {len(self.problems) - limit} more of the same kinds.")
        return "\n".join(lines)
