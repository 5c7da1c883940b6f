"""Build live, code-free versions of ipywidgets apps into the static site.

The apps run in the reader's browser: Voici renders each notebook as a page, JupyterLite's Pyodide
kernel runs it in a Web Worker, and everything is served by the site itself (no CDN, no PyPI).

    python scripts/build_live.py --out _build/html/live --notebooks app.ipynb --wheel dist/x.whl
    python scripts/build_live.py --lock-requirements     # after editing vendor/live/*.in

What it pins (all in vendor/live/, committed):
  pyodide.json           the npm `pyodide` version, its tarball's sha512 (npm integrity) and sha256
  requirements.txt       the browser's pure-Python wheels with their sha256 (from requirements.in)
  sdists.txt             sdists built here into pure wheels (MarkupSafe), each with its sha256
  build-requirements.txt the Python build tools (jupyterlite-core, the Pyodide kernel, voici-core)

Downloads go to _build/live-cache/ and are checked against those hashes; once cached, a rebuild
touches no network. See LIVE-NOTES.md for how to use it and what it measured.
"""

from __future__ import annotations

import argparse
import base64
import email.parser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "vendor" / "live"
# Downloads (Pyodide's tarball, the pinned wheels) are kept here; L4L_LIVE_CACHE points copies of
# the book (the fork test) at one shared cache, so each copy does not download them again.
CACHE = Path(os.environ.get("L4L_LIVE_CACHE") or ROOT / "_build" / "live-cache")

#: The browser's Python: Pyodide 0.27.6 runs CPython 3.12.7 (ABI pyodide_2024_0).
PY_VERSION = "3.12"
PLATFORM = "pyodide_2024_0_wasm32"
MARKER_ENV = {
    "python_version": "3.12",
    "python_full_version": "3.12.7",
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "os_name": "posix",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "platform_release": "",
    "platform_version": "",
    "implementation_version": "3.12.7",
    "extra": "",
}
#: Files of the npm package that the browser needs (the rest are docs, typings and consoles).
PYODIDE_RUNTIME = [
    "pyodide.js",
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "package.json",
]
#: Wheels shipped inside the jupyterlite-pyodide-kernel extension that the kernel installs.
KERNEL_EXTENSION = "@jupyterlite/pyodide-kernel-extension"
KERNEL_EXTENSION_WHEELS = ["piplite-", "pyodide_kernel-", "ipykernel-", "widgetsnbextension-4."]
#: Requirements that are deliberately not served (checked, so a new one is noticed).
NOT_SERVED = {
    # the page's widget manager is Voici's; this wheel is JavaScript for JupyterLab only
    "jupyterlab-widgets",
}
#: Unvendored stdlib modules that the kernel asks for by name (see make_distribution).
PLACEHOLDERS = ["ssl", "sqlite3"]
#: Served as placeholders too when no app with a code editor is built: jedi (4.9 MB, a fifth of a
#: cold start) only serves tab completion; IPython runs without it. parso is only jedi's.
EDITOR_ONLY = {"jedi": ["parso"]}
#: What the kernel loads while starting, preloaded by Pyodide itself (parallel, no micropip).
KERNEL_PRELOAD = [
    "micropip",
    "piplite",
    "ssl",
    "sqlite3",
    "ipykernel",
    "comm",
    "pyodide_kernel",  # spelt as the kernel checks it (Pyodide normalises names itself)
    "jedi",
    "ipython",
]
#: Neutralised in the built files: (relative glob, exact text, replacement, why).
PATCHES = [
    (
        "voici/**/*.html",
        '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5'
        '/css/all.min.css" type="text/css" />',
        "",
        "Voila's lab template links Font Awesome from a CDN; Voici's own bundle already has it",
    ),
    (
        "voici/**/*.html",
        '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5'
        '/css/v4-shims.min.css" type="text/css" />',
        "",
        "same, the Font Awesome 4 shims",
    ),
    (
        "voici/tree/index.html",
        '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/font-awesome@4.5.0/css/'
        'font-awesome.min.css" type="text/css" />',
        "",
        "the tree (file list) page links Font Awesome 4 from a CDN; its icons fall back to none",
    ),
]
#: How a built file would make the browser load something from another host.
LOADS_HTML_CSS = [
    r"""<(?:script|img|iframe|source|embed|audio|video)\b[^>]*?\bsrc\s*=\s*["']?(https?://[^"'\s>]+)""",
    r"""<link\b[^>]*?\bhref\s*=\s*["']?(https?://[^"'\s>]+)""",
    r"""@import\s+(?:url\()?\s*["']?(https?://[^"'\s);]+)""",
    r"""url\(\s*["']?(https?://[^"'\s)]+)""",
]
#: Hosts whose URLs are flagged anywhere (also inside JavaScript, where any string may be fetched).
CDN_URL = (
    r"""(https?://(?:cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|fonts\.googleapis\.com"""
    r"""|fonts\.gstatic\.com|cdn\.pyodide\.org|pypi\.org|files\.pythonhosted\.org"""
    r"""|esm\.sh|ga\.jspm\.io)[^"'`\s)]*)"""
)
#: Known occurrences in code paths that this build's configuration never takes (checked in the
#: browser test too: it fails on any request to another host).
FOREIGN_ALLOWED = {
    # default pyodideUrl when none is configured (we configure ./static/pyodide/pyodide.js)
    "https://cdn.jsdelivr.net/pyodide/v0.27.6/full/pyodide.js",
    # Pyodide's cdnUrl: only read under Node.js
    "https://cdn.jsdelivr.net/pyodide/v${d.version}/full/",
    # MathJax 2 fallback, used only when the page config sets fullMathjaxUrl to "null"
    "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js",
    # nbconvert's page script imports Mermaid only when the page has a mermaid diagram;
    # build_live refuses notebooks that contain one (see check_notebooks)
    "https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/mermaid.esm.min.mjs",
    "https://cdnjs.cloudflare.com/ajax/libs/mermaid-layout-elk/0.1.9/mermaid-layout-elk.esm.min.mjs",
    # a description in the kernel's settings schema, not a request
    "https://pypi.org/pypi/",
}


