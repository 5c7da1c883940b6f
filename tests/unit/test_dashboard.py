"""Group results: the minimum group size holds in every view and export; bad files are refused."""

from __future__ import annotations

import base64
import copy
import io
import json
import re

import pandas as pd
import pytest
from factories import distinct_summary, group_of, make_summary, picked_file
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import InputError
from widgets.apps.dashboard import (
    FacilitatorDashboard,
    group_band_chart,
    group_pattern_chart,
    group_table,
    group_table_html,
    group_to_csv,
    group_to_json,
    read_uploads,
    write_group_export,
)
from widgets.content.instrument import load_instrument
from widgets.core.summary import group_summary, summary_to_json

SUPPRESSED_KEYS = {"suppressed", "min_group_size", "needed", "message"}


def test_four_summaries_are_suppressed_and_five_are_shown():
    four = group_summary(group_of(4))
    assert four["suppressed"] is True
    assert four["needed"] == 1
    assert set(four) == SUPPRESSED_KEYS  # nothing computed from the four summaries
    assert "1 more needed" in four["message"]

    five = group_summary([*group_of(4), make_summary(left_behind=0, left_behind_with_plan=0)])
    assert five["suppressed"] is False
    assert five["participants"] == 5
    assert five["members"] == 30
    assert five["band_counts"]["moderate"] == 10
    assert five["left_behind"] == 4
    assert five["participants_with_left_behind"] == 4
    assert five["investment_patterns"]["more_to_closer"] == 5
    assert five["plans"] == 5
    assert five["left_behind_with_plan"] == 4
    assert five["participants_with_plans"] == 5
    follow_ups = 0 + 1 + 2 + 3 + 3
    assert five["planned_conversations"] == {"before": 5, "after": 5, "follow_up": follow_ups}


@pytest.mark.parametrize(("minimum", "shown_from"), [(3, 3), (5, 5), (7, 7)])
def test_suppression_follows_the_configured_minimum(minimum, shown_from):
    below = group_summary(group_of(shown_from - 1), min_group_size=minimum)
    at = group_summary(group_of(shown_from), min_group_size=minimum)
    assert below["suppressed"] and below["needed"] == 1 and below["min_group_size"] == minimum
    assert not at["suppressed"] and at["participants"] == shown_from


def test_empty_group_says_how_many_are_needed():
    assert group_summary([])["needed"] == 5


@pytest.mark.parametrize("bad", [2, 1, 0, -5, 2.5, "5", None, True])
def test_minimum_group_size_is_never_below_three(bad):
    with pytest.raises(InputError) as caught:
        group_summary(group_of(10), min_group_size=bad)
    assert "minimum group size" in str(caught.value)


