"""The fork test: a customised copy of the book builds strictly and shows only its own branding.

It does what "Make it yours" tells an L&D team to do, editing only settings, data and images:
another organisation name, minimum group size, title, logo, favicon and colour; the seven items
translated into Dutch; a new resource catalogue; one chapter dropped from the table of contents,
with the links to it turned into plain text where the data check points at them. Then it builds
the copy with its own scripts/build_book.py, runs its notebooks with scripts/nbval_run.py, reads
the built pages, and opens every page in Chromium. Slow (a full build from scratch), so it is one
test.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from widgets.book.validation import check_book_data, format_problems

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "tests" / "browser"))
from nbval_run import toc_docnames  # noqa: E402
from site_checks import CHROMIUM_ARGS, chromium_path, open_page, serve  # noqa: E402

ORG = "Kestrel Valley Health"
MIN_GROUP = 6
TITLE = "Learning conversations at Kestrel Valley"
COLOUR = "#2b5d34"
DROPPED = "chapters/research/learning-culture"
LOGO = "\n".join(
    [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 64" role="img" '
        'aria-labelledby="t">',
        '  <title id="t">Kestrel Valley Health</title>',
        '  <path d="M8 48 L32 12 L56 48 Z" fill="#2b5d34"/>',
        '  <text x="68" y="40" font-family="system-ui, sans-serif" font-size="18" '
        'fill="#2b5d34">Kestrel Valley</text>',
        "</svg>",
    ]
)
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    '<path d="M4 56 L32 8 L60 56 Z" fill="#2b5d34"/></svg>\n'
)
# The seven items in Dutch (a translation of the book's own items): theme, manager and member
# wording, five answer labels (lowest first).
DUTCH_ITEMS = [
    (
        "Waar je staat",
        "Hoe vaak hebt u deze persoon de afgelopen maand met zoveel woorden gezegd wat u van het "
        "werk vond: wat goed ging en waar u meer van wilt zien?",
        "Hoe vaak heeft uw leidinggevende u de afgelopen maand met zoveel woorden gezegd wat die "
        "van uw werk vond: wat goed ging en waar die meer van wil zien?",
        [
            "Geen enkele keer",
            "Eén keer, terloops",
            "Een of twee keer, duidelijk",
            "Meerdere keren",
            "Telkens als het ertoe deed",
        ],
    ),
    (
        "Weten wat in de weg zit",
        "Toen deze persoon de laatste keer in het werk op een moeilijkheid stuitte, hoeveel wist "
        "u al van waar hij of zij tegenaan liep?",
        "Toen u de laatste keer in het werk op een moeilijkheid stuitte, hoeveel wist uw "
        "leidinggevende al van waar u tegenaan liep?",
        ["Niets", "Een beetje", "Een deel", "Het meeste", "Alles, zonder dat het gezegd werd"],
    ),
    (
        "Zien wat iemand kan worden",
        "Als er volgende week in uw afdeling een veeleisende nieuwe rol vrijkwam, hoe snel zou u "
        "aan deze persoon denken als iemand die erin kan groeien?",
        "Als er volgende week in uw afdeling een veeleisende nieuwe rol vrijkwam, hoe snel zou uw "
        "leidinggevende aan u denken als iemand die erin kan groeien?",
        [
            "Helemaal niet",
            "Alleen als iemand het voorstelde",
            "Misschien",
            "Waarschijnlijk",
            "Meteen",
        ],
    ),
    (
        "De weg vrijmaken",
        "Stel dat het werk van deze persoon vastloopt op iets dat alleen iemand met meer gezag "
        "kan oplossen. Wat zou u doen?",
        "Stel dat uw werk vastloopt op iets dat alleen iemand met meer gezag kan oplossen. Wat "
        "zou uw leidinggevende doen?",
        [
            "Niets",
            "Zeggen wie je kunt vragen",
            "Het aankaarten als erom gevraagd wordt",
            "Het uit zichzelf aankaarten",
            "Doorgaan tot het opgelost is",
        ],
    ),
    (
        "Dekking geven, ook als het iets kost",
        "Stel dat een fout van deze persoon bij iemand hogerop terechtkomt, en dat voor hem of "
        "haar opkomen u tijd of aanzien kost. Wat zou u doen?",
        "Stel dat een fout van u bij iemand hogerop terechtkomt, en dat voor u opkomen uw "
        "leidinggevende tijd of aanzien kost. Wat zou die doen?",
        [
            "Erbuiten blijven",
            "Het laten bij wie de fout maakte",
            "Neutraal de feiten geven",
            "Opkomen ter verdediging",
            "De klap opvangen en helpen herstellen",
        ],
    ),
    (
        "Achter beslissingen staan",
        "Als anderen een beslissing van deze persoon ter discussie stellen terwijl hij of zij "
        "er niet is om die toe te lichten, wat doet u dan?",
        "Als anderen een beslissing van uw leidinggevende ter discussie stellen terwijl die er "
        "niet is om haar toe te lichten, wat doet u dan?",
        [
            "Meedoen met de kritiek",
            "Zwijgen",
            "Zeggen dat ik het zou moeten navragen",
            "De waarschijnlijke redenen uitleggen",
            "Erachter staan en het uitleggen",
        ],
    ),
    (
        "Goed samenwerken",
        "Denk aan de laatste stukken werk die u en deze persoon samen deden. Hoe werkte uw "
        "samenwerking daarop uit?",
        "Denk aan de laatste stukken werk die u en uw leidinggevende samen deden. Hoe werkte uw "
        "samenwerking daarop uit?",
        [
            "Ze remde het werk af",
            "Ze maakte weinig uit",
            "Ze hielp een beetje",
            "Ze hielp duidelijk",
            "Ze maakte het werk veel beter",
        ],
    ),
]
CATALOGUE = "\n".join(
    [
        "title,type,skill,duration,link,internal_or_external",
        '"Kestrel Academy: negotiating with suppliers, step by step",course,negotiation,240,'
        "intranet:/academy/negotiation,internal",
        "Kestrel negotiation clinic,workshop,negotiation; stakeholder management,120,"
        "intranet:/academy/negotiation-clinic,internal",
        "Kestrel coaching circle,community,coaching,60,intranet:/academy/coaching-circle,internal",
        "Feedback geven in de praktijk,e-learning,feedback,25,"
        "https://learning.kestrel.example/feedback,internal",
        "Kestrel goal-setting canvas,template,goal setting,15,"
        "intranet:/academy/goal-canvas,internal",
        "Kestrel mentor match,mentoring,mentoring,60,intranet:/academy/mentors,internal",
        "",
    ]
)
NEW_TITLES = (
    "Kestrel Academy: negotiating with suppliers, step by step",
    "Kestrel negotiation clinic",
)


# --- copying and customising -------------------------------------------------------------------


def project_files() -> list[str]:
    """The files a fork would have: what git tracks, plus new files it does not ignore."""
    if shutil.which("git") and (REPO / ".git").exists():
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=REPO,
            capture_output=True,
            check=True,
        ).stdout.decode()
        return [name for name in listed.split("\0") if name and (REPO / name).is_file()]
    skip = {".git", ".venv", "_build", "node_modules", "__pycache__", ".pytest_cache"}
    return [
        path.relative_to(REPO).as_posix()
        for path in REPO.rglob("*")
        if path.is_file() and not skip & set(path.relative_to(REPO).parts)
    ]


def copy_project(target: Path) -> None:
    for name in project_files():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target / name)


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fork test: {old!r} is no longer in {path.name}; update the customisation"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_yaml_line(path: Path, key: str, value: str) -> None:
    """Set a top-level ``key: value`` line, keeping the file's comments."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(key)}:.*$", re.MULTILINE)
    assert pattern.search(text), f"fork test: no '{key}:' line in {path.name}"
    path.write_text(pattern.sub(lambda _: f"{key}: {value}", text, count=1), encoding="utf-8")


