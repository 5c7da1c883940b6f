"""Start one notebook kernel at a time across processes, while the notebooks run in parallel.

jupyter_client picks a kernel's ports by binding free ones and releasing them for the kernel to
take, so two kernels starting at the same moment in different processes can pick the same port,
and one of them dies ("Kernel died before replying to kernel_info", jupyter/jupyter_client#487).
Holding a file lock from the start of a kernel until it answers closes that window.

Used by scripts/nbval_run.py as a pytest plugin (``-p kernel_start_lock``: its pytest-xdist
workers) and by scripts/build_book.py (jupyter-cache's worker processes, through nbclient).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from typing import Any

try:
    import fcntl
except ImportError:  # not POSIX: no lock, and the race stays as rare as it is
    fcntl = None

LOCK_FILE = os.path.join(tempfile.gettempdir(), "l4l-kernel-start.lock")


@contextlib.contextmanager
def one_kernel_start_at_a_time() -> Iterator[None]:
    """Hold an exclusive lock shared by every process on this machine."""
    if fcntl is None:
        yield
        return
    with open(LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def lock_nbval_kernel_starts() -> None:
    """nbval's RunningKernel starts and waits for its kernel in one module-level function."""
    import nbval.kernel

    start = nbval.kernel.start_new_kernel
    if getattr(start, "l4l_locked", False):
        return

    def locked(*args: Any, **kwargs: Any) -> Any:
        with one_kernel_start_at_a_time():
            return start(*args, **kwargs)

    locked.l4l_locked = True  # type: ignore[attr-defined]
    nbval.kernel.start_new_kernel = locked


def lock_nbclient_kernel_starts() -> None:
    """nbclient starts a kernel, then a client that waits for it: hold the lock across both."""
    from nbclient.client import NotebookClient

    start, connect = (
        NotebookClient.async_start_new_kernel,
        NotebookClient.async_start_new_kernel_client,
    )
    if getattr(start, "l4l_locked", False):
        return

    async def locked_start(self: NotebookClient, **kwargs: Any) -> None:
        self._l4l_kernel_lock = contextlib.ExitStack()
        self._l4l_kernel_lock.enter_context(one_kernel_start_at_a_time())
        try:
            await start(self, **kwargs)
        except BaseException:
            self._l4l_kernel_lock.close()
            raise

    async def locked_connect(self: NotebookClient) -> Any:
        try:
            return await connect(self)
        finally:
            lock = getattr(self, "_l4l_kernel_lock", None)
            if lock is not None:
                lock.close()

    locked_start.l4l_locked = True  # type: ignore[attr-defined]
    NotebookClient.async_start_new_kernel = locked_start
    NotebookClient.async_start_new_kernel_client = locked_connect


def pytest_configure(config: Any) -> None:
    """As a pytest plugin: lock nbval's kernel starts in this process (each xdist worker)."""
    lock_nbval_kernel_starts()
