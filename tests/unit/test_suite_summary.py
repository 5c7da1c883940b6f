"""scripts/test_summary.py: one line per suite, and a suite that did not really run fails."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Loaded under its own name: "test_summary" is also tests/unit/test_summary.py's module name.
_spec = importlib.util.spec_from_file_location("suite_summary", REPO / "scripts/test_summary.py")
test_summary = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(test_summary)


def report(folder: Path, name: str, tests: int, failures: int = 0, skipped: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.xml").write_text(
        f'<testsuites><testsuite name="pytest" tests="{tests}" failures="{failures}" '
        f'errors="0" skipped="{skipped}"/></testsuites>',
        encoding="utf-8",
    )


def all_suites(folder: Path, **special: tuple[int, int, int]) -> None:
    for name in test_summary.SUITES:
        report(folder, name, *special.get(name, (3, 0, 0)))


def test_every_suite_of_make_test_is_counted_content_included(tmp_path, capsys):
    all_suites(tmp_path)
    assert test_summary.main(str(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "content" in test_summary.SUITES
    for name in test_summary.SUITES:
        assert f"  {name:<10} 3 passed, 0 failed" in out
    assert f"all: {3 * len(test_summary.SUITES)} passed, 0 failed, 0 skipped" in out


@pytest.mark.parametrize(
    ("counts", "note"),
    [((0, 0, 0), "ran no test"), ((4, 0, 4), "every test skipped"), ((4, 1, 0), "1 failed")],
    ids=["empty", "skipped", "failed"],
)
def test_a_suite_that_did_not_really_pass_fails_the_summary(tmp_path, capsys, counts, note):
    all_suites(tmp_path, content=counts)
    assert test_summary.main(str(tmp_path)) == 1
    assert note in capsys.readouterr().out


def test_a_missing_report_fails_the_summary(tmp_path, capsys):
    all_suites(tmp_path)
    (tmp_path / "content.xml").unlink()
    assert test_summary.main(str(tmp_path)) == 1
    assert "content    DID NOT RUN" in capsys.readouterr().out