def customise(book: Path) -> None:
    """Everything "Make it yours" describes, done to data, settings and images only."""
    data = book / "data"
    set_yaml_line(data / "organisation.yml", "org_name", ORG)
    set_yaml_line(data / "organisation.yml", "min_group_size", str(MIN_GROUP))
    set_yaml_line(data / "organisation.yml", "timezone", "Europe/Amsterdam")

    config = book / "_config.yml"
    set_yaml_line(config, "title", TITLE)
    set_yaml_line(config, "logo", "_static/kestrel-logo.svg")
    replace_once(config, "favicon: _static/favicon.svg", "favicon: _static/kestrel-favicon.svg")
    (book / "_static" / "kestrel-logo.svg").write_text(LOGO, encoding="utf-8")
    (book / "_static" / "kestrel-favicon.svg").write_text(FAVICON, encoding="utf-8")
    (book / "_static" / "logo.svg").unlink()
    (book / "_static" / "favicon.svg").unlink()
    replace_once(
        book / "_static" / "book.css", "--l4l-primary: #1f6f8b;", f"--l4l-primary: {COLOUR};"
    )

    instrument = yaml.safe_load((data / "instrument.yml").read_text(encoding="utf-8"))
    for item, (theme, manager, member, anchors) in zip(
        instrument["items"], DUTCH_ITEMS, strict=True
    ):
        item.update(theme=theme, manager=manager, member=member, anchors=anchors)
    (data / "instrument.yml").write_text(
        yaml.safe_dump(instrument, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8",
    )
    (data / "resources.csv").write_text(CATALOGUE, encoding="utf-8")

    toc = book / "_toc.yml"
    lines = toc.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if line.strip() != f"- file: {DROPPED}"]
    assert len(kept) == len(lines) - 1, f"fork test: {DROPPED} is not listed once in _toc.yml"
    toc.write_text("".join(kept), encoding="utf-8")


