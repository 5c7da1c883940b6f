"""The member form and the scorer's "Compare views" tab, driven in-process like a user would."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from factories import upload
from markupsafe import escape

from widgets import MemberForm, RelationshipScorer
from widgets.content.instrument import load_instrument
from widgets.content.prompts import load_gap_guide
from widgets.core.member_answers import CODE_HEAD, read_member_answers, to_code, to_json

INSTRUMENT = load_instrument()
THEIRS = [4, 3, 5, 2, 1, 4, 3]  # total 22
CODE = re.compile(r"L4L-M1-[A-Z2-7-]+")


def filled_form(values=THEIRS) -> MemberForm:
    form = MemberForm()
    for item, value in zip(INSTRUMENT.items, values, strict=True):
        form.answers[item.id].value = value
    return form


def shown_code(form: MemberForm) -> str:
    return CODE.search(form.output.value).group(0)


def shown_file(form: MemberForm) -> bytes:
    href = re.search(
        r'href="data:application/json;charset=utf-8;base64,([^"]+)"', form.output.value
    )
    return base64.b64decode(href.group(1))


@pytest.fixture
def scorer(tmp_path: Path) -> RelationshipScorer:
    app = RelationshipScorer(data_path=tmp_path / "team.json")
    for name in ("Ana", "Ben"):
        app.add_member(name)
    for item in INSTRUMENT.items:  # Ana: your view, total 28
        app.member_picker.value = "Ana"
        app.answers[item.id].value = 4
    return app


# ------------------------------------------------------------------------------- member form


def test_the_form_asks_the_member_items_and_says_nothing_is_sent():
    form = MemberForm()
    text = form.widget.children[0].value
    assert "Nothing you enter here is sent anywhere" in text
    assert "You decide whether to send" in text
    html = " ".join(child.value for child in form.widget.children if hasattr(child, "value"))
    for item in INSTRUMENT.items:
        assert escape(item.member) in "".join(
            box.children[0].value for box in form.widget.children[1:8]
        )
        assert [label for label, _ in form.answers[item.id].options] == list(item.anchors)
    assert "0 of 7 questions answered" in html


def test_making_the_code_before_every_answer_names_what_is_missing():
    form = MemberForm()
    form.answers["q1"].value = 4
    form.make_button.click()
    assert "question 2" in form.status.value and "question 7" in form.status.value
    assert form.output.value == "" and form.result is None


def test_the_form_gives_a_file_and_a_code_that_read_back():
    form = filled_form()
    form.make_button.click()
    assert "Nothing has been sent" in form.status.value
    assert "Download member-answers.json" in form.output.value
    code = shown_code(form)
    assert code.startswith(CODE_HEAD)
    from_code = read_member_answers(code, INSTRUMENT)
    from_file = read_member_answers(shown_file(form), INSTRUMENT)
    assert from_code == from_file == form.result
    assert list(from_code.answers) == THEIRS
    assert set(json.loads(shown_file(form))) == {
        "kind", "schema_version", "id", "answered_on", "instrument", "answers", "fingerprint"
    }  # fmt: skip


def test_changing_an_answer_withdraws_the_old_code():
    form = filled_form()
    form.make_button.click()
    form.answers["q3"].value = 1
    assert form.output.value == "" and form.result is None
    assert "make your file and code again" in form.status.value
    form.make_button.click()
    assert read_member_answers(shown_code(form), INSTRUMENT).answers[2] == 1


def test_clear_forgets_everything():
    form = filled_form()
    form.make_button.click()
    form.clear_button.click()
    assert all(v is None for v in form.values()) and form.output.value == ""
    assert "0 of 7" in form.progress.value


# ---------------------------------------------------------------------------- compare views


def test_the_scorer_has_a_compare_views_tab(scorer):
    assert scorer.tabs.titles[-1] == "Compare views"
    assert scorer.tabs.children[-1] is scorer.gap_panel.widget


def test_a_pasted_code_is_read_then_put_in_for_the_chosen_member(scorer, tmp_path):
    form = filled_form()
    form.make_button.click()
    panel = scorer.gap_panel
    panel.code_box.value = "  " + shown_code(form) + "\n"
    panel.read_button.click()
    assert "Read the answers" in scorer.status.value
    assert panel.pending_box.layout.display == ""
    panel.member_picker.value = "Ana"
    panel.use_button.click()
    assert "Put in Ana&#39;s own answers" in scorer.status.value
    ana = next(s for s in scorer.scores if s.name == "Ana")
    assert ana.member_total == 22 and ana.perception_gap == -6
    assert panel.pending is None and panel.code_box.value == ""
    html = panel.compare_html.value
    assert "Total (7-35)" in html and "<td>28</td><td>22</td><td>-6</td>" in html
    assert escape("They rate the relationship 6 points lower than you do".lower()) in html
    guide = load_gap_guide()
    assert escape(guide.caution) in html
    assert escape(guide.questions["they_lower"][0]) in html
    assert escape(guide.questions["they_higher"][0]) not in html
    # Not saved until Save; then the answers travel with the team.
    assert not scorer.store.exists()
    scorer.save()
    again = RelationshipScorer(data_path=tmp_path / "team.json")
    assert next(m for m in again.team if m.name == "Ana").their_answers == tuple(THEIRS)


def test_an_uploaded_file_works_the_same(scorer):
    form = filled_form([5] * 7)
    form.make_button.click()
    panel = scorer.gap_panel
    upload(panel.upload, shown_file(form), "member-answers.json", "application/json")
    assert panel.upload.value == ()
    panel.use("Ana")
    html = panel.compare_html.value
    assert "<td>28</td><td>35</td><td>+7</td>" in html
    assert escape(load_gap_guide().questions["they_higher"][0]) in html


def test_existing_answers_are_replaced_only_after_asking(scorer):
    scorer.member_picker.value = "Ana"
    scorer.perspective.value = "member"
    for item in INSTRUMENT.items:
        scorer.answers[item.id].value = 2
    assert next(s for s in scorer.scores if s.name == "Ana").member_total == 14
    doc_form = filled_form()
    doc_form.make_button.click()
    panel = scorer.gap_panel
    panel.read(shown_code(doc_form))
    panel.member_picker.value = "Ana"
    panel.use_button.click()
    assert "already has answers" in scorer.status.value
    assert panel.use_button.description == "Replace their answers"
    assert next(s for s in scorer.scores if s.name == "Ana").member_total == 14  # unchanged
    panel.use_button.click()
    assert next(s for s in scorer.scores if s.name == "Ana").member_total == 22
    # The Member tab's "Their view" shows the imported answers.
    assert [scorer.answers[i.id].value for i in INSTRUMENT.items] == THEIRS


def test_partly_typed_answers_also_count_as_existing(scorer):
    scorer.member_picker.value = "Ben"
    scorer.perspective.value = "member"
    scorer.answers["q1"].value = 3
    panel = scorer.gap_panel
    form = filled_form()
    form.make_button.click()
    panel.read(shown_code(form))
    assert panel.use("Ben") is False
    assert panel.use("Ben", confirm=True) is True


def test_discard_and_bad_input_change_nothing(scorer):
    before = scorer.team
    panel = scorer.gap_panel
    panel.code_box.value = "L4L-M1-AAAA-BBBB"
    panel.read_button.click()
    assert "l4l-error" in scorer.status.value and panel.pending is None
    upload(panel.upload, b"member,q1\nAna,4\n", "team.csv")
    assert "not a member-answers code" in scorer.status.value
    panel.use_button.click()
    assert "Import a file or paste a code first" in scorer.status.value
    form = filled_form()
    form.make_button.click()
    panel.read(shown_code(form))
    panel.discard_button.click()
    assert panel.pending is None and panel.pending_box.layout.display == "none"
    assert scorer.team == before


def test_answers_to_another_questionnaire_are_refused(scorer):
    from dataclasses import replace

    from widgets.core.member_answers import new_member_answers

    other = replace(INSTRUMENT, version=INSTRUMENT.version + 1)
    doc = new_member_answers(THEIRS, other)
    for text in (to_code(doc), to_json(doc, other)):
        scorer.gap_panel.code_box.value = text
        scorer.gap_panel.read_button.click()
        assert "questionnaire" in scorer.status.value
        assert scorer.gap_panel.pending is None


def test_the_same_answers_put_in_for_a_second_member_are_pointed_out(scorer):
    form = filled_form()
    form.make_button.click()
    panel = scorer.gap_panel
    panel.read(shown_code(form))
    panel.use("Ana")
    panel.read(shown_code(form))
    assert "already put in for Ana" in panel.pending_html.value
    panel.use("Ben")
    assert "were put in for Ana earlier" in scorer.status.value


def test_the_comparison_follows_renames_and_removals(scorer):
    form = filled_form()
    form.make_button.click()
    panel = scorer.gap_panel
    panel.read(shown_code(form))
    panel.use("Ana")
    scorer.member_picker.value = "Ana"
    scorer.rename_member("Ana B")
    assert "Ana B" in panel.member_picker.options
    scorer.member_picker.value = "Ana B"
    scorer.remove_member()
    assert "Ana B" not in panel.member_picker.options
    assert "Ana" not in panel.compare_html.value


def test_names_are_escaped_in_the_comparison(tmp_path):
    app = RelationshipScorer(data_path=tmp_path / "team.json")
    app.add_member("<b>x</b>")
    app.gap_panel.member_picker.value = "<b>x</b>"
    assert "<b>x</b>" not in app.gap_panel.compare_html.value
    assert "&lt;b&gt;x&lt;/b&gt;" in app.gap_panel.compare_html.value
