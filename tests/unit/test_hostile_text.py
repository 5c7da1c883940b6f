"""Hostile text typed by a user (or written into a fork's data) comes out of every HTML view as
text: escaped, never run as markup or script, and never evaluated as a template."""

from __future__ import annotations

import base64
import csv
import io
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import ipywidgets as w
import pytest
from factories import upload
from plan_samples import BASE

import widgets.apps.dashboard as dashboard_module
import widgets.core.summary as summary_module
import widgets.exports.handout as handout_module
from widgets import ConversationPlan, RelationshipScorer
from widgets.apps.dashboard import FacilitatorDashboard, change_html, group_table_html
from widgets.apps.history_panel import comparison_html
from widgets.apps.messages import message_html
from widgets.apps.planner import ConversationPlanner
from widgets.apps.summary_panel import SummaryPanel
from widgets.base.templating import fragment
from widgets.book.renderers import chart_html
from widgets.content.instrument import load_instrument
from widgets.content.prompts import load_guide
from widgets.core.goal_hints import check_goal
from widgets.core.history import compare, snapshot_from_team
from widgets.core.scoring import score_members
from widgets.core.summary import (
    category_labels,
    group_summary,
    participant_summary,
    summary_to_json,
)
from widgets.core.teamfile import read_team
from widgets.exports.handout import handout_html, hints_html
from widgets.exports.plans import export_text
from widgets.views.downloads import download_link
from widgets.views.gap import gap_html
from widgets.views.summary import summary_html

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "data" / "example_team.csv"
HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "{% if true %}run{% endif %}",
)


