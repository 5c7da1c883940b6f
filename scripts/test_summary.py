"""Print a line per test suite from the JUnit reports, then the total; fail if a suite is missing.

A suite that did not run (no report), ran no test, or skipped every test it has counts as a
failure: a skipped suite must never look like a pass.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

SUITES = ("unit", "content", "notebooks", "build", "browser")


def counts(report: Path) -> dict[str, int]:
    root = ET.parse(report).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in total:
            total[key] += int(suite.get(key, 0))
    return total


def main(folder: str) -> int:
    reports = Path(folder)
    ok = True
    passed_all = failed_all = skipped_all = 0
    print("\nTest suites:")
    for name in SUITES:
        report = reports / f"{name}.xml"
        if not report.is_file():
            print(f"  {name:<10} DID NOT RUN (no report)")
            ok = False
            continue
        c = counts(report)
        failed = c["failures"] + c["errors"]
        passed = c["tests"] - failed - c["skipped"]
        passed_all += passed
        failed_all += failed
        skipped_all += c["skipped"]
        note = ""
        if c["tests"] == 0:
            note = "  <- ran no test"
            ok = False
        elif passed == 0 and not failed:
            note = "  <- every test skipped"
            ok = False
        if c["skipped"]:
            note += f"  <- {c['skipped']} skipped"
        print(f"  {name:<10} {passed} passed, {failed} failed{note}")
        ok = ok and failed == 0
    print(f"all: {passed_all} passed, {failed_all} failed, {skipped_all} skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "_build/test-reports"))
