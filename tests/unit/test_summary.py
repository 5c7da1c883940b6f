"""Participant summaries: counts only, never a name or free text; tampered files are refused."""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from pathlib import Path

import pytest
from factories import make_summary
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from widgets import InputError, participant_summary, read_summary
from widgets.content.instrument import load_instrument
from widgets.core.plans import ConversationPlan
from widgets.core.scoring import score_members
from widgets.core.summary import (
    FORMAT_VERSION,
    SUMMARY_KIND,
    count_plans,
    summary_schema,
    summary_to_json,
    validate_summary,
)
from widgets.frames import read_team_csv, score_team, team_members

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "data" / "example_team.csv"


@pytest.fixture
def scored():
    return score_team(read_team_csv(EXAMPLE))


def test_summary_of_the_example_team_counts_bands_investment_and_left_behind(scored):
    summary = participant_summary(scored)
    assert summary["kind"] == SUMMARY_KIND
    assert summary["format_version"] == FORMAT_VERSION
    assert summary["team_size"] == len(scored)
    assert (
        summary["band_counts"]
        == scored["band"]
        .value_counts()
        .reindex(summary["band_counts"].keys(), fill_value=0)
        .to_dict()
    )
    assert summary["investment_band_counts"]["unknown"] == int(
        (scored["investment_band"] == "unknown").sum()
    )
    assert summary["left_behind"] == int(scored["left_behind"].sum()) > 0
    assert summary["investment_pattern"] == "more_to_closer"  # the example team is built so
    assert summary["plans"] == 0 and summary["left_behind_with_plan"] == 0
    assert summary["planned_conversations"] == {"before": 0, "after": 0, "follow_up": 0}


def test_investment_pattern_is_not_computed_without_enough_recorded_investment(scored):
    bare = read_team_csv(EXAMPLE)
    for column in ("goal", "opportunities", "feedback", "learning_time", "conversations"):
        bare[column] = None
    summary = participant_summary(score_team(bare))
    assert summary["investment_pattern"] == "not_computed"
    assert summary["investment_band_counts"]["unknown"] == len(bare)
    assert summary["left_behind"] == 0


def plan(member: str, notes: str = "", follow_ups: tuple[str, ...] = ()) -> ConversationPlan:
    return ConversationPlan.from_dict(
        {
            "member": member,
            "activity": "Negotiation course",
            "goal": "Prepare one real negotiation with a plan",
            "application": "Next supplier renewal",
            "before_date": "2026-03-02",
            "activity_start": "2026-03-09",
            "activity_end": "2026-03-10",
            "after_date": "2026-03-12",
            "follow_ups": list(follow_ups),
            "notes": notes,
        }
    )


def test_plans_are_counted_by_stage_and_nothing_else_is_kept(scored):
    plans = [
        plan("Ivo Pretend", notes="talk about the course", follow_ups=("2026-04-09", "2026-05-11")),
        plan("jo madeup ", notes="ask what stuck"),  # matched ignoring capitals and spaces
        plan("Ana Example"),
        plan("Ivo Pretend"),  # a second plan for the same member counts as one member covered
    ]
    summary = participant_summary(scored, plans)
    assert summary["plans"] == 4
    assert summary["left_behind_with_plan"] == 2
    assert summary["planned_conversations"] == {"before": 4, "after": 4, "follow_up": 2}
    text = summary_to_json(summary)
    for secret in ("Ivo", "Jo Madeup", "Ana", "course", "stuck", "Negotiation", "supplier"):
        assert secret.casefold() not in text.casefold()


def test_plans_may_be_given_as_dicts_and_bad_ones_are_refused(scored):
    as_dict = plan("Kai Notreal").to_dict()
    assert participant_summary(scored, [as_dict])["left_behind_with_plan"] == 1
    with pytest.raises(InputError):
        participant_summary(scored, [{**as_dict, "before_date": "not a date"}])


def test_no_plans_means_zero_counts(scored):
    counts = count_plans(score_members(team_members(scored, load_instrument())), None)
    assert counts == {
        "plans": 0,
        "left_behind_with_plan": 0,
        "planned_conversations": {"before": 0, "after": 0, "follow_up": 0},
    }


def test_participant_summary_refuses_an_unscored_team():
    with pytest.raises(InputError) as caught:
        participant_summary(read_team_csv(EXAMPLE).drop(columns=["q1"]))
    assert "score_team" in str(caught.value)


def test_participant_summary_refuses_an_empty_team(scored):
    with pytest.raises(InputError) as caught:
        participant_summary(scored.iloc[0:0])
    assert "empty" in str(caught.value)


# --- round trips --------------------------------------------------------------------------------


