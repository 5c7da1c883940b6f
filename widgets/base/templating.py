"""HTML from Jinja2 templates with autoescaping, so text a user typed is escaped by construction.

The templates are package data in ``widgets/templates/``: one file per module that draws HTML,
its pieces as macros. Every value is escaped unless it is already markup (the result of another
template), so a fragment can go inside another without being escaped twice. Jinja2 loads on the
first render, not on ``import widgets``.

A fragment is a ``markupsafe.Markup`` (a ``str``), and stays safe when code adds to it: ``+``,
``%`` and ``.replace()``'s replacement escape a plain string. Put pieces together with
:func:`join` or in a template, never with an f-string (``tests/unit/test_templating.py``).

In the templates a line break and the indentation after it are layout for their reader: next to
a ``{% %}`` or ``{# #}`` tag, or between two HTML tags, it vanishes; anywhere else (inside text)
it is one space, which is all HTML makes of it anyway.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

TEMPLATES = "templates"  # folder of the package holding the templates
_BREAK = re.compile(r"[ \t]*\n\s*")


def _layout(source: str) -> str:
    """Drop the line breaks a template is laid out with (see the module's docstring)."""

    def join(match: re.Match[str]) -> str:
        before = source[max(0, match.start() - 2) : match.start()]
        after = source[match.end() : match.end() + 2]
        if before in ("%}", "#}") or after in ("{%", "{#"):
            return ""
        if before.endswith(">") and after.startswith("<"):
            return ""
        return " "

    return _BREAK.sub(join, source.strip())


def _blank_none(value: Any) -> Any:
    """``{{ value }}`` shows nothing for None (a field left empty), not the word "None"."""
    return "" if value is None else value


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment: autoescaping, undefined names an error, templates cached."""
    import jinja2
    import jinja2.ext

    class Layout(jinja2.ext.Extension):
        def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
            return _layout(source)

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("widgets", TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        extensions=[Layout],
        finalize=_blank_none,
    )
    # ``tojson`` (a chart's spec inside <script>): compact, sorted, non-ASCII kept as it is.
    env.policies["json.dumps_kwargs"] = {
        "sort_keys": True,
        "ensure_ascii": False,
        "separators": (",", ":"),
    }
    return env


def fragment(name: str, macro: str, /, **values: Any) -> Markup:
    """One macro of ``widgets/templates/<name>`` called with ``values``: a piece of a page."""
    return getattr(environment().get_template(name).module, macro)(**values)


def join(parts: Iterable[str]) -> Markup:
    """Fragments joined into one; a plain string among them is escaped, never trusted."""
    from markupsafe import Markup

    return Markup().join(parts)
