"""The workshop's notebooks and launcher: stored clean, data isolated, loopback, right URLs.

The workshop's content (agendas, role cards) is checked in tests/content/test_workshop_content.py.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]


# --- the participant and dashboard notebooks ----------------------------------------------------


@pytest.mark.parametrize("name", ["participant.ipynb", "dashboard.ipynb"])
def test_workshop_notebooks_are_stored_without_outputs(name):
    notebook = nbformat.read(REPO / "workshop" / name, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_participant_notebook_isolates_its_data_before_creating_the_apps():
    notebook = nbformat.read(REPO / "workshop" / "participant.ipynb", as_version=4)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    first = code[0]
    assert "LEADING_FOR_LEARNING_DATA" in first and "mkdtemp" in first
    assert "RelationshipScorer(" not in first
    assert any("RelationshipScorer(" in source for source in code[1:])
    steps = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    for number in (1, 2, 3, 4):
        assert any(f"Step {number}" in text for text in steps)


# --- the launcher -------------------------------------------------------------------------------


def _launcher():
    spec = importlib.util.spec_from_file_location("workshop_launcher", REPO / "scripts/workshop.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_launcher_serves_the_workshop_folder_on_loopback_by_default(capsys):
    launcher = _launcher()
    args = launcher.parse_args([])
    assert (args.host, args.port) == ("127.0.0.1", 8866)
    options = launcher.voila_arguments(args.host, args.port)
    assert options[0] == str(REPO / "workshop")
    assert "--no-browser" in options
    assert "--Voila.ip=127.0.0.1" in options and "--port=8866" in options
    assert "--VoilaConfiguration.show_tracebacks=False" in options
    assert "--Voila.log_level=WARN" in options  # Voila's info lines print kernel ids
    # a room opening the page at once: cells wait for the CPU longer than Voila's 4 s default
    assert any(o.startswith("--VoilaExecutor.iopub_timeout=") for o in options)
    # kernels of vanished pages are stopped (never those of open pages)
    assert f"--MappingKernelManager.cull_idle_timeout={30 * 60}" in options
    assert "--MappingKernelManager.cull_connected=False" in options
    command = launcher.build_command(args.host, args.port, python="python")
    assert command == [
        "python",
        str(REPO / "scripts/workshop.py"),
        "--host=127.0.0.1",
        "--port=8866",
    ]
    assert launcher.main(["--print-command", "--port", "9100"]) == 0
    assert "--port=9100" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("host", "beyond"),
    [
        ("127.0.0.1", False),
        ("localhost", False),
        ("::1", False),
        ("127.0.0.2", False),
        ("0.0.0.0", True),
        ("::", True),
        ("10.1.2.3", True),
        ("team-server.example", True),
    ],
)
def test_the_dashboard_token_is_required_beyond_loopback(host, beyond):
    assert _launcher().beyond_loopback(host) is beyond


def test_folders_of_a_killed_server_are_removed_and_a_running_ones_kept(tmp_path):
    launcher = _launcher()
    root = launcher.folders_root(tmp_path)
    mine = launcher.new_run_folder(root)
    (mine / "l4l-participant-a").mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    abandoned = root / f"{dead.pid}-0000"
    (abandoned / "l4l-participant-b").mkdir(parents=True)
    (abandoned / "l4l-participant-b" / "team.json").write_text("{}", encoding="utf-8")
    assert launcher.remove_abandoned_folders(root) == [abandoned]
    assert not abandoned.exists() and (mine / "l4l-participant-a").is_dir()
    assert oct(root.stat().st_mode & 0o777) == "0o700"


def test_launcher_prints_both_addresses():
    urls = _launcher().urls("127.0.0.1", 9100)
    assert urls == {
        "participant": "http://127.0.0.1:9100/voila/render/participant.ipynb",
        "facilitator": "http://127.0.0.1:9100/voila/render/dashboard.ipynb",
    }
