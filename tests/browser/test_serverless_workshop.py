"""A workshop in serverless mode, as a room runs it: five participants, each in their own browser
(a separate browser context: its own storage, service worker and Python), open the live workshop
page from the static site, import their team, save it, hand in their summary code; the
facilitator pastes the codes into the live dashboard in their own browser.

Checked: the dashboard shows nothing at four and the group at five, with its three charts and a
presenter view; a code handed in twice counts once; a participant's work survives a reload; no
participant's page holds another participant's data; nothing requests another host.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_live_tools import ROOT, START, STEP, Watch

from widgets.core.handin import summary_from_code, summary_to_code

PEOPLE = 5
HEADER = "member,q1,q2,q3,q4,q5,q6,q7,goal,opportunities,feedback,learning_time,conversations\n"


def team_csv(number: int) -> tuple[str, list[str]]:
    """Participant ``number``'s team: names unique to them, one more member than the last."""
    names = [f"Pq{number}x Member{k}" for k in range(number + 2)]
    rows = [
        f"{name},{a},{a},{a},{a},{a},{a},{a},{'stretch' if a > 3 else 'none'},{a},monthly,"
        f"regular,{a}\n"
        for k, name in enumerate(names)
        for a in [1 + (k * 2 + number) % 5]
    ]
    return HEADER + "".join(rows), names


@pytest.fixture(scope="module")
def room(browser):
    """Up to six browser contexts (five participants, one facilitator), closed at the end."""
    page = ROOT / "_build" / "html" / "live" / "voici" / "render" / "workshop.html"
    if not page.is_file():
        pytest.fail("the live workshop apps are not built: run `make book`")
    opened = []

    def new_browser():
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        watch = Watch(context)
        opened.append((context, watch))
        return context, watch

    yield new_browser
    for context, _ in opened:
        context.close()
    for _, watch in opened:
        assert watch.foreign() == [], "a workshop page requested another host"
        assert watch.errors == [], "console errors in the live workshop pages"


def open_live(context, watch, url: str, ready: str):
    page = watch.page(context.new_page())
    page.goto(url)
    page.locator(ready).wait_for(timeout=START)
    return page


def participant_hands_in(page, number: int, tmp_path) -> str:
    text, names = team_csv(number)
    team_file = tmp_path / f"team-{number}.csv"
    team_file.write_text(text, encoding="utf-8")
    page.get_by_role("tab", name="Files").click()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import CSV").click()
    chooser.value.set_files(str(team_file))
    message = page.locator(".l4l-scorer .l4l-message").first
    expect(message).to_contain_text(f"Imported {len(names)} members", timeout=STEP)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(message).to_contain_text(f"Saved {len(names)} members", timeout=STEP)
    page.get_by_role("tab", name="4. Hand in your summary").click()
    code_box = page.locator("textarea.l4l-summary-code")
    expect(code_box).to_have_value(re.compile(r"^L4LS1\."), timeout=STEP)
    return code_box.input_value()


