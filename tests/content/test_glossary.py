"""The glossary defines exactly the book's agreed terms, and every {term} link points at one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "chapters" / "reference" / "glossary.md"

# The terms agreed for the book (see the common brief); the glossary defines exactly these.
EXPECTED_TERMS = {
    "LMX",
    "LMX-7",
    "engagement in learning activities",
    "goal specificity",
    "goal difficulty",
    "mediator",
    "moderator",
    "transfer of training",
    "psychological safety",
    "learning goal",
    "performance goal",
    "70-20-10",
    "Success Case Method",
    "minimum group size",
    "perception gap",
    "differential investment",
    "left-behind pattern",
    "learning relationship",
}
# {term}`text` or {term}`shown text <target>`
TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")


def glossary_terms() -> list[str]:
    """Terms defined in the {glossary} block: unindented, non-empty lines inside it."""
    text = GLOSSARY.read_text("utf-8")
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    return [line.strip() for line in block.splitlines() if line.strip() and not line[0].isspace()]


def linked_terms() -> dict[str, set[str]]:
    links: dict[str, set[str]] = {}
    for path in sorted((ROOT / "chapters").rglob("*.md")):
        for match in TERM_ROLE.finditer(path.read_text("utf-8")):
            text = " ".join(match.group(1).split())
            target = re.search(r"<([^>]+)>\s*$", text)
            term = (target.group(1) if target else text).strip()
            links.setdefault(term.lower(), set()).add(path.name)
    return links


def test_glossary_defines_exactly_the_agreed_terms():
    terms = glossary_terms()
    assert len(terms) == len(set(terms)), "a term is defined twice"
    assert {t.lower() for t in terms} == {t.lower() for t in EXPECTED_TERMS}


def test_glossary_terms_are_in_alphabetical_order():
    terms = glossary_terms()
    assert terms == sorted(terms, key=str.lower)


def test_every_term_link_points_at_a_defined_term():
    defined = {t.lower() for t in glossary_terms()}
    unknown = {term: files for term, files in linked_terms().items() if term not in defined}
    assert not unknown, f"{{term}} links to undefined terms: {unknown}"


def test_every_glossary_term_is_linked_from_a_chapter():
    unlinked = {t for t in glossary_terms() if t.lower() not in linked_terms()}
    assert not unlinked, f"glossary terms no chapter links to: {unlinked}"