summary_lists = st.lists(
    st.builds(
        lambda size, left: make_summary(
            team_size=size,
            band_counts={"very_low": 0, "low": left, "moderate": size - left, "high": 0,
                         "very_high": 0},
            investment_band_counts={"low": left, "medium": 0, "high": 0, "unknown": size - left},
            left_behind=left,
            left_behind_with_plan=0,
        ),
        st.integers(1, 40),
        st.integers(0, 0),
    ),
    max_size=8,
    unique_by=lambda summary: summary["team_size"],
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(summary_lists, summary_lists, st.integers(3, 9))
def test_a_suppressed_result_never_depends_on_the_summaries(first, second, minimum):
    """Below the minimum, two groups of the same size give identical results: nothing leaks."""
    size = min(len(first), len(second), minimum - 1)
    a = group_summary(first[:size], min_group_size=minimum)
    b = group_summary(second[:size], min_group_size=minimum)
    assert a == b
    assert a["suppressed"] and set(a) == SUPPRESSED_KEYS


def test_invalid_summary_in_a_group_is_named():
    items = [*group_of(4), make_summary(left_behind=-1)]
    with pytest.raises(InputError) as caught:
        group_summary(items)
    assert "summary 5" in str(caught.value)
    assert "negative" in str(caught.value)


# --- every view and export refuses while suppressed ------------------------------------------


@pytest.mark.parametrize(
    "view", [group_table, group_table_html, group_to_csv, group_to_json, group_band_chart,
             group_pattern_chart]
)  # fmt: skip
def test_views_and_exports_refuse_when_suppressed(view):
    suppressed = group_summary(group_of(4))
    with pytest.raises(InputError) as caught:
        view(suppressed)
    assert "1 more needed" in str(caught.value)


@pytest.mark.parametrize("name", ["group.csv", "group.json"])
def test_export_writes_nothing_when_suppressed(tmp_path, name):
    target = tmp_path / name
    with pytest.raises(InputError) as caught:
        write_group_export(group_summary(group_of(4)), target)
    assert "withheld" in str(caught.value)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_hand_made_group_dict_without_the_flag_is_refused(tmp_path):
    """A dict that does not say it passed the check is treated as suppressed."""
    shown = group_summary(group_of(5))
    forged = {key: value for key, value in shown.items() if key != "suppressed"}
    with pytest.raises(InputError):
        write_group_export(forged, tmp_path / "group.csv")


def test_csv_and_json_exports_hold_the_group_counts(tmp_path):
    group = group_summary(group_of(6))
    csv_path = write_group_export(group, tmp_path / "group.csv")
    table = pd.read_csv(csv_path)
    assert list(table.columns) == ["section", "category", "unit", "count"]
    counts = dict(zip(table["category"], table["count"], strict=True))
    assert counts["Participants"] == 6
    assert counts["Team members scored"] == 36
    assert counts["Moderate"] == 12  # six of the first seven distinct summaries: 2 each
    assert counts["More investment for closer relationships"] == 6
    document = json.loads(write_group_export(group, tmp_path / "group.json").read_text())
    assert document["kind"] == "leading-for-learning-group-results"
    assert document["band_counts"]["very_low"] == 6
    assert document["suppressed"] is False


def test_export_rejects_unknown_formats(tmp_path):
    with pytest.raises(InputError) as caught:
        write_group_export(group_summary(group_of(5)), tmp_path / "group.xlsx")
    assert ".csv or .json" in str(caught.value)
    assert not (tmp_path / "group.xlsx").exists()


def test_charts_have_a_title_a_description_and_count_labels():
    group = group_summary(group_of(5))
    for chart in (group_band_chart(group), group_pattern_chart(group)):
        spec = chart.to_dict()
        assert spec["title"]
        assert "Bar chart" in spec["description"]
        marks = [layer["mark"]["type"] for layer in spec["layer"]]
        assert marks == ["bar", "text"]  # the counts are written, not only coloured
    very_low = load_instrument().band("very_low").label
    assert f"{very_low}: 5" in group_band_chart(group).to_dict()["description"]


# --- reading uploaded files -------------------------------------------------------------------


def test_read_uploads_keeps_good_files_and_explains_bad_ones():
    good = summary_to_json(make_summary()).encode()
    files = [
        ("anna.json", good),
        ("team.csv", b"member,q1\nAnna,3\n"),
        ("edited.json", json.dumps(make_summary(team_size=7)).encode()),
    ]
    accepted, rejected = read_uploads(files)
    assert len(accepted) == 1
    assert len(rejected) == 2
    assert "team.csv" in rejected[0] and "not valid JSON" in rejected[0]
    assert "edited.json" in rejected[1] and "add up to 6" in rejected[1]


# --- the ipywidgets view ----------------------------------------------------------------------


def _file(number: int, **overrides) -> tuple[str, bytes]:
    return f"summary-{number}.json", summary_to_json(distinct_summary(number, **overrides)).encode()


def _links(html: str) -> dict[str, str]:
    found = re.findall(r'download="([^"]+)" href="data:[^;]+;charset=utf-8;base64,([^"]+)"', html)
    return {name: base64.b64decode(payload).decode() for name, payload in found}


def test_dashboard_hides_everything_below_the_minimum_and_shows_it_at_five():
    dashboard = FacilitatorDashboard(min_group_size=5)
    dashboard.add_files([_file(n) for n in range(4)])
    assert "1 more needed" in dashboard.status.value
    assert dashboard.table.value == ""
    assert dashboard.exports.value == ""
    assert dashboard.charts == []

    dashboard.add_files([_file(5, left_behind=0, left_behind_with_plan=0)])
    assert "5 participants" in dashboard.status.value
    assert load_instrument().band("very_low").label in dashboard.table.value
    assert len(dashboard.charts) == 3
    exports = _links(dashboard.exports.value)
    assert set(exports) == {"group-results.csv", "group-results.json"}
    table = pd.read_csv(io.StringIO(exports["group-results.csv"]))
    assert dict(zip(table["category"], table["count"], strict=True))["Members left behind"] == 4

    dashboard.min_size.value = 6
    assert "1 more needed" in dashboard.status.value
    assert dashboard.table.value == "" and dashboard.exports.value == ""
    assert dashboard.charts == []


def test_dashboard_counts_a_file_uploaded_twice_once():
    dashboard = FacilitatorDashboard(min_group_size=5)
    dashboard.add_files([_file(1)] * 3 + [_file(2)])
    assert len(dashboard.summaries) == 2
    assert "3 more needed" in dashboard.status.value


def test_dashboard_explains_a_malformed_file_and_keeps_the_rest():
    dashboard = FacilitatorDashboard(min_group_size=5)
    tampered = make_summary()
    tampered["members"] = ["Anna", "Ben"]
    dashboard.add_files([_file(1), ("bad.json", json.dumps(tampered).encode())])
    assert len(dashboard.summaries) == 1
    assert "bad.json" in dashboard.rejected.value
    assert "unexpected field" in dashboard.rejected.value
    assert "names and notes are never allowed" in dashboard.rejected.value


def test_dashboard_reads_the_file_upload_widget_and_clears_it():
    dashboard = FacilitatorDashboard(min_group_size=3)
    uploads = tuple(
        picked_file(content, name, "application/json")
        for name, content in (_file(n) for n in range(3))
    )
    dashboard.upload.value = uploads
    assert dashboard.upload.value == ()
    assert len(dashboard.summaries) == 3
    assert "3 participants" in dashboard.status.value


def test_dashboard_minimum_cannot_go_below_three():
    with pytest.raises(InputError) as caught:
        FacilitatorDashboard(min_group_size=2)
    assert "never be below 3" in str(caught.value)
    dashboard = FacilitatorDashboard(min_group_size=3)
    dashboard.min_size.value = 2  # the box refuses: it stays at its minimum
    assert dashboard.min_size.value == 3


def test_clear_forgets_every_summary():
    dashboard = FacilitatorDashboard(min_group_size=5)
    dashboard.add_files([_file(n) for n in range(5)])
    dashboard.clear()
    assert dashboard.summaries == {}
    assert dashboard.table.value == ""
    assert "5 more needed" in dashboard.status.value


def test_make_summary_is_valid():
    """The shared factory must itself be a valid summary, or every test here proves nothing."""
    assert json.loads(summary_to_json(copy.deepcopy(make_summary())))["team_size"] == 6


def test_dashboard_defaults_to_the_organisation_minimum(content_copy):
    """Without an explicit minimum the dashboard uses data/organisation.yml's min_group_size."""
    settings = content_copy / "organisation.yml"
    text = re.sub(r"(?m)^min_group_size:.*$", "min_group_size: 7", settings.read_text("utf-8"))
    settings.write_text(text, encoding="utf-8")
    assert FacilitatorDashboard().min_size.value == 7