def unlink_dropped_chapter(book: Path) -> list[str]:
    """Do what the data check says for every link to the dropped chapter: make it plain text."""
    fixed = []
    for problem in check_book_data(book):
        if not problem.message.startswith(f"links to {DROPPED}"):
            continue
        path = book / str(problem.source)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        role = str(problem.value)
        plain = re.sub(r"^\{\w+\}`(?:(.*?)\s*<[^>]*>|([^`]*))`$", r"\1\2", role)
        plain = plain.replace("-", " ").capitalize() if plain == DROPPED.split("/")[-1] else plain
        assert role in lines[problem.row - 1], (
            f"fork test: {role} not on {problem.source}:{problem.row}"
        )
        lines[problem.row - 1] = lines[problem.row - 1].replace(role, plain)
        path.write_text("".join(lines), encoding="utf-8")
        fixed.append(f"{problem.source}:{problem.row}")
    return fixed


# --- reading the built site ----------------------------------------------------------------------


def page_text(path: Path) -> str:
    """A built page as plain text: tags removed, entities decoded, whitespace collapsed."""
    raw = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
    return " ".join(html.unescape(raw).split())


def substitution_phrases(source: str, key: str, value: str) -> list[str]:
    """The text around each ``{{ key }}`` of a page, with ``value`` in its place."""
    phrases = []
    marker = "{{ " + key + " }}"
    for line in source.splitlines():
        at = line.find(marker)
        if at < 0 or line[:at].count("`") % 2:
            continue  # not there, or inside inline code (shown as written)
        before = re.sub(r"[*_`]", "", line[:at]).split()[-3:]
        after = re.sub(r"[*_`]", "", line[at + len(marker) :]).split()[:3]
        if before:
            phrases.append(" ".join([*before, value]))
        elif after:
            phrases.append(" ".join([value, *after]))
    return phrases


# --- the test ------------------------------------------------------------------------------------


def run_copy_script(book: Path, script: str) -> subprocess.CompletedProcess[str]:
    """Run one of the copy's own scripts/ (as `make` would there), with the copy's data."""
    return subprocess.run(
        [sys.executable, str(book / "scripts" / script)],
        cwd=book,
        env={
            **os.environ,
            "LEADING_FOR_LEARNING_BOOK_DATA": str(book / "data"),
            # The live apps' downloads (Pyodide, pinned wheels) are shared, not fetched again.
            "L4L_LIVE_CACHE": str(REPO / "_build" / "live-cache"),
        },
        capture_output=True,
        text=True,
        timeout=3600,
    )


