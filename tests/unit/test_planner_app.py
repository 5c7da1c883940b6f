"""ConversationPlanner driven in-process: set values, click buttons, read what the user sees."""

from __future__ import annotations

import base64
import io
import re
from datetime import date

import pytest
from icalendar import Calendar
from markupsafe import escape as html_escape

import widgets.base.storage
from widgets import (
    ConversationPlanner,
    RelationshipScorer,
    load_plans,
    read_catalogue,
    read_plans_csv,
    resources_for,
)
from widgets.content.catalogue import skills
from widgets.content.source import load_yaml
from widgets.core.scoring import score_members
from widgets.core.teamfile import read_team

BEFORE = load_yaml("prompts.yml")["prompts"]["before"]
LOWER_OPENER = BEFORE["trust"]["lower"][0]  # the first extra question for a lower-trust band


class StubScorer:
    """Stands in for RelationshipScorer: the contract's .scores and observe_scores(callback)."""

    def __init__(self, scores: list) -> None:
        self.scores = scores
        self.callbacks = []

    def observe_scores(self, callback) -> None:
        self.callbacks.append(callback)

    def change(self, scores: list) -> None:
        self.scores = scores
        for callback in self.callbacks:
            callback(scores)


def scores_of(csv_rows: bytes) -> list:
    header = b"member,q1,q2,q3,q4,q5,q6,q7,goal,opportunities\n"
    return score_members(read_team(header + csv_rows))


def contract_scores() -> list:
    """Zed left behind (very low, no investment); Ana very high; Mo moderate."""
    return scores_of(b"Ana,5,5,5,5,5,5,5,stretch,5\nZed,1,1,1,1,1,1,1,none,0\nMo,3,3,3,3,3,3,3,,\n")


@pytest.fixture
def app(tmp_path) -> ConversationPlanner:
    return ConversationPlanner(data_path=tmp_path / "plans.json")


def fill(app: ConversationPlanner, **changes) -> None:
    values = {
        "member": "Sam Synthetic",
        "activity": "Negotiation fundamentals",
        "goal": "Lead the supplier renewal call on my own by the end of March",
        "application": "The April supplier renewal",
        "activity_start": date(2027, 3, 8),
        "activity_end": date(2027, 3, 10),
        **changes,
    }
    for name, value in values.items():
        getattr(app, name).value = value
    app.suggest_button.click()


def status(app: ConversationPlanner) -> str:
    return app.status.value


def downloaded(app: ConversationPlanner) -> str:
    match = re.search(r'href="data:[^;]+;charset=utf-8;base64,([^"]+)"', app.download.value)
    assert match, app.download.value
    return base64.b64decode(match.group(1)).decode("utf-8")


def test_building_a_plan_from_the_form(app):
    fill(app)
    assert app.before_date.value == date(2027, 3, 1)
    assert [p.value for p in app.follow_ups] == [
        date(2027, 4, 9),
        date(2027, 5, 10),
        date(2027, 6, 8),
    ]
    app.add_button.click()
    assert len(app.plans) == 1 and "Added the plan for Sam Synthetic" in status(app)
    made = app.plans[0]
    assert made.goal.startswith("Lead the supplier") and len(made.follow_ups) == 3
    assert app.plan_list.value == made.plan_id


def test_bad_input_shows_every_problem_as_a_message_not_a_traceback(app):
    fill(app, goal="   ", member="<script>alert(1)</script>")
    app.after_date.value = date(2027, 3, 9)
    app.add_button.click()
    text = status(app)
    assert app.plans == []
    assert 'role="alert"' in text and "Traceback" not in text
    assert "column &#39;goal&#39;: this is empty" in text
    assert "after-conversation is before the activity ends" in text


def test_missing_dates_are_named(app):
    app.member.value, app.activity.value = "Kit", "Course"
    app.goal.value, app.application.value = "Chair the review", "Team review"
    app.add_button.click()
    for field in ("before_date", "activity_start", "activity_end", "after_date"):
        assert f"column &#39;{field}&#39;: the date is missing" in status(app)


def test_suggest_dates_needs_the_activity_dates(app):
    app.suggest_button.click()
    assert "pick the activity" in status(app) and app.before_date.value is None


def test_goal_hints_update_as_the_goal_is_typed(app):
    app.goal.value = "Improve my skills"
    assert "Could add" in app.hints.value and "general words" in app.hints.value
    app.goal.value = "Present the Q3 budget to the board for the first time by 31 May"
    assert app.hints.value.count("\u2713") == 4
    app.band.value = "low"
    assert "Keep the stretch: it is for everyone" in app.hints.value