def log(msg: str) -> None:
    print(f"[build_live] {msg}", flush=True)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def run(cmd: list[str], **kw) -> None:
    log("$ " + " ".join(str(c) for c in cmd))
    subprocess.run([str(c) for c in cmd], check=True, **kw)


# --------------------------------------------------------------------------------------------
# Pins


def read_pins(path: Path) -> dict[str, tuple[str, list[str]]]:
    """`name==version --hash=sha256:... ...` lines -> {canonical name: (version, [hashes])}."""
    pins: dict[str, tuple[str, list[str]]] = {}
    text = path.read_text().replace("\\\n", " ")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line)
        if not m:
            raise SystemExit(f"{path}: not a `name==version` pin: {line}")
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", line)
        pins[canonical(m.group(1))] = (m.group(2), hashes)
    return pins


def lock_requirements() -> None:
    """Resolve the `.in` pins into files with hashes (needs PyPI)."""
    for src, dst, binary in [
        ("requirements.in", "requirements.txt", True),
        ("sdists.in", "sdists.txt", False),
    ]:
        pins = read_pins(VENDOR / src)
        with tempfile.TemporaryDirectory() as tmp:
            lines = [
                f"# Generated by `python scripts/build_live.py --lock-requirements` from {src}.",
                "# Do not edit: change the .in file and run that again.",
            ]
            for name, (version, _) in sorted(pins.items()):
                d = Path(tmp) / name
                run([*pip_download_args(binary), "-d", d, f"{name}=={version}"])
                (f,) = list(d.iterdir())
                lines.append(f"{name}=={version} \\\n    --hash=sha256:{sha256(f)}")
                log(f"{f.name} {sha256(f)}")
            (VENDOR / dst).write_text("\n".join(lines) + "\n")


def pip_download_args(binary: bool) -> list[str]:
    args = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    if binary:
        args += ["--only-binary=:all:", "--platform", PLATFORM, "--platform", "any"]
        args += ["--python-version", PY_VERSION, "--implementation", "cp"]
    else:
        args += ["--no-binary=:all:"]
    return args


