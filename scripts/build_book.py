"""Build the book strictly (a warning, broken reference or cell error fails it); say where."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
STRICT = ["-W", "-n", "--keep-going"]


def main(argv: list[str]) -> int:
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", str(ROOT), "--builder", "html", *STRICT, *argv]
    start = time.perf_counter()
    # Chapters run the tools on synthetic data: keep that away from the reader's real saved data.
    with tempfile.TemporaryDirectory(prefix="l4l-build-data-") as scratch:
        env = {**os.environ, "LEADING_FOR_LEARNING_DATA": scratch}
        result = subprocess.run(command, cwd=ROOT, env=env)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        reports = sorted((HTML / "reports").glob("**/*.log")) if (HTML / "reports").is_dir() else []
        print(f"\nThe book build FAILED after {seconds:.0f} s (see the warnings above).")
        for report in reports:
            print(f"  execution report kept: {report.relative_to(ROOT)}")
        return result.returncode
    print(f"\nBuilt the book in {seconds:.0f} s. Open {HTML / 'index.html'}")
    print("or run `make serve` and visit http://127.0.0.1:8000/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
