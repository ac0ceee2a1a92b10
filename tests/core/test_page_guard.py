"""Pages a sync reads by itself are never fetched from a private address that is no source's.

A site without the REST API is read from its feed, and its excerpt-only items send the sync to
each item's page for its body. The feed's writer chooses those links, so one pointing into the
user's network (a router, a cloud's metadata address, here another port on loopback) must be
refused, while the site's own host is read.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from reader.core.fetch import Fetcher
from reader.core.store import Store
from reader.core.sync import Source, read_every_page, sync

pytestmark = pytest.mark.timeout(60)


class _Pages(ThreadingHTTPServer):
    """Serves fixed bodies by path on 127.0.0.1 and keeps every path asked for."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.bodies: dict[str, tuple[str, bytes]] = {}
        self.asked: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: _Pages

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.server.asked.append(self.path)
        kind, body = self.server.bodies.get(self.path, ("text/plain", b"not here"))
        self.send_response(200 if self.path in self.server.bodies else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def two_servers() -> Iterator[tuple[_Pages, _Pages]]:
    servers = (_Pages(), _Pages())
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in servers]
    for thread in threads:
        thread.start()
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


def _page(title: str, text: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<div class='entry-content'><p>{text}</p></div></article></body></html>"
    ).encode()


def _feed(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Mon, 0{n + 1} Jun 2026 10:00:00 +0000</pubDate>"
        f"<description>A short excerpt.</description></item>"
        for n, (title, link) in enumerate(items)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Lab notes</title>'
        f"<link>http://example.org/</link><description>x</description>{entries}</channel></rss>"
    ).encode()


async def test_a_site_feeds_item_on_another_private_host_is_not_fetched(
    two_servers: tuple[_Pages, _Pages], tmp_path: Path
) -> None:
    feed, elsewhere = two_servers
    own_link = f"{feed.base}/notes/own/"
    inside_link = f"{elsewhere.base}/admin/secret/"
    feed.bodies["/feed/"] = (
        "application/rss+xml",
        _feed([("Inside the network", inside_link), ("On the feed's host", own_link)]),
    )
    feed.bodies["/notes/own/"] = ("text/html", _page("On the feed's host", "The whole body."))
    elsewhere.bodies["/admin/secret/"] = ("text/html", _page("Secret", "Router settings."))
    store = Store.open_in(tmp_path)
    try:
        async with Fetcher(deadline=10) as fetcher:
            report = await sync(store, fetcher, Source.site(f"{feed.base}/"))
            # ``reader sync --pages`` then reads every page not read yet: the same rule.
            pages = await read_every_page(store, fetcher, Source.site(f"{feed.base}/"))
            read, problems = pages.done, pages.problems
        assert elsewhere.asked == []
        assert "/notes/own/" in feed.asked
        assert any("private network address" in error for error in report.errors), report
        assert read == 0 and len(problems) == 1 and "private network address" in problems[0]
        own = store.find_post(own_link)
        assert own is not None and "The whole body." in own.content
        inside = store.find_post(inside_link)
        assert inside is not None and not inside.content and inside.excerpt
    finally:
        store.close()
