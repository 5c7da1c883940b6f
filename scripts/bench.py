"""`make bench`: measure what users feel, in one run, and print it against budgets.

Measures a clean strict build with notebook execution and the rebuild after a one-line prose edit
(in a copy of the project, so your own _build is untouched), the nbval suite, reading + scoring +
charting teams of 12, 1,000 and 10,000, a widget interaction in a live kernel, and the bytes and
load time of the landing page and the heaviest chapter in headless Chromium. A baseline, the sample
book of `jupyter-book create` built the same way, is reported as seconds per page beside ours, so
the comparison holds when the machine's speed drifts. Writes _build/bench.json and the README table.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import platform
import shutil
import socketserver
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "_build" / "bench.json"
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
STRICT = ["-W", "-n", "--keep-going"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class Result:
    name: str
    unit: str
    budget: float
    samples: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def figure(self) -> float:
        """The number compared with the budget (median, or p95 for interaction latency)."""
        if self.unit == "ms p95":
            ordered = sorted(self.samples)
            return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return self.median

    @property
    def spread(self) -> float:
        return (max(self.samples) - min(self.samples)) if len(self.samples) > 1 else 0.0

    @property
    def passed(self) -> bool:
        return self.figure <= self.budget


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


# ---------------------------------------------------------------------------------------------
# Builds


def project_copy() -> Path:
    """Copy the tracked and untracked-but-not-ignored files of the project to a temp folder."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    target = Path(tempfile.mkdtemp(prefix="bench-book-")) / "book"
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def build(book: Path, *extra: str, cached: bool = False) -> float:
    """Build a copy the way `make book` does: its own scripts/build_book.py, else jupyter-book."""
    # The widgets package is installed from this checkout: point it at the copy's own data.
    env = {**os.environ, "LEADING_FOR_LEARNING_BOOK_DATA": str(book / "data")}
    script = book / "scripts" / "build_book.py"
    if script.is_file():
        command = [sys.executable, str(script), *extra]
    else:  # the `jupyter-book create` sample: the same strict build, serial execution
        command = [str(BIN / "jupyter-book"), "build", str(book), "--builder", "html", *STRICT]
        command += list(extra)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=book, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build of {book} failed:\n{(result.stdout + result.stderr)[-4000:]}")
    output = result.stdout + result.stderr
    if cached and ("Executing notebook" in output or "changed notebooks" in output):
        raise SystemExit("a prose edit made the build run a notebook: the cache was not used")
    return seconds


def page_count(book: Path) -> int:
    html = book / "_build" / "html"
    skip = {"genindex.html", "search.html", "index.html"}
    return sum(1 for p in html.rglob("*.html") if p.name not in skip and "_static" not in p.parts)


def edit_one_prose_line(book: Path, round_: int) -> str:
    """Append a sentence to a prose line of the first executable chapter; return its docname.

    An executable chapter, so the rebuild shows that a prose edit reuses the execution cache.
    """
    chapter = next(
        p
        for p in sorted((book / "chapters").rglob("*.md"))
        if not p.name.startswith("_") and "```{code-cell}" in p.read_text(encoding="utf-8")
    )
    text = chapter.read_text(encoding="utf-8")
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line and line[0].isalpha() and len(line.split()) > 6:
            lines[i] = f"{line} (Benchmark edit {round_}.)"
            break
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return chapter.relative_to(book).with_suffix("").as_posix()


def bench_builds(repeat_clean: int, repeat_edit: int) -> tuple[list[Result], dict]:
    book = project_copy()
    clean, pages = [], 0
    for _ in range(repeat_clean):
        shutil.rmtree(book / "_build", ignore_errors=True)
        clean.append(build(book))
        pages = page_count(book)
    edits = []
    edited = ""
    for round_ in range(repeat_edit):
        edited = edit_one_prose_line(book, round_)
        edits.append(build(book, cached=True))

    sample = Path(tempfile.mkdtemp(prefix="bench-sample-")) / "sample"
    subprocess.run(
        [str(BIN / "jupyter-book"), "create", str(sample)], check=True, capture_output=True
    )
    sample_times = []
    for _ in range(repeat_clean):
        shutil.rmtree(sample / "_build", ignore_errors=True)
        sample_times.append(build(sample))
    sample_pages = page_count(sample)
    shutil.rmtree(book.parent, ignore_errors=True)
    shutil.rmtree(sample.parent, ignore_errors=True)

    ours = statistics.median(clean) / max(pages, 1)
    theirs = statistics.median(sample_times) / max(sample_pages, 1)
    baseline = {
        "our_pages": pages,
        "our_seconds_per_page": round(ours, 2),
        "sample_pages": sample_pages,
        "sample_seconds_per_page": round(theirs, 2),
        "ratio": round(ours / theirs, 2) if theirs else None,
    }
    return [
        Result("clean build with notebook execution", "s", 120, clean, f"{pages} pages"),
        Result(
            "rebuild after a one-line prose edit",
            "s",
            15,
            edits,
            f"in {edited}, execution cache warm",
        ),
    ], baseline


