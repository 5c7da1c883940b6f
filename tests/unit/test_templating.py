"""HTML comes from autoescaping templates, and the rule cannot quietly come back.

The AST check below fails on any Python string in ``widgets/`` that holds an HTML tag and has a
value put into it (an f-string, ``%``, ``.format``, ``+`` or a tag-holding separator's
``.join``), and on ``Markup(...)`` around anything but a literal: both are ways to build markup
that each line must remember to escape. Markup belongs in ``widgets/templates/``.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from widgets.base import templating
from widgets.base.templating import environment, fragment, join

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "widgets"
TEMPLATES = PACKAGE / "templates"
MODULES = sorted(PACKAGE.rglob("*.py"))

# Modules allowed to break the rule, each with its reason. Build tooling in widgets/book/ would
# need a real one (none does today); keep this empty unless there is no other way.
ALLOWED: dict[str, str] = {}

TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?=[\s/>]|$)|<!--|<!DOCTYPE", re.IGNORECASE)


def _literal(node: ast.AST) -> str | None:
    """The literal text of a string constant or f-string (without its values), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def _markup(node: ast.AST) -> bool:
    text = _literal(node)
    return text is not None and bool(TAG.search(text))


def markup_built_in_python(source: str) -> list[str]:
    """Every place in ``source`` where a value is put into a string holding an HTML tag."""
    found = []
    for node in ast.walk(ast.parse(source)):
        why = None
        if (
            isinstance(node, ast.JoinedStr)
            and _markup(node)
            and any(isinstance(v, ast.FormattedValue) for v in node.values)
        ):
            why = "f-string"
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _markup(node.left):
            why = "% formatting"
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = node.left, node.right
            if (_markup(left) and not isinstance(right, ast.Constant)) or (
                _markup(right) and not isinstance(left, ast.Constant)
            ):
                why = "+ concatenation"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("format", "format_map", "join")
            and _markup(node.func.value)
        ):
            why = f".{node.func.attr}()"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "Markup"
            and any(not isinstance(arg, ast.Constant) for arg in node.args)
        ):
            why = "Markup() around a value"
        if why:
            found.append(f"line {node.lineno}: {why}")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_python_string_puts_a_value_into_html(path: Path) -> None:
    name = str(path.relative_to(PACKAGE))
    if name == "base/templating.py":  # the one place that marks a rendered template as markup
        return
    found = markup_built_in_python(path.read_text(encoding="utf-8"))
    if name in ALLOWED:
        assert found, f"{name} no longer needs its exception: remove it from ALLOWED"
        return
    assert not found, f"{name}: build this HTML in widgets/templates/ instead: {found}"


@pytest.mark.parametrize(
    "code",
    [
        'f"<p>{name}</p>"',
        'f"<b>{n}. " + "x"',
        '"<td>%s</td>" % value',
        '"<li>{}</li>".format(item)',
        '"<p>" + text + "</p>"',
        'text + "</p>"',
        '"<br>".join(lines)',
        "Markup(user_text)",
        "markupsafe.Markup(f'{x}')",
    ],
)
def test_the_check_sees_each_way_of_building_markup(code: str) -> None:
    assert markup_built_in_python(code), code


@pytest.mark.parametrize(
    "code",
    [
        '"<h4>Relationship items</h4>"',
        '"<p>a</p>" + "<p>b</p>"',
        'f"{count} of {total} answered"',
        'f"a < {b}"',
        "Markup('<br>')",
        '" · ".join(labels)',
    ],
)
def test_the_check_leaves_plain_text_and_fixed_markup_alone(code: str) -> None:
    assert not markup_built_in_python(code), code


# ------------------------------------------------------------------------------ the templates


def _fragment_calls() -> list[tuple[str, str, str]]:
    """(module, template, macro) of every ``fragment(...)`` call with names known statically."""
    calls = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "fragment"
                and len(node.args) >= 2
            ):
                continue
            name, macro = node.args[0], node.args[1]
            template = constants.get(name.id) if isinstance(name, ast.Name) else None
            if isinstance(name, ast.Constant):
                template = name.value
            assert isinstance(template, str), f"{path}: line {node.lineno}: template not known"
            assert isinstance(macro, ast.Constant), f"{path}: line {node.lineno}: macro not known"
            calls.append((str(path.relative_to(PACKAGE)), template, macro.value))
    return calls


def test_every_fragment_call_names_a_template_and_macro_that_exist() -> None:
    calls = _fragment_calls()
    assert len(calls) > 40, "the scan found the calls"
    for module, template, macro in calls:
        assert (TEMPLATES / template).is_file(), f"{module}: no template {template}"
        exported = environment().get_template(template).module
        assert hasattr(exported, macro), f"{module}: {template} has no macro {macro}"


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.j2")), ids=lambda p: p.name)
def test_every_template_compiles_and_is_used(path: Path) -> None:
    environment().get_template(path.name)  # a syntax error fails here
    used = {template for _, template, _ in _fragment_calls()}
    imported = {
        match
        for other in TEMPLATES.glob("*.j2")
        for match in re.findall(r'(?:from|import) "([^"]+)"', other.read_text(encoding="utf-8"))
    }
    assert path.name in used | imported, f"{path.name} is not used"


def test_values_are_escaped_and_fragments_are_not_escaped_twice() -> None:
    inner = fragment("common.html.j2", "small", text="<b>Ana</b> & co")
    assert inner == "<small>&lt;b&gt;Ana&lt;/b&gt; &amp; co</small>"
    outer = fragment("common.html.j2", "download", link=inner, where=" <i>")
    assert outer == "<p><small>&lt;b&gt;Ana&lt;/b&gt; &amp; co</small> &lt;i&gt;.</p>"


def test_join_escapes_plain_text_but_keeps_fragments() -> None:
    piece = fragment("common.html.j2", "small", text="x")
    assert join([piece, "<script>"]) == "<small>x</small>&lt;script&gt;"


def test_a_missing_value_is_an_error_and_none_shows_as_nothing() -> None:
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        fragment("common.html.j2", "small")
    assert fragment("common.html.j2", "small", text=None) == "<small></small>"


def test_template_syntax_in_a_value_is_shown_not_run() -> None:
    shown = fragment("common.html.j2", "small", text="{{ 7*7 }}{% if 1 %}x{% endif %}")
    assert shown == "<small>{{ 7*7 }}{% if 1 %}x{% endif %}</small>"


@pytest.mark.parametrize(
    ("source", "laid_out"),
    [
        ("<p>\n  <b>x</b>\n</p>", "<p><b>x</b></p>"),
        ("<p>one\n   two</p>", "<p>one two</p>"),
        ("<b>{{ a }}</b>\n  text", "<b>{{ a }}</b> text"),
        ("{% if a %}\n  <p>x</p>\n{% endif %}", "{% if a %}<p>x</p>{% endif %}"),
        ("text\n  {{ value }}", "text {{ value }}"),
        ("\n  <p>x</p>\n\n", "<p>x</p>"),
    ],
)
def test_line_breaks_in_a_template_are_layout(source: str, laid_out: str) -> None:
    assert templating._layout(source) == laid_out


def test_importing_the_apps_does_not_load_jinja2() -> None:
    code = (
        "import sys, widgets, widgets.apps.scorer, widgets.apps.planner, widgets.exports.handout, "
        "widgets.views.gap, widgets.base.templating; "
        "print(sorted({'jinja2', 'markupsafe'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "[]"
