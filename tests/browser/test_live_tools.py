"""The live tools as a manager uses them: from the chapter's "Use it live" button, in the page's
own browser (Voici + Pyodide), served by a plain static server with no network behind it.

Scorer: import a team CSV with the file chooser, answer an item and see the total and band
change, save, reload and find the team kept (and the day's snapshot), export a CSV and read the
downloaded file, delete the data. Planner: the saved team's members are offered, a plan is made
and a valid .ics is downloaded. Throughout: no request to another host, no console error, no
chart action menu.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from widgets.core.teamfile import read_team

ROOT = Path(__file__).resolve().parents[2]
START = 240_000  # ms: a cold first visit downloads and starts Python (about 10-20 s here)
STEP = 120_000
TEAM_CSV = (
    "member,q1,q2,q3,q4,q5,q6,q7,goal,opportunities,feedback,learning_time,conversations\n"
    "Avery Synthetic,4,4,4,4,4,4,4,stretch,4,monthly,regular,3\n"
    "Blake Synthetic,2,2,2,2,2,2,2,none,0,never,none,0\n"
    "Casey Synthetic,3,3,3,3,3,3,3,,,,,\n"
)


class Watch:
    """Every request and console error of a browser context: pages, workers, service worker."""

    def __init__(self, context) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("weberror", lambda e: self.errors.append(f"uncaught: {e.error}"))

    def page(self, page):
        page.on("console", self._console("page"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("worker", lambda w: w.on("console", self._console(f"worker {w.url}")))
        return page

    def _console(self, where: str):
        def record(message) -> None:
            if message.type == "error":
                self.errors.append(f"{where}: {message.text}")

        return record

    def foreign(self) -> list[str]:
        return [
            url
            for url in self.requests
            if urlparse(url).scheme in {"http", "https", "ws", "wss"}
            and urlparse(url).hostname != "127.0.0.1"
        ]


@pytest.fixture(scope="module")
def live_context(browser):
    """One browser profile for the whole story, so saved data survives a reload."""
    if not (ROOT / "_build" / "html" / "live" / "voici" / "render" / "scorer.html").is_file():
        pytest.fail("the live apps are not built: run `make book`")
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    watch = Watch(context)
    yield context, watch
    context.close()
    assert watch.foreign() == [], "the live tools requested other hosts"
    assert watch.errors == [], "console errors in the live tools"


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def status(page):
    return page.locator(".l4l-scorer .l4l-message").first


def test_scorer_from_the_chapter_import_answer_save_reload_export(live_context, site_url, tmp_path):
    context, watch = live_context
    page = watch.page(context.new_page())
    page.goto(f"{site_url}/chapters/tools/score-relationships.html")
    page.get_by_role("link", name="Use it live: score your own team").click()
    page.locator(".l4l-scorer").wait_for(timeout=START)
    assert page.url.endswith("/live/voici/render/scorer.html")
    assert "stays in this browser" in page.locator(".l4l-scorer").inner_text()
    expect(page.locator(".l4l-scorer")).to_contain_text("No members yet")

    # Import a team file through the browser's file chooser.
    team_file = tmp_path / "my-team.csv"
    team_file.write_text(TEAM_CSV, encoding="utf-8")
    tab(page, "Files")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import CSV").click()
    chooser.value.set_files(str(team_file))
    expect(status(page)).to_contain_text("Imported 3 members", timeout=STEP)

    # Answer an item: the total and band change at once.
    tab(page, "Member")
    result = page.locator(".l4l-result")
    expect(result).to_contain_text("Avery Synthetic", timeout=STEP)
    expect(result).to_contain_text("total 28")
    page.locator(".widget-toggle-buttons").nth(1).get_by_role("button").nth(0).click()
    expect(result).to_contain_text("total 25", timeout=STEP)
    expect(result).to_contain_text("band High")

    # The team chart draws, without an actions menu.
    tab(page, "Team")
    page.locator(".vega-embed svg, .vega-embed canvas").first.wait_for(timeout=STEP)
    assert page.locator(".vega-actions, details[title='Click to view actions']").count() == 0
    assert "Open in Vega Editor" not in page.content()

    # Save, reload: the team is still there.
    tab(page, "Files")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(status(page)).to_contain_text("Saved 3 members", timeout=STEP)
    page.reload()
    page.locator(".l4l-scorer").wait_for(timeout=START)
    expect(status(page)).to_contain_text("Loaded 3 members", timeout=STEP)
    expect(page.locator(".l4l-result")).to_contain_text("total 25")

    # The save also kept today's snapshot, in the browser's storage.
    tab(page, "Change over time")
    expect(page.locator(".l4l-scorer")).to_contain_text("1 snapshot so far", timeout=STEP)

    # Export: the downloaded file is a valid team file with the changed answer.
    tab(page, "Files")
    page.get_by_role("button", name="Export CSV").click()
    link = page.get_by_role("link", name="Download team.csv")
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"\xef\xbb\xbf"), "Excel needs the BOM"
    team = read_team(saved)
    assert [m.name for m in team] == ["Avery Synthetic", "Blake Synthetic", "Casey Synthetic"]
    assert team[0].answers[0] == 1 and sum(team[0].answers) == 25
    page.close()


def test_planner_offers_the_saved_team_and_exports_a_valid_calendar(
    live_context, site_url, tmp_path
):
    context, watch = live_context
    page = watch.page(context.new_page())
    page.goto(f"{site_url}/chapters/tools/plan-conversations.html")
    page.get_by_role("link", name="Use it live: plan your conversations").click()
    page.locator(".l4l-planner").wait_for(timeout=START)
    scored = page.get_by_label("From your scores")
    expect(scored).to_contain_text("Blake Synthetic", timeout=STEP)
    # The left-behind member is offered first.
    options = scored.locator("option").all_inner_texts()
    shown = [o.replace("\xa0", " ") for o in options]  # ipywidgets keeps spaces as no-break
    assert shown[1].startswith("Blake Synthetic") and "left behind" in shown[1]
    scored.select_option(label=options[1])
    expect(page.get_by_label("Team member")).to_have_value("Blake Synthetic", timeout=STEP)
    page.get_by_label("Learning activity").fill("Negotiation fundamentals (e-learning)")
    page.get_by_label("Learning goal").fill("Lead the supplier renewal call alone by 30 April")
    page.get_by_label("Use at work").fill("The April supplier renewal")
    page.get_by_label("Activity starts").fill("2027-03-08")
    page.get_by_label("Activity ends").fill("2027-03-10")
    page.get_by_role("button", name="Suggest conversation dates").click()
    expect(page.get_by_label("Before-conversation")).not_to_have_value("", timeout=STEP)
    check_in = page.get_by_label("Add a monthly development check-in after the last follow-up")
    expect(check_in).not_to_be_checked()  # off unless asked for
    check_in.check()
    page.get_by_label("For months").fill("3")
    page.get_by_label("For months").press("Enter")
    page.get_by_role("button", name="Add as new plan").click()
    message = page.locator(".l4l-planner .l4l-message").first
    expect(message).to_contain_text("Added the plan for Blake Synthetic", timeout=STEP)
    formats = page.get_by_label("Export as")
    calendar_label = next(o for o in formats.locator("option").all_inner_texts() if "Calendar" in o)
    formats.select_option(label=calendar_label)
    page.get_by_role("button", name="Export", exact=True).click()
    link = page.get_by_role("link", name=re.compile(r"Download .*\.ics"))
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    calendar = Calendar.from_ical(saved.read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) >= 2
    assert all("Blake Synthetic" in str(e["SUMMARY"]) for e in events)
    assert all(len(e.walk("VALARM")) == 1 for e in events)  # a reminder on every event
    [repeating] = [e for e in events if "RRULE" in e]
    assert repeating["RRULE"]["COUNT"] == [3] and repeating["RRULE"]["FREQ"] == ["MONTHLY"]
    assert "very_low" not in saved.read_text() and "Very low" not in saved.read_text()
    page.close()


def test_delete_my_data_leaves_nothing_after_a_reload(live_context, site_url):
    context, watch = live_context
    page = watch.page(context.new_page())
    page.goto(f"{site_url}/live/voici/render/scorer.html")
    page.locator(".l4l-scorer").wait_for(timeout=START)
    expect(status(page)).to_contain_text("Loaded 3 members", timeout=STEP)
    tab(page, "Files")
    page.get_by_role("button", name="Delete my data").click()
    page.get_by_role("button", name="Click again to delete").click()
    expect(status(page)).to_contain_text("Deleted", timeout=STEP)
    page.reload()
    page.locator(".l4l-scorer").wait_for(timeout=START)
    expect(page.locator(".l4l-scorer")).to_contain_text("No members yet", timeout=STEP)
    tab(page, "Change over time")
    expect(page.locator(".l4l-scorer")).to_contain_text("0 snapshots so far", timeout=STEP)
    page.close()


@pytest.mark.parametrize("app", ["scorer", "planner"])
def test_the_live_apps_fit_a_phone(browser, site_url, app):
    """At 390 px nothing scrolls sideways, every button shows its whole label and no control
    reaches past the screen's edge."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site_url}/live/voici/render/{app}.html")
    page.locator(f".l4l-{app}").wait_for(timeout=START)
    page.locator(f".l4l-{app} button").first.wait_for(timeout=START)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
    problems = page.evaluate(
        """(root) => {
          const shown = [...document.querySelectorAll(root + ' button, ' + root + ' select, '
              + root + ' input, ' + root + ' textarea')].filter(e => e.offsetParent !== null);
          const cut = shown.filter(e => e.tagName === 'BUTTON' && e.scrollWidth > e.clientWidth + 1)
              .map(e => 'cut label: ' + e.textContent.trim());
          const past = shown.filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
              .map(e => 'past the edge: ' + (e.textContent.trim() || e.tagName));
          return {count: shown.length, found: cut.concat(past)};
        }""",
        f".l4l-{app}",
    )
    assert problems["count"] >= 3, "too few controls were visible: the check checked nothing"
    assert problems["found"] == [], problems["found"]
    context.close()


