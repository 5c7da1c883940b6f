"""Split the ipywidgets HTML manager bundle so pages load only what ipywidgets 8 needs.

``embed-amd.js`` from ``@jupyter-widgets/html-manager`` is a row of AMD ``define(...)`` blocks:
base, controls, base7, controls7, html-manager and the embed loader. No other block lists
``base7`` or ``controls7`` as a dependency: the html-manager draws state saved by ipywidgets 7 with
a copy of its own, and the two standalone modules are there for any other script that asks
require.js for them by name. Written to their own files beside the bundle (``widgets-config.js``
maps their names there), require.js fetches them only if something asks, and every page with a
widget preview skips about 230 kB (gzipped) of script it never runs. A browser test checks both
halves: ipywidgets 7 state still draws, and asking for ``controls7`` loads it from the site.

Usage: ``python scripts/split_widget_bundle.py SOURCE_EMBED_AMD_JS OUT_DIR``
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ON_DEMAND = ("@jupyter-widgets/base7", "@jupyter-widgets/controls7")
# A block begins at its licence banner when it has one, else at its define(.
BLOCK = re.compile(r'(?:/\*! For license information[^\n]*\*/\n)?define\("([^"]+)"')


def split_bundle(source: str) -> tuple[str, dict[str, str]]:
    """Return the bundle without the on-demand modules, and those modules' text by name."""
    starts = [(m.start(), m.group(1)) for m in BLOCK.finditer(source)]
    names = [name for _, name in starts]
    missing = [name for name in ON_DEMAND if name not in names]
    if missing or not names or starts[0][0] != 0:
        raise SystemExit(
            f"embed-amd.js does not have the expected layout (modules found: {names}); "
            "check the html-manager release notes before splitting it."
        )
    kept, moved = [], {}
    for (start, name), (end, _) in zip(starts, [*starts[1:], (len(source), "")], strict=True):
        block = source[start:end]
        if name in ON_DEMAND:
            moved[name] = block
        else:
            kept.append(block)
    return "".join(kept), moved


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1])
        return 2
    source, out = Path(argv[0]), Path(argv[1])
    bundle, moved = split_bundle(source.read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    (out / "embed-amd.js").write_text(bundle, encoding="utf-8")
    for name, text in moved.items():
        (out / f"{name.rsplit('/', 1)[1]}.js").write_text(text, encoding="utf-8")
    print(f"split {source.name}: kept {len(bundle):,} bytes; on demand: {', '.join(moved)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
