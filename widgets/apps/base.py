"""What every app shares: a root widget, a status line, and display in any Jupyter front end."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..base.errors import InputError
from ..base.storage import ChangedElsewhere
from .messages import message_html, safely


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


class SavingApp(App):
    """An app that saves a document in the data folder: the scorer and the planner.

    Subclasses set ``place``, ``folder_problem`` (a sentence when the folder cannot be used),
    ``save_button`` and ``kept`` (what a save keeps, for the preview's message), and define
    ``save(force=)``, ``load()`` and ``restore_previous()``. A save that would replace changes
    made elsewhere asks first: the button becomes "Save anyway" and the next click forces it.
    """

    place = "computer"
    folder_problem = ""
    kept = "your data"
    save_button: w.Button
    _force_next_save = False

    def save(self, *, force: bool = False) -> Any:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    def load(self) -> None:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    def restore_previous(self) -> None:  # pragma: no cover - every subclass has one
        raise NotImplementedError

    def _check_folder(self) -> None:
        if self.folder_problem:
            raise InputError(self.folder_problem)
        if self.place == "preview":
            raise InputError(
                f"This illustration keeps nothing: use the live tool to save {self.kept}."
            )

    @safely
    def _on_save(self, _button: Any = None) -> None:
        try:
            self.save(force=self._force_next_save)
        except ChangedElsewhere:
            self._force_next_save = True
            self.save_button.description = "Save anyway"
            raise

    @safely
    def _on_load(self, _button: Any = None) -> None:
        self.load()

    @safely
    def _on_restore(self, _button: Any = None) -> None:
        self.restore_previous()
