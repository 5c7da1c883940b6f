"""Sphinx extension for the book: self-hosted chart scripts and downloadable notebooks.

Registered in ``_config.yml`` (``sphinx.extra_extensions``). It loads the vendored Vega scripts on
every page *before* require.js (a UMD bundle loaded after require.js would register itself as an
AMD module and leave ``window.vegaEmbed`` undefined), and writes an ``.ipynb`` copy of every MyST
notebook page into ``_notebooks/`` so readers can download a chapter and run its tools.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

VEGA_SCRIPTS = (
    "lib/vega/vega.min.js",
    "lib/vega-lite/vega-lite.min.js",
    "lib/vega-embed/vega-embed.min.js",
)
NOTEBOOK_DIR = "_notebooks"
# Served as _static/ alongside _static/, but registered here rather than in _config.yml: Jupyter
# Book adds every .js file it finds in a configured static path to every page, in an order that
# would load the Vega bundles after require.js.
ASSETS_DIR = "assets"


def _add_assets_path(app: Sphinx, config: Any) -> None:
    assets = Path(app.confdir) / ASSETS_DIR
    if assets.is_dir() and str(assets) not in config.html_static_path:
        config.html_static_path.append(str(assets))


def _add_chart_scripts(app: Sphinx) -> None:
    for index, path in enumerate(VEGA_SCRIPTS):
        app.add_js_file(path, priority=200 + index)
    app.add_js_file("vega-charts.js", priority=210, defer="defer")


def _is_myst_notebook(path: Path) -> bool:
    if path.suffix != ".md":
        return False
    head = path.read_text(encoding="utf-8")[:2000]
    return head.startswith("---") and "jupytext:" in head and "kernelspec:" in head


def notebook_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{notebook}`text``: a link to the ``.ipynb`` copy of the current page."""
    env = inliner.document.settings.env
    docname = env.docname
    target = posixpath.relpath(f"{NOTEBOOK_DIR}/{docname}.ipynb", posixpath.dirname(docname))
    node = nodes.reference(rawtext, text or "Download this page as a notebook", refuri=target)
    node["classes"].append("l4l-notebook-download")
    return [node], []


class reading_time(nodes.Inline, nodes.TextElement):
    """Placeholder for ``{reading-time}``; replaced by an estimate once the page is read."""


WORDS_PER_MINUTE = 200


def reading_time_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{reading-time}`page``: "Reading time: about N minutes", counted from the page's prose."""
    return [reading_time(rawtext, "")], []


def estimate_minutes(words: int) -> int:
    """Minutes to read ``words`` words of prose at an unhurried pace, at least one."""
    return max(1, round(words / WORDS_PER_MINUTE))


def _fill_reading_time(app: Sphinx, doctree: nodes.document) -> None:
    placeholders = list(doctree.findall(reading_time))
    if not placeholders:
        return
    words = 0
    for text in doctree.findall(nodes.Text):
        parent = text.parent
        if isinstance(parent, (nodes.literal_block, nodes.raw, nodes.comment)):
            continue
        if any(isinstance(a, (nodes.literal_block, nodes.raw)) for a in _ancestors(parent)):
            continue
        words += len(text.astext().split())
    minutes = estimate_minutes(words)
    unit = "minute" if minutes == 1 else "minutes"
    for node in placeholders:
        replacement = nodes.emphasis("", f"Reading time: about {minutes} {unit}.")
        replacement["classes"].append("l4l-reading-time")
        node.replace_self(replacement)


def _ancestors(node: nodes.Node):
    while node is not None:
        yield node
        node = node.parent


def _write_notebooks(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder is None or app.builder.format != "html":
        return
    import jupytext

    out = Path(app.builder.outdir) / NOTEBOOK_DIR
    count = 0
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        if not _is_myst_notebook(source):
            continue
        notebook = jupytext.read(source)
        notebook.metadata.pop("jupytext", None)
        target = out / f"{docname}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(notebook, target, fmt="ipynb")
        count += 1
    logger.info(f"wrote {count} downloadable notebooks to {out}")


def _drop_thebe(app: Sphinx) -> None:
    """Unhook sphinx-thebe, which Jupyter Book always loads.

    Live code cells via Thebe would fetch thebe from unpkg.com (this book makes no third-party
    requests), and its config script is added twice per page, a console error. The tools run in
    JupyterLab, Voila or a JupyterHub launch button instead.
    """
    for event in ("env-before-read-docs", "doctree-resolved", "builder-inited"):
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)


def setup(app: Sphinx) -> dict[str, Any]:
    _drop_thebe(app)
    app.connect("config-inited", _add_assets_path)
    app.connect("builder-inited", _add_chart_scripts)
    app.connect("build-finished", _write_notebooks)
    app.add_role("notebook", notebook_role)
    app.add_role("reading-time", reading_time_role)
    app.add_node(reading_time)
    app.connect("doctree-read", _fill_reading_time)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
