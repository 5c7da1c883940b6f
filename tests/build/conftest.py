"""The strict build, run once per test session and shared by every build test that needs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def build() -> subprocess.CompletedProcess[str]:
    # --all re-reads every page (execution stays cached), so a warning in an unchanged page still
    # fails the build instead of hiding behind Sphinx's incremental build.
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_book.py"), "--all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    print(result.stdout[-5000:])
    print(result.stderr[-5000:], file=sys.stderr)
    return result