def check_build_tools() -> None:
    from importlib.metadata import PackageNotFoundError, version

    wanted = read_pins(VENDOR / "build-requirements.txt")
    for name, (ver, _) in wanted.items():
        try:
            have = version(name)
        except PackageNotFoundError:
            have = None
        if have != ver:
            raise SystemExit(
                f"{name}=={ver} is needed to build the live apps (found {have}): "
                f"pip install -r {(VENDOR / 'build-requirements.txt').relative_to(ROOT)}"
            )


# --------------------------------------------------------------------------------------------
# Downloads (cached, checked)


def fetch_pyodide() -> Path:
    """The npm package `pyodide`, unpacked; its tarball checked against vendor/live/pyodide.json."""
    pin = json.loads((VENDOR / "pyodide.json").read_text())
    tgz = CACHE / f"pyodide-{pin['version']}.tgz"
    if not tgz.exists() or sha256(tgz) != pin["sha256"]:
        tgz.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            run(["npm", "pack", "--silent", f"pyodide@{pin['version']}", "--pack-destination", tmp])
            shutil.move(str(Path(tmp) / tgz.name), tgz)
    data = tgz.read_bytes()
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if integrity != pin["integrity"] or hashlib.sha256(data).hexdigest() != pin["sha256"]:
        raise SystemExit(f"{tgz}: checksum differs from vendor/live/pyodide.json")
    dest = CACHE / f"pyodide-{pin['version']}"
    if not (dest / "pyodide-lock.json").exists():
        shutil.rmtree(dest, ignore_errors=True)
        with tarfile.open(tgz) as tar:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(dest, filter="data")
            else:  # Python < 3.10.12: check the members by hand
                for m in tar.getmembers():
                    if not (m.isfile() or m.isdir()) or m.name.startswith("/") or ".." in m.name:
                        raise SystemExit(f"{tgz}: unexpected member {m.name}")
                tar.extractall(dest)
        for p in (dest / "package").iterdir():
            p.rename(dest / p.name)
        (dest / "package").rmdir()
    return dest


def fetch_pinned(pins_file: Path, binary: bool) -> list[Path]:
    """Download every pin of `pins_file` once into the cache, checking its hash."""
    pins = read_pins(pins_file)
    folder = CACHE / ("wheels" if binary else "sdists")
    folder.mkdir(parents=True, exist_ok=True)
    by_hash = {sha256(p): p for p in folder.iterdir() if p.is_file()}
    missing = [
        f"{n}=={v} " + " ".join(f"--hash=sha256:{h}" for h in hs)
        for n, (v, hs) in pins.items()
        if not any(h in by_hash for h in hs)
    ]
    if missing:
        req = folder / "_missing.txt"
        req.write_text("\n".join(missing) + "\n")
        run([*pip_download_args(binary), "--require-hashes", "-d", folder, "-r", req])
        req.unlink()
        by_hash = {sha256(p): p for p in folder.iterdir() if p.is_file()}
    out = []
    for name, (version, hashes) in pins.items():
        hits = [by_hash[h] for h in hashes if h in by_hash]
        if not hits:
            raise SystemExit(f"{name}=={version}: no downloaded file matches its pinned hash")
        out.append(hits[0])
    return out


