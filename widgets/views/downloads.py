"""Downloads made by the page itself: the file travels inside the link, never via a server."""

from __future__ import annotations

import base64

from ..base.templating import fragment


def download_link(text: str, filename: str, mime: str, label: str) -> str:
    """An HTML link that downloads ``text`` from the page itself: no file is kept on the server."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return fragment(
        "downloads.html.j2",
        "download_link",
        filename=filename,
        mime=mime,
        payload=payload,
        label=label,
    )
