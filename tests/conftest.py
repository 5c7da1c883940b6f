"""Shared fixtures: every test gets its own per-user data folder, never the real one."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point the tools' per-user data folder at a fresh temporary folder for each test."""
    folder = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("LEADING_FOR_LEARNING_DATA", str(folder))
    return folder


@pytest.fixture
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of data/ that a test may break, as an L&D team would; the loaders read it."""
    import shutil

    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target)
    monkeypatch.setenv("LEADING_FOR_LEARNING_BOOK_DATA", str(target))
    return target


@pytest.fixture
def repo_root() -> Path:
    return REPO