def build_pure_wheels(sdists: list[Path]) -> list[Path]:
    """Build each sdist into a py3-none-any wheel with the C compiler disabled."""
    folder = CACHE / "built"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for sdist in sdists:
        stem = sdist.name.removesuffix(".tar.gz")
        name, version = stem.rsplit("-", 1)
        wheel = folder / f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        stamp = folder / f"{wheel.name}.from"
        if not (wheel.exists() and stamp.exists() and stamp.read_text() == sha256(sdist)):
            env = {**os.environ, "CC": "/bin/false", "SOURCE_DATE_EPOCH": "315532800"}
            run(
                [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", folder, sdist],
                env=env,
            )
            if not wheel.exists():
                raise SystemExit(f"{sdist.name} did not build into {wheel.name}")
            stamp.write_text(sha256(sdist))
        out.append(wheel)
    return out


def kernel_extension_wheels() -> list[Path]:
    import jupyterlite_pyodide_kernel

    share = Path(sys.prefix) / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension"
    pypi = share / "static" / "pypi"
    if not pypi.is_dir():
        raise SystemExit(f"{pypi} missing: is {jupyterlite_pyodide_kernel.__name__} installed?")
    wheels = []
    for prefix in KERNEL_EXTENSION_WHEELS:
        hits = sorted(pypi.glob(f"{prefix}*.whl"))
        if len(hits) != 1:
            raise SystemExit(f"expected one {prefix}*.whl in {pypi}, found {hits}")
        wheels.append(hits[0])
    return wheels


# --------------------------------------------------------------------------------------------
# Bytecode compiled at build time, as Pyodide does for the packages on its own CDN

#: Bumped when the transformation below changes, so cached copies are made again.
COMPILE_FORMAT = 1
#: The browser's bytecode: the name compileall gives it under Pyodide 0.27's CPython 3.12.
PYC_TAG = "cpython-312"
#: Where each compiled tree lives in the browser (for tracebacks): the standard library is the
#: zip on Python's path, everything else is unpacked into site-packages.
STDLIB_DIR = "/lib/python312.zip"
SITE_DIR = "/lib/python3.12/site-packages"
#: Runs in Node.js: start the npm package's Pyodide (the browser's own CPython) and compile every
#: tree under argv[3] into __pycache__/*.pyc, with an unchecked hash (PEP 552), so the browser
#: never compiles these sources again and never checks them. argv[4]: {tree: its browser path}.
_COMPILE_JS = r"""
const [indexURL, work, where] = process.argv.slice(2);
const { loadPyodide } = require(indexURL + "/pyodide.js");
(async () => {
  const py = await loadPyodide({ indexURL: indexURL + "/", stdout: console.log });
  py.FS.mkdirTree("/work");
  py.FS.mount(py.FS.filesystems.NODEFS, { root: work }, "/work");
  py.globals.set("where", where);
  py.runPython(`
import compileall, json, py_compile
for name, ddir in json.loads(where).items():
    compileall.compile_dir(f"/work/{name}", ddir=ddir, quiet=2,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
`);
})().catch((e) => { console.error(e); process.exit(1); });
"""


def _record_line(name: str, data: bytes) -> str:
    """A wheel RECORD line: path, urlsafe-base64 sha256, size."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")
    return f"{name},sha256={digest},{len(data)}"


def _write_zip(dest: Path, entries: list[tuple[str, bytes | None, int]]) -> None:
    """(name, data or None for a folder, compression) in order, dated 1980: same input, same
    bytes. Written beside `dest` and renamed, so a cached copy is never half written."""
    tmp = dest.with_suffix(".tmp")
    tmp.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(tmp, "w") as z:
        for name, data, how in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            if data is None:
                info.external_attr = 0o40755 << 16 | 0x10
                z.writestr(info, b"")
            else:
                z.writestr(info, data, how)
    tmp.rename(dest)


def _compiled_copies(pyodide: Path, jobs: list[tuple[Path, Path, str, bool, bool]]) -> None:
    """Write each (archive, dest, browser path, keep sources, is a wheel) again with bytecode.

    One Node run compiles them all. In a wheel the package's own `tests/` folder is left out and
    RECORD is written anew; with `keep sources` the bytecode goes in __pycache__ beside each
    source, otherwise it takes the source's place.
    """
    node = shutil.which("node")
    if node is None:
        raise SystemExit(
            "node is needed to compile the browser's bytecode (apt-get install nodejs)"
        )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "trees"
        for i, (archive, *_) in enumerate(jobs):
            with zipfile.ZipFile(archive) as z:
                z.extractall(work / f"{i:03d}")
        script = Path(tmp) / "compile.js"
        script.write_text(_COMPILE_JS)
        where = {f"{i:03d}": browser for i, (_, _, browser, _, _) in enumerate(jobs)}
        run([node, script, pyodide.resolve(), work, json.dumps(where)])
        for i, (archive, dest, _, keep, wheel) in enumerate(jobs):
            _write_zip(dest, _with_bytecode(archive, work / f"{i:03d}", keep=keep, wheel=wheel))


def _with_bytecode(
    archive: Path, tree: Path, *, keep: bool, wheel: bool
) -> list[tuple[str, bytes | None, int]]:
    """The entries of `archive` with the bytecode compiled into `tree` (see _compiled_copies)."""
    with zipfile.ZipFile(archive) as z:
        entries = [
            (i.filename, None if i.is_dir() else z.read(i.filename), i.compress_type)
            for i in z.infolist()
        ]
    tops = {name.split("/", 1)[0] for name, _, _ in entries if "/" in name}
    skip = tuple(f"{t}/" for t in tops if t.endswith(".data"))  # not importable: left alone
    tests = tuple(f"{t}/tests/" for t in tops if wheel and not t.endswith((".dist-info", ".data")))
    out = []
    for name, data, how in entries:
        if tests and name.startswith(tests):
            continue
        folder, _, stem = name.rpartition("/")
        pyc = f"{folder}/__pycache__/{stem[:-3]}.{PYC_TAG}.pyc".lstrip("/")
        compiled = name.endswith(".py") and not name.startswith(skip) and (tree / pyc).is_file()
        if data is None or not compiled:  # a folder, data, or a source Python could not compile
            out.append((name, data, how))
        elif keep:
            out += [(name, data, how), (pyc, (tree / pyc).read_bytes(), zipfile.ZIP_DEFLATED)]
        else:
            out.append((name[:-3] + ".pyc", (tree / pyc).read_bytes(), how))
    if any(n.endswith(".py") for n, _, _ in entries) and not any(
        n.endswith(".pyc") for n, _, _ in out
    ):
        raise SystemExit(f"{archive.name}: no bytecode tagged {PYC_TAG} was made for it")
    if wheel:
        record = next(n for n, _, _ in out if re.match(r"[^/]+\.dist-info/RECORD$", n))
        out = [e for e in out if e[0] != record]
        lines = [_record_line(n, d) for n, d, _ in out if d is not None] + [f"{record},,"]
        out.append((record, ("\n".join(lines) + "\n").encode(), zipfile.ZIP_DEFLATED))
    return out


def compiled_stdlib(pyodide: Path) -> Path:
    """Pyodide's python_stdlib.zip with bytecode in place of its sources, cached.

    The npm package ships the standard library as .py only, so every start compiled each
    module it imported (encodings, asyncio, inspect, email, ...) before the kernel could run.
    """
    original = pyodide / "python_stdlib.zip"
    dest = CACHE / "compiled" / f"stdlib-{sha256(original)[:16]}-{COMPILE_FORMAT}" / original.name
    if not dest.exists():
        _compiled_copies(pyodide, [(original, dest, STDLIB_DIR, False, False)])
    return dest


def precompile_wheels(pyodide: Path, wheels: list[Path], keep_sources: list[Path]) -> list[Path]:
    """Copies of `wheels` holding the bytecode of the browser's Python, cached by their input.

    Without it the browser compiles every imported module from source at each start (the
    in-page file system keeps no __pycache__ between visits). As on Pyodide's own CDN, the
    bytecode replaces the sources, and a package's own `tests/` folder is left out (Pyodide
    "unvendors" tests the same way): fewer, smaller files to fetch and unpack. `keep_sources`
    (this book's package) keep their .py beside the bytecode, so their tracebacks show lines.
    """
    version = json.loads((VENDOR / "pyodide.json").read_text())["version"]
    keep = {Path(w).resolve() for w in keep_sources}
    copies = {}
    for w in wheels:
        kind = "src" if w.resolve() in keep else "pyc"
        key = f"{sha256(w)[:16]}-{version}-{kind}-{COMPILE_FORMAT}"
        copies[w] = CACHE / "compiled" / key / w.name
    jobs = [
        (w, dest, SITE_DIR, w.resolve() in keep, True)
        for w, dest in copies.items()
        if not dest.exists()
    ]
    if jobs:
        _compiled_copies(pyodide, jobs)
    return [copies[w] for w in wheels]


# --------------------------------------------------------------------------------------------
# The self-hosted Pyodide distribution


def wheel_metadata(wheel: Path) -> tuple[email.message.Message, list[str]]:
    """(METADATA, top-level import names) of a wheel: its packages and modules at the root."""
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta_name = next(n for n in names if re.match(r"[^/]+\.dist-info/METADATA$", n))
        meta = email.parser.Parser().parsestr(z.read(meta_name).decode())
    imports = set()
    for n in names:
        top, _, rest = n.partition("/")
        if top.endswith((".dist-info", ".data")):
            continue
        if rest and rest.endswith(".py"):
            imports.add(top)
        elif not rest and top.endswith(".py"):
            imports.add(top[:-3])
    return meta, sorted(i for i in imports if i.isidentifier())


def requirement_names(meta: email.message.Message) -> list[str]:
    from packaging.requirements import Requirement

    out = []
    for spec in meta.get_all("Requires-Dist") or []:
        req = Requirement(spec)
        if req.marker is None or req.marker.evaluate(MARKER_ENV):
            out.append(canonical(req.name))
    return out


def placeholder_wheel(folder: Path, name: str, why: str) -> Path:
    """A wheel with no module: the kernel's start-up asks for `name`, Pyodide has no build of it."""
    wheel = folder / f"{name}-0.0.0-py3-none-any.whl"
    dist = f"{name}-0.0.0.dist-info"
    files = {
        f"{dist}/METADATA": (
            f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.0.0\nSummary: {why}\n"
        ),
        f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: build_live\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    lines = [_record_line(n, c.encode()) for n, c in files.items()] + [f"{dist}/RECORD,,"]
    files[f"{dist}/RECORD"] = "\n".join(lines) + "\n"
    _write_zip(wheel, [(n, c.encode(), zipfile.ZIP_STORED) for n, c in files.items()])
    return wheel


def make_distribution(
    dest: Path, pyodide: Path, wheels: list[Path], placeholders: list[str] = PLACEHOLDERS
) -> tuple[dict[str, dict], list[str]]:
    """Copy the runtime and the wheels to `dest` and write a pyodide-lock.json listing exactly them.

    Returns (lock packages, report lines).
    """
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for f in PYODIDE_RUNTIME:
        source = compiled_stdlib(pyodide) if f == "python_stdlib.zip" else pyodide / f
        shutil.copy2(source, dest / f)
    npm_lock = json.loads((pyodide / "pyodide-lock.json").read_text())
    served = {}
    dropped = {d for p in placeholders for d in [p, *EDITOR_ONLY.get(p, [])]}
    for w in wheels:
        meta, imports = wheel_metadata(w)
        name = canonical(meta["Name"])
        if name in dropped:
            continue
        if name in served:
            raise SystemExit(f"two wheels for {name}: {served[name][0].name}, {w.name}")
        served[name] = (w, meta, imports)
    # The kernel installs these unvendored stdlib modules at start-up; their Pyodide builds are
    # not in the npm package (only on Pyodide's CDN), so they are served as empty placeholders:
    # start-up succeeds, and `import ssl` / `import sqlite3` raise ModuleNotFoundError.
    for stub in placeholders:
        w = placeholder_wheel(dest, stub, f"placeholder: {stub} is not served here")
        served[stub] = (w, wheel_metadata(w)[0], [])
    packages, report = {}, []
    for name, (w, meta, imports) in sorted(served.items()):
        if w.parent != dest:
            shutil.copy2(w, dest / w.name)
        depends = []
        for dep in requirement_names(meta):
            if dep in served:
                depends.append(dep)
            elif dep not in NOT_SERVED:
                raise SystemExit(
                    f"{name} requires {dep}, which is not served: add it to requirements.in"
                )
            else:
                report.append(f"{name}: requirement {dep} deliberately not served")
        packages[name] = {
            "name": meta["Name"],
            "version": meta["Version"],
            "file_name": w.name,
            "install_dir": "site",
            "sha256": sha256(dest / w.name),
            "package_type": "package",
            "imports": imports,
            "depends": sorted(set(depends)),
            "unvendored_tests": False,
        }
    lock = {"info": npm_lock["info"], "packages": packages}
    (dest / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n")
    return packages, report


# --------------------------------------------------------------------------------------------
# The JupyterLite / Voici build


def build_live(
    out: Path,
    notebooks: list[Path],
    wheels: list[Path],
    *,
    files: list[Path] = (),
    apps: list[str] = ("voici",),
    preload: list[str] | None = None,
) -> None:
    """Build the live apps of `notebooks` into `out`.

    `wheels` are extra local wheels (our own package) served by the same Pyodide distribution:
    `import name` in a cell loads them, or `await piplite.install("name")`.
    `files` are data files put beside the notebooks (readable from Python under /drive).
    `apps`: ("voici",) renders code-free pages; add "lab" or "notebook" for the full UI too.
    `preload`: distributions Pyodide loads before the first cell (default: the kernel's own and
    every extra wheel); other served packages load on first import.
    """
    out = Path(out).resolve()
    check_build_tools()
    check_notebooks(notebooks)
    pyodide = fetch_pyodide()
    pure = fetch_pinned(VENDOR / "requirements.txt", binary=True)
    built = build_pure_wheels(fetch_pinned(VENDOR / "sdists.txt", binary=False))
    extra = [Path(w).resolve() for w in wheels]
    all_wheels = precompile_wheels(
        pyodide, [*pure, *built, *kernel_extension_wheels(), *extra], keep_sources=extra
    )

    lite_dir = out.with_name(out.name + ".lite-src")  # beside the output: never shared
    shutil.rmtree(lite_dir, ignore_errors=True)
    (lite_dir / "static").mkdir(parents=True)
    placeholders = list(PLACEHOLDERS)
    if not {"lab", "notebooks", "repl", "edit"} & set(apps):
        placeholders += list(EDITOR_ONLY)
    packages, report = make_distribution(
        lite_dir / "static" / "pyodide", pyodide, all_wheels, placeholders
    )
    if preload is None:
        preload = [
            *KERNEL_PRELOAD,
            "ipywidgets",
            *(canonical(wheel_metadata(w)[0]["Name"]) for w in extra),
        ]
    unknown = [p for p in preload if canonical(p) not in packages]
    if unknown:
        raise SystemExit(f"preload names not in the distribution: {unknown}")

    lite_json = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "litePluginSettings": {
                "@jupyterlite/pyodide-kernel-extension:kernel": {
                    "disablePyPIFallback": True,
                    "loadPyodideOptions": {"packages": list(preload)},
                }
            }
        },
    }
    (lite_dir / "jupyter-lite.json").write_text(json.dumps(lite_json, indent=2))
    # Only the Pyodide kernel's extension goes into the site: JupyterLite would otherwise copy
    # every JupyterLab extension installed where the build runs (jupytext, voila, ...), which
    # the page then fails to load, and the site would depend on the build machine.
    only = lite_dir / "labextensions"
    kernel_extension = Path(sys.prefix) / "share/jupyter/labextensions" / KERNEL_EXTENSION
    shutil.copytree(kernel_extension, only / KERNEL_EXTENSION)
    lite_config = {
        "LiteBuildConfig": {"ignore_sys_prefix": ["federated_extensions"]},
        "FederatedExtensionAddon": {"extra_labextensions_path": [str(only)]},
    }
    (lite_dir / "jupyter_lite_config.json").write_text(json.dumps(lite_config, indent=2))
    contents = lite_dir / "contents"
    contents.mkdir()
    for src in [*notebooks, *files]:
        shutil.copy2(Path(src), contents / Path(src).name)

    tmp_out = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp_out, ignore_errors=True)
    # (voici_core's __main__ may import the `voici` package, which we do not install)
    cmd = [sys.executable, "-c", "from voici_core.app import main; main()", "build"]
    cmd += ["--lite-dir", lite_dir]
    cmd += ["--output-dir", tmp_out, "--contents", contents, "--no-sourcemaps"]
    for app in apps:
        cmd += ["--apps", app]
    # no network from here on: the kernel's PyPI fallback is off, and pip/npm are not called
    env = {**os.environ, "JUPYTERLITE_NO_LIBARCHIVE": "1"}
    env.pop("JUPYTERLITE_PYODIDE_URL", None)
    run(cmd, cwd=lite_dir, env=env)

    patched = apply_patches(tmp_out)
    problems = foreign_urls(tmp_out)
    if problems:
        raise SystemExit("built files would load from another host:\n" + "\n".join(problems))
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp_out.rename(out)
    manifest = {
        "pyodide": json.loads((VENDOR / "pyodide.json").read_text())["version"],
        "apps": list(apps),
        "preload": list(preload),
        "packages": {k: v["file_name"] for k, v in packages.items()},
        "placeholders": placeholders,
        "patched": patched,
        "notes": report,
    }
    (out / "live-build.json").write_text(json.dumps(manifest, indent=1) + "\n")
    shutil.rmtree(lite_dir, ignore_errors=True)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    log(f"built {out} ({total / 1e6:.1f} MB, {len(packages)} packages)")


