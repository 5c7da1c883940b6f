"""Charts of scored teams: titles, descriptions, band colour AND shape, speed on huge teams."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from widgets import item_profile_chart, read_team_csv, score_team, team_chart
from widgets.base.errors import InputError
from widgets.book.renderers import chart_html
from widgets.views.charts import left_behind_zone

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def example() -> pd.DataFrame:
    return score_team(read_team_csv(REPO / "data" / "example_team.csv"))


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def big_team(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    records = {
        "member": [f"Person {i}" for i in range(n)],
        **{f"q{k}": rng.integers(1, 6, n) for k in range(1, 8)},
        "goal": rng.choice(["none", "vague", "specific", "stretch"], n),
        "opportunities": rng.integers(0, 8, n),
    }
    return pd.DataFrame(records)


def test_team_chart_has_title_description_colour_and_shape(example):
    spec = team_chart(example, subtitle="Synthetic example team").to_dict()
    assert spec["title"]["text"]
    assert "Synthetic example team" in spec["title"]["subtitle"]
    description = spec["description"]
    assert "colour and shape" in description
    assert "Ivo Pretend, Jo Madeup, Kai Notreal" in description
    assert "1 member(s) with no investment recorded" in description
    assert "not the validated instrument" in description
    points = next(layer for layer in layers(spec) if layer["mark"]["type"] == "point")
    encoding = points["encoding"]
    assert encoding["color"]["field"] == encoding["shape"]["field"] == "band_label"
    assert len(set(encoding["shape"]["scale"]["range"])) == 5
    assert len(set(encoding["color"]["scale"]["range"])) == 5
    assert "member" in [t["field"] for t in encoding["tooltip"]]


def test_team_chart_shades_the_left_behind_zone_and_labels_people(example):
    spec = team_chart(example).to_dict()
    marks = [layer["mark"]["type"] for layer in layers(spec)]
    assert marks.count("rect") == 1 and marks.count("text") == 2
    assert left_behind_zone() == {"x": 6.5, "x2": 19.5, "y": 0.0, "y2": 0.4}
    datasets = json.dumps(spec["datasets"])
    assert "Left-behind zone" in datasets
    label_layer = [layer for layer in layers(spec) if layer["mark"]["type"] == "text"][-1]
    label_rows = spec["datasets"][label_layer["data"]["name"]]
    assert sorted(row["member"] for row in label_rows) == [
        "Ivo Pretend",
        "Jo Madeup",
        "Kai Notreal",
    ]


def test_ten_thousand_members_aggregate_without_names():
    """A huge team is charted as aggregated points (its speed is held by `make bench`)."""
    scored = score_team(big_team(10_000))
    spec = team_chart(scored).to_dict()
    rows = sum(len(v) for v in spec["datasets"].values())
    assert rows < 2000
    text = json.dumps(spec)
    assert "Person 1" not in text, "a large team is aggregated without names"
    assert "sized by how many" in spec["description"]
    points = next(layer for layer in layers(spec) if layer["mark"]["type"] == "point")
    assert points["encoding"]["size"]["field"] == "people"


def test_item_profile_chart_bars_and_anchor_tooltips(example):
    spec = item_profile_chart(example, "Ivo Pretend").to_dict()
    assert spec["title"]["text"] == "Item profile: Ivo Pretend"
    description = spec["description"]
    assert "Clear once in a while" not in spec["title"]["text"]
    profile_rows = next(iter(spec["datasets"].values()))
    assert len(profile_rows) == 7
    first = profile_rows[0]
    assert first["score"] == 2 and first["anchor"] in description
    bars = next(layer for layer in layers(spec) if layer["mark"]["type"] == "bar")
    assert "anchor" in [t["field"] for t in bars["encoding"]["tooltip"]]
    assert any(layer["mark"]["type"] == "tick" for layer in layers(spec)), "their answers"
    assert "Their own answers" in description


def test_item_profile_without_their_rating_and_unknown_member(example):
    spec = item_profile_chart(example, "Ben Sample").to_dict()
    assert not any(layer["mark"]["type"] == "tick" for layer in layers(spec))
    with pytest.raises(InputError):
        item_profile_chart(example, "Nobody")


def test_names_with_markup_are_escaped_in_the_book_figure():
    records = [
        {"member": "<script>alert(1)</script>", **{f"q{i}": 2 for i in range(1, 8)}, "goal": "none"}
    ]
    scored = score_team(records)
    for chart in (team_chart(scored), item_profile_chart(scored, "<script>alert(1)</script>")):
        html = chart_html(chart.to_dict())
        spec_block = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
        assert spec_block is not None
        assert "</" not in spec_block.group(1), "the spec cannot close its script element"
        visible = html.replace(spec_block.group(0), "")
        assert "<script" not in visible
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in visible
