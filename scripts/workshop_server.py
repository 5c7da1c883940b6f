"""The workshop's Voila server: the two apps and nothing else.

Standalone Voila serving a folder also lists and returns its files (`/voila/tree`,
`/voila/api/contents`) and answers the kernel API for anyone who knows a kernel id, which is in
every page. This subclass keeps only what the two pages need, and ties each kernel to the browser
that opened its page: a random HttpOnly, SameSite=Strict cookie set with the page. A request for a
kernel without that browser's cookie is answered "404 Not Found", as if the kernel did not exist.
When the server listens beyond this computer, the facilitator dashboard also needs the token printed
at start-up. Run by scripts/workshop.py; see the facilitator guide's "Server mode".
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import logging
import re
import secrets
from typing import Any

import tornado.web
from jupyter_server.services.kernels.handlers import KernelHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from tornado.log import access_log
from traitlets import Unicode
from voila.app import Voila
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

PARTICIPANT = "participant.ipynb"
DASHBOARD = "dashboard.ipynb"
PAGES = (PARTICIPANT, DASHBOARD)
OWNER_COOKIE = "l4l_page"
FACILITATOR_COOKIE = "l4l_facilitator"
KERNEL_ID = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"

#: The browser (a digest of its cookie) whose page is starting a kernel, for the kernel manager.
_starting_for: contextvars.ContextVar[str | None] = contextvars.ContextVar("owner", default=None)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class OwnedKernelManager(AsyncMappingKernelManager):
    """Kernels that remember which browser's page started them, and forget it when they stop."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.owners: dict[str, str] = {}

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        kernel_id = await super().start_kernel(*args, **kwargs)
        owner = _starting_for.get()
        if owner is not None:
            self.owners[kernel_id] = owner
        return kernel_id

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        try:
            await super().shutdown_kernel(kernel_id, *args, **kwargs)
        finally:
            self.owners.pop(kernel_id, None)

    def owned_by(self, kernel_id: str, cookie: str | None) -> bool:
        """True if ``cookie`` is the one of the browser whose page started ``kernel_id``."""
        owner = self.owners.get(kernel_id)
        return bool(cookie) and owner is not None and hmac.compare_digest(owner, _digest(cookie))


def _require_owner(handler: tornado.web.RequestHandler, kernel_id: str) -> None:
    manager = handler.settings["kernel_manager"]
    if not manager.owned_by(kernel_id, handler.get_cookie(OWNER_COOKIE)):
        raise tornado.web.HTTPError(404)


class PageHandler(TornadoVoilaHandler):
    """Renders the participant page or the dashboard, and nothing else in the folder."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A plain page for a refusal (Jupyter's error template needs settings Voila lacks)."""
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{status_code}: {self._reason}\n")

    async def get(self, path: str | None = None) -> None:  # type: ignore[override]
        if path not in PAGES:
            raise tornado.web.HTTPError(404)
        if path == DASHBOARD:
            self._check_facilitator()
        cookie = self.get_cookie(OWNER_COOKIE)
        if not cookie or len(cookie) < 32:
            cookie = secrets.token_urlsafe(32)
            self.set_cookie(
                OWNER_COOKIE,
                cookie,
                path=self.base_url,
                httponly=True,
                samesite="Strict",
                secure=self.request.protocol == "https",
            )
        _starting_for.set(_digest(cookie))
        await super().get(path)

    def _check_facilitator(self) -> None:
        token = self.settings.get("l4l_facilitator_token")
        if not token:
            return
        given = self.get_argument("token", "")
        if given and hmac.compare_digest(given, token):
            self.set_secure_cookie(
                FACILITATOR_COOKIE, "yes", path=self.base_url, httponly=True, samesite="Strict"
            )
            return
        if self.get_secure_cookie(FACILITATOR_COOKIE) == b"yes":
            return
        raise tornado.web.HTTPError(
            403, reason="The facilitator dashboard needs the address with the token"
        )


class OwnedKernelHandler(KernelHandler):
    """The kernel API (model, stop) for the browser that owns the kernel only."""

    def check_xsrf_cookie(self) -> None:
        _require_owner(self, self.path_kwargs["kernel_id"])  # strangers first: a plain 404
        super().check_xsrf_cookie()

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()
        _require_owner(self, self.path_kwargs["kernel_id"])


class OwnedKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """The kernel's websocket for the browser that owns the kernel only."""

    async def pre_get(self) -> None:
        _require_owner(self, self.kernel_id)
        await super().pre_get()


class OwnedShutdownHandler(VoilaShutdownKernelHandler):
    """Stops a kernel when its page closes. The owner's SameSite=Strict cookie is the check:
    Voila's page sends no XSRF token with this request, so without this no kernel ever stopped."""

    def check_xsrf_cookie(self) -> None:
        _require_owner(self, self.path_args[0] if self.path_args else "")

    async def post(self, kernel_id: str) -> None:  # type: ignore[override]
        _require_owner(self, kernel_id)
        await super().post(kernel_id)


class RootHandler(tornado.web.RequestHandler):
    """The bare address sends participants to their page."""

    def get(self) -> None:
        self.redirect(url_path_join(self.settings["base_url"], "voila", "render", PARTICIPANT))


_IDS = re.compile(r"\w{8}-\w{4}-\w{4}-\w{4}-\w{12}")


class _NoKernelIds(logging.Filter):
    """Takes kernel ids out of every log line: the terminal may be seen by the room."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _IDS.search(message):
            record.msg, record.args = _IDS.sub("<kernel>", message), ()
        return True


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """Log failed requests (as Voila does) with kernel ids and query strings left out."""
    status = handler.get_status()
    if status < 400:
        return
    path = _IDS.sub("<kernel>", handler.request.path)
    access_log.warning("%d %s %s", status, handler.request.method, path)


class WorkshopVoila(Voila):
    """Voila serving the workshop's two pages, their assets and their owners' kernels only."""

    facilitator_token = Unicode("", help="the dashboard's token; empty: no token needed")

    def initialize(self, argv: Any = None) -> None:
        super().initialize(argv)
        for logger in (self.log, access_log, logging.getLogger("tornado.application")):
            logger.addFilter(_NoKernelIds())

    def init_settings(self) -> dict[str, Any]:
        self.voila_configuration.multi_kernel_manager_class = OwnedKernelManager
        settings = super().init_settings()
        settings["l4l_facilitator_token"] = self.facilitator_token
        settings["log_function"] = _log_request
        return settings

    def init_handlers(self) -> list[tuple[Any, ...]]:
        base = self.server_url
        assets = ("/voila/static", "/voila/templates", "/voila/labextensions", "/voila/api/themes")
        prefixes = tuple(url_path_join(base, p) for p in (*assets, "/login", "/logout"))
        kept = [h for h in super().init_handlers() if h[0].startswith(prefixes)]
        options = {
            "template_paths": self.template_paths,
            "config": self.config,
            "voila_configuration": self.voila_configuration,
        }
        return [
            (url_path_join(base, rf"/api/kernels/{KERNEL_ID}"), OwnedKernelHandler),
            (
                url_path_join(base, rf"/api/kernels/{KERNEL_ID}/channels"),
                OwnedKernelWebsocketHandler,
            ),
            (url_path_join(base, r"/voila/api/shutdown/(.*)"), OwnedShutdownHandler),
            (url_path_join(base, r"/voila/render/(.*)"), PageHandler, options),
            (base, RootHandler),
            *kept,
        ]
