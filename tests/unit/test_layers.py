"""The package's layers import one way, and the part that runs in the browser stays pure.

Layers, top to bottom: apps -> views/exports -> core -> content -> base. ``frames`` (pandas),
``altair_renderer``, ``research`` and ``book`` are adapters and build tooling that nothing in the
layers may import. The pure part runs in Pyodide, where pandas, numpy, Altair, PyYAML and docutils
cannot be installed: a subprocess with those imports blocked must still score a team end to end.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "widgets"

# What each layer may import from inside the package (besides itself).
ALLOWED = {
    "base": set(),
    "content": {"base"},
    "core": {"base", "content"},
    "exports": {"base", "content", "core"},
    "views": {"base", "content", "core"},
    "apps": {"base", "content", "core", "exports", "views"},
    "frames": {"base", "content", "core", "views"},
    "altair_renderer": {"views"},
    "research": {"base", "content", "altair_renderer"},
    "book": {"base", "content", "core", "views"},
}
PURE_LAYERS = ("base", "content", "core", "exports", "views")
PURE_APPS = (
    "scorer",
    "planner",
    "summary_panel",
    "base",
    "messages",
    "checklist",
    "member_form",
    "gap_panel",
    "history_panel",
)
HEAVY = ("pandas", "numpy", "altair", "yaml", "docutils", "sphinx")
# Served in the browser (MarkupSafe as a pure wheel, vendor/live/NOTES.md), so not HEAVY: the
# HTML templates need them. But they load on the first render, never at import.
LAZY = ("jinja2", "markupsafe")


def layer_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def imports_of(path: Path, *, top_level: bool = False) -> list[tuple[str, int]]:
    """(absolute module, line) for every import in a module, relative ones resolved.

    ``top_level`` keeps only imports that run when the module loads (not those inside a
    function, which run only when that function is called).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["widgets", *path.relative_to(PACKAGE).with_suffix("").parts[:-1]]
    if path.name == "__init__.py":
        package = ["widgets", *path.relative_to(PACKAGE).parent.parts]
    found = []
    nodes = tree.body if top_level else ast.walk(tree)
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((name, node.lineno))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_the_layers(path: Path) -> None:
    layer = layer_of(path)
    assert layer in ALLOWED, f"{layer}: a new top-level part needs a place in ALLOWED"
    wrong = []
    for name, line in imports_of(path):
        parts = name.split(".")
        if parts[0] != "widgets" or len(parts) < 2:
            continue
        target = parts[1]
        if target != layer and target not in ALLOWED[layer]:
            wrong.append(f"line {line}: {layer} imports {name}")
    assert not wrong, wrong


@pytest.mark.parametrize(
    "path",
    [p for p in MODULES if layer_of(p) in PURE_LAYERS]
    + [PACKAGE / "apps" / f"{name}.py" for name in PURE_APPS],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_the_browser_part_imports_nothing_compiled(path: Path) -> None:
    heavy = [
        f"line {line}: {name}"
        for name, line in imports_of(path, top_level=True)
        if name.split(".")[0] in HEAVY
    ]
    assert not heavy, heavy


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_templates_load_jinja2_on_first_use_not_at_import(path: Path) -> None:
    early = [
        f"line {line}: {name}"
        for name, line in imports_of(path, top_level=True)
        if name.split(".")[0] in LAZY
    ]
    assert not early, early


def test_the_import_checker_sees_a_wrong_import(tmp_path: Path) -> None:
    """The check above is not vacuous: a planted upward import is caught."""
    planted = PACKAGE / "core" / "_planted_for_test.py"
    planted.write_text("from ..apps import scorer\nimport pandas\n", encoding="utf-8")
    try:
        names = [name for name, _ in imports_of(planted)]
        assert "widgets.apps" in names and "pandas" in names
    finally:
        planted.unlink()


BLOCKED_RUN = textwrap.dedent(
    """
    import importlib.abc, json, sys, time

    BLOCKED = {blocked!r}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ImportError(f"{{name}} is not available in the browser")
            return None

    sys.meta_path.insert(0, Block())
    start = time.perf_counter()
    import widgets.core.scoring
    core_seconds = time.perf_counter() - start

    from widgets.apps.planner import ConversationPlanner
    from widgets.apps.scorer import RelationshipScorer
    from widgets.core import scoring, teamfile
    from widgets.core.plans import ConversationPlan, plans_csv_text
    from widgets.exports.plans import export_text
    from widgets.views.charts import team_chart_spec

    team = teamfile.read_team({example!r})
    scores = scoring.score_members(team)
    behind = [s.name for s in scores if s.left_behind]
    spec = team_chart_spec(scores)
    pattern = scoring.gradient(scores)
    scorer = RelationshipScorer(data_path={folder!r} + "/team.json", place="browser")
    scorer.import_csv(open({example!r}, "rb").read(), "team.csv")
    scorer.answers["q1"].value = 1
    scorer.save()
    planner = ConversationPlanner(scorer, data_path={folder!r} + "/plans.json", place="browser")
    plan = ConversationPlan.from_dict({{**{sample!r}, "member": behind[0]}})
    name, mime, ics = export_text([plan], "ics")
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
    try:
        import widgets.frames  # needs pandas: the block must stop it
        frames_blocked = False
    except ImportError:
        frames_blocked = True
    print(json.dumps({{
        "core_seconds": core_seconds, "members": len(team), "left_behind": behind,
        "chart_marks": len(spec["layer"]), "pattern": pattern["strength"],
        "saved": scorer.store.exists(), "ics": ics.startswith("BEGIN:VCALENDAR"),
        "csv": plans_csv_text([plan]).startswith("\\ufeff"), "loaded": loaded,
        "frames_blocked": frames_blocked,
    }}))
    """
)


def test_the_pure_part_scores_the_example_team_with_compiled_packages_blocked(tmp_path):
    """What the live apps run: packaged content (JSON), no pandas, numpy, Altair or PyYAML."""
    sys.path.insert(0, str(REPO))
    from widgets.content.source import compile_data

    content = tmp_path / "content"
    compile_data(REPO / "data", content)
    assert not list(content.rglob("*.yml")), "the packaged content needs no YAML reader"
    from plan_samples import BASE

    script = BLOCKED_RUN.format(
        blocked=HEAVY,
        example=str(content / "example_team.csv"),
        folder=str(tmp_path),
        sample=BASE,
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(REPO),
            "LEADING_FOR_LEARNING_BOOK_DATA": str(content),
            "LEADING_FOR_LEARNING_DATA": str(tmp_path / "user"),
            "HOME": str(tmp_path),
        },
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["members"] == 12
    assert report["left_behind"] == ["Ivo Pretend", "Jo Madeup", "Kai Notreal"]
    assert report["chart_marks"] >= 3 and report["pattern"] == "strong_positive"
    assert report["saved"] and report["ics"] and report["csv"]
    assert report["loaded"] == []
    assert report["frames_blocked"], "the block is real: the pandas adapter cannot load"
