"""Fixtures of the live-app tests: the demo wheel, the built site and a plain static server."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
HTML = ROOT / "_build" / "html"
LIVE = HTML / "live"

sys.path.insert(0, str(ROOT / "scripts"))


def make_wheel(src: Path, out_dir: Path) -> Path:
    """A py3-none-any wheel of the pure package in `src` (pyproject [project] name/version)."""
    text = (src / "pyproject.toml").read_text()
    meta = dict(re.findall(r'^(name|version|requires-python)\s*=\s*"([^"]+)"', text, re.M))
    name, version = meta["name"], meta["version"]
    dist = f"{name.replace('-', '_')}-{version}"
    files: dict[str, bytes] = {}
    for f in sorted(src.rglob("*.py")):
        files[f.relative_to(src).as_posix()] = f.read_bytes()
    files[f"{dist}.dist-info/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        f"Requires-Python: {meta.get('requires-python', '>=3')}\n"
    ).encode()
    files[f"{dist}.dist-info/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: tests/live\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )

    def digest(b: bytes) -> str:
        return base64.urlsafe_b64encode(hashlib.sha256(b).digest()).decode().rstrip("=")

    record = "".join(f"{n},sha256={digest(b)},{len(b)}\n" for n, b in files.items())
    files[f"{dist}.dist-info/RECORD"] = (record + f"{dist}.dist-info/RECORD,,\n").encode()
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in files.items():
            z.writestr(zipfile.ZipInfo(n, date_time=(1980, 1, 1, 0, 0, 0)), b)
    return wheel


@pytest.fixture(scope="session")
def live_site() -> Path:
    """Build the demo into _build/html/live, unless LIVE_REUSE=1 and a build is there."""
    if os.environ.get("LIVE_REUSE") == "1" and (LIVE / "live-build.json").exists():
        return LIVE
    from build_live import build_live

    wheel = make_wheel(HERE / "demo_pkg", ROOT / "_build" / "live-cache" / "demo-wheel")
    build_live(LIVE, [HERE / "demo_app.ipynb"], [wheel], files=[HERE / "demo_team.csv"])
    return LIVE


@pytest.fixture(scope="session")
def server(live_site):
    """`python -m http.server` on 127.0.0.1 serving _build/html; yields the base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=HTML,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)
