"""Before and after: a summary may carry the counts of an earlier scoring, and a group shows the
change only over exactly the group shown, at or above the minimum group size."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from widgets import InputError, group_summary, read_summary
from widgets.content.instrument import load_instrument
from widgets.core.handin import summary_from_code, summary_to_code
from widgets.core.history import record_snapshot, snapshot_store
from widgets.core.scoring import score_members
from widgets.core.summary import content_fingerprint, participant_summary, summary_to_json
from widgets.core.teamfile import read_team

INSTRUMENT = load_instrument()
EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "example_team.csv"


def example_team():
    return read_team(EXAMPLE, instrument=INSTRUMENT)


def improved(team):
    """The same team, every answer one step closer (as after a few months of work on it)."""
    return [replace(m, answers=tuple(min(5, a + 1) for a in m.answers)) for m in team]


def test_a_summary_carries_the_earlier_counts_only_when_asked():
    team = example_team()
    now = score_members(improved(team), INSTRUMENT)
    then = score_members(team, INSTRUMENT)
    plain = participant_summary(now)
    assert "earlier" not in plain
    both = participant_summary(now, earlier=then)
    assert both["earlier"]["team_size"] == 12
    assert both["earlier"]["left_behind"] == participant_summary(then)["left_behind"]
    assert both["earlier"]["band_counts"] == participant_summary(then)["band_counts"]
    assert both["left_behind"] < both["earlier"]["left_behind"]
    assert set(both["earlier"]) == {"team_size", "band_counts", "investment_pattern", "left_behind"}
    text = summary_to_json(both)
    assert "Example" not in text  # counts only: no names, and no day
    assert read_summary(text) == both
    assert summary_from_code(summary_to_code(both)) == both
    assert summary_from_code(summary_to_code(plain)) == plain


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda e: e["band_counts"].update(high=e["band_counts"]["high"] + 1), "add up to"),
        (lambda e: e.update(left_behind=12), "left behind earlier"),
        (lambda e: e.update(team_size=0), "team_size"),
        (lambda e: e.update(when="2026-01-01"), "when"),
    ],
)
def test_tampered_earlier_counts_are_refused(change, words):
    summary = participant_summary(
        score_members(example_team(), INSTRUMENT), earlier=score_members(example_team())
    )
    change(summary["earlier"])
    summary["fingerprint"] = content_fingerprint(summary)  # a careful forger
    with pytest.raises(InputError, match=words):
        read_summary(json.dumps(summary))


def group(n: int, with_earlier: int):
    team = example_team()
    then = score_members(team, INSTRUMENT)
    now = score_members(improved(team), INSTRUMENT)
    out = []
    for k in range(n):
        scores = now[: 12 - k]  # different teams, so nobody counts twice
        out.append(participant_summary(scores, earlier=then if k < with_earlier else None))
    return out


def test_the_group_shows_the_change_only_when_every_summary_has_earlier_counts():
    full = group_summary(group(5, 5))
    change = full["change"]
    assert change["computed"] and change["with_earlier"] == 5
    assert change["left_behind_before"] > change["left_behind_now"] == full["left_behind"]
    assert change["members_now"] == full["members"]
    assert sum(change["band_counts_before"].values()) == change["members_before"] == 60
    partial = group_summary(group(6, 5))["change"]
    assert partial == {"computed": False, "with_earlier": 5, "message": partial["message"]}
    assert "5 of 6" in partial["message"]
    hidden = group_summary(group(4, 4))
    assert hidden["suppressed"] and "change" not in hidden


def test_the_participant_panel_offers_the_earliest_snapshot_and_adds_it_only_when_ticked(
    private_data_dir,
):
    from widgets.apps.scorer import RelationshipScorer
    from widgets.apps.summary_panel import SummaryPanel

    scorer = RelationshipScorer(private_data_dir / "team.json")
    panel = SummaryPanel(scorer)
    assert panel.add_earlier.layout.display == "none"  # no history yet: nothing to offer
    team = example_team()
    store = snapshot_store(private_data_dir / "team.json")
    record_snapshot(store, team, now=datetime(2026, 9, 1, 9, tzinfo=timezone.utc))
    scorer.replace_team(improved(team))
    scorer.save()  # today's snapshot: two days now
    panel.refresh()
    assert panel.add_earlier.layout.display == "flex"
    assert "2026-09-01" in panel.add_earlier.description
    assert "earlier" not in panel.summary  # off until the participant ticks it
    panel.add_earlier.value = True
    assert panel.summary["earlier"]["team_size"] == 12
    assert panel.summary["earlier"]["left_behind"] > panel.summary["left_behind"]
    assert "Members left behind then" in panel.table.value
    assert "2026-09-01" not in summary_to_json(panel.summary)
    panel.add_earlier.value = False
    assert "earlier" not in panel.summary


def test_the_dashboard_table_and_sentence_show_the_change_only_when_computed():
    from widgets.apps.dashboard import change_html, group_table

    full = group_summary(group(5, 5))
    rows = {row["category"]: row["count"] for row in group_table(full)}
    assert rows["Members left behind, earlier scoring"] == full["change"]["left_behind_before"]
    assert rows["Members left behind, now"] == full["left_behind"]
    sentence = change_html(full)
    assert "Before and after" in sentence and "does not show that the workshop caused" in sentence
    partial = group_summary(group(6, 5))
    assert not any("earlier scoring" in row["category"] for row in group_table(partial))
    assert "5 of 6 summaries" in change_html(partial)
