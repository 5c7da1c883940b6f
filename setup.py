"""Build hook: put a copy of data/ inside the package, YAML also as JSON (see content/source.py).

``data/`` at the top of the book stays the one place an L&D team edits; this copy is made only
when a wheel is built, so an installed package (and the browser) carries the book's content.
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        sys.path.insert(0, str(ROOT))
        try:
            from widgets.content.source import compile_data
        finally:
            sys.path.pop(0)
        compile_data(ROOT / "data", Path(self.build_lib) / "widgets" / "content" / "data")


setup(cmdclass={"build_py": BuildWithData})
