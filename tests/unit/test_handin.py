"""Handing in summaries: codes, each participant counted once, and the minimum group size holding
against every attack of issue 17 (crafted files, duplicates, implausible teams, subtraction)."""

from __future__ import annotations

import base64
import io
import json
import re

import pytest
from factories import distinct_summary, make_summary
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import participant_summaries

from widgets import InputError
from widgets.apps.dashboard import FacilitatorDashboard
from widgets.base.textcode import decode_code, encode_code, find_codes
from widgets.core.handin import (
    HandIn,
    ReleaseGuard,
    guarded_group,
    summary_from_code,
    summary_to_code,
)
from widgets.core.summary import (
    content_fingerprint,
    distinct_summaries,
    group_summary,
    read_summary,
    summary_to_json,
    validate_summary,
)


def with_id(summary: dict, number: int) -> dict:
    """The summary as the participant app makes it: an id and the fingerprint of its counts."""
    item = {"id": f"{number:016x}", **summary}
    item["fingerprint"] = content_fingerprint(item)
    return item


def people(count: int, start: int = 0) -> list[dict]:
    return [with_id(distinct_summary(n), n) for n in range(start, start + count)]


def codes(items: list[dict]) -> str:
    return "\n".join(summary_to_code(item) for item in items)


# --- the generic text code ----------------------------------------------------------------------


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=80, deadline=None)
@given(json_values)
def test_a_text_code_gives_back_its_document(document):
    code = encode_code("TEST1", document)
    assert "\n" not in code and " " not in code
    assert decode_code("TEST1", code) == document
    assert find_codes("TEST1", f"Anna: here it is {code} thanks") == [code]


@settings(max_examples=80, deadline=None)
@given(json_values, st.data())
def test_a_changed_text_code_is_refused(document, data):
    code = encode_code("TEST1", document)
    at = data.draw(st.integers(len("TEST1."), len(code) - 1))
    replacement = data.draw(st.sampled_from("AbZ09_-"))
    changed = code[:at] + replacement + code[at + 1 :]
    if changed == code:
        return
    try:
        decoded = decode_code("TEST1", changed)
    except InputError as error:
        assert "Fix:" in str(error)
    else:  # only if the change happened to keep both payload and check consistent
        assert decoded == document


@pytest.mark.parametrize(
    "broken", ["", "TEST1.", "TEST1..", "OTHER.abc.def", "TEST1.a.b.c", "x" * 3000]
)
def test_broken_text_codes_say_what_to_do(broken):
    with pytest.raises(InputError) as caught:
        decode_code("TEST1", broken)
    assert "Fix:" in str(caught.value)


# --- summary codes ----------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(participant_summaries())
def test_a_summary_code_holds_exactly_the_summary(summary):
    code = summary_to_code(summary)
    assert code.startswith("L4LS1.") and len(code) < 200
    assert summary_from_code(code) == validate_summary(summary)


def test_a_summary_code_is_found_in_chat_noise_and_each_bad_one_is_named():
    good = people(3)
    chat = (
        f"[10:02] Anna: {summary_to_code(good[0])}\n"
        f"[10:03] Ben: here's mine -> {summary_to_code(good[1])}, cheers!\n"
        "[10:03] Cara: sorry, which code?\n"
        f"[10:04] Dan: {summary_to_code(good[2])[:-4]}\n"  # cut short when copying
        f"[10:05] Eve: {summary_to_code(good[0])}\n"  # the same participant twice
    )
    hand_in = HandIn()
    outcomes = hand_in.add_text(chat)
    assert [o.status for o in outcomes] == ["added", "added", "rejected", "duplicate"]
    assert "incomplete or was changed" in outcomes[2].message
    assert len(hand_in) == 2


def test_a_code_with_edited_counts_and_a_fresh_check_is_still_refused():
    """Recomputing the check does not help: the counts must still add up and be plausible."""
    values = decode_code("L4LS1", summary_to_code(with_id(make_summary(), 1)))
    values[1] = 500  # team_size
    with pytest.raises(InputError) as caught:
        summary_from_code(encode_code("L4LS1", values))
    assert "too large to be plausible" in str(caught.value)
    values[1] = 7  # no longer what the band counts add up to
    with pytest.raises(InputError) as caught:
        summary_from_code(encode_code("L4LS1", values))
    assert "add up to 6" in str(caught.value)
    for bad in (["x"], [values[0], "[" * 50], values[:-1]):
        with pytest.raises(InputError):
            summary_from_code(encode_code("L4LS1", bad))


# --- crafted and implausible input (issue 17) ----------------------------------------------------