def test_user_text_in_hints_is_escaped(app):
    app.goal.value = "<img src=x onerror=alert(1)> by <b>May</b>"
    assert "<img" not in app.hints.value and "<b>" not in app.hints.value


def test_questions_follow_band_and_mode(app):
    app.band.value = "very_low"
    assert html_escape(LOWER_OPENER) in app.prompts.value
    assert "judge nothing" in app.prompts.value
    stretch = [html_escape(q) for q in BEFORE["stretch"]]
    assert all(q in app.prompts.value for q in stretch)  # stretch for a very low band too
    app.mode.value = "peer_learning"
    assert "What does each of us bring from our own field?" in app.prompts.value
    app.band.value = ""
    assert html_escape(LOWER_OPENER) not in app.prompts.value
    assert all(q in app.prompts.value for q in stretch)  # and with no band at all


def test_resources_are_filtered_by_skill_and_kept_when_chosen(app):
    """Works on any catalogue with two skills: the shipped one or an organisation's own."""
    catalogue = read_catalogue()
    all_titles = {value for _, value in app.resources.options}
    assert all_titles == {r.title for r in catalogue}
    first, second = skills(catalogue)[:2]
    app.skill.value = first
    wanted = {r.title for r in resources_for(first, catalogue)}
    assert {value for _, value in app.resources.options} == wanted
    chosen = sorted(wanted)[0]
    app.resources.value = (chosen,)
    app.skill.value = second
    options = {value for _, value in app.resources.options}
    assert {r.title for r in resources_for(second, catalogue)} <= options
    assert chosen in options, "a chosen resource stays offered under another skill"
    assert app.resources.value == (chosen,)


def test_select_update_and_delete_a_plan(app):
    fill(app)
    app.add_button.click()
    fill(app, member="Kit Example")
    app.add_button.click()
    first, second = app.plans
    app.plan_list.value = first.plan_id
    assert app.member.value == "Sam Synthetic" and app.after_date.value == first.after_date
    app.goal.value = "Chair the supplier renewal call on my own by 31 March"
    app.update_button.click()
    assert app.plans[0].goal.startswith("Chair") and app.plans[0].plan_id == first.plan_id
    assert app.plans[1] == second
    app.delete_button.click()
    assert app.plans == [second] and app.plan_list.value is None
    app.update_button.click()
    assert "no plan is selected" in status(app)


def test_save_and_load_between_sessions(tmp_path):
    path = tmp_path / "plans.json"
    first = ConversationPlanner(data_path=path)
    fill(first, member="Zoë 🌱")
    first.add_button.click()
    first.save_button.click()
    assert "Saved 1 plan(s)" in status(first)
    again = ConversationPlanner(data_path=path)
    assert again.plans == first.plans and "Loaded 1 saved plan(s)" in status(again)
    assert load_plans(path) == first.plans


def test_a_damaged_saved_file_is_reported_when_the_app_opens(tmp_path):
    path = tmp_path / "plans.json"
    path.write_text("{ not json", encoding="utf-8")
    app = ConversationPlanner(data_path=path)
    assert app.plans == [] and "not valid JSON" in status(app)