def build_and_validate(book: Path) -> None:
    """Build the copy strictly with its own script, then run its notebooks, as `make test` does."""
    build = run_copy_script(book, "build_book.py")
    assert build.returncode == 0, (
        "the fork's strict build failed:\n" + (build.stdout + build.stderr)[-8000:]
    )
    notebooks = run_copy_script(book, "nbval_run.py")
    assert notebooks.returncode == 0, (
        "the fork's notebooks failed nbval:\n" + (notebooks.stdout + notebooks.stderr)[-8000:]
    )


def assert_site_shows_the_fork(
    book: Path, original_items: list[dict], original_titles: list[str], fixed: list[str]
) -> None:
    """Read the built pages: the fork's name, items and catalogue, nothing of the original."""
    site = book / "_build" / "html"
    pages = {p.relative_to(site).as_posix(): p for p in site.rglob("*.html")}
    texts = {name: page_text(path) for name, path in pages.items()}
    everything = "\n".join(texts.values())

    # The organisation name and group size, wherever a page uses the substitution.
    checked = 0
    for docname in toc_docnames(book / "_toc.yml"):
        source = book / f"{docname}.md"
        if not source.is_file():
            continue
        text = texts[f"{docname}.html"]
        for key, new, old in (("org_name", ORG, "your organisation"), ("min_group_size", "6", "5")):
            for phrase in substitution_phrases(source.read_text("utf-8"), key, new):
                checked += 1
                assert phrase in text, f"{docname}: expected {phrase!r} (from {{{{ {key} }}}})"
                stale = phrase.replace(new, old)
                assert stale not in text, f"{docname}: still shows the original {stale!r}"
    assert checked >= 2, "no page used {{ org_name }}: the name substitution was not checked"
    assert "{{" not in texts["intro.html"], "an unfilled substitution is shown on the landing page"

    # The title, logo, favicon and colour.
    intro = pages["intro.html"].read_text("utf-8")
    assert "<title>" in intro and TITLE in intro, "the new title is not in the page head"
    assert "_static/kestrel-logo.svg" in intro and "_static/kestrel-favicon.svg" in intro
    for name, path in pages.items():
        used = re.findall(r'(?:src|href)="([^"]+)"', path.read_text("utf-8"))
        assert not [u for u in used if u.endswith("_static/logo.svg")], f"{name}: original logo"
        assert not [u for u in used if u.endswith("_static/favicon.svg")], f"{name}: old favicon"
    original_logo = (REPO / "_static" / "logo.svg").read_bytes()
    served = [p for p in (site / "_static").rglob("*") if p.is_file()]
    assert not [p for p in served if p.read_bytes() == original_logo], "the original logo is served"
    css = (site / "_static" / "book.css").read_text("utf-8")
    assert COLOUR in css and "#1f6f8b" not in css, "the new colour is not in the built stylesheet"

    # The Dutch items in the scorer chapter, and no original item anywhere.
    scorer = texts["chapters/tools/score-relationships.html"]
    for _theme, manager, member, anchors in DUTCH_ITEMS:
        for wording in (manager, member):
            assert wording in scorer, f"the scorer chapter does not show the item {wording!r}"
        assert " / ".join(anchors) in scorer, f"the scorer chapter lacks the labels {anchors}"
    for item in original_items:
        for wording in (item["manager"], item["member"]):
            wording = " ".join(wording.split())
            assert wording not in everything, f"an original item is still shown: {wording!r}"

    # The new catalogue in the planner chapter, and none of the original entries.
    planner_source = (book / "chapters" / "tools" / "plan-conversations.md").read_text("utf-8")
    planner = texts["chapters/tools/plan-conversations.html"]
    for title in NEW_TITLES:
        assert title in planner, f"the planner chapter does not offer {title!r} from the catalogue"
    for title in original_titles:
        if title not in planner_source:  # a title the chapter's own example types is not data
            assert title not in planner, f"the planner chapter still offers {title!r}"

    # The dropped chapter is gone, and nothing links to it.
    title = next(
        line[2:].strip()
        for line in (book / f"{DROPPED}.md").read_text("utf-8").splitlines()
        if line.startswith("# ")
    )
    assert f"{DROPPED}.html" not in pages, "the dropped chapter was built"
    assert fixed, "no link to the dropped chapter was found: pick a chapter other pages link to"
    for name, path in pages.items():
        links = re.findall(r'href="([^"]+)"', path.read_text("utf-8"))
        assert not [u for u in links if "learning-culture.html" in u], f"{name} links to it"
    assert title not in texts["intro.html"], "the dropped chapter is still in the navigation"
    assert not (site / "_sources" / f"{DROPPED}.ipynb").exists()


