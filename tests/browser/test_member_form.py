"""The member form as a member and their manager use it, in the live apps (Voici + Pyodide).

The member answers on their own (here: a separate browser profile), takes the code and the file;
the manager opens the live scorer, scores the same person, pastes the code, says whose answers
they are, and sees both views side by side with the gap, the caution and the questions. Nothing
is requested from another host and no console error appears.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_live_tools import START, STEP, Watch
from test_site import AXE, AXE_TAGS

from widgets.content.instrument import load_instrument
from widgets.core.member_answers import CODE_HEAD, read_member_answers

ROOT = Path(__file__).resolve().parents[2]
INSTRUMENT = load_instrument()
THEIRS = [4, 3, 5, 2, 1, 4, 3]  # total 22; the manager answers 4 everywhere (28): gap -6


@pytest.fixture
def watched(browser):
    if not (ROOT / "_build" / "html" / "live" / "voici" / "render" / "member-form.html").is_file():
        pytest.fail("the live apps are not built: run `make book`")
    contexts = []

    def new_context():
        context = browser.new_context(
            accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        contexts.append((context, Watch(context)))
        return contexts[-1]

    yield new_context
    for context, watch in contexts:
        context.close()
        assert watch.foreign() == [], "the live apps requested other hosts"
        assert watch.errors == [], "console errors in the live apps"


def answer(page, root: str, values: list[int], skip: int = 0) -> None:
    """Click one labelled answer per item (``skip`` toggles come before the items)."""
    groups = page.locator(f"{root} .widget-toggle-buttons")
    for number, (item, value) in enumerate(zip(INSTRUMENT.items, values, strict=True)):
        group = groups.nth(number + skip)
        button = group.get_by_role("button", name=item.anchor(value), exact=True)
        button.click()
        expect(button).to_have_class(re.compile("mod-active"), timeout=STEP)


def assert_no_serious_axe_violations(page, selector: str) -> None:
    """axe-core (WCAG 2.1 A/AA) over one app: no serious or critical violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async ([selector, tags]) => await axe.run(document.querySelector(selector),
        {runOnly: {type: 'tag', values: tags}})""",
        [selector, AXE_TAGS],
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = [
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}" for v in serious
    ]
    assert not serious, "axe-core violations:\n" + "\n".join(details)


def test_a_members_code_reaches_the_scorer_and_shows_the_gap(watched, site_url, tmp_path):
    # The member, on their own device: the form says nothing is sent, and gives a code and file.
    member_context, member_watch = watched()
    form = member_watch.page(member_context.new_page())
    form.goto(f"{site_url}/live/voici/render/member-form.html")
    form.locator(".l4l-member-form").wait_for(timeout=START)
    text = form.locator(".l4l-member-form").inner_text()
    assert "Nothing you enter here is sent anywhere" in text
    assert "You decide whether to send" in text
    answer(form, ".l4l-member-form", THEIRS)
    form.get_by_role("button", name="Make my file and code").click()
    code_box = form.locator(".l4l-member-code")
    expect(code_box).to_contain_text(CODE_HEAD, timeout=STEP)
    code = code_box.inner_text().strip()
    with form.expect_download() as download:
        form.get_by_role("link", name="Download member-answers.json").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "member-answers.json"
    from_file = read_member_answers(saved.read_bytes(), INSTRUMENT)
    assert from_file == read_member_answers(code, INSTRUMENT)
    assert list(from_file.answers) == THEIRS
    assert "member" not in json.loads(saved.read_text("utf-8"))  # no name travels with it

    # The manager, in their own browser: score the person, paste the code, see the gap.
    manager_context, manager_watch = watched()
    page = manager_watch.page(manager_context.new_page())
    page.goto(f"{site_url}/live/voici/render/scorer.html")
    page.locator(".l4l-scorer").wait_for(timeout=START)
    page.get_by_placeholder("name or alias").fill("Ana Synthetic")
    page.get_by_role("button", name="Add member").click()
    status = page.locator(".l4l-scorer .l4l-message").first
    expect(status).to_contain_text("Added Ana Synthetic", timeout=STEP)
    answer(page, ".l4l-scorer", [4] * 7, skip=1)  # the first toggle is Your view / Their view
    expect(page.locator(".l4l-result")).to_contain_text("total 28", timeout=STEP)

    page.get_by_role("tab", name="Compare views").click()
    panel = page.locator(".l4l-gap-panel")
    panel.get_by_placeholder("paste the code here", exact=False).fill(code)
    panel.get_by_role("button", name="Read code").click()
    expect(status).to_contain_text("Read the answers", timeout=STEP)
    expect(panel.get_by_label("Team member")).to_have_value("Ana Synthetic")
    panel.get_by_role("button", name="Use these answers").click()
    expect(status).to_contain_text("own answers", timeout=STEP)
    view = panel.locator(".l4l-gap-view")
    expect(view).to_contain_text("Total (7-35)", timeout=STEP)
    rows = view.locator("tbody tr")
    expect(rows).to_have_count(7)
    expect(rows.nth(4)).to_contain_text("1 (Stay out of it)")
    expect(view.locator("tfoot")).to_contain_text("28")
    expect(view.locator("tfoot")).to_contain_text("22")
    expect(view.locator("tfoot")).to_contain_text("-6")
    expect(view).to_contain_text("6 points lower than you do")
    expect(view).to_contain_text("tend to answer on the generous side")
    expect(view).to_contain_text("Talking about it")
    assert_no_serious_axe_violations(page, ".l4l-gap-panel")
    form.close()
    page.close()


def test_a_cut_off_code_is_refused_in_the_browser(watched, site_url):
    context, watch = watched()
    page = watch.page(context.new_page())
    page.goto(f"{site_url}/live/voici/render/scorer.html")
    page.locator(".l4l-scorer").wait_for(timeout=START)
    page.get_by_role("tab", name="Compare views").click()
    panel = page.locator(".l4l-gap-panel")
    panel.get_by_placeholder("paste the code here", exact=False).fill("L4L-M1-AAAA-AAAA-AAAA")
    panel.get_by_role("button", name="Read code").click()
    status = page.locator(".l4l-scorer .l4l-message").first
    expect(status).to_contain_text("the code is cut off", timeout=STEP)
    page.close()


def test_the_member_form_fits_a_phone_and_passes_axe(browser, site_url):
    """Members answer on their phones: nothing scrolls sideways at 390 px, no button label is
    cut, and axe-core finds no serious or critical WCAG 2.1 A/AA violation once the code shows."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site_url}/live/voici/render/member-form.html")
    page.locator(".l4l-member-form").wait_for(timeout=START)
    answer(page, ".l4l-member-form", THEIRS)
    page.get_by_role("button", name="Make my file and code").click()
    expect(page.locator(".l4l-member-code")).to_contain_text(CODE_HEAD, timeout=STEP)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px"
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.l4l-member-form button')]
        .filter(b => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
        .map(b => b.textContent.trim())"""
    )
    assert cut == [], f"buttons with cut-off labels: {cut}"
    assert_no_serious_axe_violations(page, ".l4l-member-form")
    context.close()
