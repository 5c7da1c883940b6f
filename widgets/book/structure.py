"""The book's own files: _config.yml, _toc.yml and the links between the pages they list.

What their schemas cannot say: the logo and favicon exist, the launch buttons can find the
repository, every page in the table of contents exists and is listed once, and no listed page
links to one the table of contents leaves out. Each problem carries its file, line and fix.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..base.errors import Problem
from ..content.checking import Parsed

PAGE_SUFFIXES = (".md", ".ipynb", ".rst")
LAUNCH_KEYS = ("binderhub_url", "jupyterhub_url", "colab_url")
KNOWN_GIT_HOSTS = ("github", "gitlab", "bitbucket")
ROLE = re.compile(r"\{(doc|ref)\}`([^`]+)`")
LABEL = re.compile(r"^\(([^()\s]+)\)=\s*$", re.MULTILINE)

Path_ = tuple[Any, ...]


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def config_problems(doc: Parsed, book: Path) -> list[Problem]:
    """What _config.yml's schema cannot say: images exist, launch buttons find the repository."""
    problems: list[Problem] = []
    config = _mapping(doc.data)
    html = _mapping(config.get("html"))
    for path, value in (
        (("logo",), config.get("logo")),
        (("html", "favicon"), html.get("favicon")),
    ):
        if isinstance(value, str) and value.strip() and not (book / value).is_file():
            fix = (
                "put the image in _static/ (SVG or PNG) and write its path from the book's "
                "folder, e.g. _static/logo.svg"
            )
            problems.append(doc.problem(path, "this file does not exist", fix, value))
    launch = _mapping(config.get("launch_buttons"))
    used = [key for key in LAUNCH_KEYS if isinstance(launch.get(key), str) and launch.get(key)]
    url = _mapping(config.get("repository")).get("url")
    url = url if isinstance(url, str) else ""
    sphinx = _mapping(config.get("sphinx"))
    options = (sphinx.get("config") or {}).get("html_theme_options") or {}
    if options and sphinx.get("recursive_update") is not True:
        problems.append(
            doc.problem(
                ("sphinx",),
                "sphinx: config: html_theme_options would replace the launch buttons, repository "
                "and footer settings",
                "add the line 'recursive_update: true' under 'sphinx:'",
            )
        )
    where = ("repository", "url")
    if used and not url:
        problems.append(
            doc.problem(
                where,
                f"the launch buttons ({', '.join(used)}) need the address of the repository the "
                "notebooks are pulled from",
                "set repository: url: to your repository, e.g. "
                "https://gitlab.example.org/learning/leading-for-learning, or empty the launch "
                "button addresses",
            )
        )
    elif used and url.startswith(("http://", "https://")):
        parts = urlsplit(url)
        if len([p for p in parts.path.split("/") if p]) < 2:
            problems.append(
                doc.problem(
                    where,
                    "the repository address must end with the owner and the repository name",
                    "write it like https://gitlab.example.org/learning/leading-for-learning",
                    url,
                )
            )
        elif not any(host in parts.netloc for host in KNOWN_GIT_HOSTS) and not (
            isinstance(options, dict) and options.get("repository_provider")
        ):
            problems.append(
                doc.problem(
                    where,
                    "the launch buttons cannot tell which kind of git server this is",
                    "add 'repository_provider: gitlab' (or github, bitbucket) under "
                    "sphinx: config: html_theme_options:",
                    url,
                )
            )
    return problems


def _toc_files(toc: Any) -> Iterator[tuple[Path_, str]]:
    """(path in _toc.yml, page) for the root and every 'file' entry, in order."""
    if not isinstance(toc, dict):
        return
    if isinstance(toc.get("root"), str):
        yield ("root",), toc["root"]

    def walk(entries: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict):
                continue
            if isinstance(entry.get("file"), str):
                yield (*path, index, "file"), entry["file"]
            for key in ("sections", "chapters"):
                yield from walk(entry.get(key), (*path, index, key))

    yield from walk(toc.get("parts"), ("parts",))
    yield from walk(toc.get("chapters"), ("chapters",))


def _page_path(book: Path, name: str) -> Path | None:
    for suffix in ("", *PAGE_SUFFIXES):
        candidate = book / f"{name}{suffix}"
        if candidate.is_file() and (suffix or candidate.suffix in PAGE_SUFFIXES):
            return candidate
    return None


def _docname(book: Path, path: Path) -> str:
    return path.relative_to(book).with_suffix("").as_posix()


def toc_pages(doc: Parsed, book: Path) -> tuple[dict[str, Path], list[Problem]]:
    """The pages _toc.yml lists (docname -> file), and each entry that is missing or repeated."""
    listed: dict[str, Path] = {}
    problems: list[Problem] = []
    for path, name in _toc_files(doc.data):
        page = _page_path(book, name.strip().strip("/"))
        if page is None:
            fix = (
                "write the page's path from the book's folder without .md (e.g. "
                "chapters/tools/score-relationships), or remove the line"
            )
            problems.append(doc.problem(path, "this page does not exist", fix, name))
        elif _docname(book, page) in listed:
            problems.append(doc.problem(path, "this page is listed twice", "remove one line", name))
        else:
            listed[_docname(book, page)] = page
    return listed, problems


def _markdown_lines(text: str) -> Iterator[tuple[int, str]]:
    """Numbered lines of a Markdown page outside code blocks, with inline code removed."""
    fence = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip()
        marker = re.match(r"(`{3,}|~{3,})", stripped)
        if marker and (fence is None or stripped.startswith(fence)):
            if fence is None and not re.match(r"(`{3,}|~{3,})\{", stripped):
                fence = marker.group(1)
            elif fence is not None:
                fence = None
            continue
        if fence is None:
            yield number, re.sub(r"``.+?``", "", line)


def link_problems(book: Path, listed: dict[str, Path]) -> list[Problem]:
    """Links ({doc} and {ref}) from the listed pages to pages the table of contents leaves out."""
    ignored = {"_build", ".venv", "vendor", "node_modules", ".ipynb_checkpoints"}
    labels: dict[str, str] = {}
    for page in sorted(book.rglob("*.md")):
        if ignored & set(page.relative_to(book).parts):
            continue
        try:
            text = page.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for label in LABEL.findall(text):
            labels.setdefault(label, _docname(book, page))
    problems = []
    for name, page in listed.items():
        if page.suffix != ".md":
            continue
        source = page.relative_to(book).as_posix()
        text = page.read_text(encoding="utf-8", errors="replace")
        for number, line in _markdown_lines(text):
            for role, body in ROLE.findall(line):
                target = re.search(r"<([^<>]+)>\s*$", body)
                target_text = (target.group(1) if target else body).strip()
                if role == "doc":
                    base = "" if target_text.startswith("/") else posixpath.dirname(name)
                    wanted = posixpath.normpath(posixpath.join(base, target_text.lstrip("/")))
                    wanted = re.sub(r"\.(md|ipynb|rst)$", "", wanted)
                else:
                    wanted = labels.get(target_text, "")
                if not wanted or wanted in listed:
                    continue
                exists = _page_path(book, wanted) is not None
                problems.append(
                    Problem(
                        f"links to {wanted}, which "
                        + ("is not in _toc.yml" if exists else "does not exist"),
                        "remove the link or turn it into plain text, or add the page back to "
                        "_toc.yml",
                        row=number,
                        value=f"{{{role}}}`{body}`",
                        source=source,
                    )
                )
    return problems
