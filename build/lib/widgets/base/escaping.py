"""Escaping for text that a user typed: HTML, Markdown and spreadsheet cells."""

from __future__ import annotations

import html
import re

# A spreadsheet treats a cell starting with one of these as a formula (or strips it silently).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~>])")


def escape_html(text: object) -> str:
    """Return ``text`` HTML-escaped, quotes included, so a name like ``<script>`` shows as typed."""
    return html.escape("" if text is None else str(text), quote=True)


def escape_markdown(text: object) -> str:
    """Return ``text`` so Markdown and HTML show it literally (no links, emphasis or raw tags)."""
    raw = "" if text is None else str(text)
    raw = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", raw).replace("\\&", "&")


def neutralise_formula(cell: object) -> object:
    """Prefix a text cell that a spreadsheet would read as a formula with a single quote."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def restore_formula(cell: object) -> object:
    """Undo :func:`neutralise_formula` on import, so an export followed by an import is lossless."""
    if (
        isinstance(cell, str)
        and len(cell) > 1
        and cell[0] == "'"
        and cell[1:].startswith(FORMULA_STARTS)
    ):
        return cell[1:]
    return cell
