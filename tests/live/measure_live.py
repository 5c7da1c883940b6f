"""Measure the live demo: cold start, warm start and bytes served (not part of the test suite).

    python tests/live/measure_live.py [--runs 3]

Serves _build/html with http.server's own handler, counting the bytes of every response body,
and times, in headless Chromium, from navigation to the first widget interaction answered by
Python (click "monthly", the label changes). Cold: a new browser profile. Warm: a second visit
in the same profile.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from playwright.sync_api import sync_playwright

HTML = Path(__file__).resolve().parents[2] / "_build" / "html"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVED: Counter = Counter()


class Counting(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def copyfile(self, source, outputfile):
        start = source.tell()
        super().copyfile(source, outputfile)
        SERVED[self.path.split("?")[0]] += source.tell() - start


def visit(context, url):
    page = context.new_page()
    t0 = time.monotonic()
    page.goto(url)
    page.locator(".live-result").wait_for(timeout=180_000)
    t_widget = time.monotonic() - t0
    page.get_by_role("button", name="monthly").click()
    page.get_by_text("1.5 hours a quarter").wait_for(timeout=60_000)
    t_answer = time.monotonic() - t0
    page.close()
    return t_widget, t_answer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    runs = ap.parse_args().runs
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Counting, directory=str(HTML))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/live/voici/render/demo_app.html"
    cold, warm, cold_bytes, warm_bytes, by_file = [], [], [], [], Counter()
    with sync_playwright() as p:
        for _ in range(runs):
            profile = tempfile.mkdtemp()
            ctx = p.chromium.launch_persistent_context(
                profile, executable_path="/usr/bin/chromium", args=ARGS, headless=True
            )
            SERVED.clear()
            cold.append(visit(ctx, url))
            cold_bytes.append(sum(SERVED.values()))
            by_file = Counter(SERVED)
            SERVED.clear()
            warm.append(visit(ctx, url))
            warm_bytes.append(sum(SERVED.values()))
            ctx.close()
            shutil.rmtree(profile, ignore_errors=True)
    server.shutdown()

    def fmt(xs, i):
        v = [x[i] for x in xs]
        return f"median {statistics.median(v):.1f} s (min {min(v):.1f}, max {max(v):.1f})"

    print(f"runs: {runs}")
    print(f"cold: widget shown {fmt(cold, 0)}; first interaction answered {fmt(cold, 1)}")
    print(f"warm: widget shown {fmt(warm, 0)}; first interaction answered {fmt(warm, 1)}")
    print(
        f"bytes served, cold: {statistics.median(cold_bytes) / 1e6:.1f} MB; "
        f"warm: {statistics.median(warm_bytes) / 1e6:.2f} MB"
    )
    print("largest files served on a cold start:")
    for path, n in by_file.most_common(15):
        print(f"  {n / 1e6:6.2f} MB  {path}")
    groups = Counter()
    for path, n in by_file.items():
        key = (
            "pyodide runtime"
            if "/static/pyodide/" in path and not path.endswith(".whl")
            else "wheels"
            if path.endswith(".whl")
            else "voici page + js"
            if "/voici/" in path
            else "extensions"
            if "/extensions/" in path
            else "other"
        )
        groups[key] += n
    for k, n in groups.most_common():
        print(f"  {k}: {n / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
