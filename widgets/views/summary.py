"""The participant's summary as an escaped HTML table, to check before handing it in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..base.templating import fragment
from ..core.summary import summary_rows


def summary_html(summary: Mapping[str, Any]) -> str:
    """The summary as an escaped HTML table, for the participant to check before handing in."""
    return fragment("summary.html.j2", "summary_table", rows=summary_rows(summary))
