"""The scorer's "Compare views" tab: import a member's own answers and set them beside yours.

The manager picks the file a member sent, or pastes the code, and says whose answers they are.
They replace the "Their view" answers typed in for that member (asking first when some are
there already). The tab then shows both views per item and in total, the gap, a caution and
questions for talking about it (:mod:`widgets.views.gap`). Nothing is saved until Save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..base.errors import InputError
from ..base.templating import fragment
from ..core.member_answers import CODE_HEAD, MemberAnswers, read_member_answers
from ..views.gap import gap_html
from .controls import button_layout
from .messages import safely

if TYPE_CHECKING:
    from .scorer import RelationshipScorer

TITLE = "Compare views"
INTRO = (
    "A member can answer the member version of the items privately, on their own device, with "
    "the member form, and choose whether to send you the file or the code it makes. Import it "
    "here and say whose answers they are: they take the place of any answers typed in under "
    "Their view for that person. Nothing is saved until you click Save in the Files tab."
)


class GapPanel:
    """Import a member's answers into a scorer and show the two views side by side."""

    def __init__(self, scorer: RelationshipScorer) -> None:
        self.scorer = scorer
        self.instrument = scorer.instrument
        self.pending: MemberAnswers | None = None
        self._confirm: str | None = None
        self._used: dict[str, str] = {}  # answers id -> the member they were put in for
        self.upload = w.FileUpload(
            accept=".json,.txt,application/json,text/plain",
            multiple=False,
            description="Import answers file",
            layout=button_layout(),
        )
        self.code_box = w.Textarea(
            placeholder=f"or paste the code here (it starts with {CODE_HEAD})",
            description="Code",
            layout=w.Layout(width="520px", max_width="100%", height="4em"),
        )
        self.read_button = w.Button(description="Read code", layout=button_layout())
        self.pending_html = w.HTML()
        self.member_picker = w.Dropdown(
            description="Team member", options=[], value=None, layout=w.Layout(max_width="100%")
        )
        self.use_button = w.Button(
            description="Use these answers", button_style="primary", layout=button_layout()
        )
        self.discard_button = w.Button(description="Discard", layout=button_layout())
        self.compare_html = w.HTML()
        self.upload.observe(self._on_upload, "value")
        self.read_button.on_click(self._on_read)
        self.use_button.on_click(self._on_use)
        self.discard_button.on_click(self._on_discard)
        self.member_picker.observe(self._on_pick, "value")
        wrap = w.Layout(flex_flow="row wrap")
        self.pending_box = w.VBox(
            [self.pending_html, w.HBox([self.use_button, self.discard_button], layout=wrap)]
        )
        self.widget = w.VBox(
            [
                w.HTML(
                    fragment("common.html.j2", "heading", title="Your view and theirs", intro=INTRO)
                ),
                w.HBox([self.upload], layout=wrap),
                w.HBox([self.code_box, self.read_button], layout=wrap),
                w.HBox([self.member_picker], layout=wrap),
                self.pending_box,
                self.compare_html,
            ]
        )
        self.widget.add_class("l4l-gap-panel")
        scorer.observe_scores(lambda _scores: self.refresh())
        self.refresh()

    def show_message(self, text: str, kind: str = "info") -> None:
        """Messages appear in the scorer's own status line."""
        self.scorer.show_message(text, kind)

    # ------------------------------------------------------------------------------ actions

    def read(self, content: bytes | str) -> MemberAnswers:
        """Read a file's bytes or a pasted code; on any problem nothing changes."""
        doc = read_member_answers(content, self.instrument)
        self.pending = doc
        self._confirm = None
        self.use_button.description = "Use these answers"
        self._show_pending()
        names = self.member_picker.options
        who = "Pick the team member they belong to, then click Use these answers."
        if not names:
            who = "Add the team member they belong to in the Member tab first."
        self.show_message(f"Read the answers of {doc.answered_on.isoformat()}. {who}", "ok")
        return doc

    def use(self, name: str | None = None, *, confirm: bool = False) -> bool:
        """Put the pending answers in for a member; False (nothing changed) if asking first."""
        doc = self.pending
        if doc is None:
            raise InputError("Import a file or paste a code first.")
        name = name if name is not None else self.member_picker.value
        if name is None:
            raise InputError("Pick the team member these answers belong to.")
        confirm = confirm or self._confirm == name
        if not self.scorer.set_their_answers(name, doc.answers, replace_existing=confirm):
            self._confirm = name
            self.use_button.description = "Replace their answers"
            self.show_message(
                f"{name} already has answers under Their view. Click Replace their answers to "
                "put the imported ones in their place, or Discard to keep what is there.",
                "error",
            )
            return False
        before = self._used.get(doc.answers_id)
        self._used[doc.answers_id] = name
        self.pending = None
        self._confirm = None
        self.use_button.description = "Use these answers"
        self.code_box.value = ""
        self.member_picker.value = name
        self.refresh()
        note = (
            f" The same answers were put in for {before} earlier: check they belong to {name}."
            if before and before != name
            else ""
        )
        self.show_message(
            f"Put in {name}'s own answers of {doc.answered_on.isoformat()}.{note} Not saved yet: "
            "click Save in the Files tab to keep them.",
            "ok",
        )
        return True

    def discard(self) -> None:
        """Forget the answers read but not used."""
        self.pending = None
        self._confirm = None
        self.use_button.description = "Use these answers"
        self._show_pending()
        self.show_message("Discarded the imported answers; nothing changed.")

    # ------------------------------------------------------------------------------- display

    def refresh(self) -> None:
        """Follow the team's names and redraw the comparison of the picked member."""
        names = [member.name for member in self.scorer.team]
        current = self.member_picker.value
        if list(self.member_picker.options) != names:
            self.member_picker.options = names
        chosen = current if current in names else (self.scorer.current_member or None)
        self.member_picker.value = chosen if chosen in names else None
        self._show_pending()
        self._show_comparison()

    def _show_pending(self) -> None:
        doc = self.pending
        self.pending_box.layout.display = "" if doc is not None else "none"
        if doc is None:
            self.pending_html.value = ""
            return
        used = self._used.get(doc.answers_id)
        again = f" These answers were already put in for {used}." if used else ""
        self.pending_html.value = fragment(
            "gap_panel.html.j2",
            "pending",
            answered_on=doc.answered_on.isoformat(),
            short_id=doc.short_id,
            total=doc.total,
            again=again,
        )

    def _show_comparison(self) -> None:
        name = self.member_picker.value
        if name is None:
            self.compare_html.value = "<p>Add a team member to compare your views.</p>"
            return
        score = next((s for s in self.scorer.scores if s.name == name), None)
        if score is None:  # the team is changing under the picker; refresh() follows
            return
        self.compare_html.value = gap_html(score, self.instrument)

    # ----------------------------------------------------------------------------- callbacks

    @safely
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        try:
            self.read(bytes(files[0]["content"]))
        finally:
            self.upload.value = ()  # the same file can be chosen again

    @safely
    def _on_read(self, _button: Any = None) -> None:
        self.read(self.code_box.value)

    @safely
    def _on_use(self, _button: Any = None) -> None:
        self.use()

    @safely
    def _on_discard(self, _button: Any = None) -> None:
        self.discard()

    @safely
    def _on_pick(self, _change: dict[str, Any]) -> None:
        if self._confirm is not None and self._confirm != self.member_picker.value:
            self._confirm = None
            self.use_button.description = "Use these answers"
        self._show_comparison()


def attach_gap_panel(scorer: RelationshipScorer) -> GapPanel:
    """Add the "Compare views" tab to a scorer (after its other tabs) and return it."""
    panel = GapPanel(scorer)
    scorer.tabs.children = (*scorer.tabs.children, panel.widget)
    scorer.tabs.set_title(len(scorer.tabs.children) - 1, TITLE)
    return panel
