"""Charts of scored teams: titles, descriptions, band colour AND shape, speed on huge teams."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import altair
import jsonschema
import numpy as np
import pandas as pd
import pytest

from widgets import item_profile_chart, load_instrument, read_team_csv, score_team, team_chart
from widgets.base.errors import InputError
from widgets.book.renderers import chart_html
from widgets.core.members import Member
from widgets.core.scoring import Score, score_members
from widgets.frames import team_members
from widgets.views.charts import item_profile_spec, left_behind_zone, team_chart_spec

REPO = Path(__file__).resolve().parents[2]
SCHEMA = Path(altair.__file__).parent / "vegalite" / "v5" / "schema" / "vega-lite-schema.json"


@pytest.fixture(scope="module")
def example() -> pd.DataFrame:
    return score_team(read_team_csv(REPO / "data" / "example_team.csv"))


@pytest.fixture(scope="module")
def vegalite_v5() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    return validator_class(schema)


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


def pure_team(n: int, *, unrated: int = 0) -> list[Score]:
    """Score records built without pandas: ``n`` rated members, then ``unrated`` half-rated."""
    inst = load_instrument()
    goals = ("none", "vague", "specific", "stretch")
    team = [
        Member(
            f"Person {i}",
            tuple(1 + (i * (k + 3)) % 5 for k in range(len(inst.items))),
            {"goal": goals[i % 4], "opportunities": i % 8},
        )
        for i in range(n)
    ]
    team += [
        Member(f"Unrated {i}", (3, 3, None, None, None, None, None), {"goal": "none"})
        for i in range(unrated)
    ]
    return score_members(team, inst)


def walk(value: Any) -> Any:
    """Every dict in a spec, depth first."""
    if isinstance(value, dict):
        yield value
        for inner in value.values():
            yield from walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from walk(inner)


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
    people = sum(row["people"] for row in spec["datasets"][points["data"]["name"]])
    assert people == int(scored["investment_index"].notna().sum())


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


# ------------------------------------------------------------------------ the pure spec builders


def all_specs(example: pd.DataFrame) -> dict[str, dict]:
    small = pure_team(12, unrated=2)
    return {
        "small team": team_chart_spec(small, subtitle="Synthetic"),
        "example team": team_chart(example, subtitle="Synthetic example team").to_dict(),
        "600 members, aggregated": team_chart_spec(pure_team(600)),
        "empty team": team_chart_spec([]),
        "item profile, their view": item_profile_chart(example, "Ivo Pretend").to_dict(),
        "item profile, yours only": item_profile_chart(example, "Ben Sample").to_dict(),
        "item profile, not rated": item_profile_spec(small[-1]),
    }


def test_specs_validate_against_the_vega_lite_v5_schema(example, vegalite_v5):
    specs = all_specs(example)
    assert "sized by how many" in specs["600 members, aggregated"]["description"]
    for name, spec in specs.items():
        errors = sorted(vegalite_v5.iter_errors(spec), key=lambda e: list(e.path))
        assert not errors, f"{name}: {errors[0].message} at {list(errors[0].path)}"
        assert "/schema/vega-lite/v5" in spec["$schema"], name
    broken = json.loads(json.dumps(specs["small team"]))
    broken["layer"][2]["mark"]["type"] = "bogus"
    assert list(vegalite_v5.iter_errors(broken)), "the schema check can fail"


def test_specs_carry_no_usermeta_actions_or_remote_data(example):
    for name, spec in all_specs(example).items():
        for node in walk(spec):
            assert "usermeta" not in node, name
            assert "actions" not in node, name
            url = node.get("url")
            assert url is None, f"{name}: data from {url}"
        assert all(isinstance(rows, list) for rows in spec.get("datasets", {}).values()), name
    _, metadata = team_chart(example)._repr_mimebundle_()
    assert next(iter(metadata.values()))["embed_options"] == {"actions": False}


def test_unrated_members_are_left_out_and_counted():
    scores = pure_team(12, unrated=2)
    spec = team_chart_spec(scores)
    points = spec["datasets"]["team_points"]
    assert len(points) == 12
    assert not any(row["member"].startswith("Unrated") for row in points)
    assert "Unrated" not in json.dumps(spec)
    description = spec["description"]
    assert "of 12 team members" in description
    assert "2 member(s) still need rating" in description
    assert "still need rating" not in team_chart_spec(pure_team(12))["description"]
    profile = item_profile_spec(scores[-1])
    assert "Not rated yet (2 of 7 items answered)" in profile["title"]["subtitle"][0]
    assert "not answered yet" in profile["description"]


def test_team_spec_from_scores_matches_the_dataframe_chart(example):
    """The notebook function is the pure builder over the same scores."""
    inst = load_instrument()
    scores = score_members(team_members(example, inst), inst)
    assert team_chart_spec(scores, inst, subtitle="x") == team_chart(example, subtitle="x").spec


def test_each_call_gets_its_own_spec():
    """The cached structure is copied, so changing one chart's spec leaves the next alone."""
    first = team_chart_spec(pure_team(5))
    first["layer"][0]["mark"]["color"] = "changed"
    first["datasets"]["left_behind_zone"][0]["label"] = "changed"
    second = team_chart_spec(pure_team(5))
    assert "changed" not in json.dumps(second)


def test_the_chart_module_needs_no_altair_pandas_or_numpy():
    code = (
        "import sys\n"
        "from widgets.core.members import Member\n"
        "from widgets.core.scoring import score_members\n"
        "from widgets.views import charts\n"
        "scores = score_members([Member('A', (3,) * 7, {'goal': 'vague'})])\n"
        "charts.team_chart_spec(scores)\n"
        "charts.item_profile_spec(scores[0])\n"
        "print(sorted({'altair', 'pandas', 'numpy'} & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
