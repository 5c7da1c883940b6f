"""Every export of conversation plans, by format: Markdown, printable handout, .ics and CSV."""

from __future__ import annotations

from collections.abc import Iterable

from ..base.errors import InputError, Problem
from ..core.markdown import plan_markdown
from ..core.plans import DEFAULT_TZ, ConversationPlan, plans_csv_text, plans_to_ics
from .handout import handout_html

EXPORT_FORMATS = {
    "markdown": ("Markdown plan (.md)", "conversation-plans.md", "text/markdown"),
    "html": ("Printable handout (.html)", "conversation-handout.html", "text/html"),
    "ics": ("Calendar events (.ics)", "conversation-plans.ics", "text/calendar"),
    "csv": ("Plan register (.csv)", "conversation-plans.csv", "text/csv"),
}


def export_text(
    plans: Iterable[ConversationPlan], fmt: str, tz: str = DEFAULT_TZ
) -> tuple[str, str, str]:
    """One export of ``plans`` as (file name, MIME type, text); ``fmt``: a key of EXPORT_FORMATS."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            Problem(
                "unknown export format",
                f"use one of: {', '.join(EXPORT_FORMATS)}",
                column="format",
                value=fmt,
            )
        )
    plans = list(plans)
    _, name, mime = EXPORT_FORMATS[fmt]
    if fmt == "markdown":
        text = "\n---\n\n".join(plan_markdown(plan) for plan in plans) or "No plans yet.\n"
    elif fmt == "html":
        text = handout_html(plans)
    elif fmt == "ics":
        text = plans_to_ics(plans, tz=tz).decode("utf-8")
    else:
        text = plans_csv_text(plans)
    return name, mime, text