def test_json_round_trip_through_text_bytes_and_a_file(scored, tmp_path):
    summary = participant_summary(scored)
    text = summary_to_json(summary)
    path = tmp_path / "summary.json"
    path.write_text(text, encoding="utf-8")
    assert read_summary(text) == summary
    assert read_summary(text.encode("utf-8")) == summary
    assert read_summary(path) == summary
    assert read_summary(str(path)) == summary
    with_bom = tmp_path / "bom.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert read_summary(with_bom) == summary


# --- tampered and foreign files ---------------------------------------------------------------


def tampered(change) -> str:
    document = make_summary()
    change(document)
    return json.dumps(document)


CASES = {
    "unknown top-level key": (
        lambda d: d.update(names=["Anna", "Ben"]),
        ["unexpected field", "'names'", "names and notes are never allowed"],
    ),
    "name slipped in as a band": (
        lambda d: d["band_counts"].update({"Anna Smith": 0}),
        ["unexpected field", "band_counts"],
    ),
    "name slipped in as a pattern": (
        lambda d: d.update(investment_pattern="Anna needs help"),
        ["investment_pattern", "not one of the allowed values"],
    ),
    "negative count": (
        lambda d: d["band_counts"].update(low=-1, moderate=2),
        ["band_counts.low", "cannot be negative"],
    ),
    "counts do not add up": (
        lambda d: d.update(team_size=7),
        ["band_counts", "add up to 6, but team_size is 7", "investment_band_counts"],
    ),
    "too many left behind": (
        lambda d: d.update(left_behind=3, left_behind_with_plan=0),
        ["left_behind", "more members are counted as left behind"],
    ),
    "wrong version": (
        lambda d: d.update(format_version=2),
        ["unsupported format version", "format_version"],
    ),
    "text where a count belongs": (
        lambda d: d.update(left_behind="one"),
        ["left_behind", "expected a whole number"],
    ),
    "plan counts do not add up": (
        lambda d: d["planned_conversations"].update(after=0),
        ["planned_conversations.after", "must equal plans (1)"],
    ),
    "more left-behind plans than plans": (
        lambda d: d.update(
            plans=0, planned_conversations={"before": 0, "after": 0, "follow_up": 0}
        ),
        ["left_behind_with_plan", "more left-behind members"],
    ),
    "true where a count belongs": (
        lambda d: d["planned_conversations"].update(after=True),
        ["planned_conversations.after", "whole number"],
    ),
    "missing field": (
        lambda d: d.pop("left_behind"),
        ["required field is missing", "left_behind"],
    ),
    "empty team": (
        lambda d: d.update(
            team_size=0,
            band_counts=dict.fromkeys(d["band_counts"], 0),
            investment_band_counts=dict.fromkeys(d["investment_band_counts"], 0),
            left_behind=0,
        ),
        ["team_size", "at least one member"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_tampered_summaries_are_rejected_with_a_clear_message(case):
    change, expected = CASES[case]
    with pytest.raises(InputError) as caught:
        read_summary(tampered(change), source="handed-in.json")
    message = str(caught.value)
    assert "handed-in.json" in message
    for part in expected:
        assert part in message, f"{part!r} missing from:\n{message}"


def test_every_problem_is_listed_at_once():
    def several(d):
        d.update(investment_pattern="Ben", extra=1)
        d["band_counts"]["low"] = -3

    with pytest.raises(InputError) as caught:
        read_summary(tampered(several))
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"member,q1,q2\nAnna,3,4\n", "not valid JSON"),
        (b'{"kind": "relationship-scorer", "schema_version": 1, "team": []}', "not a participant"),
        (b"[1, 2, 3]", "holds no summary object"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "not text"),
        (b'{"kind": "leading-for-learning-participant-summary", ', "not valid JSON"),
        (b"{}", "not a participant summary"),
    ],
)
def test_files_that_are_not_summaries_are_rejected(tmp_path, content, expected):
    path = tmp_path / "upload.json"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_summary(path)
    assert expected in str(caught.value)
    assert "upload.json" in str(caught.value)


