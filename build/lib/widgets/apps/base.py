"""What every app shares: a root widget, a status line, and display in any Jupyter front end."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from .messages import message_html


class App:
    """Base of the ipywidgets apps: ``.widget`` is the root, ``.status`` the message line.

    Subclasses build their widgets, set ``self.widget``, and wrap callbacks in
    :func:`widgets.apps.messages.safely` so a failure becomes a message here.
    """

    widget: w.Widget

    def __init__(self) -> None:
        self.status = w.HTML(message_html("Ready."))

    def show_message(self, text: str, kind: str = "info") -> None:
        """Show ``text`` (escaped) in the status line; kind is info, ok or error."""
        self.status.value = message_html(text, kind)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:  # pragma: no cover - IPython fallback
        return self.widget._repr_mimebundle_(**kwargs)
