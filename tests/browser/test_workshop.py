"""The workshop apps as participants and facilitators use them: Voila in the system Chromium.

Voila is started once for the module (see voila_fixtures.py) and every page load is reused where
possible: two participant pages, open at the same time in separate browser contexts, and one
dashboard page.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest
from factories import make_summary

from widgets.core.summary import read_summary, summary_to_json

try:  # the lead owns tests/browser/conftest.py, so our fixtures live in their own module
    from .voila_fixtures import VoilaServer, chromium, voila_server
except ImportError:
    from voila_fixtures import VoilaServer, chromium, voila_server  # noqa: F401

pytestmark = pytest.mark.voila

LOAD_TIMEOUT = 300_000  # ms: the first kernel start on a busy two-core machine is slow
ACTION_TIMEOUT = 120_000
UNIQUE = "Zyxwv-Participant-A-7731"
SOURCE_SNIPPETS = ("import widgets", "RelationshipScorer(", "mkdtemp", "LEADING_FOR_LEARNING_DATA")
CODE_SELECTOR = ".jp-CodeCell .jp-InputArea, .cm-editor, .CodeMirror, .jp-InputPrompt"


# Every request a workshop page makes to a host other than the Voila server (blocked and kept).
OFF_SITE: list[str] = []


def guard(context) -> None:
    """Block and record any request that would leave 127.0.0.1 (a CDN, fonts, analytics)."""

    def route(handle) -> None:
        url = urlparse(handle.request.url)
        if url.scheme in ("data", "blob", "about") or url.hostname == "127.0.0.1":
            handle.continue_()
        else:
            OFF_SITE.append(handle.request.url)
            handle.abort()

    context.route("**/*", route)


def open_app(browser, url: str, ready_text: str):
    """Open ``url`` in a fresh browser context (its own cookies and storage) and wait for it."""
    context = browser.new_context(accept_downloads=True)
    guard(context)
    context.set_default_timeout(ACTION_TIMEOUT)
    page = context.new_page()
    page.goto(url, timeout=LOAD_TIMEOUT)
    page.get_by_text(ready_text).first.wait_for(timeout=LOAD_TIMEOUT)
    return context, page


@pytest.fixture(scope="module")
def participants(chromium, voila_server: VoilaServer):
    """Two participants, A and B, with the participant app open at the same time."""
    opened = []
    for _ in range(2):
        context = chromium.new_context(accept_downloads=True)
        guard(context)
        context.set_default_timeout(ACTION_TIMEOUT)
        page = context.new_page()
        page.goto(voila_server.render("participant.ipynb"), timeout=LOAD_TIMEOUT)
        opened.append((context, page))
    for _, page in opened:
        page.get_by_role("tab", name="Files").wait_for(timeout=LOAD_TIMEOUT)
    yield [page for _, page in opened]
    for context, _ in opened:
        context.close()


@pytest.fixture(scope="module")
def dashboard(chromium, voila_server: VoilaServer):
    context, page = open_app(chromium, voila_server.render("dashboard.ipynb"), "Summary files")
    yield page
    context.close()


def load_example(page) -> None:
    page.get_by_role("tab", name="Files").click()
    page.get_by_role("button", name="Load synthetic example team").click()
    page.get_by_text("Showing the synthetic example team").wait_for()


def save_team(page) -> None:
    page.get_by_role("tab", name="Files").click()
    page.get_by_role("button", name=re.compile(r"^Save( example copy)?$")).click()
    page.get_by_text(re.compile(r"Saved (\d+ members|the synthetic example)")).wait_for()


def assert_no_chart_actions(page) -> None:
    """No chart offers its "..." menu ("Open in Vega Editor" would send the data elsewhere)."""
    page.locator(".vega-embed svg, .vega-embed canvas").first.wait_for()
    assert page.locator(".vega-actions, details[title='Click to view actions']").count() == 0
    html = page.content()
    assert "Open in Vega Editor" not in html and "vega.github.io" not in html


def assert_no_code(page) -> None:
    assert page.locator(CODE_SELECTOR).count() == 0, "a code cell's input is on the page"
    html = page.content()
    for snippet in SOURCE_SNIPPETS:
        assert snippet not in html, f"source code ({snippet!r}) reached the page"


# --- participants -------------------------------------------------------------------------------


def test_participant_completes_the_flow_and_sees_no_code(participants, tmp_path):
    page = participants[0]
    assert_no_code(page)
    for step in ("Step 1", "Step 2", "Step 3", "Step 4"):
        assert page.get_by_role("heading", name=re.compile(step)).count() == 1
    load_example(page)
    link = page.get_by_role("link", name="Download your anonymous summary")
    link.wait_for()
    assert page.locator(".l4l-summary-table").get_by_text("Members scored").count() == 1
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    summary = read_summary(saved)  # validates against data/summary.schema.json
    assert summary["team_size"] == 12
    assert summary["left_behind"] >= 1
    text = saved.read_text(encoding="utf-8")
    assert "Example" not in text and "member" not in text  # no names from the example team
    assert_no_code(page)


def test_two_participants_see_only_their_own_data(participants, voila_server: VoilaServer):
    a, b = participants
    load_example(a)
    load_example(b)
    a.get_by_role("tab", name="Member").click()
    a.get_by_role("textbox", name="Name").fill(UNIQUE)
    a.get_by_role("button", name="Rename").click()
    a.get_by_text(UNIQUE).first.wait_for()
    save_team(a)
    save_team(b)
    b.get_by_role("tab", name="Team").click()
    assert_no_chart_actions(b)
    assert UNIQUE not in b.content(), "participant B's page shows A's data"

    for page in (a, b):
        page.get_by_role("tab", name="Files").click()
        body = page.inner_text("body")
        assert "workshop server" in body, "the page does not say where its data is kept"
        assert "l4l-participant-" not in body, "the page shows the server's folder names"
        assert "this computer" not in body, "a shared server is not the participant's computer"

    folders = voila_server.participant_folders()
    saved = [
        path
        for path in folders
        if (path / "team.json").is_file() or (path / "example-team.json").is_file()
    ]
    assert len(saved) >= 2, f"two saved teams expected, one folder each: {saved}"
    holding = [path for path in saved if UNIQUE in _read_all(path)]
    assert len(holding) == 1, "A's data reached another folder (or none)"
    others = [path for path in saved if path not in holding]
    assert any("Ana Example" in _read_all(path) for path in others), "B's team was not saved"


def _read_all(folder) -> str:
    return "".join(p.read_text(errors="replace") for p in sorted(folder.glob("*")) if p.is_file())


# --- the facilitator dashboard ------------------------------------------------------------------


def _summary_file(folder, number: int, left_behind: int) -> str:
    summary = make_summary(
        left_behind=left_behind,
        left_behind_with_plan=min(left_behind, 1),
        # Each file counts differently: identical counts would count as one participant.
        planned_conversations={"before": 1, "after": 1, "follow_up": number},
    )
    path = folder / f"summary-{number}.json"
    path.write_text(summary_to_json(summary), encoding="utf-8")
    return str(path)


def upload(page, paths: list[str]) -> None:
    """Choose files in the dashboard's upload button, as a facilitator would."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("Add summary files")).click()
    chooser.value.set_files(paths)