def check_notebooks(notebooks: list[Path]) -> None:
    """Refuse what would make the page load from another host at run time."""
    for nb in notebooks:
        for cell in json.loads(Path(nb).read_text(encoding="utf-8"))["cells"]:
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] == "markdown" and re.search(r"^\s*(```|~~~)\s*mermaid", src, re.M):
                raise SystemExit(f"{nb}: a mermaid diagram would load Mermaid from a CDN")


CONFIG_SCRIPT = re.compile(
    r'(<script id="jupyter-config-data" type="application/json">)(.*?)(</script>)', re.S
)


def rebase_plugin_urls(out: Path) -> int:
    """Make the kernel's "./" URLs in each Voici page relative to the site root, not the page.

    JupyterLite's config-utils resolves "./" URLs of jupyter-lite.json against the file that
    holds them; Voici 0.9 copies them into each page (voici/render/...) unchanged, so the kernel
    asked for voici/render/static/pyodide/pyodide.js (404). Voici 0.10 does the same rewrite.
    """

    def rebase(value, base):
        if isinstance(value, str) and value.startswith("./"):
            return base + value[2:]
        if isinstance(value, list):
            return [rebase(v, base) for v in value]
        if isinstance(value, dict):
            return {k: rebase(v, base) for k, v in value.items()}
        return value

    count = 0
    for page in (out / "voici").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        m = CONFIG_SCRIPT.search(text)
        if not m:
            continue
        config = json.loads(m.group(2))
        base = config.get("baseUrl", "./")
        config["litePluginSettings"] = rebase(config.get("litePluginSettings", {}), base)
        blob = json.dumps(config).replace("</", "<\\/")
        page.write_text(text[: m.start(2)] + blob + text[m.end(2) :], encoding="utf-8")
        count += 1
    if not count:
        raise SystemExit(
            "no Voici page with a jupyter-config-data script: rebase_plugin_urls is stale"
        )
    return count