class Parsed(HTMLParser):
    """The tags, attributes and text a browser would see in a piece of HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(str(html))
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.text += [value for _, value in attrs if value]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_inert(html: str, *shown: str) -> None:
    """No tag or handler came from the hostile text, and each of ``shown`` reads as typed (so
    ``{{ 7*7 }}`` was not evaluated either)."""
    page = Parsed(html)
    for tag, attrs in page.tags:
        assert tag != "img", html
        assert tag != "script" or attrs.get("type") == "application/json", html
        assert not [name for name in attrs if name.startswith("on")], html
    text = " ".join(page.text)
    for piece in shown:
        assert piece in text, (piece, html)


def html_values(widget: w.Widget) -> list[str]:
    """Every HTML value shown anywhere inside ``widget``."""
    found = []
    if isinstance(widget, w.HTML):
        found.append(widget.value)
    for child in getattr(widget, "children", ()):
        found += html_values(child)
    return found


def hostile_team_csv() -> bytes:
    rows = list(csv.reader(io.StringIO(EXAMPLE.read_text(encoding="utf-8-sig"))))
    for row, name in zip(rows[1:], HOSTILE, strict=False):
        row[0] = name
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def hostile_team() -> list:
    team = read_team(io.BytesIO(hostile_team_csv()))
    # their own answers too, so the comparison of views has something to show
    return [replace(m, their_answers=tuple((a or 3) % 5 + 1 for a in m.answers)) for m in team]


# ------------------------------------------------------------------------------------ the apps


@pytest.fixture
def scorer(tmp_path) -> RelationshipScorer:
    app = RelationshipScorer(data_path=tmp_path / "team.json")
    upload(app.upload, hostile_team_csv(), "team.csv")
    assert "Imported" in app.status.value
    return app


def test_member_names_in_the_scorer_are_text(scorer):
    for name in HOSTILE:
        scorer.member_picker.value = name
        scorer.gap_panel.member_picker.value = name
        assert_inert(scorer.result_html.value, name)
        assert_inert(scorer.gap_panel.compare_html.value, name)
    assert_inert(scorer.table_html.value, *HOSTILE)
    for value in html_values(scorer.widget):
        assert_inert(value)


def test_member_names_in_the_gap_view_are_text():
    scores = score_members(hostile_team())
    for score in scores[: len(HOSTILE)]:
        assert_inert(gap_html(score, load_instrument()), score.name)


def test_member_names_in_the_history_comparison_are_text():
    team = hostile_team()
    then = snapshot_from_team(team, "2026-01-05")
    now = snapshot_from_team(team[1:], "2026-02-05")  # one left, so names are listed
    shown = comparison_html(compare(then, now), load_instrument())
    assert_inert(shown, *HOSTILE)


def hostile_plan(text: str) -> ConversationPlan:
    return ConversationPlan.from_dict(
        {
            **BASE,
            "member": text,
            "activity": text,
            "skill": text,
            "goal": f"{text} by 31 May",
            "application": text,
            "support": text,
            "protected_time": text,
            "notes": text,
            "resources": text,
        }
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_goals_and_notes_in_the_handout_are_text(text):
    page = handout_html([hostile_plan(text)], title=text)
    assert_inert(page, text)
    name, _mime, exported = export_text([hostile_plan(text)], "html")
    assert name.endswith(".html")
    assert_inert(exported, text)


@pytest.mark.parametrize("text", HOSTILE)
def test_the_check_in_page_of_the_handout_is_text(text, monkeypatch):
    made = replace(hostile_plan(text), check_ins=3)
    page = str(handout_html([made])).split('<section class="page"')[-1]
    assert "check-ins" in page  # the page for the monthly check-ins
    assert_inert(page, f"with {text}", text)
    # The check-in's wording comes from data/prompts.yml, which a fork may have edited.
    guide = load_guide()
    calendar = {**guide.calendar, "check_in": {"label": text, "purpose": f"Ask {text}"}}
    monkeypatch.setattr(handout_module, "load_guide", lambda: replace(guide, calendar=calendar))
    page = str(handout_html([made])).split('<section class="page"')[-1]
    assert_inert(page, f"{text} with {text}", f"Ask {text}")


@pytest.mark.parametrize("text", HOSTILE)
def test_goal_hints_quote_the_goal_as_text(text):
    assert_inert(hints_html(check_goal(f"Lead {text} by June")))


def test_the_planner_shows_hostile_plans_as_text(scorer, tmp_path):
    planner = ConversationPlanner(scorer, data_path=tmp_path / "plans.json")
    planner.plans = [hostile_plan(text) for text in HOSTILE]
    planner.goal.value = HOSTILE[0] + " by June"
    for value in html_values(planner.widget):
        assert_inert(value)
    planner.export_format.value = "html"
    planner.export_scope.value = "all"
    planner.export()
    link = Parsed(planner.download.value).tags[0][1]["href"]
    handout = base64.b64decode(link.split("base64,", 1)[1]).decode("utf-8")
    assert_inert(handout, *HOSTILE)


# ----------------------------------------------------------------------- summaries and labels


@pytest.fixture
def hostile_labels(monkeypatch) -> str:
    """Every label a summary shows replaced by hostile text, as a fork's data file could."""
    labels = {
        section: {key: f"{HOSTILE[1]} {key}" for key in values}
        for section, values in category_labels().items()
    }
    monkeypatch.setattr(summary_module, "category_labels", lambda: labels)
    monkeypatch.setattr(dashboard_module, "category_labels", lambda: labels)
    return HOSTILE[1]


def example_summary(number: int = 0) -> dict:
    scores = score_members(read_team(EXAMPLE))
    return participant_summary(scores[number:], [], f"{number:016x}")


def test_summary_labels_are_text(hostile_labels, scorer, tmp_path):
    assert_inert(summary_html(example_summary()), hostile_labels)
    planner = ConversationPlanner(scorer, data_path=tmp_path / "plans.json")
    panel = SummaryPanel(scorer, planner, id_path=None)
    panel.refresh()
    for value in html_values(panel.widget):
        assert_inert(value)
    assert_inert(panel.table.value, hostile_labels)


