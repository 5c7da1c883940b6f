"""Fixtures for the workshop's Voila tests: a real Voila server and the system Chromium.

Imported by tests/browser/test_workshop.py (the shared tests/browser/conftest.py is not ours).
Voila runs on a free loopback port with its own temporary folder, so the participants' private
data folders it creates can be inspected and are removed with it.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

try:
    from .site_checks import CHROMIUM_ARGS, chromium_path
except ImportError:
    from site_checks import CHROMIUM_ARGS, chromium_path

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 300


@dataclass(frozen=True)
class VoilaServer:
    """A running Voila server: its base URL and the temporary folder its kernels use."""

    url: str
    tmpdir: Path
    log: Path
    process: subprocess.Popen

    def render(self, notebook: str) -> str:
        return f"{self.url}/voila/render/{notebook}"

    def participant_folders(self) -> list[Path]:
        """The private data folders participant kernels have created so far."""
        return sorted(self.tmpdir.glob("l4l-workshop/*/l4l-participant-*"))

    def output(self) -> str:
        """What the server printed so far (its addresses, warnings and errors)."""
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Voila exited early:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            if error.code == 404:  # the server answers: it is up
                return
            time.sleep(0.5)
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"Voila did not start in {START_TIMEOUT} s:\n{log.read_text()[-3000:]}")


def _launcher():
    spec = importlib.util.spec_from_file_location("workshop_launcher", REPO / "scripts/workshop.py")
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    return launcher


@contextmanager
def workshop_server(
    tmpdir: Path, host: str = "127.0.0.1", *, token: bool = False
) -> Iterator[VoilaServer]:
    """Run `make workshop`'s command on a free port, with its temporary folder in ``tmpdir``."""
    launcher = _launcher()
    tmpdir.mkdir(parents=True, exist_ok=True)
    log = tmpdir.parent / f"{tmpdir.name}-voila.log"
    port = free_port()
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    env.pop("LEADING_FOR_LEARNING_DATA", None)  # the participant app must set its own
    with log.open("w") as out:
        process = subprocess.Popen(
            launcher.build_command(host, port, token=token),
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url + "/voila/render/not-a-page", process, log)
        yield VoilaServer(url=url, tmpdir=tmpdir, log=log, process=process)
    finally:
        stop(process)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a server started by workshop_server (and its kernels) with ``sig``."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """The workshop server (as `make workshop` starts it) for the session's tests."""
    with workshop_server(tmp_path_factory.mktemp("voila-tmp")) as server:
        yield server


@pytest.fixture(scope="session")
def chromium(request: pytest.FixtureRequest):
    """The system Chromium under Playwright; a missing browser FAILS the tests, loudly.

    Reuses the session's ``browser`` fixture when tests/browser/conftest.py provides one (two
    Playwright sync instances cannot run in one process at once); otherwise launches its own.
    """
    executable = chromium_path()  # fails loudly when Chromium is missing
    try:
        shared = request.getfixturevalue("browser")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        yield shared
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
