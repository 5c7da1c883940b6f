"""The participant's summary as an escaped HTML table, to check before handing it in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..base.escaping import escape_html
from ..core.summary import summary_rows


def summary_html(summary: Mapping[str, Any]) -> str:
    """The summary as an escaped HTML table, for the participant to check before handing in."""
    body = "".join(
        f"<tr><td>{escape_html(section)}</td><td>{escape_html(what)}</td>"
        f"<td>{escape_html(value)}</td></tr>"
        for section, what, value in summary_rows(summary)
    )
    return (
        "<table class='l4l-summary-table'><thead><tr><th>Section</th><th>What</th>"
        f"<th>Value</th></tr></thead><tbody>{body}</tbody></table>"
    )