def assert_fork_pages_work_in_a_browser(book: Path) -> None:
    """Open every page of the fork in Chromium, as its readers will: clean loads, drawn charts
    and rendered widget previews, with the fork's own data in them."""
    from playwright.sync_api import sync_playwright

    docnames = toc_docnames(book / "_toc.yml")
    problems: list[str] = []
    with serve(book / "_build" / "html") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for docname in docnames:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                log = open_page(page, url, docname)
                problems += [f"{docname}: {p}" for p in log.problems()]
                charts = page.locator(".l4l-vega")
                for i in range(charts.count()):
                    if charts.nth(i).get_attribute("data-drawn") != "yes":
                        problems.append(f"{docname}: chart {i} did not draw")
                if docname == "chapters/tools/score-relationships":
                    preview = page.locator(".widget-subarea").first.inner_text()
                    if DUTCH_ITEMS[0][1] not in preview:
                        problems.append(f"{docname}: the scorer preview lacks the fork's items")
                context.close()
            # The fork's live scorer, in the page's own browser, asks the fork's own questions.
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{url}/live/voici/render/scorer.html")
            page.locator(".l4l-scorer").wait_for(timeout=240_000)
            live = page.locator(".l4l-scorer").inner_text()
            if DUTCH_ITEMS[0][1] not in live:
                problems.append("live scorer: the fork's first item is not shown")
            original = yaml.safe_load((REPO / "data" / "instrument.yml").read_text("utf-8"))
            if original["items"][0]["manager"].split("?")[0] in live:
                problems.append("live scorer: the original first item is shown")
            context.close()
        finally:
            browser.close()
    assert not problems, "the fork's pages in Chromium:\n" + "\n".join(problems)


def leave_an_earlier_build(book: Path) -> None:
    """What an L&D team has after building the original once: the chapter they will drop, and
    the original logo, already in _build/html. The rebuild must not publish either."""
    html = book / "_build" / "html"
    (html / f"{DROPPED}.html").parent.mkdir(parents=True, exist_ok=True)
    (html / f"{DROPPED}.html").write_text("<html>an earlier build</html>", encoding="utf-8")
    (html / "_static").mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "_static" / "logo.svg", html / "_static" / "logo.svg")


def test_a_customised_fork_builds_and_shows_only_its_own_branding(tmp_path: Path) -> None:
    book = tmp_path / "fork"
    copy_project(book)
    original_items = yaml.safe_load((REPO / "data" / "instrument.yml").read_text("utf-8"))["items"]
    with open(REPO / "data" / "resources.csv", encoding="utf-8-sig", newline="") as catalogue:
        original_titles = [row["title"] for row in csv.DictReader(catalogue) if row["title"]]
    leave_an_earlier_build(book)
    customise(book)
    fixed = unlink_dropped_chapter(book)
    problems = check_book_data(book)
    assert problems == [], "the customised copy has data problems:\n" + format_problems(problems)
    build_and_validate(book)
    assert_site_shows_the_fork(book, original_items, original_titles, fixed)
    assert_fork_pages_work_in_a_browser(book)
