"""Escaping for text that a user typed: Markdown and spreadsheet cells.

HTML needs none of this: it comes from autoescaping templates (:mod:`widgets.base.templating`).
"""

from __future__ import annotations

import re
import unicodedata

# A spreadsheet treats a cell starting with one of these as a formula (or strips it silently).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Signs that spreadsheets also read as the start of a formula: full-width and small forms (which
# NFKC folds to = + - @) and the minus sign.
_FORMULA_SIGNS = frozenset("=+-@\u2212")

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~>])")


def escape_markdown(text: object) -> str:
    """Return ``text`` so Markdown and HTML show it literally (no links, emphasis or raw tags)."""
    raw = "" if text is None else str(text)
    raw = raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", raw)


def starts_like_formula(text: str) -> bool:
    """True if a spreadsheet could read ``text`` as a formula.

    That is a sign (=, +, -, @, or a full-width, small or minus form of one) first, or after
    leading white space (spreadsheets trim it), or a tab or line break first.
    """
    if not text:
        return False
    if text[0] in "\t\r\n":
        return True
    stripped = text.lstrip(" \t\r\n\u00a0\u2000\u2001\u2002\u2003\u2007\u2009\u200a\u202f\u3000")
    if not stripped:
        return False
    first = stripped[0]
    return first in _FORMULA_SIGNS or unicodedata.normalize("NFKC", first) in _FORMULA_SIGNS


def neutralise_formula(cell: object) -> object:
    """Prefix a text cell that a spreadsheet would read as a formula with a single quote."""
    if isinstance(cell, str) and starts_like_formula(cell):
        return "'" + cell
    return cell


def restore_formula(cell: object) -> object:
    """Undo :func:`neutralise_formula` on import, so an export followed by an import is lossless."""
    if isinstance(cell, str) and len(cell) > 1 and cell[0] == "'" and starts_like_formula(cell[1:]):
        return cell[1:]
    return cell