def test_a_huge_file_is_refused_without_being_parsed(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text('{"kind": "' + "x" * 50_000 + '"}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_summary(path)
    assert "too large" in str(caught.value)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError) as caught:
        read_summary(tmp_path / "nowhere.json")
    assert "does not exist" in str(caught.value)


def test_summary_to_json_refuses_an_invalid_summary():
    document = make_summary()
    document["left_behind"] = -1
    with pytest.raises(InputError):
        summary_to_json(document)


def test_schema_band_keys_match_the_instrument():
    from widgets.content.instrument import load_instrument

    instrument = load_instrument()
    schema = summary_schema()["properties"]
    assert schema["band_counts"]["required"] == [band.key for band in instrument.bands]
    investment = [band.key for band in instrument.investment_bands] + ["unknown"]
    assert schema["investment_band_counts"]["required"] == investment


# --- the privacy property ---------------------------------------------------------------------


def _vocabulary() -> set[str]:
    """Every string a valid summary may contain: the schema's keys, constants and enum values."""
    words: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key in ("properties",):
                words.update(node.get(key, {}))
            if "const" in node and isinstance(node["const"], str):
                words.add(node["const"])
            words.update(v for v in node.get("enum", []) if isinstance(v, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(summary_schema())
    return words


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [*node.keys(), *(s for v in node.values() for s in _strings(v))]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


names = st.text(
    alphabet=st.characters(categories=("L",), max_codepoint=0x2FFF), min_size=3, max_size=24
)
answer = st.integers(1, 5)
member = st.fixed_dictionaries(
    {f"q{i}": answer for i in range(1, 8)},
    optional={
        "goal": st.sampled_from(["none", "vague", "specific", "stretch"]),
        "opportunities": st.integers(0, 50),
        "feedback": st.sampled_from(["never", "rarely", "monthly", "weekly"]),
        "learning_time": st.sampled_from(["none", "occasional", "regular"]),
        "conversations": st.integers(0, 50),
    },
)
teams = st.lists(
    st.tuples(names, member), min_size=1, max_size=12, unique_by=lambda m: m[0].casefold()
)
notes = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "Zs")), min_size=3, max_size=40
).filter(lambda text: text.strip() == text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(teams, st.lists(notes, max_size=3))
def test_a_summary_never_contains_a_member_name_or_free_text(team, plan_notes):
    records = [{"member": name, **answers} for name, answers in team]
    scored = score_team(records)
    plans = [plan(team[i % len(team)][0], notes=note) for i, note in enumerate(plan_notes)]
    summary = participant_summary(scored, plans)
    text = summary_to_json(summary)
    vocabulary = _vocabulary()
    document = json.loads(text)
    # The id is random and the fingerprint a hash: 16 hex digits each, nothing typed fits them.
    assert re.fullmatch(r"[0-9a-f]{16}", document.pop("id"))
    assert re.fullmatch(r"[0-9a-f]{16}", document.pop("fingerprint"))
    # Every other string in the file is one of the format's fixed words.
    assert set(_strings(document)) <= vocabulary
    raw = json.dumps(summary, ensure_ascii=False)
    typed = [name for name, _ in team] + [p.notes for p in plans]
    typed += [flag for flag in scored["flags"] if flag]
    for value in typed:
        if value.strip() and not any(value in word for word in vocabulary):  # "low" is a key
            assert value not in raw
    assert read_summary(text) == summary
    assert sum(summary["band_counts"].values()) == len(team)
    assert summary["plans"] == len(plans)


def test_validate_summary_returns_a_plain_dict():
    assert validate_summary(make_summary()) == make_summary()


# --- Step 4 of the participant app ----------------------------------------------------------


DOWNLOAD = re.compile(
    r'download="([^"]+)" href="data:application/json;charset=utf-8;base64,([^"]+)"'
)


def _downloaded(html: str) -> tuple[str, str]:
    found = DOWNLOAD.search(html)
    assert found, html
    return found.group(1), base64.b64decode(found.group(2)).decode("utf-8")


def test_summary_panel_follows_the_scorer_and_the_planner(private_data_dir):
    from widgets.apps.planner import ConversationPlanner
    from widgets.apps.scorer import RelationshipScorer
    from widgets.apps.summary_panel import SummaryPanel

    scorer = RelationshipScorer()
    planner = ConversationPlanner(scorer=scorer)
    panel = SummaryPanel(scorer, planner)
    assert "Rate every item for at least one team member" in panel.status.value
    assert panel.download.value == ""

    scorer.load_example()
    assert "Members scored" in panel.table.value
    name, text = _downloaded(panel.download.value)
    assert name.startswith("l4l-summary-") and name.endswith(".json")
    summary = read_summary(text)
    assert summary["team_size"] == 12 and summary["plans"] == 0
    assert "Ana Example" not in panel.widget.children[0].value + panel.table.value + text

    planner.member.value = "Ivo Pretend"
    planner.activity.value = "Negotiation course"
    planner.goal.value = "Prepare one real supplier negotiation with a written plan"
    planner.application.value = "The next supplier renewal"
    planner.activity_start.value = date(2026, 3, 9)
    planner.activity_end.value = date(2026, 3, 10)
    planner.suggest_dates()
    planner.add_plan()
    summary = read_summary(_downloaded(panel.download.value)[1])
    assert summary["plans"] == 1
    assert summary["left_behind_with_plan"] == 1
    assert summary["planned_conversations"]["before"] == 1
    # the file name stays the same for this page, so a re-download replaces the earlier one
    assert _downloaded(panel.download.value)[0] == name
    assert not list(private_data_dir.glob("*summary*"))  # nothing written on the server