def apply_patches(out: Path) -> list[str]:
    done = [f"kernel URLs made relative to the site root in {rebase_plugin_urls(out)} page(s)"]
    for pattern, old, new, why in PATCHES:
        hits = 0
        for f in out.glob(pattern):
            text = f.read_text(encoding="utf-8")
            if old in text:
                f.write_text(text.replace(old, new), encoding="utf-8")
                hits += 1
        if not hits:
            raise SystemExit(f"patch no longer applies ({why}): {old[:80]}... update PATCHES")
        done.append(f"{why}: {hits} file(s)")
    return done


def foreign_urls(out: Path) -> list[str]:
    """Every URL to another host that a built file would load, less FOREIGN_ALLOWED."""
    problems = set()
    for f in out.rglob("*"):
        if not f.is_file() or f.suffix not in {".html", ".htm", ".js", ".mjs", ".css", ".json"}:
            continue
        text = f.read_text(encoding="utf-8", errors="replace")
        patterns = [CDN_URL]
        if f.suffix in {".html", ".htm", ".css"}:
            patterns += LOADS_HTML_CSS
        for pattern in patterns:
            for m in re.finditer(pattern, text, re.I):
                url = m.group(1)
                if url not in FOREIGN_ALLOWED:
                    problems.add(f"{f.relative_to(out)}: {url}")
    return sorted(problems)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "_build" / "html" / "live")
    ap.add_argument("--notebooks", type=Path, nargs="*", default=[])
    ap.add_argument("--wheel", type=Path, nargs="*", default=[], dest="wheels")
    ap.add_argument("--files", type=Path, nargs="*", default=[], help="data files for the apps")
    ap.add_argument("--apps", nargs="*", default=["voici"], help="voici, and optionally lab")
    ap.add_argument("--lock-requirements", action="store_true", help="re-pin vendor/live/*.txt")
    args = ap.parse_args(argv)
    if args.lock_requirements:
        lock_requirements()
        return
    if not args.notebooks:
        ap.error("--notebooks is required")
    build_live(args.out, args.notebooks, args.wheels, files=args.files, apps=args.apps)


if __name__ == "__main__":
    main()