CRAFTED = [
    "[" * 5000,
    "{" * 5000,
    '{"a":' * 3000 + "1" + "}" * 3000,
    '{"kind": "leading-for-learning-participant-summary", "team_size": ' + "9" * 5000 + "}",
    '{"kind": "leading-for-learning-participant-summary", "team_size": ' + "9" * 4000 + "}",
    '{"kind": "leading-for-learning-participant-summary", "team_size": 1e400}',
    json.dumps({**make_summary(), "team_size": 10**4000 // 10**3990}),
]


@pytest.mark.parametrize("text", CRAFTED, ids=range(len(CRAFTED)))
def test_crafted_files_give_an_input_error_never_a_crash(text):
    with pytest.raises(InputError):
        read_summary(text.encode())
    hand_in = HandIn()
    (outcome,) = hand_in.add_files([("crafted.json", text.encode())])
    assert outcome.status == "rejected" and len(hand_in) == 0


def test_crafted_python_objects_give_an_input_error():
    nested: list = []
    for _ in range(5000):
        nested = [nested]
    for crafted in (
        {**make_summary(), "band_counts": nested},
        {**make_summary(), "extra": nested},
        {**make_summary(), "team_size": 10**5000},
        {**make_summary(), "kind": nested},
    ):
        with pytest.raises(InputError) as caught:
            validate_summary(crafted)
        str(caught.value)  # the message itself renders


def test_a_team_of_500_and_other_implausible_counts_are_refused():
    for summary, words in [
        (make_summary(team_size=500, band_counts={"very_low": 100, "low": 100, "moderate": 100,
                                                  "high": 100, "very_high": 100},
                      investment_band_counts={"low": 125, "medium": 125, "high": 125,
                                              "unknown": 125}), "plausible"),
        (make_summary(planned_conversations={"before": 1, "after": 1, "follow_up": 40}),
         "at most 6 follow-up"),
        (make_summary(plans=19, planned_conversations={"before": 19, "after": 19, "follow_up": 0}),
         "three per scored member"),
    ]:  # fmt: skip
        with pytest.raises(InputError) as caught:
            validate_summary(summary)
        assert words in str(caught.value)


def test_a_batch_of_six_good_files_and_one_bad_keeps_the_six_and_says_so():
    files = [(f"s{n}.json", summary_to_json(item).encode()) for n, item in enumerate(people(6))]
    files.insert(3, ("bad.json", b"[" * 5000))
    dashboard = FacilitatorDashboard(min_group_size=5)
    outcomes = dashboard.add_files(files)
    assert [o.status for o in outcomes].count("added") == 6
    assert len(dashboard.summaries) == 6
    assert "Summaries held: <strong>6</strong>" in dashboard.count.value
    assert "Added just now: <strong>6</strong>" in dashboard.rejected.value
    assert "bad.json" in dashboard.rejected.value and "Not added (1)" in dashboard.rejected.value
    assert "6 participants" in dashboard.status.value


def test_a_tampered_fingerprint_is_refused():
    item = with_id(make_summary(), 1)
    item["band_counts"] = {**item["band_counts"], "very_low": 0, "very_high": 2}
    with pytest.raises(InputError) as caught:
        validate_summary(item)
    assert "changed after the participant app made this summary" in str(caught.value)


# --- duplicates --------------------------------------------------------------------------------


def test_the_same_summary_under_five_names_or_with_spaces_counts_once():
    item = with_id(make_summary(), 1)
    text = summary_to_json(item)
    variants = [
        ("a.json", text.encode()),
        ("b.json", (text + "   \n\n").encode()),
        ("c.json", json.dumps(item).encode()),  # no indentation
        ("d.json", json.dumps(dict(reversed(list(item.items())))).encode()),  # keys reordered
        ("e.json", ("\ufeff" + text).encode()),
    ]
    dashboard = FacilitatorDashboard(min_group_size=5)
    outcomes = dashboard.add_files(variants)
    assert [o.status for o in outcomes] == ["added"] + ["duplicate"] * 4
    assert len(dashboard.summaries) == 1
    assert "Counted once (4)" in dashboard.rejected.value
    assert "4 more needed" in dashboard.status.value


def test_the_same_counts_under_another_id_count_once():
    first, second = with_id(make_summary(), 1), with_id(make_summary(), 2)
    hand_in = HandIn()
    assert hand_in.add(first, "one").status == "added"
    assert hand_in.add(second, "two").status == "duplicate"
    assert len(hand_in) == 1


def test_a_newer_summary_from_the_same_page_replaces_the_older():
    older = with_id(make_summary(), 1)
    newer = with_id(distinct_summary(4), 1)
    hand_in = HandIn()
    hand_in.add(older, "first")
    assert hand_in.add(newer, "second").status == "updated"
    assert hand_in.values() == [newer]


def test_group_summary_does_not_count_identical_dicts_twice():
    five = group_summary([make_summary()] * 5)
    assert five["suppressed"] is True and five["needed"] == 4
    same_page = [with_id(distinct_summary(n), 7) for n in range(5)]  # one page, updated five times
    assert group_summary(same_page)["needed"] == 4
    kept, duplicates = distinct_summaries([*same_page, same_page[-1]])
    assert kept == [same_page[-1]] and len(duplicates) == 5


@settings(max_examples=40, deadline=None)
@given(st.lists(participant_summaries(), min_size=1, max_size=12), st.data())
def test_repeating_summaries_never_raises_the_count(items, data):
    repeats = data.draw(st.lists(st.sampled_from(items), max_size=10))
    hand_in = HandIn()
    hand_in.add_text(codes(items))
    # What is held is exactly what the group result counts, whatever the order
    assert len(hand_in) == len(distinct_summaries(items)[0])
    hand_in.add_text(codes(repeats))
    received = [*items, *repeats]
    counted = distinct_summaries(received)[0]  # the same counts (the kept copy may differ)
    assert sorted(map(content_fingerprint, hand_in.values())) == sorted(
        map(content_fingerprint, counted)
    )
    # however often codes are pasted again, nobody counts twice: never more than one summary per
    # page, and never two with the same counts
    assert len(hand_in) <= len({item["id"] for item in items})
    held = hand_in.values()
    assert len({content_fingerprint(item) for item in held}) == len(held)
    # pasting the very same batch again changes nothing
    again = hand_in.values()
    hand_in.add_text(codes(repeats))
    assert hand_in.values() == again


# --- subtraction ---------------------------------------------------------------------------------


def test_a_sixth_summary_after_five_were_shown_is_held_back():
    guard = ReleaseGuard()
    five = guarded_group(people(5), 5, guard)
    assert five["suppressed"] is False
    six = guarded_group(people(6), 5, guard)
    assert six["suppressed"] and six["held"] and six["needed"] == 4
    assert six["previous"] == five
    assert guarded_group(people(9), 5, guard)["held"]  # four new: not yet
    ten = guarded_group(people(10), 5, guard)
    assert ten["suppressed"] is False and ten["participants"] == 10
    # Going back to nine would reveal the tenth by subtraction from the ten.
    assert guarded_group(people(9), 5, guard)["held"]
    # The groups shown before may be shown again: nothing new is revealed.
    assert guarded_group(people(5), 5, guard) == five


def test_subtraction_fails_across_two_dashboard_exports():
    dashboard = FacilitatorDashboard(min_group_size=5)
    dashboard.add_codes(codes(people(5)))
    first = _csv(dashboard)
    dashboard.add_codes(codes(people(1, start=5)))
    assert "held back" in dashboard.status.value
    assert "Still showing the earlier result of 5 participants" in dashboard.status.value
    assert _csv(dashboard) == first  # the export is still the one already shown


def test_remove_all_and_re_uploading_subsets_reveal_nothing_new():
    dashboard = FacilitatorDashboard(min_group_size=5)
    dashboard.add_codes(codes(people(6)))
    shown = _csv(dashboard)
    for subset in (people(5), people(5, start=1), people(4) + people(1, start=5)):
        dashboard.clear()
        dashboard.add_codes(codes(subset))
        assert "held back" in dashboard.status.value
        assert _csv(dashboard) == shown
    dashboard.clear()
    dashboard.add_codes(codes(people(5, start=20)))  # an entirely different group
    assert "5 participants" in dashboard.status.value and _csv(dashboard) != shown


def test_the_guard_survives_a_reload_of_the_live_dashboard(tmp_path):
    state = tmp_path / "dashboard.json"
    dashboard = FacilitatorDashboard(min_group_size=5, state_path=state)
    dashboard.add_codes(codes(people(5)))
    reloaded = FacilitatorDashboard(min_group_size=5, state_path=state)
    assert len(reloaded.summaries) == 5 and "5 participants" in reloaded.status.value
    reloaded.add_codes(codes(people(1, start=5)))
    assert "held back" in reloaded.status.value
    again = FacilitatorDashboard(min_group_size=5, state_path=state)
    again.clear()
    again.add_codes(codes(people(6)[1:]))
    assert "held back" in again.status.value


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sets(st.integers(0, 12), min_size=5), min_size=1, max_size=6), st.integers(3, 6))
def test_no_two_results_shown_differ_by_fewer_than_the_minimum(groups, minimum):
    guard = ReleaseGuard()
    shown: list[frozenset[int]] = []
    for members in groups:
        result = guarded_group(
            [with_id(distinct_summary(n), n) for n in sorted(members)], minimum, guard
        )
        if not result["suppressed"]:
            shown.append(frozenset(members))
    for a in shown:
        for b in shown:
            assert a == b or len(a ^ b) >= minimum


def _csv(dashboard: FacilitatorDashboard) -> str:
    link = r'download="group-results.csv" href="data:[^;]+;charset=utf-8;base64,([^"]+)"'
    found = re.search(link, dashboard.exports.value)
    assert found, "no CSV export offered"
    return base64.b64decode(found.group(1)).decode()


def test_exports_of_a_held_group_are_the_result_already_shown():
    dashboard = FacilitatorDashboard(min_group_size=5)
    dashboard.add_codes(codes(people(5)))
    import csv

    rows = list(csv.DictReader(io.StringIO(_csv(dashboard))))
    assert {r["category"]: r["count"] for r in rows}["Participants"] == "5"