def test_group_labels_and_file_names_on_the_dashboard_are_text(hostile_labels):
    group = group_summary([example_summary(n) for n in range(5)], min_group_size=5)
    assert_inert(group_table_html(group), hostile_labels)
    assert_inert(change_html(group))
    dashboard = FacilitatorDashboard(min_group_size=5)
    good = summary_to_json(example_summary()).encode("utf-8")
    dashboard.add_files(
        [(f"{HOSTILE[0]}.json", good), (f"{HOSTILE[1]}.json", good), (f"{HOSTILE[2]}.json", b"{")]
    )
    # the first is added, the second counted once, the third refused: both named
    assert_inert(dashboard.rejected.value, f"{HOSTILE[1]}.json", f"{HOSTILE[2]}.json")
    for value in html_values(dashboard.widget):
        assert_inert(value)


# ------------------------------------------------------------------ messages, links, the book


@pytest.mark.parametrize("text", HOSTILE)
def test_status_messages_links_and_book_pieces_are_text(text):
    assert_inert(message_html(f"{text}\n- {text}", "error"), text)
    assert_inert(download_link("a,b", f"{text}.csv", "text/csv", text), text)
    assert_inert(chart_html({"description": text, "data": {"values": [{"n": text}]}}), text)
    chart = chart_html({"description": "x", "data": {"values": [{"n": text}]}})
    spec = re.search(r"<script[^>]*>(.*?)</script>", chart, re.S)
    assert spec is not None and "</" not in spec.group(1) and "<" not in spec.group(1)
    live = fragment("book.html.j2", "live_button", target=text, label=text, note=text)
    assert_inert(live, text)


# ------------------------------------------------------------- the workshop's printed pieces


def test_a_forks_workshop_wording_is_text(monkeypatch):
    """Agendas, check-ins, role cards, worksheets and evaluation forms show a fork's data files
    as written."""
    import widgets.views.workshop as workshop
    from widgets.core.evaluation import evaluation_kit

    text = HOSTILE[1] + " " + HOSTILE[2]
    plan = workshop.load_workshop()
    plan = replace(
        plan,
        agendas={
            key: replace(
                agenda,
                title=text,
                blocks=tuple(
                    replace(block, title=text, what=text, app_step=text) for block in agenda.blocks
                ),
            )
            for key, agenda in plan.agendas.items()
        },
        check_ins=tuple(replace(c, title=text, focus=text) for c in plan.check_ins),
    )
    deck = workshop.load_role_cards()
    deck = replace(
        deck,
        timing=text,
        debrief=(text,),
        cards=tuple(
            replace(
                card,
                scene=text,
                leader=replace(card.leader, aim=text, to_try=(text,), to_avoid=(text,)),
                partner=replace(card.partner, brief=text),
            )
            for card in deck.cards
        ),
    )
    kit = evaluation_kit()
    kit = replace(
        kit,
        scale=(text,) * 5,
        forms={
            key: replace(
                form,
                title=text,
                purpose=text,
                questions=tuple(
                    replace(q, text=text, options={k: text for k in q.options})
                    for q in form.questions
                ),
            )
            for key, form in kit.forms.items()
        },
        success_case=replace(
            kit.success_case,
            title=text,
            purpose=text,
            choose=text,
            sections=(replace(kit.success_case.sections[0], title=text, questions=(text,)),),
        ),
    )
    monkeypatch.setattr(workshop, "load_workshop", lambda: plan)
    monkeypatch.setattr(workshop, "load_role_cards", lambda: deck)
    monkeypatch.setattr(workshop, "evaluation_kit", lambda: kit)
    for key in plan.agendas:
        assert_inert(workshop.agenda_html(key), text)
    assert_inert(workshop.check_ins_html(), text)
    assert_inert(workshop.role_cards_html(), text)
    assert_inert(workshop.debrief_worksheet_html(), text)
    assert_inert(workshop.evaluation_forms_html(), text)
    assert_inert(workshop.success_case_html(), text)
    assert_inert(workshop.plan_worksheet_html())
