"""The live pages: the scorer, the planner and the member form as they open from the site.

In the reader's browser (Pyodide, under Voici) the data folder is the page's own folder in
JupyterLite's drive, which the browser keeps in its own storage (IndexedDB) between visits. In
JupyterLab or Voila the same pages use the per-user data folder. If the browser cannot keep files
(no service worker, storage refused), the page says so and saving is replaced by exporting.
"""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..base.errors import InputError
from ..base.storage import ENV_DATA_DIR, data_dir
from ..base.templating import fragment
from .scorer import SAVE_NAME, RelationshipScorer

IN_BROWSER = sys.platform == "emscripten"
NO_STORAGE = (
    "This browser window cannot keep files for this site (private windows and some browser "
    "settings refuse it, and plain http on a network address has no service worker). The tool "
    "works, but nothing is kept when you leave the page: use Export to save your work as a file."
)


def browser_folder() -> tuple[Path, str]:
    """The folder the live page keeps its files in, and a problem sentence ("" if none)."""
    if not IN_BROWSER:
        return data_dir(), ""
    folder = Path.cwd()
    if not str(folder).startswith("/drive"):
        return folder, NO_STORAGE
    probe = folder / f".l4l-probe-{uuid.uuid4().hex}"
    try:
        probe.write_text("ok", encoding="utf-8")
        kept = probe.read_text(encoding="utf-8") == "ok"
        probe.unlink()
    except OSError:
        kept = False
    return folder, "" if kept else NO_STORAGE


def _place() -> str:
    return "browser" if IN_BROWSER else "computer"


def _notice(problem: str) -> w.HTML:
    if not problem:
        return w.HTML()
    return w.HTML(fragment("messages.html.j2", "notice", problem=problem))


def scorer_page() -> w.Widget:
    """The live relationship scorer: starts empty (the example only on request), keeps the
    team in the browser, imports and exports real files."""
    folder, problem = _prepare()
    scorer = RelationshipScorer(folder / SAVE_NAME, place=_place())
    if problem:
        _no_saving(scorer, problem)
    return w.VBox([_notice(problem), scorer.widget])


def planner_page() -> w.Widget:
    """The live conversation planner, offering the members of the team saved by the scorer."""
    from .planner import ConversationPlanner  # only here: the scorer page never loads icalendar

    folder, problem = _prepare()
    scorer = RelationshipScorer(folder / SAVE_NAME, place=_place())  # not shown: its team only
    planner = ConversationPlanner(scorer, folder / "plans.json", place=_place())
    if problem:
        _no_saving(planner, problem)
    return w.VBox([_notice(problem), planner.widget])


def member_form_page() -> w.Widget:
    """The member form: a team member answers about their manager; nothing is kept or sent,
    so it needs no storage (it works in a private window too)."""
    from .member_form import MemberForm  # only here: each live page loads what it shows

    return MemberForm().widget


def workshop_page() -> w.Widget:
    """The live workshop page for a participant: score the team, plan two conversations, hand
    in the anonymous summary as a code or a file. Kept in this browser (the same team as the
    live scorer's), so a reload keeps the work and the summary's id."""
    from .planner import ConversationPlanner
    from .summary_panel import SummaryPanel

    folder, problem = _prepare()
    scorer = RelationshipScorer(folder / SAVE_NAME, place=_place())
    planner = ConversationPlanner(scorer, folder / "plans.json", place=_place())
    panel = SummaryPanel(scorer, planner, id_path=folder / "summary-id.txt")
    if problem:
        _no_saving(scorer, problem)
        _no_saving(planner, problem)
    steps = w.Tab(children=[scorer.widget, planner.widget, panel.widget])
    for number, title in enumerate(
        ("1-2. Score your team", "3. Plan two conversations", "4. Hand in your summary")
    ):
        steps.set_title(number, title)
    steps.add_class("l4l-workshop-steps")
    page = w.VBox([_notice(problem), steps])
    page.add_class("l4l-workshop")
    return page


def dashboard_page() -> w.Widget:
    """The live facilitator dashboard: pasted codes and files in, group results out, kept in
    this browser (summaries and the results already shown) across reloads."""
    from .dashboard import FacilitatorDashboard

    folder, problem = _prepare()
    state = None if problem else folder / "dashboard.json"
    dashboard = FacilitatorDashboard(state_path=state)
    return w.VBox([_notice(problem), dashboard.widget])


def _prepare() -> tuple[Path, str]:
    try:
        folder, problem = browser_folder()
    except InputError as error:
        return Path.cwd(), str(error)
    os.environ[ENV_DATA_DIR] = str(folder)  # the planner's default plans file goes here too
    return folder, problem


def _no_saving(app: Any, problem: str) -> None:
    app.folder_problem = problem
    app.save_button.disabled = True
    app.show_message(problem, "error")