#: CPython 3.12's bytecode magic number (Pyodide 0.27.6 runs 3.12.7), and the flags of a
#: hash-based .pyc that is never checked against a source (PEP 552).
PY312_MAGIC = (3531).to_bytes(2, "little") + b"\r\n"
UNCHECKED_HASH = 1


def _pyc_headers(archive: zipfile.ZipFile) -> set[tuple[bytes, int]]:
    return {
        (head[:4], int.from_bytes(head[4:8], "little"))
        for head in (archive.read(n)[:8] for n in archive.namelist() if n.endswith(".pyc"))
    }


def test_the_served_python_is_bytecode_for_the_browsers_interpreter():
    """The standard library and every served wheel hold 3.12 bytecode, so a visit compiles
    nothing; third-party code is sourceless and without its tests, the book's keeps sources."""
    served = ROOT / "_build" / "html" / "live" / "static" / "pyodide"
    with zipfile.ZipFile(served / "python_stdlib.zip") as stdlib:
        names = stdlib.namelist()
        assert [n for n in names if n.endswith(".py")] == []
        assert sum(n.endswith(".pyc") for n in names) > 400
        assert _pyc_headers(stdlib) == {(PY312_MAGIC, UNCHECKED_HASH)}
    lock = json.loads((served / "pyodide-lock.json").read_text())["packages"]
    ours = "leading-for-learning-widgets"
    for name, package in lock.items():
        with zipfile.ZipFile(served / package["file_name"]) as wheel:
            names = wheel.namelist()
            if not package["imports"]:  # a placeholder (ssl, sqlite3, jedi) holds no module
                continue
            assert _pyc_headers(wheel) == {(PY312_MAGIC, UNCHECKED_HASH)}, name
            sources = [n for n in names if n.endswith(".py")]
            if name == ours:
                cached = {
                    f"{n.rpartition('/')[0]}/__pycache__/{Path(n).stem}.cpython-312.pyc"
                    for n in sources
                }
                assert sources and cached <= set(names)
            else:
                assert sources == [], name
                assert not any(re.match(r"[^/]+/tests/", n) for n in names), name