def bench_nbval(repeat: int) -> Result:
    def run() -> None:
        result = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "nbval_run.py")],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise SystemExit(f"nbval failed:\n{result.stdout[-3000:]}")

    return Result("nbval suite", "s", 120, timed(run, repeat))


# ---------------------------------------------------------------------------------------------
# Tools


def synthetic_team_csv(size: int) -> bytes:
    """A synthetic team file of `size` members (valid values, a few members without investment)."""
    import random

    rng = random.Random(size)
    goals = ["none", "vague", "specific", "stretch"]
    feedback = ["never", "rarely", "monthly", "weekly"]
    time_ = ["none", "occasional", "regular"]
    lines = ["member,q1,q2,q3,q4,q5,q6,q7,goal,opportunities,feedback,learning_time,conversations"]
    for i in range(size):
        base = rng.randint(1, 5)
        items = [min(5, max(1, base + rng.choice((-1, 0, 0, 1)))) for _ in range(7)]
        investment = (
            [
                rng.choice(goals),
                str(rng.randint(0, 8)),
                rng.choice(feedback),
                rng.choice(time_),
                str(rng.randint(0, 6)),
            ]
            if i % 10
            else ["", "", "", "", ""]
        )
        lines.append(",".join([f"Member {i:05d}", *map(str, items), *investment]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def bench_tools(repeat: int) -> list[Result]:
    # The pure pipeline the scorer app runs (in the browser too): team file -> scores -> spec.
    from widgets.core.scoring import score_members
    from widgets.core.teamfile import read_team
    from widgets.views.charts import team_chart_spec

    results = []
    for size, budget in ((12, 0.050), (1_000, 0.300), (10_000, 1.0)):
        data = synthetic_team_csv(size)

        def pipeline(data: bytes = data) -> None:
            team = read_team(io.BytesIO(data))
            scores = score_members(team)
            team_chart_spec(scores)

        pipeline()  # warm imports and caches, as a reader's second click would be
        samples = timed(pipeline, repeat)
        results.append(
            Result(
                f"read + score + chart, {size:,} members",
                "ms",
                budget * 1000,
                [s * 1000 for s in samples],
            )
        )
    return results


IMPORTS = (
    ("import widgets", "widgets", 50.0),
    ("import the pure core (widgets.core.scoring)", "widgets.core.scoring", 300.0),
    ("import the scorer app (ipywidgets)", "widgets.apps.scorer", 1500.0),
    ("import the notebook adapter (pandas)", "widgets.frames", 2000.0),
)


def bench_imports(repeat: int) -> list[Result]:
    """Import times in a fresh interpreter (what every kernel, build page and script pays)."""
    results = []
    for label, module, budget in IMPORTS:
        code = (
            "import time; start = time.perf_counter(); "
            f"import {module}; print(time.perf_counter() - start)"
        )
        samples = []
        for _ in range(repeat):
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
            )
            samples.append(1000 * float(out.stdout.strip().splitlines()[-1]))
        results.append(Result(label, "ms", budget, samples))
    return results


def bench_frames(repeat: int) -> Result:
    """The notebook user's path: read_team_csv and score_team return DataFrames."""
    from widgets.frames import read_team_csv, score_team, team_chart

    data = synthetic_team_csv(1_000)

    def pipeline() -> None:
        team_chart(score_team(read_team_csv(io.BytesIO(data))))

    pipeline()
    samples = timed(pipeline, repeat)
    return Result(
        "DataFrames: read_team_csv + score_team + team_chart, 1,000 members",
        "ms",
        500.0,
        [s * 1000 for s in samples],
    )


WIDGET_SETUP = textwrap.dedent(
    """
    import json
    from widgets.apps.scorer import RelationshipScorer

    app = RelationshipScorer(autoload=False)
    app.load_example()
    app.member_picker.value = app.member_picker.options[0]
    app.answers["q4"].value = 3
    print("BENCH" + json.dumps({"answer": app.answers["q4"].model_id,
                                "result": app.result_html.model_id}))
    """
)


def _kernel_output(client, code: str) -> str:
    lines: list[str] = []

    def collect(message: dict) -> None:
        if message["msg_type"] == "stream":
            lines.append(message["content"]["text"])
        elif message["msg_type"] == "error":
            lines.append("\n".join(message["content"]["traceback"]))

    client.execute_interactive(code, timeout=300, output_hook=collect)
    return "".join(lines)


def bench_widget(rounds: int) -> Result:
    """Click answers in the scorer as JupyterLab or Voila would, over the kernel's own channels.

    Each round sends the comm message a browser sends when an answer button is clicked, and waits
    for the kernel's message that updates the result panel: the time covers the message round
    trip, the widget's change handlers, scoring and the serialised update, all in a live kernel.
    """
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        text = _kernel_output(client, WIDGET_SETUP)
        if "BENCH" not in text:
            raise SystemExit(f"widget benchmark failed in the kernel:\n{text[-3000:]}")
        ids = json.loads(text.split("BENCH", 1)[1].strip().splitlines()[0])
        samples = []
        values = [1, 5, 2, 4, 3]  # each differs from the one before; the setup left 3
        for i in range(rounds):
            index = values[i % len(values)] - 1  # ToggleButtons sync the index of the option
            data = {"method": "update", "state": {"index": index}, "buffer_paths": []}
            message = client.session.msg("comm_msg", {"comm_id": ids["answer"], "data": data})
            start = time.perf_counter()
            client.shell_channel.send(message)
            updated = idle = False
            while not (updated and idle):
                reply = client.get_iopub_msg(timeout=30)
                if reply["parent_header"].get("msg_id") != message["header"]["msg_id"]:
                    continue
                content = reply["content"]
                if (
                    reply["msg_type"] == "comm_msg"
                    and content["comm_id"] == ids["result"]
                    and "value" in content["data"].get("state", {})
                    and not updated
                ):
                    samples.append((time.perf_counter() - start) * 1000)
                    updated = True
                elif reply["msg_type"] == "status" and content["execution_state"] == "idle":
                    idle = True
                    if not updated:
                        raise SystemExit("a click in the scorer did not update its result panel")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return Result(
        "scorer: answer click to updated result, 12 members",
        "ms p95",
        50,
        samples,
        "live kernel, comm round trip",
    )


# ---------------------------------------------------------------------------------------------
# Pages


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serve like a production static host: text compressed with gzip when the browser asks."""

    COMPRESS = (
        ".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".map", ".ipynb", ".wasm",
    )  # fmt: skip
    served = 0  # body bytes sent, over all requests (the live benchmark resets it per visit)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def copyfile(self, source, outputfile) -> None:
        data = source.read()
        type(self).served += len(data)
        outputfile.write(data)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in self.COMPRESS):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def bench_pages(repeat: int) -> list[Result]:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    html = ROOT / "_build" / "html"
    if not (html / "index.html").is_file():
        raise SystemExit("no built book: the build benchmark runs first, or run `make book`")
    server = socketserver.ThreadingTCPServer(
        ("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(html))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    sys.path.insert(0, str(ROOT / "scripts"))
    from nbval_run import toc_docnames

    def load(browser, docname: str) -> tuple[float, float]:
        context = browser.new_context()
        page = context.new_page()
        sizes: list[int] = []

        def finished(request) -> None:
            try:
                measured = request.sizes()
            except PlaywrightError:  # the page closed as a late request finished: not counted
                return
            sizes.append(measured["responseBodySize"] + measured["responseHeadersSize"])

        page.on("requestfinished", finished)
        page.goto(f"{base}/{docname}.html", wait_until="load")
        page.wait_for_load_state("networkidle")
        load_ms = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
        context.close()
        return sum(sizes) / 1e6, load_ms / 1000

    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            docnames = toc_docnames(ROOT / "_toc.yml")
            weights = {d: load(browser, d)[0] for d in docnames}
            heaviest = max(weights, key=weights.get)
            for label, docname in (("landing page", docnames[0]), ("heaviest chapter", heaviest)):
                runs = [load(browser, docname) for _ in range(repeat)]
                note = docname
                results.append(Result(f"{label}: bytes", "MB", 2.0, [r[0] for r in runs], note))
                results.append(Result(f"{label}: load time", "s", 1.5, [r[1] for r in runs], note))
            browser.close()
    finally:
        server.shutdown()
    return results


LIVE_SCORER = "live/voici/render/scorer.html"


def bench_live(repeat: int) -> list[Result]:
    """The live scorer in headless Chromium, served with gzip: from opening the page to the first
    answered item updating the total, cold (a new browser profile) and warm (a second visit);
    the bytes of a cold visit; and the live bytes loaded by book pages that do not open it."""
    from playwright.sync_api import sync_playwright

    html = ROOT / "_build" / "html"
    if not (html / LIVE_SCORER).is_file():
        raise SystemExit("no live apps: run `make book`")
    server = socketserver.ThreadingTCPServer(
        ("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(html))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"

    def first_answer(page) -> float:
        start = time.perf_counter()
        page.goto(f"{base}/{LIVE_SCORER}")
        page.locator(".l4l-scorer").wait_for(timeout=300_000)
        page.get_by_role("tab", name="Files").click()
        page.get_by_role("button", name="Load synthetic example team").click()
        page.get_by_role("tab", name="Member").click()
        result = page.locator(".l4l-result")
        result.get_by_text("total 33").wait_for(timeout=60_000)  # Ana Example: 33 of 35
        page.locator(".widget-toggle-buttons").nth(1).get_by_role("button").nth(0).click()
        result.get_by_text("total 29").wait_for(timeout=60_000)
        return time.perf_counter() - start

    cold, warm, cold_bytes = [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for _ in range(repeat):
                context = browser.new_context()
                _GzipHandler.served = 0
                cold.append(first_answer(context.new_page()))
                cold_bytes.append(_GzipHandler.served / 1e6)
                warm.append(first_answer(context.new_page()))
                context.close()
            # Book pages that do not open a live app must not load any of it.
            sys.path.insert(0, str(ROOT / "scripts"))
            from nbval_run import toc_docnames

            context = browser.new_context()
            page = context.new_page()
            live_urls: list[str] = []
            page.on("request", lambda r: "/live/" in r.url and live_urls.append(r.url))
            for docname in toc_docnames(ROOT / "_toc.yml"):
                page.goto(f"{base}/{docname}.html", wait_until="load")
                page.wait_for_load_state("networkidle")
            context.close()
            browser.close()
    finally:
        server.shutdown()
    return [
        Result("live scorer, cold: open to first answer updating the total", "s", 20.0, cold),
        Result("live scorer, warm: open to first answer updating the total", "s", 6.0, warm),
        Result("live scorer, cold visit: bytes transferred (gzip)", "MB", 30.0, cold_bytes),
        Result("book pages without a live app: live files they load", "files", 0.0,
               [float(len(live_urls))]),
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Report


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}"


def format_value(value: float, unit: str) -> str:
    if unit.startswith("ms"):
        return f"{value:.1f}"
    if unit == "MB":
        return f"{value:.2f}"
    return f"{value:.1f}"


def table(results: list[Result], baseline: dict | None) -> str:
    rows = [
        "| measure | figure | spread | budget | result |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        kind = "p95" if r.unit == "ms p95" else "median"
        unit = r.unit.replace(" p95", "")
        rows.append(
            f"| {r.name}{f' ({r.note})' if r.note else ''} "
            f"| {format_value(r.figure, r.unit)} {unit}"
            f" {kind} | {format_value(r.spread, r.unit)} | {format_value(r.budget, r.unit)} {unit} "
            f"| {'pass' if r.passed else 'FAIL'} |"
        )
    if baseline:
        rows.append(
            f"| seconds per page, ours vs `jupyter-book create` sample | "
            f"{baseline['our_seconds_per_page']} vs {baseline['sample_seconds_per_page']} "
            f"(x{baseline['ratio']}) | | | baseline |"
        )
    return "\n".join(rows)


def update_readme(report: str) -> None:
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = README.read_text(encoding="utf-8")
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        README.write_text(f"{head}{start}\n{report}\n{end}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--only", choices=["builds", "nbval", "imports", "tools", "widget", "pages", "live"]
    )
    args = parser.parse_args()
    few = args.quick
    results: list[Result] = []
    baseline = None
    os.environ.setdefault("LEADING_FOR_LEARNING_DATA", tempfile.mkdtemp(prefix="bench-data-"))

    steps = {
        "builds": lambda: bench_builds(1 if few else 2, 2 if few else 3),
        "nbval": lambda: bench_nbval(1 if few else 2),
        "imports": lambda: bench_imports(3 if few else 7),
        "tools": lambda: [*bench_tools(5 if few else 15), bench_frames(3 if few else 7)],
        "widget": lambda: bench_widget(40 if few else 200),
        "pages": lambda: bench_pages(3 if few else 7),
        "live": lambda: bench_live(2 if few else 5),
    }
    for name, step in steps.items():
        if args.only and name != args.only:
            continue
        print(f"bench: {name} ...", flush=True)
        value = step()
        if name == "builds":
            value, baseline = value
        results.extend(value if isinstance(value, list) else [value])

    report = table(results, baseline)
    header = f"Measured {time.strftime('%Y-%m-%d')} on {machine()}."
    print(f"\n{header}\n\n{report}\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "machine": machine(),
                "date": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "results": [
                    {**asdict(r), "figure": r.figure, "spread": r.spread, "passed": r.passed}
                    for r in results
                ],
                "baseline": baseline,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)}")
    if not args.only and not few:
        update_readme(f"{header}\n\n{report}")
    failed = [r.name for r in results if not r.passed]
    if failed:
        print("over budget: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
