"""Check the book's data and config files (`make check-data`): every mistake, each with its fix.

Exits 0 when every file is valid, 1 with the list of problems otherwise. Checks the book this
script belongs to, or the folder given with --root.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the book's folder")
    args = parser.parse_args(argv)
    from widgets.book.validation import check_book_data, format_problems

    problems = check_book_data(args.root)
    if problems:
        print(format_problems(problems))
        return 1
    print(f"All data files are valid ({args.root}).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
