"""Sphinx extension for the book: self-hosted chart scripts and downloadable notebooks.

Registered in ``_config.yml`` (``sphinx.extra_extensions``). It loads the vendored Vega scripts on
every page *before* require.js (a UMD bundle loaded after require.js would register itself as an
AMD module and leave ``window.vegaEmbed`` undefined), and writes an ``.ipynb`` copy of every MyST
notebook page into ``_sources/`` (beside the page source) so readers can download a chapter and
run its tools, from the link in the chapter or the header's download menu.
"""

from __future__ import annotations

import os
import posixpath
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

VEGA_SCRIPTS = (
    "lib/vega/vega.min.js",
    "lib/vega-lite/vega-lite.min.js",
    "lib/vega-embed/vega-embed.min.js",
)
NOTEBOOK_DIR = "_sources"
# Served as _static/ alongside _static/, but registered here rather than in _config.yml: Jupyter
# Book adds every .js file it finds in a configured static path to every page, in an order that
# would load the Vega bundles after require.js.
ASSETS_DIR = "assets"
TEMPLATES_DIR = Path(__file__).parent / "templates"


def _apply_organisation(app: Sphinx, config: Any) -> None:
    """Fill the text substitutions from data/organisation.yml, so each value is written once."""
    from sphinx.errors import ConfigError

    from ..base.errors import InputError
    from ..content.organisation import load_organisation

    try:
        organisation = load_organisation()
    except InputError as error:
        raise ConfigError(str(error)) from None
    substitutions = dict(config.myst_substitutions or {})
    substitutions["org_name"] = organisation.org_name
    substitutions["min_group_size"] = str(organisation.min_group_size)
    config.myst_substitutions = substitutions


def _check_book_files(app: Sphinx, config: Any) -> None:
    """Stop the build with every mistake in data/, _config.yml and _toc.yml, each with its fix."""
    from sphinx.errors import ConfigError

    from ..content.source import content_dir
    from .validation import check_book_data, format_problems

    toc = getattr(config, "external_toc_path", None) or "_toc.yml"
    problems = check_book_data(app.confdir, data=content_dir(), toc=Path(app.confdir, toc))
    if not problems:
        return
    if "jupyter_book.cli.main" in sys.modules:
        # jupyter-book's command line adds a traceback to any Sphinx error: leave with the list.
        raise SystemExit(f"\n{format_problems(problems)}\n")
    raise ConfigError(format_problems(problems))


DATA_STAMP = ".l4l-data-fingerprint"


def _hash_files(files: Iterable[Path], base: Path) -> str:
    """A short hash of files' names (relative to ``base``, so a moved checkout is no change) and
    contents."""
    import hashlib

    digest = hashlib.sha256()
    for path in files:
        digest.update(os.path.relpath(path, base).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def code_fingerprint(package: Path | None = None) -> str:
    """A short hash of the widgets package's source (the code every chapter runs); bytecode and
    other generated files do not count."""
    package = package or Path(__file__).resolve().parent.parent
    files = [
        path
        for path in sorted(package.rglob("*"))
        if path.suffix in (".py", ".json", ".html") and "__pycache__" not in path.parts
    ]
    return _hash_files(files, package)


def empty_cache_if_inputs_changed(build: Path, cache: Path) -> str:
    """Empty the notebook cache when data/ or the widgets code changed; return the fingerprint.

    Pages show what data/ holds and what the tools draw, but the execution cache only notices a
    page's own edits: after a data or code change every notebook must run again, so no page keeps
    the old wording or an old chart. The build script calls this before it runs notebooks in
    parallel, and the Sphinx hook below calls it again (then a no-op).
    """
    import shutil

    from ..content.source import content_dir
    from .validation import data_fingerprint

    fingerprint = f"{data_fingerprint(content_dir())}-{code_fingerprint()}"
    stamp = build / DATA_STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == fingerprint:
        return fingerprint
    if cache.is_dir():
        logger.info("the data files or the widgets code changed: every notebook runs again")
        shutil.rmtree(cache)
    build.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint + "\n", encoding="utf-8")
    return fingerprint


def _rerun_when_data_changes(app: Sphinx, config: Any) -> None:
    """After a data edit, re-read every page and run every notebook again."""
    build = Path(app.outdir).parent
    cache = Path(getattr(config, "nb_execution_cache_path", "") or build / ".jupyter_cache")
    # A changed value makes Sphinx re-read every page.
    config.l4l_data_fingerprint = empty_cache_if_inputs_changed(build, cache)


def static_fingerprint(confdir: Path, static_paths: list[str]) -> str:
    """A short hash of every file the site serves from its static folders (styles, logo, scripts).

    Sphinx rebuilds nothing when only such a file changed (no page is out of date), so an edited
    stylesheet or logo would never reach the site; as an ``html`` config value this fingerprint
    makes it rewrite every page, which also renews the ``?v=`` stamp browsers cache by. Empty
    entries (no logo set) are skipped.
    """
    files: list[Path] = []
    for entry in filter(None, static_paths):
        path = Path(confdir, entry)
        files += [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return _hash_files(files, confdir)


def _add_assets_path(app: Sphinx, config: Any) -> None:
    assets = Path(app.confdir) / ASSETS_DIR
    if assets.is_dir() and str(assets) not in config.html_static_path:
        config.html_static_path.append(str(assets))
    config.l4l_static_fingerprint = static_fingerprint(
        Path(app.confdir),
        [*config.html_static_path, config.html_logo or "", config.html_favicon or ""],
    )
    # Template overrides that keep pages light (see templates/static/webpack-macros.html).
    if str(TEMPLATES_DIR) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES_DIR))


