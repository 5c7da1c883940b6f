"""Controls the apps share: button layouts and one questionnaire item's answer buttons."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..content.instrument import SCALE


def answer_buttons(item: Any) -> w.ToggleButtons:
    """The five answers to ``item`` (its anchor labels, 1-5), none chosen: unanswered means
    unanswered, so no score is ever made up."""
    return w.ToggleButtons(
        options=[(label, value) for value, label in zip(SCALE, item.anchors, strict=True)],
        value=None,
        tooltips=[
            f"{value} of {SCALE[-1]}: {label}"
            for value, label in zip(SCALE, item.anchors, strict=True)
        ],
        style={"button_width": "auto"},
        layout=w.Layout(margin="0 0 6px 0", flex_flow="row wrap"),
    )


def button_layout() -> w.Layout:
    """Buttons as wide as their label (never cut to a letter on a phone), one layout each."""
    return w.Layout(width="auto", min_width="max-content")