def test_five_participants_hand_in_codes_and_the_group_shows_only_at_five(room, site_url, tmp_path):
    url = f"{site_url}/live/voici/render/workshop.html"
    participants = []
    handed_in = []
    for number in range(1, PEOPLE + 1):
        context, watch = room()
        page = open_live(context, watch, url, ".l4l-workshop")
        assert "nothing you enter is sent anywhere" in page.inner_text("body")
        code = participant_hands_in(page, number, tmp_path)
        summary = summary_from_code(code)
        assert summary["team_size"] == number + 2
        handed_in.append(code)
        participants.append(page)

    # Work is kept in the participant's own browser: a reload finds the team and the same id.
    first = participants[0]
    first.reload()
    first.locator(".l4l-workshop").wait_for(timeout=START)
    expect(first.locator(".l4l-scorer .l4l-message").first).to_contain_text(
        "Loaded 3 members", timeout=STEP
    )
    first.get_by_role("tab", name="4. Hand in your summary").click()
    expect(first.locator("textarea.l4l-summary-code")).to_have_value(handed_in[0], timeout=STEP)

    # No participant's page holds another's data (each browser runs its own Python and storage).
    for number, page in enumerate(participants, start=1):
        page.get_by_role("tab", name="1-2. Score your team").click()
        page.get_by_role("tab", name="Team", exact=True).click()
        html = page.content()
        assert f"Pq{number}x Member0" in html
        others = [n for n in range(1, PEOPLE + 1) if n != number and f"Pq{n}x" in html]
        assert others == [], f"participant {number}'s page holds data of participants {others}"
        for code in handed_in:
            if code != handed_in[number - 1]:
                assert code not in html

    # The facilitator, in their own browser: the codes arrive in the chat, with chat noise.
    context, watch = room()
    dashboard = open_live(
        context, watch, f"{site_url}/live/voici/render/dashboard.html", ".l4l-dashboard"
    )
    box = dashboard.get_by_label("Summary codes")
    held = dashboard.locator(".l4l-count")
    chat = "\n".join(f"[10:0{n}] P{n}: my code {code}" for n, code in enumerate(handed_in[:4]))
    box.fill(chat + f"\n[10:05] P1 again: {handed_in[0]}\n[10:06] P9: L4LS1.garbled.xyz")
    dashboard.get_by_role("button", name="Add codes").click()
    expect(held).to_contain_text("Summaries held: 4", timeout=STEP)
    expect(dashboard.locator(".l4l-rejected")).to_contain_text("Not added (1)")
    expect(dashboard.locator(".l4l-rejected")).to_contain_text("Counted once (1)")
    expect(dashboard.locator(".l4l-suppressed")).to_contain_text("1 more needed")
    assert dashboard.locator(".vega-embed").count() == 0
    assert dashboard.locator(".l4l-group-table").count() == 0
    assert dashboard.get_by_role("link", name="CSV").count() == 0

    box.fill(handed_in[4])
    dashboard.get_by_role("button", name="Add codes").click()
    expect(held).to_contain_text("Summaries held: 5", timeout=STEP)
    expect(dashboard.get_by_text("Group results from 5 participants")).to_be_visible(timeout=STEP)
    expect(dashboard.locator(".vega-embed")).to_have_count(3, timeout=STEP)
    dashboard.locator(".vega-embed svg, .vega-embed canvas").first.wait_for(timeout=STEP)
    assert dashboard.locator(".vega-actions, details[title='Click to view actions']").count() == 0
    members = sum(n + 2 for n in range(1, PEOPLE + 1))
    expect(dashboard.locator(".l4l-group-table")).to_contain_text(str(members))
    html = dashboard.content()
    assert not re.search(r"Pq\dx", html), "a member name reached the dashboard"

    # Presenter view: only the charts, large, across the whole window.
    dashboard.get_by_role("button", name="Presenter view").click()
    expect(dashboard.locator(".l4l-presenter")).to_be_visible(timeout=STEP)
    expect(dashboard.locator(".l4l-group-table")).to_be_hidden()
    width = dashboard.locator(".l4l-presenter .vega-embed").first.bounding_box()["width"]
    assert width > 600, f"presenter charts are {width}px wide"

    # A sixth summary would reveal one person by subtraction: it is held back, and said so.
    dashboard.get_by_role("button", name="Presenter view").click()
    sixth = dict(summary_from_code(handed_in[0]), id="00000000000000a6")
    patterns = ["more_to_closer", "even", "more_to_distant", "not_computed"]
    # Other counts than participant 1's (the same counts would count once).
    sixth["investment_pattern"] = next(p for p in patterns if p != sixth["investment_pattern"])
    sixth.pop("fingerprint")
    box.fill(summary_to_code(sixth))
    dashboard.get_by_role("button", name="Add codes").click()
    expect(held).to_contain_text("Summaries held: 6", timeout=STEP)
    expect(dashboard.locator(".l4l-suppressed")).to_contain_text("held back", timeout=STEP)
    expect(dashboard.locator(".l4l-suppressed")).to_contain_text("earlier result of 5")
    labels = dashboard.evaluate(
        """() => [...document.querySelectorAll('.l4l-dashboard button')]
        .filter(b => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
        .map(b => b.textContent.trim())"""
    )
    assert labels == [], f"buttons with cut-off labels: {labels}"
