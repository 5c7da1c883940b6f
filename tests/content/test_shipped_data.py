"""The data files as the book ships them: make check-data finds nothing; the catalogue, the
checklist and the evaluation kit hold what the book promises."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from widgets import read_catalogue
from widgets.book.validation import check_book_data, format_problems
from widgets.content.checklist import load_checklist
from widgets.content.prompts import load_guide
from widgets.core.evaluation import evaluation_kit, form

REPO = Path(__file__).resolve().parents[2]


def test_the_shipped_catalogue_is_valid_and_plausible():
    """Holds for any organisation's catalogue: a fork with five entries of its own passes too."""
    catalogue = read_catalogue()
    assert catalogue, "the catalogue is empty"
    types = load_guide().resource_types
    assert all(r.type in types and r.skills and r.duration > 0 for r in catalogue)
    assert {r.internal_or_external for r in catalogue} <= {"internal", "external"}
    for resource in catalogue:
        parts = urlsplit(resource.link)
        assert parts.scheme in ("https", "intranet"), resource.link
        assert "utm_" not in parts.query and not parts.query
        if resource.internal_or_external == "external":
            assert parts.scheme == "https"


def test_the_book_as_it_stands_has_no_problems():
    problems = check_book_data(REPO)
    assert problems == [], format_problems(problems)


def test_the_checklist_holds_twelve_distinct_behaviours_with_known_focus():
    checklist = load_checklist()
    ids = [b.id for b in checklist.behaviours]
    assert len(checklist.behaviours) == 12
    assert len(set(ids)) == 12
    assert {b.focus for b in checklist.behaviours} <= set(checklist.focus)
    assert checklist.source == "mckenzie2013"
    assert [o.key for o in checklist.scale] == ["rarely", "sometimes", "usually"]


def test_the_kit_has_utility_questions_a_follow_up_and_an_interview_guide():
    kit = evaluation_kit()
    reaction = {q.key for q in form("reaction").questions}
    assert {"useful", "confident", "first_step"} <= reaction
    follow_up = {q.key for q in form("follow_up").questions}
    assert {"applied", "barriers"} <= follow_up
    assert kit.success_case.sections
    kinds = {q.kind for key in ("reaction", "follow_up") for q in form(key).questions}
    assert kinds <= {"scale", "choice", "multiple"}  # never free text
