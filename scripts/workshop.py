"""Start the workshop: Voila serves the participant app and the facilitator dashboard.

`make workshop` runs this. It serves the workshop/ folder with standalone Voila (never a full
Jupyter server, whose API would let one browser reach another's kernel), prints the two addresses
and runs until Ctrl+C, which shuts every participant's kernel down.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKSHOP = ROOT / "workshop"
PARTICIPANT = "participant.ipynb"
DASHBOARD = "dashboard.ipynb"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866
# Voila 0.5.13 does not stop a page's kernel when the page is closed (its shutdown request fails
# the server's XSRF check), so stop kernels with no open page after this long. A kernel whose page
# is still open is never stopped; when a kernel stops, the participant app deletes its data folder.
CULL_AFTER_SECONDS = 2 * 60 * 60


TEMPLATES = WORKSHOP / "share"  # holds voila/templates/l4l: the lab template minus its CDN links
TEMPLATE = "l4l"


def voila_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment Voila runs in: the workshop's own template folder on JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    paths = [str(TEMPLATES), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    return env


def build_command(host: str, port: int, python: str = sys.executable) -> list[str]:
    """The Voila command line: the workshop folder, no browser, this host and port only."""
    return [
        python,
        "-m",
        "voila",
        str(WORKSHOP),
        "--no-browser",
        f"--template={TEMPLATE}",
        f"--port={port}",
        f"--Voila.ip={host}",
        # Fail instead of moving to another port: the addresses printed must be the real ones.
        "--Voila.port_retries=0",
        # Errors show a plain message in the page, never a traceback with a participant's data.
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.strip_sources=True",
        f"--MappingKernelManager.cull_idle_timeout={CULL_AFTER_SECONDS}",
        "--MappingKernelManager.cull_interval=300",
        "--MappingKernelManager.cull_connected=False",
    ]


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
            "server's address, or 0.0.0.0, only on a network that just the room can reach."
        ),
    )
    parser.add_argument(
        "--print-command", action="store_true", help="print the Voila command and exit"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    command = build_command(args.host, args.port)
    if args.print_command:
        print(" ".join(command))
        return 0
    if not port_is_free(args.host, args.port):
        print(
            f"Port {args.port} is already in use on {args.host}. Stop the other server, or "
            f"choose another port: .venv/bin/python scripts/workshop.py --port {args.port + 1}",
            file=sys.stderr,
        )
        return 2
    addresses = urls(args.host, args.port)
    print("Starting the workshop apps (Voila). Stop with Ctrl+C.\n")
    print(f"  Participants open:  {addresses['participant']}")
    print(f"  Facilitator opens:  {addresses['facilitator']}")
    print(
        "\nEach browser page gets its own kernel and its own temporary data folder. Open the "
        "dashboard\non your own screen only; see the facilitator guide, 'Set-up checklist'.\n",
        flush=True,
    )
    # Become the Voila process, so Ctrl+C and any stop signal reach Voila itself, which then
    # shuts every kernel down (and each participant app deletes its data folder).
    os.chdir(ROOT)
    os.execve(command[0], command, voila_environment())
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