def test_a_failed_save_keeps_the_last_good_copy_and_says_so(app, monkeypatch):
    fill(app)
    app.add_button.click()
    app.save_button.click()
    before = app.data_path.read_bytes()
    fill(app, member="Kit")
    app.add_button.click()

    def fail(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(widgets.base.storage.os, "replace", fail)
    app.save_button.click()
    assert "Something went wrong" in status(app) and "disk full" in status(app)
    assert app.data_path.read_bytes() == before


@pytest.mark.parametrize("fmt", ["markdown", "html", "ics", "csv"])
def test_every_export_gives_a_download_link_and_a_file(app, private_data_dir, fmt):
    fill(app, member="Ana <b>")
    app.add_button.click()
    fill(app, member="Kit")
    app.add_button.click()
    app.export_format.value = fmt
    app.timezone.value = "America/New_York"
    app.export_button.click()
    assert "Exported 2 plan(s)" in status(app)
    content = downloaded(app)
    written = list((app.data_path.parent / "exports").iterdir())
    assert len(written) == 1
    assert written[0].read_bytes() == content.encode("utf-8")
    if fmt == "csv":
        assert [p.member for p in read_plans_csv(io.StringIO(content))] == ["Ana <b>", "Kit"]
    elif fmt == "ics":
        calendar = Calendar.from_ical(content.encode("utf-8"))
        assert len(calendar.walk("VEVENT")) == 10
        assert calendar.walk("VTIMEZONE")[0]["TZID"] == "America/New_York"
    elif fmt == "html":
        assert "Ana &lt;b&gt;" in content and "<b>" not in content.split("<body>")[1]
    else:
        assert "Ana &lt;b&gt;" in content


def test_export_one_plan_a_bad_zone_and_nothing_to_export(app):
    app.export_button.click()
    assert "no plans to export" in status(app) and app.download.value == ""
    fill(app)
    app.add_button.click()
    fill(app, member="Kit")
    app.add_button.click()
    app.export_scope.value = "one"
    app.plan_list.value = app.plans[1].plan_id
    app.export_format.value = "markdown"
    app.export_button.click()
    assert "Kit" in downloaded(app) and "Sam Synthetic" not in downloaded(app)
    app.export_format.value = "ics"
    app.timezone.value = "Mars/Olympus"
    app.export_button.click()
    assert "unknown time zone" in status(app)


def test_scored_members_left_behind_first_and_choosing_fills_the_band(tmp_path):
    scorer = StubScorer(contract_scores())
    app = ConversationPlanner(scorer=scorer, data_path=tmp_path / "plans.json")
    assert app.scorer_row.layout.display != "none"
    values = [value for _, value in app.scored_member.options]
    assert values == ["", "Zed", "Ana", "Mo"]
    assert "left behind" in app.scored_member.options[1][0]
    app.scored_member.value = "Zed"
    assert app.member.value == "Zed" and app.band.value == "very_low"
    assert html_escape(LOWER_OPENER) in app.prompts.value  # lower-trust extra questions
    changed = scores_of(
        b"Ana,5,5,5,5,5,5,5,stretch,5\nZed,1,1,1,1,1,1,1,stretch,5\nMo,2,2,2,2,2,3,3,none,0\n"
    )
    scorer.change(changed)
    assert [value for _, value in app.scored_member.options] == ["", "Mo", "Ana", "Zed"]
    assert app.scored_member.value == "Zed"  # the choice survives a rescore


def test_without_a_scorer_the_scored_member_row_is_hidden(app):
    assert app.scorer_row.layout.display == "none"


def test_with_the_real_relationship_scorer(tmp_path):
    scorer = RelationshipScorer(data_path=tmp_path / "team.json", autoload=False)
    app = ConversationPlanner(scorer=scorer, data_path=tmp_path / "plans.json")
    team = read_team(
        io.BytesIO(
            b"member,q1,q2,q3,q4,q5,q6,q7,goal,opportunities\n"
            b"Ana,5,5,5,5,5,5,5,stretch,5\nZed,2,2,2,2,2,2,2,none,0\n"
        )
    )
    scorer.replace_team(team, "synthetic test team")
    options = app.scored_member.options
    assert [value for _, value in options] == ["", "Zed", "Ana"]
    app.scored_member.value = "Zed"
    assert app.band.value == "very_low"


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def test_every_control_has_a_visible_label_for_keyboard_and_screen_reader_users(app):
    import ipywidgets as w

    controls = [c for c in walk(app.widget) if isinstance(c, (w.ValueWidget, w.Button))]
    inputs = [c for c in controls if not isinstance(c, (w.HTML, w.Button))]
    assert len(inputs) >= 20
    assert all(c.description.strip() for c in inputs), [c for c in inputs if not c.description]
    buttons = [c for c in controls if isinstance(c, w.Button)]
    assert all(len(b.description) > 3 for b in buttons)  # words, not an icon alone


def test_monthly_check_in_is_off_until_ticked_and_comes_back_with_the_plan(app):
    fill(app)
    assert app.check_in.value is False and app.check_in_months.disabled
    app.add_button.click()
    assert app.plans[0].check_ins == 0
    assert "check-in" not in app.plans[0].to_ics().decode("utf-8")
    fill(app, member="Kit Example")
    app.check_in.value = True
    assert not app.check_in_months.disabled
    app.check_in_months.value = 4
    app.add_button.click()
    kit = app.plans[1]
    assert kit.check_ins == 4 and len(kit.check_in_dates()) == 4
    rule = Calendar.from_ical(kit.to_ics()).walk("VEVENT")[-1]["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["COUNT"] == [4]
    app.plan_list.value = app.plans[0].plan_id  # the form shows the selected plan's choice
    assert app.check_in.value is False and app.check_in_months.disabled
    app.plan_list.value = kit.plan_id
    assert app.check_in.value is True and app.check_in_months.value == 4
    app.save_button.click()
    assert [p.check_ins for p in load_plans(app.data_path)] == [0, 4]
    app.clear_button.click()
    assert app.check_in.value is False
