"""What the apps show when something happens: escaped status messages, and the guard that turns
any failure in a widget callback into one of them (never a traceback in front of a manager).
Shared by the scorer and the planner.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..base.errors import InputError
from ..base.templating import fragment

PLACES = ("computer", "workshop", "browser", "preview")


def privacy_note(place: str | bool = "computer") -> str:
    """Where what a user enters is kept, in one plain sentence for the top of an app.

    ``place`` is ``computer`` (the reader's own data folder), ``workshop`` (a folder for one
    browser page on a shared workshop server), ``browser`` (the live apps: the browser's own
    storage) or ``preview`` (an illustration in the book: nothing is kept).
    """
    if place is True:
        place = "workshop"
    elif place is False:
        place = "computer"
    if place == "workshop":
        return (
            "What you enter is kept on the workshop server, in a folder for this browser page "
            "only: other participants cannot see it, and it is deleted when the workshop ends."
        )
    if place == "browser":
        return (
            "What you enter stays in this browser, on this device: it is kept in the browser's "
            "own storage between visits and sent nowhere."
        )
    if place == "preview":
        return "This is an illustration with fictional people: nothing here is kept or sent."
    return "What you enter stays on this computer, in your own data folder, and is sent nowhere."


def message_html(text: str, kind: str = "info") -> str:
    """A status message as escaped HTML; multi-line error text becomes a list."""
    lines = [line.strip(" -") for line in str(text).splitlines() if line.strip()]
    return fragment("messages.html.j2", "message", lines=lines, kind=kind)


def safely(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Run an app's widget callback; show any failure as a message instead of a traceback.

    The app (``self``) needs a ``show_message(text, kind)`` method.
    """

    @functools.wraps(handler)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return handler(self, *args, **kwargs)
        except InputError as exc:
            self.show_message(str(exc), "error")
        except Exception as exc:  # a bug must still not show a traceback to a manager
            self.show_message(
                f"Something went wrong ({type(exc).__name__}: {exc}). Nothing was saved or "
                "overwritten; please try again.",
                "error",
            )
        return None

    return run
