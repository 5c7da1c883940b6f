"""The package installs on its own: a built wheel in a fresh virtual environment, outside the
checkout, carries its data and runs a tool chapter downloaded from the site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "chapters" / "tools" / "score-relationships.md"


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    # Never the caller's PYTHONPATH: pointing at a checkout, it makes pip see the package as
    # installed already (its .egg-info), so the fresh environment would not get the wheel.
    kwargs.setdefault("env", {k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)])
    (found,) = out.glob("leading_for_learning_widgets-*.whl")
    return found


def test_the_wheel_carries_the_books_content_as_json(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for data in ("instrument.json", "prompts.json", "example_team.csv", "resources.csv"):
        assert f"widgets/content/data/{data}" in names, data
    assert "widgets/content/schemas/instrument.schema.json" in names
    assert not [n for n in names if n.endswith((".yml", ".yaml"))], "YAML is compiled to JSON"
    templates = sorted(p.name for p in (ROOT / "widgets" / "templates").glob("*.j2"))
    assert templates, "the HTML templates are package data"
    for name in templates:
        assert f"widgets/templates/{name}" in names, name
    with zipfile.ZipFile(wheel) as archive:
        instrument = json.loads(archive.read("widgets/content/data/instrument.json"))
    assert [item["id"] for item in instrument["items"]] == [f"q{n}" for n in range(1, 8)]


def test_a_downloaded_tool_chapter_runs_in_a_fresh_environment(wheel: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    # The same versions as the book's own environment (requirements.txt pins them).
    pins = [line for line in (ROOT / "requirements.txt").read_text().splitlines()]
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(p for p in pins if p and not p.startswith(("#", "-e"))))
    run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "-c",
            str(constraints),
            str(wheel),
            "nbval",
            "ipykernel",
        ],
        cwd=tmp_path,
    )
    notebook = tmp_path / "downloads" / "score-relationships.ipynb"
    notebook.parent.mkdir()
    jupytext.write(jupytext.read(CHAPTER), notebook, fmt="ipynb")
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LEADING_FOR_LEARNING_DATA": str(tmp_path / "user-data"),
    }
    where = run(
        [str(python), "-c", "import widgets, widgets.content.source as s; print(s.content_dir())"],
        cwd=notebook.parent,
        env=env,
    )
    assert "site-packages" in where.stdout, "the installed package reads its own data"
    result = run(
        [str(python), "-m", "pytest", "--nbval-lax", "-q", "-p", "no:cacheprovider", notebook.name],
        cwd=notebook.parent,
        env=env,
    )
    assert " passed" in result.stdout and "failed" not in result.stdout
    assert not (tmp_path / "user-data" / "team.json").exists(), "the preview saved nothing"
