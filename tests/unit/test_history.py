"""Snapshots of the team (history): storage that never loses a version, and what changed."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import member_names, name_key, team_members, teams

from widgets.base.errors import InputError
from widgets.base.escaping import starts_like_formula
from widgets.base.storage import SnapshotStore, delete_saved_data
from widgets.content.instrument import load_instrument
from widgets.core.history import (
    HISTORY_CSV_COLUMNS,
    SNAPSHOT_KIND,
    SNAPSHOT_SCHEMA_VERSION,
    compare,
    default_pair,
    history_csv_text,
    indicator_timeline,
    load_snapshots,
    person_key,
    record_snapshot,
    snapshot_from_team,
    snapshot_store,
    summary_counts_before_after,
)
from widgets.core.members import Member
from widgets.core.scoring import gradient, score_members
from widgets.core.summary import band_keys, participant_summary, pattern_keys
from widgets.core.teamfile import read_team, restore_team_text
from widgets.views.charts import history_chart_spec
from widgets.views.vegalite import VEGALITE_MIME, mimebundle

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "data" / "example_team.csv"
INST = load_instrument()
START = datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)


def example_team() -> list[Member]:
    return read_team(EXAMPLE)


def day(offset: int) -> datetime:
    return START + timedelta(days=offset)


def with_answers(member: Member, value: int) -> Member:
    return Member(member.name, (value,) * len(INST.items), member.investment)


# ------------------------------------------------------------------------------------- storage


def test_a_save_keeps_a_schema_versioned_snapshot_of_the_day(tmp_path):
    store = snapshot_store(tmp_path / "team.json")
    path = record_snapshot(store, example_team(), now=day(0))
    assert path == tmp_path / "team-snapshot-2026-01-05.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["kind"] == SNAPSHOT_KIND == "relationship-scorer-snapshot"
    assert document["schema_version"] == SNAPSHOT_SCHEMA_VERSION == 1
    assert document["date"] == "2026-01-05"
    assert document["saved_at"] == "2026-01-05T09:30:00+00:00"
    assert [r["member"] for r in document["team"]] == [m.name for m in example_team()]
    snapshots, problems = load_snapshots(store)
    assert problems == [] and [s.day for s in snapshots] == ["2026-01-05"]
    assert [s.member for s in snapshots[0].scores] == example_team()


def test_the_days_last_save_replaces_that_day_and_earlier_days_stay(tmp_path):
    store = snapshot_store(tmp_path / "team.json")
    team = example_team()
    record_snapshot(store, team[:3], now=day(0))
    record_snapshot(store, team[:5], now=day(1))
    record_snapshot(store, team[:7], now=day(1) + timedelta(hours=5))
    snapshots, _ = load_snapshots(store)
    assert [(s.day, len(s.scores)) for s in snapshots] == [("2026-01-05", 3), ("2026-01-06", 7)]


def test_the_cap_drops_the_oldest_but_one_so_the_baseline_stays(tmp_path):
    store = snapshot_store(tmp_path / "team.json", limit=3)
    for offset in range(6):
        record_snapshot(store, example_team()[: offset + 1], now=day(offset))
    assert store.days() == ["2026-01-05", "2026-01-09", "2026-01-10"]


def test_a_damaged_snapshot_is_moved_aside_with_a_message_and_the_rest_still_load(tmp_path):
    store = snapshot_store(tmp_path / "team.json")
    for offset in range(4):
        record_snapshot(store, example_team(), now=day(offset))
    broken = store.path_for("2026-01-06")
    broken.write_text('{"kind": "relationship-scorer-snapshot", "schema', encoding="utf-8")
    foreign = store.path_for("2026-01-07")
    foreign.write_text(json.dumps({"kind": "plans", "schema_version": 1}), encoding="utf-8")
    bad_member = store.path_for("2026-01-08")
    document = json.loads(bad_member.read_text(encoding="utf-8"))
    document["team"][0]["q1"] = 9
    bad_member.write_text(json.dumps(document), encoding="utf-8")

    snapshots, problems = load_snapshots(store)
    assert [s.day for s in snapshots] == ["2026-01-05"]
    text = "\n".join(str(p) for p in problems)
    assert "not valid JSON" in text and "not a saved relationship-scorer-snapshot" in text
    assert "column 'q1'" in text
    assert text.count("moved aside as team-snapshot-2026-01-0") == 3
    aside = sorted(p.name for p in store.folder.glob("*.corrupt-*.json"))
    assert len(aside) == 3 and all(name.startswith("team-snapshot-2026-01-0") for name in aside)
    assert not broken.exists()
    again, problems = load_snapshots(store)
    assert problems == [] and [s.day for s in again] == ["2026-01-05"]


def test_a_snapshot_from_a_newer_version_is_refused_clearly_and_kept(tmp_path):
    store = snapshot_store(tmp_path / "team.json")
    record_snapshot(store, example_team(), now=day(0))
    newer = store.path_for("2026-01-06")
    text = json.dumps({"kind": SNAPSHOT_KIND, "schema_version": 7, "team": "?"})
    newer.write_text(text, encoding="utf-8")
    snapshots, problems = load_snapshots(store)
    assert [s.day for s in snapshots] == ["2026-01-05"]
    (problem,) = problems
    assert "made by a newer version" in str(problem) and "update" in problem.fix
    assert newer.read_text(encoding="utf-8") == text, "a newer file is never changed"
    with pytest.raises(InputError, match="made by a newer version"):
        record_snapshot(store, example_team(), now=day(1))
    assert newer.read_text(encoding="utf-8") == text


def test_an_unreadable_snapshot_is_reported_and_left_alone(tmp_path, monkeypatch):
    store = snapshot_store(tmp_path / "team.json")
    record_snapshot(store, example_team(), now=day(0))
    record_snapshot(store, example_team()[:2], now=day(1))
    locked = store.path_for("2026-01-05")
    real = Path.read_text

    def read_text(self, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    snapshots, problems = load_snapshots(store)
    assert [s.day for s in snapshots] == ["2026-01-06"]
    assert "could not be read (Permission denied)" in str(problems[0])
    assert locked.exists()


def test_snapshots_can_be_deleted_one_or_all_and_delete_my_data_removes_them(tmp_path):
    store = snapshot_store(tmp_path / "team.json")
    for offset in range(3):
        record_snapshot(store, example_team(), now=day(offset))
    assert store.delete("2026-01-06") and not store.delete("2026-01-06")
    assert store.days() == ["2026-01-05", "2026-01-07"]
    (tmp_path / "team.json").write_text("{}", encoding="utf-8")
    assert store.delete_all() == ["team-snapshot-2026-01-05.json", "team-snapshot-2026-01-07.json"]
    assert store.days() == [] and (tmp_path / "team.json").exists(), "the saved team stays"
    record_snapshot(store, example_team(), now=day(0))
    store.path_for("2026-01-09").write_text("broken", encoding="utf-8")
    load_snapshots(store)  # moves the broken one aside
    (store.folder / ".team-snapshot-2026-01-05.json.abc.tmp").write_text("half", encoding="utf-8")
    (tmp_path / "team-history-export.csv").write_text("x", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not ours", encoding="utf-8")
    removed = delete_saved_data(tmp_path)
    assert "team-snapshot-2026-01-05.json" in removed
    assert "team-history-export.csv" in removed
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_bad_day_is_refused(tmp_path):
    store = snapshot_store(tmp_path / "team.json")
    with pytest.raises(InputError, match="2026-12-31"):
        store.path_for("../team")
    with pytest.raises(ValueError):
        SnapshotStore(tmp_path, "team", SNAPSHOT_KIND, 1, limit=1)


@settings(max_examples=40, deadline=None)
@given(
    saves=st.lists(st.tuples(st.integers(0, 12), st.integers(0, 23)), min_size=1, max_size=25),
    limit=st.integers(2, 6),
)
def test_every_day_keeps_its_last_save_up_to_the_cap_with_the_baseline_kept(saves, limit):
    """A model of the rule: one file per day (its last save); past the cap, the oldest but one."""
    with tempfile.TemporaryDirectory() as folder:
        store = SnapshotStore(folder, "team", SNAPSHOT_KIND, 1, limit=limit)
        model: dict[str, int] = {}
        for number, (offset, hour) in enumerate(saves):
            moment = START + timedelta(days=offset, hours=hour)
            store.save({"number": number}, now=moment)
            model[moment.date().isoformat()] = number
            while len(model) > limit:
                del model[sorted(model)[1]]
        assert store.days() == sorted(model)
        for kept, number in model.items():
            assert store.load(kept)["number"] == number


KILLED_SAVER = textwrap.dedent(
    """
    import json, sys
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from widgets.base.storage import DocumentStore
    from widgets.core.history import snapshot_store

    folder, start = Path(sys.argv[1]), int(sys.argv[2])
    records = json.loads(Path(sys.argv[3]).read_text())
    team = DocumentStore(folder / "team.json", "relationship-scorer", 1)
    snaps = snapshot_store(folder / "team.json", limit=4)
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    number = start
    print("ready", flush=True)
    while True:
        number += 1
        payload = {"team": records, "number": number}
        team.save(payload, force=True)
        snaps.save(payload, now=base + timedelta(days=number // 2, seconds=number))
        print(number, flush=True)
    """
)


def _complete_documents(folder: Path) -> dict[str, int]:
    """Every JSON file in the folder tree parses and is one whole version; name -> number."""
    found = {}
    for path in sorted(folder.rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["schema_version"] == 1 and isinstance(document["number"], int)
        assert len(document["team"]) == 300, f"{path.name} holds part of a team"
        found[str(path.relative_to(folder))] = document["number"]
    return found


def test_killing_a_save_at_any_moment_leaves_only_complete_versions(tmp_path):
    """SIGKILL a process that saves the team and its snapshot in a loop, many times over."""
    records = [m.to_record(INST) for _ in range(25) for m in example_team()]
    for index, record in enumerate(records):
        record["member"] = f"Person {index}"
    team_file = tmp_path / "records.json"
    team_file.write_text(json.dumps(records), encoding="utf-8")
    folder = tmp_path / "data"
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    rng = random.Random(16)
    last = done = 0
    for _round in range(20):
        process = subprocess.Popen(
            [sys.executable, "-c", KILLED_SAVER, str(folder), str(last), str(team_file)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        for _ in range(rng.randint(0, 3)):  # let some saves finish
            process.stdout.readline()
        time.sleep(rng.uniform(0, 0.02))  # then kill at a random moment of the next one
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        finished = [int(line) for line in process.stdout.read().split() if line.isdigit()]
        process.stdout.close()
        documents = _complete_documents(folder)
        current = documents["team.json"]
        assert current >= last, "a completed save of the team was lost"
        done = max([done, *finished])  # team and snapshot both written and reported
        snapshots = [n for name, n in documents.items() if name.startswith("team-snapshot-")]
        assert len(snapshots) <= 4 + 1  # the cap, plus one if killed between write and trim
        assert current >= done and max(snapshots) >= done, "a completed snapshot was lost"
        loaded, problems = load_snapshots(snapshot_store(folder / "team.json"))
        assert problems == [] and all(len(s.scores) == 300 for s in loaded)
        last = current


# ------------------------------------------------------------------------------ computations


def test_compare_reports_totals_investment_and_who_entered_or_left_the_zone():
    team = example_team()
    by_name = {m.name: m for m in team}
    later = list(team)
    later[later.index(by_name["Kai Notreal"])] = with_answers(by_name["Kai Notreal"], 5)
    ana = by_name["Ana Example"]
    later[later.index(ana)] = Member(
        ana.name,
        (1,) * 7,
        {
            **ana.investment,
            "goal": "none",
            "opportunities": 0,
            "feedback": "never",
            "learning_time": "none",
            "conversations": 0,
        },
    )
    later[later.index(by_name["Ben Sample"])] = Member("Ben Sample", (3, None, 3, 3, 3, 3, 3))
    later.remove(by_name["Cai Demo"])
    later.append(with_answers(Member("Zed New", (), by_name["Jo Madeup"].investment), 2))
    then = snapshot_from_team(team, "2026-01-05")
    now = snapshot_from_team(later, "2026-03-05")
    result = compare(then, now)
    assert result.entered == ["Ana Example"] and result.left == ["Kai Notreal"]
    kai = next(p for p in result.people if p.name == "Kai Notreal")
    assert (kai.then.total, kai.now.total, kai.total_change) == (13, 35, 22)
    assert kai.investment_change == 0.0
    assert result.only_then == ("Ben Sample", "Cai Demo")
    assert result.only_now == ("Zed New",)
    assert (result.not_rated_then, result.not_rated_now) == (0, 1)
    assert result.indicator_then == gradient(score_members(team))
    assert default_pair([then, now]) == (then, now) and default_pair([then]) is None


def test_the_team_indicator_over_time_uses_only_fully_rated_members():
    team = example_team()
    partly = [Member(m.name, (None, *m.answers[1:]), m.investment) for m in team[:8]] + team[8:]
    timeline = indicator_timeline(
        [snapshot_from_team(team, "2026-01-05"), snapshot_from_team(partly, "2026-02-05")]
    )
    first, second = timeline
    assert first["computed"] and first["members_used"] == 11 and first["left_behind"] == 3
    assert (second["rated"], second["not_rated"]) == (4, 8)
    assert not second["computed"] and second["rho"] is None
    assert second["summary"] == gradient(score_members(team[8:]))["summary"]


def _pair_of_teams():
    @st.composite
    def pair(draw):
        names = draw(st.lists(member_names, max_size=10, unique_by=name_key))
        then = [draw(team_members(n)) for n in names if draw(st.integers(0, 4))]
        now = [draw(team_members(n)) for n in names if draw(st.integers(0, 4))]
        return then, now

    return pair()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=_pair_of_teams())
def test_change_computations_follow_the_scorers_own_rules(pair):
    then_team, now_team = pair
    then = snapshot_from_team(then_team, "2026-01-05")
    now = snapshot_from_team(now_team, "2026-02-05")
    result = compare(then, now)
    rated_then = {person_key(s.name): s for s in score_members(then_team) if s.complete}
    rated_now = {person_key(s.name): s for s in score_members(now_team) if s.complete}
    both = rated_then.keys() & rated_now.keys()
    assert {person_key(p.name) for p in result.people} == both
    assert len(result.people) + len(result.only_then) == len(rated_then)
    assert len(result.people) + len(result.only_now) == len(rated_now)
    assert result.not_rated_then == len(then_team) - len(rated_then)
    assert result.not_rated_now == len(now_team) - len(rated_now)
    for key in both:
        before, after = rated_then[key].left_behind, rated_now[key].left_behind
        name = rated_now[key].name
        assert (name in result.entered) == (after and not before)
        assert (name in result.left) == (before and not after)
    counts = summary_counts_before_after(then, now)
    for side, snap in (("before", then), ("after", now)):
        made = counts[side]
        assert list(made["band_counts"]) == band_keys()
        assert list(made["pattern_counts"]) == pattern_keys()
        assert sum(made["pattern_counts"].values()) == 1
        assert sum(made["band_counts"].values()) == made["team_size"] == len(snap.rated)
        if snap.rated:
            summary = participant_summary(snap.scores)
            assert made["band_counts"] == summary["band_counts"]
            assert made["investment_pattern"] == summary["investment_pattern"]
            assert made["left_behind"] == summary["left_behind"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(team=teams(max_size=8))
def test_the_history_csv_has_a_formula_safe_row_per_person_per_snapshot(team):
    snapshots = [
        snapshot_from_team(team, "2026-01-05"),
        snapshot_from_team(team[::-1], "2026-02-05"),
    ]
    text = history_csv_text(snapshots)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    assert tuple(rows[0]) == HISTORY_CSV_COLUMNS
    body = rows[1:]
    assert len(body) == 2 * len(team)
    assert not any(starts_like_formula(cell) for row in body for cell in row)
    expected = [m.name for m in team] + [m.name for m in team[::-1]]
    assert [restore_team_text(row[2]) for row in body] == expected
    for row, member in zip(body, [*team, *team[::-1]], strict=True):
        assert row[3] == ("yes" if member.complete else "no")
        assert (row[4] == "") == (not member.complete)


def test_the_history_chart_is_pure_vega_lite_with_text_and_no_actions():
    team = example_team()
    timeline = indicator_timeline(
        [
            snapshot_from_team(team, "2026-01-05"),
            snapshot_from_team(team[:3], "2026-02-05"),
            snapshot_from_team(team, "2026-03-05"),
        ]
    )
    spec = history_chart_spec(timeline)
    assert len(spec["vconcat"]) == 2
    rows = spec["datasets"]["team_history"]
    assert [r["day"] for r in rows] == ["2026-01-05", "2026-02-05", "2026-03-05"]
    assert rows[1]["rho"] is None and rows[0]["label"] == "n=11"
    assert "not drawn for 2026-02-05" in spec["description"]
    assert "3 left behind" in spec["description"]
    json.dumps(spec)  # plain data only
    data, metadata = mimebundle(spec)
    assert data[VEGALITE_MIME] is spec and metadata[VEGALITE_MIME]["embed_options"] == {
        "actions": False
    }


def test_dates_in_snapshot_names_sort_as_days(tmp_path):
    store = snapshot_store(tmp_path / "team.json")
    for moment in (date(2027, 1, 2), date(2026, 12, 31), date(2026, 2, 1)):
        record_snapshot(
            store, example_team()[:1], now=datetime(*moment.timetuple()[:3], tzinfo=timezone.utc)
        )
    (store.folder / "team-snapshot-2026-13-01.json").write_text("{}", encoding="utf-8")
    assert store.days() == ["2026-02-01", "2026-12-31", "2027-01-02"]
