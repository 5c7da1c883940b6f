"""Start the workshop in server mode: Voila serves the participant app and the dashboard.

`make workshop` runs this. It serves the two pages of the workshop/ folder and nothing else (no
file listing, no contents API; a kernel answers only the browser whose page started it: see
scripts/workshop_server.py), prints the two addresses and runs until Ctrl+C, which stops every
participant's kernel and deletes every participant's folder. Folders left by a server that was
killed are deleted the next time it starts. Serverless mode (the live apps) needs none of this.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import secrets
import shutil
import socket
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKSHOP = ROOT / "workshop"
PARTICIPANT = "participant.ipynb"
DASHBOARD = "dashboard.ipynb"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866
# Kernels stop when their page closes; a kernel whose page vanished without saying so (a laptop
# put to sleep, a lost network) is stopped after this long without activity.
CULL_AFTER_SECONDS = 30 * 60
# Voila waits this long for each cell's output. With a room opening the page at once, cells queue
# for the CPU: at Voila's default (4 s) pages came out empty; 20 at once need about 120 s here.
IOPUB_TIMEOUT_SECONDS = 180
#: Participants' private folders live under FOLDERS/<server pid>-<random>/ for one server run.
FOLDERS_ENV = "L4L_WORKSHOP_FOLDERS"


TEMPLATES = WORKSHOP / "share"  # holds voila/templates/l4l: the lab template minus its CDN links
TEMPLATE = "l4l"


def voila_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment Voila runs in: the workshop's own template folder on JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    paths = [str(TEMPLATES), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    return env


def voila_arguments(host: str, port: int) -> list[str]:
    """Voila's options: the workshop folder, no browser, this host and port only."""
    return [
        str(WORKSHOP),
        "--no-browser",
        f"--template={TEMPLATE}",
        f"--port={port}",
        f"--Voila.ip={host}",
        # Fail instead of moving to another port: the addresses printed must be the real ones.
        "--Voila.port_retries=0",
        # Kernel ids are a kernel's address: not printed (warnings and errors still are).
        "--Voila.log_level=WARN",
        # Errors show a plain message in the page, never a traceback with a participant's data.
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_SECONDS}",
        f"--MappingKernelManager.cull_idle_timeout={CULL_AFTER_SECONDS}",
        "--MappingKernelManager.cull_interval=60",
        "--MappingKernelManager.cull_connected=False",
    ]


def build_command(
    host: str, port: int, python: str = sys.executable, *, token: bool = False
) -> list[str]:
    """The command that starts the workshop server (what `make workshop` runs)."""
    command = [python, str(Path(__file__).resolve()), f"--host={host}", f"--port={port}"]
    return [*command, "--facilitator-token"] if token else command


def beyond_loopback(host: str) -> bool:
    """True if a server on ``host`` can be reached from other computers."""
    if host in ("localhost",):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a host name: assume others can reach it


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def folders_root(base: Path | None = None) -> Path:
    """Where every workshop server keeps its participants' folders, one subfolder per run."""
    return Path(base or tempfile.gettempdir()) / "l4l-workshop"


def remove_abandoned_folders(root: Path) -> list[Path]:
    """Delete the participant folders of servers that are no longer running (killed, crashed)."""
    removed = []
    for run in sorted(root.glob("*-*")) if root.is_dir() else []:
        pid = run.name.split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(run, ignore_errors=True)
            removed.append(run)
    return removed


def new_run_folder(root: Path) -> Path:
    """This server run's folder for participant folders, readable by this user only."""
    root.mkdir(mode=0o700, exist_ok=True)
    run = root / f"{os.getpid()}-{secrets.token_hex(4)}"
    run.mkdir(mode=0o700)
    return run


def display_host(host: str) -> str:
    """The host name to print: all-interfaces addresses are shown as this machine's name."""
    return socket.gethostname() if host in ("", "0.0.0.0", "::") else host


def urls(host: str, port: int) -> dict[str, str]:
    """The participant and facilitator addresses for a server on ``host``:``port``."""
    base = f"http://{display_host(host)}:{port}/voila/render"
    return {"participant": f"{base}/{PARTICIPANT}", "facilitator": f"{base}/{DASHBOARD}"}


def port_is_free(host: str, port: int) -> bool:
    """True if nothing is listening on ``host``:``port`` yet."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host or "0.0.0.0", port))
        except OSError:
            return False
    return True


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=(
            f"address to listen on (default {DEFAULT_HOST}: this computer only). Use the team "
            "server's address, or 0.0.0.0, only on a network that just the room can reach; the "
            "dashboard then needs the token printed at start-up."
        ),
    )
    parser.add_argument(
        "--facilitator-token",
        action="store_true",
        help="require the dashboard token even on this computer only",
    )
    parser.add_argument(
        "--print-command", action="store_true", help="print the Voila options and exit"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.print_command:
        print(" ".join(["voila", *voila_arguments(args.host, args.port)]))
        return 0
    if not port_is_free(args.host, args.port):
        print(
            f"Port {args.port} is already in use on {args.host}. Stop the other server, or "
            f"choose another port: .venv/bin/python scripts/workshop.py --port {args.port + 1}",
            file=sys.stderr,
        )
        return 2
    root = folders_root()
    removed = remove_abandoned_folders(root)
    run = new_run_folder(root)
    token = (
        secrets.token_urlsafe(24) if args.facilitator_token or beyond_loopback(args.host) else ""
    )
    addresses = urls(args.host, args.port)
    facilitator = addresses["facilitator"] + (f"?token={token}" if token else "")
    print("Starting the workshop apps (Voila, server mode). Stop with Ctrl+C.\n")
    if removed:
        print(f"  Deleted the participants' folders of {len(removed)} crashed earlier run(s).\n")
    print(f"  Participants open:  {addresses['participant']}")
    print(f"  Facilitator opens:  {facilitator}")
    if token:
        print("  (Keep the facilitator address to yourself: the token in it opens the dashboard.)")
    print(
        "\nEach browser page gets its own kernel and its own private folder, deleted when the "
        "page\ncloses or the server stops. See the facilitator guide, 'Server mode'.\n",
        flush=True,
    )
    os.chdir(ROOT)
    os.environ.update(voila_environment())
    os.environ[FOLDERS_ENV] = str(run)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from workshop_server import WorkshopVoila  # Voila loads only when serving

    try:
        WorkshopVoila.launch_instance(
            voila_arguments(args.host, args.port), facilitator_token=token
        )
    finally:
        shutil.rmtree(run, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