def test_dashboard_explains_a_malformed_file(dashboard, tmp_path):
    bad = tmp_path / "not-a-summary.json"
    secret = "Qwertyuiop Member"
    bad.write_text(json.dumps({"kind": "relationship-scorer", "team": [{"member": secret}]}))
    upload(dashboard, [str(bad)])
    dashboard.get_by_text("Not added").wait_for()
    message = dashboard.locator(".l4l-rejected").inner_text()
    assert "not-a-summary.json" in message
    assert "not a participant summary file" in message
    assert "Fix:" in message
    assert secret not in dashboard.inner_text("body")
    assert dashboard.locator(".l4l-group-table").count() == 0


def test_dashboard_hides_four_summaries_and_shows_five(dashboard, tmp_path):
    files = [_summary_file(tmp_path, n, left_behind=n % 2) for n in range(1, 6)]
    upload(dashboard, files[:4])
    dashboard.get_by_text("1 more needed").wait_for()
    assert dashboard.locator(".l4l-group-table").count() == 0
    assert dashboard.get_by_role("link", name="CSV").count() == 0
    assert dashboard.locator(".vega-embed").count() == 0

    upload(dashboard, files[4:])
    dashboard.get_by_text("Group results from 5 participants").wait_for()
    table = dashboard.locator(".l4l-group-table")
    assert "Team members scored" in table.inner_text()
    dashboard.get_by_role("link", name="CSV").wait_for()
    dashboard.get_by_role("link", name="JSON").wait_for()
    dashboard.locator(".vega-embed").first.wait_for()
    assert dashboard.locator(".vega-embed").count() == 3
    assert_no_chart_actions(dashboard)


def test_workshop_pages_make_no_third_party_requests(participants, dashboard):
    """Runs last: by now both apps have loaded and been used; nothing may have left the server."""
    assert not OFF_SITE, f"workshop pages requested other hosts: {sorted(set(OFF_SITE))}"
