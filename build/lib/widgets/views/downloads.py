"""Downloads made by the page itself: the file travels inside the link, never via a server."""

from __future__ import annotations

import base64

from ..base.escaping import escape_html


def download_link(text: str, filename: str, mime: str, label: str) -> str:
    """An HTML link that downloads ``text`` from the page itself: no file is kept on the server."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a class="l4l-download" download="{escape_html(filename)}" '
        f'href="data:{escape_html(mime)};charset=utf-8;base64,{payload}">{escape_html(label)}</a>'
    )
