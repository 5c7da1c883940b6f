"""MemberForm: a team member answers the member items about their manager, on their own device.

Nothing is sent and nothing is kept: the answers stay on the page until it is closed. When every
item is answered the member can take a file (a download made by the page itself) and a short
code to paste into chat or email, and decides whether to send either to their manager.
"""

from __future__ import annotations

import functools
from typing import Any

import ipywidgets as w

from ..base.errors import InputError
from ..base.templating import fragment
from ..content.instrument import Instrument, load_instrument
from ..core.member_answers import (
    FILE_NAME,
    MemberAnswers,
    new_member_answers,
    to_code,
    to_json,
)
from ..views.downloads import download_link
from .base import App
from .controls import answer_buttons
from .messages import safely

TEMPLATE = "member_form.html.j2"
PRIVACY = (
    "Nothing you enter here is sent anywhere, and nothing is kept: your answers stay on this "
    "page until you close it. When you have answered, the page makes a file and a short code. "
    "You decide whether to send either of them to your manager; not sending them is fine too."
)
ABOUT = (
    "These questions are about your working relationship with your manager, as you see it. "
    "There are no right answers. If you send your answers, your manager sees them next to their "
    "own view, to talk about where you see things differently. The file and the code hold only "
    "your answers, today's date and which questionnaire they answer: no name."
)


class MemberForm(App):
    """The member version of the items, answered privately; ``.result`` once made."""

    def __init__(self, instrument: Instrument | None = None) -> None:
        super().__init__()
        self.instrument = instrument or load_instrument()
        self.result: MemberAnswers | None = None
        self._build()
        self._refresh_progress()

    def _build(self) -> None:
        inst = self.instrument
        self.header = w.HTML(
            fragment(TEMPLATE, "header", privacy=PRIVACY, about=ABOUT, note=inst.note)
        )
        self.answers: dict[str, w.ToggleButtons] = {}
        boxes = []
        for number, item in enumerate(inst.items, start=1):
            answer = answer_buttons(item)
            answer.observe(functools.partial(self._on_answer, item.id), "value")
            self.answers[item.id] = answer
            question = w.HTML(
                fragment(
                    "common.html.j2", "question", number=number, theme=item.theme, text=item.member
                )
            )
            boxes.append(w.VBox([question, answer], layout=w.Layout(margin="0 0 4px 0")))
        self.progress = w.HTML()
        self.make_button = w.Button(
            description="Make my file and code",
            button_style="primary",
            layout=w.Layout(width="auto", min_width="max-content"),
        )
        self.clear_button = w.Button(
            description="Clear my answers", layout=w.Layout(width="auto", min_width="max-content")
        )
        self.make_button.on_click(self._on_make)
        self.clear_button.on_click(self._on_clear)
        self.output = w.HTML()
        buttons = w.HBox(
            [self.make_button, self.clear_button], layout=w.Layout(flex_flow="row wrap")
        )
        self.widget = w.VBox(
            [
                self.header,
                *boxes,
                self.progress,
                buttons,
                self.status,
                self.output,
            ]
        )
        self.widget.add_class("l4l-member-form")

    def values(self) -> list[int | None]:
        """The answers so far, in item order (None where not answered)."""
        return [self.answers[item.id].value for item in self.instrument.items]

    def make(self) -> MemberAnswers:
        """Seal the answers as a document and show its file and code (all items answered)."""
        doc = new_member_answers(self.values(), self.instrument)
        self.result = doc
        code = to_code(doc)
        link = download_link(
            to_json(doc, self.instrument), FILE_NAME, "application/json", f"Download {FILE_NAME}"
        )
        self.output.value = fragment(
            TEMPLATE, "result", link=link, code=code, answered_on=doc.answered_on.isoformat()
        )
        self.show_message("Your file and code are ready below. Nothing has been sent.", "ok")
        return doc

    def clear(self) -> None:
        """Forget every answer and any file or code made from them."""
        for answer in self.answers.values():
            answer.value = None
        self._forget()
        self._refresh_progress()
        self.show_message("Cleared. Nothing was kept.")

    def _forget(self) -> None:
        self.result = None
        self.output.value = ""

    def _refresh_progress(self) -> None:
        answered = sum(v is not None for v in self.values())
        total = len(self.instrument.items)
        self.progress.value = fragment(TEMPLATE, "progress", answered=answered, total=total)

    @safely
    def _on_answer(self, _item_id: str, change: dict[str, Any]) -> None:
        if self.result is not None:  # a changed answer makes the old code out of date
            self._forget()
            self.show_message("You changed an answer: make your file and code again.")
        self._refresh_progress()

    @safely
    def _on_make(self, _button: Any = None) -> None:
        try:
            self.make()
        except InputError:
            self._forget()
            raise

    @safely
    def _on_clear(self, _button: Any = None) -> None:
        self.clear()
