"""Server mode serves the two workshop pages and nothing else: checked with plain HTTP requests.

A participant's kernel id is in their page; these tests check that the id alone opens nothing
(model, stop, websocket), that the folder's files are not listed or returned, that the dashboard
needs its token when the server listens beyond this computer, that a room opening the page at
once gets the app, and that no participant's folder outlives the server, even a killed one.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import threading
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlparse

import pytest

try:
    from .voila_fixtures import VoilaServer, chromium, stop, voila_server, workshop_server
except ImportError:
    from voila_fixtures import (  # noqa: F401
        VoilaServer,
        chromium,
        stop,
        voila_server,
        workshop_server,
    )

pytestmark = pytest.mark.voila

WAIT = 300  # seconds: an event we wait for (a page rendered, a kernel stopped) on a busy machine
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
APP_CELLS = 3  # the participant page's three apps: scorer, planner, summary


class Client:
    """One browser's cookies, without a browser: an opener that keeps what the server sets."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, url: str, method: str = "GET", data: bytes | None = None) -> tuple[int, str]:
        req = urllib.request.Request(url, method=method, data=data)
        try:
            with self.opener.open(req, timeout=WAIT) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def kernel_id(page: str) -> str:
    found = re.search(r'"kernelId":\s*"([0-9a-f-]{36})"', page)
    assert found, "the page holds no kernel id"
    return found.group(1)


