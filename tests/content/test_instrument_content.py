"""What data/instrument.yml says: seven LMX-7 items, bands over every total, an honest note."""

from __future__ import annotations

from pathlib import Path

import pytest

from widgets import load_instrument

REPO = Path(__file__).resolve().parents[2]
NOTE = "adapted from lmx-7 for reflection, not the validated instrument"


def test_seven_items_with_both_perspectives_and_five_distinct_anchors():
    inst = load_instrument()
    assert inst.item_ids == [f"q{n}" for n in range(1, 8)]
    assert inst.member_item_ids == [f"m_q{n}" for n in range(1, 8)]
    for item in inst.items:
        assert len(item.anchors) == 5
        assert len(set(item.anchors)) == 5, item.id
        assert all(a and not a.isdigit() for a in item.anchors), "anchors must be labels"
        assert item.manager != item.member
        assert item.manager.endswith("?") and item.member.endswith("?")
        assert item.anchor(1) == item.anchors[0] and item.anchor(5) == item.anchors[4]


def test_total_range_and_bands_cover_every_total_exactly_once():
    inst = load_instrument()
    assert inst.total_range == (7, 35)
    assert [b.key for b in inst.bands] == ["very_low", "low", "moderate", "high", "very_high"]
    assert [(b.min, b.max) for b in inst.bands] == [(7, 14), (15, 19), (20, 24), (25, 29), (30, 35)]
    for total in range(7, 36):
        assert sum(b.min <= total <= b.max for b in inst.bands) == 1
    assert all(b.note for b in inst.bands)
    with pytest.raises(ValueError):
        inst.band_for(6)
    with pytest.raises(ValueError):
        inst.band_for(36)


def test_note_and_citation_say_what_the_tool_is():
    inst = load_instrument()
    assert inst.note.lower().startswith(NOTE + ".")
    # The bands are the book's heuristic, not Northouse's norms for the original LMX-7.
    assert "heuristic" in inst.note and "Northouse" in inst.note
    assert "not validated cut-offs" in inst.note
    assert "Graen" in inst.citation and "Northouse" in inst.citation


def test_item_wording_lives_only_in_the_data_file():
    """Data-driven: no question text is typed again in the package's code or the scorer chapter."""
    inst = load_instrument()
    texts = sorted((REPO / "widgets").rglob("*.py"))
    texts.append(REPO / "chapters" / "tools" / "score-relationships.md")
    assert len(texts) > 20, "the package's modules were not found"
    for path in texts:
        content = " ".join(path.read_text(encoding="utf-8").split())
        for item in inst.items:
            assert item.manager not in content, (path.name, item.id)
            assert item.member not in content, (path.name, item.id)