def _note_chart_pages(app: Sphinx, doctree: nodes.document) -> None:
    """Remember which pages hold a chart, so only those load the Vega scripts (about 280 kB)."""
    pages = app.env.__dict__.setdefault("l4l_chart_pages", set())
    has_chart = any("l4l-vega" in node.astext() for node in doctree.findall(nodes.raw))
    if has_chart:
        pages.add(app.env.docname)
    else:
        pages.discard(app.env.docname)


def _add_site_scripts(app: Sphinx) -> None:
    app.add_js_file("a11y.js", defer="defer")
    app.add_js_file("live-check.js", defer="defer")


LIVE_PAGES = "live/voici/render"


class LiveAppDirective(SphinxDirective):
    """``{live-app} scorer``: the "Use it live" button of a tool chapter, opening the app that
    runs in the reader's browser (``live/voici/render/<name>.html``), with a plain sentence on
    what to expect and, filled in by ``live-check.js``, what this browser cannot do."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {"label": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        from ..base.templating import fragment

        name = self.arguments[0]
        target = posixpath.relpath(f"{LIVE_PAGES}/{name}.html", posixpath.dirname(self.env.docname))
        label = self.options.get("label", "Use it live")
        note = " ".join(self.content) if self.content else ""
        html = fragment("book.html.j2", "live_button", target=target, label=label, note=note)
        return [nodes.raw("", html, format="html")]


def _purge_chart_page(app: Sphinx, env: Any, docname: str) -> None:
    env.__dict__.setdefault("l4l_chart_pages", set()).discard(docname)


def _merge_chart_pages(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    mine = env.__dict__.setdefault("l4l_chart_pages", set())
    mine.update(other.__dict__.get("l4l_chart_pages", set()) & set(docnames))


def _add_chart_scripts(app: Sphinx, pagename: str, *args: Any) -> None:
    if pagename not in app.env.__dict__.get("l4l_chart_pages", set()):
        return
    for index, path in enumerate(VEGA_SCRIPTS):
        app.add_js_file(path, priority=200 + index)
    app.add_js_file("vega-charts.js", priority=210, defer="defer")


def _offer_the_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """Put ``.ipynb`` in the header's download menu of every notebook page (sphinx-book-theme
    lists it when ``ipynb_source`` is set; nothing else sets it for MyST notebooks)."""
    if pagename in app.env.found_docs and _is_myst_notebook(Path(app.env.doc2path(pagename))):
        context["ipynb_source"] = f"{pagename}.ipynb"


HIDDEN_CELL_SUMMARY = '<summary aria-label="Toggle hidden content">'


def _name_toggles_by_their_text(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """MyST-NB labels every "Show code cell source" toggle "Toggle hidden content", a name that
    differs from what is shown (WCAG 2.5.3); without the label the visible text is the name."""
    body = context.get("body")
    if isinstance(body, str) and HIDDEN_CELL_SUMMARY in body:
        context["body"] = body.replace(HIDDEN_CELL_SUMMARY, "<summary>")


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


READING_TIME_CLASS = "l4l-reading-time"
#: Text inside these nodes is not prose: code, cell outputs shown as text or HTML, comments.
NOT_PROSE = (nodes.literal_block, nodes.raw, nodes.comment)


def prose_words(doctree: nodes.Node) -> int:
    """The words a reader reads on a page: every text outside code, literal blocks, raw HTML
    (cell outputs, widgets), comments and the reading-time line itself.

    The reading-time role counts with it, and the build tests hold each chapter's length with
    it, on the doctree Sphinx keeps after reading (where the reading-time line is filled in).
    """
    words = 0
    for text in doctree.findall(nodes.Text):
        if any(_is_not_prose(node) for node in _ancestors(text.parent)):
            continue
        words += len(text.astext().split())
    return words


def _is_not_prose(node: nodes.Node) -> bool:
    return isinstance(node, (*NOT_PROSE, reading_time)) or (
        isinstance(node, nodes.Element) and READING_TIME_CLASS in node.get("classes", [])
    )


def _fill_reading_time(app: Sphinx, doctree: nodes.document) -> None:
    placeholders = list(doctree.findall(reading_time))
    if not placeholders:
        return
    minutes = estimate_minutes(prose_words(doctree))
    unit = "minute" if minutes == 1 else "minutes"
    for node in placeholders:
        replacement = nodes.emphasis("", f"Reading time: about {minutes} {unit}.")
        replacement["classes"].append(READING_TIME_CLASS)
        node.replace_self(replacement)


def _ancestors(node: nodes.Node | None):
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
    for event in ("env-before-read-docs", "doctree-resolved"):
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)


def setup(app: Sphinx) -> dict[str, Any]:
    _drop_thebe(app)
    app.connect("config-inited", _add_assets_path)
    app.add_config_value("l4l_data_fingerprint", "", "env")
    app.add_config_value("l4l_static_fingerprint", "", "html")
    app.connect("config-inited", _check_book_files, priority=400)
    app.connect("config-inited", _rerun_when_data_changes, priority=450)
    app.connect("config-inited", _apply_organisation)
    app.connect("builder-inited", _add_site_scripts)
    app.connect("doctree-read", _note_chart_pages)
    app.connect("env-purge-doc", _purge_chart_page)
    app.connect("env-merge-info", _merge_chart_pages)
    app.connect("html-page-context", _add_chart_scripts)
    app.connect("html-page-context", _name_toggles_by_their_text)
    # Before sphinx-book-theme builds the header buttons (priority 501).
    app.connect("html-page-context", _offer_the_notebook, priority=450)
    app.connect("build-finished", _write_notebooks)
    app.add_role("notebook", notebook_role)
    app.add_directive("live-app", LiveAppDirective)
    app.add_role("reading-time", reading_time_role)
    app.add_node(reading_time)
    app.connect("doctree-read", _fill_reading_time)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
