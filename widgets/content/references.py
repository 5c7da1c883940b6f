"""The book's bibliography (data/references.bib): its citation keys, each entry once.

The chapters cite these keys, and data files name them as their sources (the checklist's
``source``, Part I's research tables); a key that is not here is a broken citation.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..base.errors import InputError, Problem
from .source import content_dir

REFERENCES_FILE = "references.bib"
ENTRY = re.compile(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def citation_keys(path: Path | None = None) -> list[str]:
    """The entries' keys in a BibTeX file (default: data/references.bib); [] if unreadable."""
    try:
        text = (path or content_dir() / REFERENCES_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return ENTRY.findall(text)


def check_references(path: Path, source: str = f"data/{REFERENCES_FILE}") -> None:
    """Raise InputError if the file holds no entry, or names one key twice (at its line)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    problems = []
    if not ENTRY.search(text):
        problems.append(
            Problem(
                "no BibTeX entries found",
                "keep the book's references: entries start like @article{key,",
                source=source,
            )
        )
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = ENTRY.match(line)
        if match and match.group(1) in seen:
            problems.append(
                Problem(
                    "this citation key is used by two entries",
                    "rename or delete one",
                    row=number,
                    source=source,
                )
            )
        elif match:
            seen.add(match.group(1))
    if problems:
        raise InputError(problems, title=f"{source} needs fixing")