def websocket_status(server: VoilaServer, kernel: str, cookie: str = "") -> int:
    """The status of a websocket upgrade request for ``kernel``'s channels (101: connected)."""
    where = urlparse(server.url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    if cookie:
        headers["Cookie"] = cookie
    connection.request("GET", f"/api/kernels/{kernel}/channels", headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.fixture(scope="module")
def participant_page(voila_server: VoilaServer):
    client = Client()
    status, page = client.request(voila_server.render("participant.ipynb"))
    assert status == 200
    return client, page


@pytest.mark.parametrize(
    "path",
    [
        "/voila/tree",
        "/voila/tree/",
        "/voila/api/contents",
        "/voila/api/contents/participant.ipynb",
        "/voila/files/participant.ipynb",
        "/voila/files/share/voila/templates/l4l/conf.json",
        "/voila/render/share/voila/templates/l4l/conf.json",
        "/voila/render/../README.md",
        "/api/kernels",
        "/api/sessions",
        "/api/contents",
        "/api/kernelspecs",
    ],
)
def test_no_listing_no_files_no_kernel_list(voila_server: VoilaServer, path: str):
    status, body = Client().request(voila_server.url + path)
    assert status == 404, f"{path} answered {status}"
    assert "participant.ipynb" not in body and "cells" not in body


def test_the_bare_address_leads_participants_to_their_page(voila_server: VoilaServer):
    status, page = Client().request(voila_server.url + "/")
    assert status == 200 and page.count(WIDGET_VIEW) == APP_CELLS


def test_a_kernel_id_alone_opens_nothing(voila_server: VoilaServer, participant_page):
    client, page = participant_page
    kernel = kernel_id(page)
    model = f"{voila_server.url}/api/kernels/{kernel}"
    stranger = Client()
    assert stranger.request(model)[0] == 404
    assert stranger.request(model, method="DELETE")[0] in (403, 404)  # no XSRF token: 403
    forged = urllib.request.Request(model, method="DELETE")
    forged.add_header("Cookie", "_xsrf=made-up; l4l_page=" + "x" * 43)
    forged.add_header("X-XSRFToken", "made-up")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=30)
    assert refused.value.code == 404
    shutdown = f"{voila_server.url}/voila/api/shutdown/{kernel}"
    assert stranger.request(shutdown, method="POST", data=b"_xsrf=made-up")[0] == 404
    assert websocket_status(voila_server, kernel) == 404
    assert websocket_status(voila_server, kernel, "l4l_page=" + "y" * 43) == 404
    # the page's own browser still has its kernel, alive after all that
    status, body = client.request(model)
    assert status == 200 and json.loads(body)["id"] == kernel
    assert websocket_status(voila_server, kernel, client.cookie_header()) == 101
    assert kernel not in voila_server.output(), "the server printed a kernel id"


def test_the_page_cookie_cannot_be_read_by_scripts_or_sent_cross_site(participant_page):
    client, _ = participant_page
    (cookie,) = [c for c in client.jar if c.name == "l4l_page"]
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert len(cookie.value) >= 40


def test_a_kernel_stops_when_its_page_closes_and_its_folder_goes(
    chromium, voila_server: VoilaServer
):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(voila_server.render("participant.ipynb"), timeout=WAIT * 1000)
    page.get_by_role("tab", name="Files").wait_for(timeout=WAIT * 1000)
    kernel = kernel_id(page.content())
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    owner = Client()
    model = f"{voila_server.url}/api/kernels/{kernel}"
    request = urllib.request.Request(model)
    request.add_header("Cookie", f"l4l_page={cookies['l4l_page']}")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
    folders = set(voila_server.participant_folders())
    assert folders
    page.close(run_before_unload=True)  # as a tab closes: the page asks to stop its kernel
    deadline = time.monotonic() + WAIT
    while not page.is_closed() and time.monotonic() < deadline:
        time.sleep(0.2)
    context.close()
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(request, timeout=30).close()
        except urllib.error.HTTPError as error:
            assert error.code == 404
            break
        time.sleep(1)
    else:
        pytest.fail("the kernel of a closed page is still running")
    assert owner.request(model)[0] == 404
    deadline = time.monotonic() + WAIT
    while len(set(voila_server.participant_folders())) >= len(folders):
        assert time.monotonic() < deadline, "the closed page's folder was not deleted"
        time.sleep(1)


def test_the_dashboard_needs_the_token_beyond_loopback(chromium, tmp_path):
    with workshop_server(tmp_path / "tmp", host="0.0.0.0") as server:
        found = re.search(r"dashboard\.ipynb\?token=([\w-]+)", server.output())
        assert found, "no facilitator address with a token was printed"
        token = found.group(1)
        dashboard = server.render("dashboard.ipynb")
        assert Client().request(dashboard)[0] == 403
        assert Client().request(dashboard + "?token=" + "z" * len(token))[0] == 403
        assert Client().request(server.render("participant.ipynb"))[0] == 200  # no token needed
        context = chromium.new_context()
        page = context.new_page()
        refused = page.goto(dashboard, timeout=WAIT * 1000)
        assert refused.status == 403
        page.goto(f"{dashboard}?token={token}", timeout=WAIT * 1000)
        page.get_by_text("Summary files").first.wait_for(timeout=WAIT * 1000)
        again = page.goto(dashboard, timeout=WAIT * 1000)  # the browser now holds the pass
        assert again.status == 200
        context.close()


def test_a_room_opening_the_page_at_once_all_get_the_app(tmp_path):
    """Twenty participants at once: every page comes with its three apps (none empty)."""
    room = 20
    with workshop_server(tmp_path / "tmp") as server:
        results: list[tuple[int, str]] = []

        def participant() -> None:
            results.append(Client().request(server.render("participant.ipynb")))

        threads = [threading.Thread(target=participant) for _ in range(room)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [status for status, _ in results] == [200] * room
        counts = [page.count(WIDGET_VIEW) for _, page in results]
        assert counts == [APP_CELLS] * room, f"pages without their apps: {counts}"
        assert len({kernel_id(page) for _, page in results}) == room
        assert len(server.participant_folders()) == room


def test_no_folder_outlives_the_server_even_a_killed_one(tmp_path):
    temporary = tmp_path / "tmp"
    with workshop_server(temporary) as server:
        assert Client().request(server.render("participant.ipynb"))[0] == 200
        assert len(server.participant_folders()) == 1
        stop(server.process, signal.SIGKILL)  # a crash: nothing gets to clean up
    assert len(server.participant_folders()) == 1  # left behind by the crash
    with workshop_server(temporary) as restarted:
        assert restarted.participant_folders() == []
        assert "Deleted the participants' folders" in restarted.output()
        assert Client().request(restarted.render("participant.ipynb"))[0] == 200
        assert len(restarted.participant_folders()) == 1
    # a normal stop (Ctrl+C, SIGTERM) deletes this run's folders
    assert restarted.participant_folders() == []
