"""A loopback HTTP server that misbehaves on purpose, for tests of fetching, syncing and the UI.

Start it with the ``hostile_server`` fixture (the base URL, e.g. ``http://127.0.0.1:41234``) or
``hostile_server_instance`` (the :class:`HostileServer`, with request counters), or by hand::

    with HostileServer() as server:
        url = server.url("/hostile-feed")

Import either fixture (or both) into a test module or a conftest
(``from tests.support.hostile_server import hostile_server``); each test module gets one server. It
binds 127.0.0.1 on a free port, answers from daemon threads and stops at teardown; every
endless endpoint also ends by itself after :data:`ENDLESS_LIMIT` seconds.

Endpoints:

``/feed``                  a small WordPress-like RSS feed (also the target of the redirects)
``/drip``                  headers, then one body byte per second
``/stall``                 accepts the connection and never answers
``/gzip-bomb``             ~1 MB of gzip that inflates to 1 GiB of zeros
``/huge``                  50 MB streamed, with Content-Length
``/huge-unsized``          50 MB streamed, no Content-Length (ends when the socket closes)
``/huge-promise``          declares Content-Length 50 MB, then sends nothing
``/gzip-feed``             the feed gzip-encoded; ``/deflate-feed`` zlib; ``/raw-deflate-feed``
``/gzip-corrupt``          declares gzip, sends garbage
``/redirect-loop``         redirects to ``/redirect-loop/b``, which redirects back
``/redirect-chain/N``      N relative redirects, then the feed
``/redirect-file``         redirects to ``file:///etc/passwd``
``/redirect-to?url=U``     redirects to U (cross-host, javascript:, anything)
``/status/CODE``           answers CODE with a short body
``/retry-after?client=T``  429 with ``Retry-After: 1`` the first time per T, then the feed;
                           ``&date=1`` sends the Retry-After as an HTTP date
``/503-always``            503 with ``Retry-After: 1``, every time
``/wrong-charset``         a windows-1252 feed declared as utf-8 (``?declared=none``: undeclared,
                           ``?declared=latin-1``: declared ISO-8859-1)
``/truncated``             Content-Length 5000, sends 1000 bytes and closes
``/truncated-xml``         a feed cut off in the middle of an element
``/unpaged-wordpress-feed`` the feed, saying WordPress made it, and the same for any ``?paged=N``
``/html``                  an HTML page where a feed was expected
``/hostile-feed``          valid RSS 2.0 with terminal escapes, bidi overrides and markup in
                           every field, and ``javascript:``/``data:`` links in the body
``/reset``                 sends part of a response, then resets the connection (``?early=1``:
                           resets before any byte)
``/etag``                  a feed with ETag and Last-Modified, answering 304 to either
``/headers``               the request headers back as JSON, plus ``x-client-port``
``/json``, ``/not-json``   a JSON answer with ``X-WP-Total``, and HTML pretending to be JSON
``/deep-json``             arrays nested 200,000 deep (a RecursionError in every JSON parser)
``/slow?group=G&ms=N``     waits N ms; ``peak(G)`` (or ``/peak?group=G``) says how many
                           requests of group G were in flight at once
``/header-flood``          20,000 response headers (``?count=N``), then the feed
``/not-modified``          304 to every request, conditional or not
``/png``                   a PNG picture, served as ``application/rss+xml`` (``?type=T``)
``/utf16-feed``            the feed (untidy: a stray form feed) in UTF-16 with a byte-order
                           mark, declared ``charset=utf-8`` (``?declared=...``, ``none``)
``/utf8-declared-utf16``   the feed in UTF-8 (no byte-order mark), declared ``charset=utf-16``
``/far-dates``             a feed whose dates are a 400-digit year, the year 2999, and a normal one
``/retry-after-long``      429 with ``Retry-After: 86400`` (``?seconds=N``, ``&status=503``)
"""

from __future__ import annotations

import gzip
import json
import select
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import pytest

#: How long an endless endpoint (``/drip``, ``/stall``) runs before it gives up by itself.
ENDLESS_LIMIT = 30.0

# --- Hostile strings, for asserting that they never reach the terminal -----------------------

#: OSC 52: would set the user's clipboard.
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"
#: CSI 2J: would clear the screen.
CLEAR_SCREEN = "\x1b[2J"
#: A C1 control: the single-byte CSI, which some terminals obey like ESC [.
C1_CSI = "\x9b"
#: Bidi overrides that reorder what the reader sees (RIGHT-TO-LEFT OVERRIDE, LEFT-TO-RIGHT ISOLATE).
RLO = "\u202e"
LRI = "\u2066"
#: Every control sequence planted in the hostile feed.
ESCAPES = (OSC52, CLEAR_SCREEN, C1_CSI, RLO, LRI)
#: Single characters none of which may appear in anything shown to the user.
FORBIDDEN_CHARS = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")
#: Rich/Textual markup that must be shown literally, never interpreted.
MARKUP = ("[@click=app.quit]", "[/]", "[bold red]")
#: Links in the hostile body that must never be followed.
JAVASCRIPT_URL = "javascript:alert(document.cookie)"
DATA_URL = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="


def _poison(word: str) -> str:
    """``word`` wrapped in every escape and every piece of markup."""
    return f"{OSC52}{word}{CLEAR_SCREEN} {C1_CSI}{RLO}{LRI} {' '.join(MARKUP)} {word}"


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


# --- Feeds ------------------------------------------------------------------------------------

RSS_NAMESPACES = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:atom="http://www.w3.org/2005/Atom"'
)


def wordpress_feed(
    base: str = "https://example.org",
    *,
    items: int = 3,
    full_content: bool = True,
    title: str = "Stem Cell News",
    generator: str = "",
) -> bytes:
    """A WordPress-style RSS 2.0 feed: dc:creator, ``?p=ID`` guids, categories, excerpts.

    ``full_content=False`` leaves out ``content:encoded``, as sites that publish summaries do.
    """
    entries = []
    for number in range(1, items + 1):
        post_id = 100 + number
        content = (
            f"<content:encoded>{_cdata(_wordpress_body(base, number))}</content:encoded>"
            if full_content
            else ""
        )
        entries.append(
            f"""<item>
<title>Organoid study number {number} &#8217;s results &#038; more</title>
<link>{base}/news/organoid-study-{number}/</link>
<dc:creator>{_cdata(f"Dana Writer {number}")}</dc:creator>
<pubDate>Tue, 0{number % 9 + 1} Sep 2025 17:30:00 +0000</pubDate>
<category>{_cdata("News")}</category>
<category>{_cdata("Heart, Lung and Blood")}</category>
<category>{_cdata("news")}</category>
<guid isPermaLink="false">{base}/?p={post_id}</guid>
<description>{_cdata(f"<p>A short excerpt of study {number} [&#8230;]</p>")}</description>
{content}
</item>"""
        )
    return (
        f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" {RSS_NAMESPACES}>
<channel>
<title>{_xml_text(title)}</title>
<atom:link href="{base}/feed/" rel="self" type="application/rss+xml" />
<link>{base}/</link>
<description>News from the lab</description>
<lastBuildDate>Tue, 09 Sep 2025 18:00:00 +0000</lastBuildDate>
{f"<generator>{generator}</generator>" if generator else ""}
{"".join(entries)}
</channel>
</rss>
"""
    ).encode()


def _wordpress_body(base: str, number: int) -> str:
    return (
        f"<p>Researchers grew <strong>kidney organoids</strong> in study {number}.</p>"
        f'<figure class="wp-block-image"><img src="{base}/wp-content/uploads/o{number}.jpg" '
        f'alt="An organoid"/><figcaption>An organoid under the microscope</figcaption></figure>'
        f'<p>Read the <a href="/news/earlier-study/">earlier study</a>.</p>'
    )


def hostile_feed(base: str = "https://example.org") -> bytes:
    """RSS 2.0 with :data:`ESCAPES` and :data:`MARKUP` in every field a reader would show.

    Raw ESC and BEL are not legal XML, so feedparser falls back to its lenient parser for this
    feed; everything else about it is a well-formed RSS 2.0 document.
    """
    body = (
        f"<p>{_xml_text(_poison('Body'))}</p>"
        f'<p><a href="{JAVASCRIPT_URL}">run me</a> <a href="{DATA_URL}">data me</a> '
        f'<a href="{base}/news/ok/{C1_CSI}x">fine {RLO}link</a></p>'
        "<p>Entity-encoded escape: &#27;[2J and &#x9b;31m</p>"
        f'<script>alert("{OSC52}")</script>'
    )
    summary = f"<p>{_xml_text(_poison('Summary'))}</p>"
    category = _poison("Topic")
    return (
        f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" {RSS_NAMESPACES}>
<channel>
<title>{_xml_text(_poison("Channel"))}</title>
<link>{base}/{CLEAR_SCREEN}home/</link>
<description>{_xml_text(_poison("Tagline"))}</description>
<item>
<title>{_xml_text(_poison("Title"))}</title>
<link>{base}/news/{OSC52}evil{RLO}/</link>
<dc:creator>{_cdata(_poison("Author"))}</dc:creator>
<author>{_xml_text(_poison("mail@example.org"))}</author>
<category>{_cdata(category)}</category>
<category>{_xml_text(category)}</category>
<category>{_cdata("[/]")}</category>
<guid isPermaLink="false">{base}/?p=666{CLEAR_SCREEN}</guid>
<pubDate>Wed, 03 Sep 2025 10:00:00 +0000</pubDate>
<description>{_cdata(summary)}</description>
<content:encoded>{_cdata(body)}</content:encoded>
</item>
<item>
<title>{_cdata(_poison("Second"))}</title>
<link>{JAVASCRIPT_URL}</link>
<description>{_xml_text(summary)}</description>
</item>
</channel>
</rss>
"""
    ).encode()


#: The text of the /wrong-charset feed's item title, as it should read once decoded.
WRONG_CHARSET_TITLE = "Café “quoted” – naïve"


def wrong_charset_feed() -> bytes:
    """A feed encoded in windows-1252 whose XML declaration names no encoding."""
    return (
        f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Nouvelles</title><link>https://example.org/</link>
<description>x</description>
<item><title>{WRONG_CHARSET_TITLE}</title><link>https://example.org/cafe/</link>
<description>Déjà vu</description></item>
</channel></rss>
"""
    ).encode("windows-1252")


#: The titles of the /far-dates feed's items, newest claimed date first.
FAR_DATE_TITLES = ("A date of 400 digits", "A date in the year 2999", "A date in 2025")


def far_dates_feed() -> bytes:
    """A feed whose first two items claim impossible dates; the third is an ordinary post."""
    # feedparser reads 400 nines as 9999-12-01, the last date it can make.
    dates = ("9" * 400, "Mon, 02 Sep 2999 10:00:00 +0000")
    items = [
        f"<item><title>{title}</title><link>https://example.org/far-{n}/</link>"
        f"<guid>https://example.org/?p={900 + n}</guid><pubDate>{date}</pubDate>"
        "<description>x</description></item>"
        for n, (title, date) in enumerate(
            zip(FAR_DATE_TITLES, (*dates, "Tue, 02 Sep 2025 10:00:00 +0000"), strict=True)
        )
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        "<title>Far dates</title><link>https://example.org/</link><description>x</description>"
        + "".join(items)
        + "</channel></rss>\n"
    ).encode()


#: A tiny but real PNG (1x1 pixel), for servers that send a picture where a feed should be.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


HTML_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Welcome</title></head>
<body><h1>This is a web page, not a feed</h1><p>Nothing to subscribe to here.</p></body></html>
"""


def _gzip_bomb(mebibytes: int = 1024) -> bytes:
    """About 1 KB of gzip per MiB of zeros, built without compressing a gigabyte.

    A full flush resets the compressor, so every 1 MiB block of zeros compresses to the same
    bytes: compress one block and repeat it, then add the gzip trailer by hand.
    """
    zeros = bytes(2**20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (mebibytes * 2**20) & 0xFFFFFFFF)
    return header + block * mebibytes + tail + trailer


_BOMB: list[bytes] = []
_BOMB_LOCK = threading.Lock()


def gzip_bomb() -> bytes:
    """The /gzip-bomb body, built once per process."""
    with _BOMB_LOCK:
        if not _BOMB:
            _BOMB.append(_gzip_bomb())
        return _BOMB[0]


# --- The server -------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.hits: Counter[str] = Counter()
        self.clients_seen: set[str] = set()
        self.active: Counter[str] = Counter()
        self.open: Counter[str] = Counter()
        self.peaks: Counter[str] = Counter()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up on purpose (size caps, deadlines) are the point of this server.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "HostileServer/1.0"
    # Idle keep-alive connections end on their own instead of pinning threads.
    timeout = 10
    server: _Server
    query: dict[str, str]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        path = parts.path
        with self.server.lock:
            self.server.hits[path] += 1
            self.server.open[path] += 1
        try:
            self._route(path)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.close_connection = True
        finally:
            with self.server.lock:
                self.server.open[path] -= 1

    def _route(self, path: str) -> None:
        base = f"http://{self.headers.get('Host', '127.0.0.1')}"
        simple: dict[str, tuple[bytes, str]] = {
            "/feed": (wordpress_feed(base), "application/rss+xml; charset=UTF-8"),
            "/unpaged-wordpress-feed": (
                wordpress_feed(base, generator="https://wordpress.org/?v=6.1"),
                "application/rss+xml; charset=UTF-8",
            ),
            "/html": (HTML_PAGE, "text/html; charset=UTF-8"),
            "/hostile-feed": (hostile_feed(base), "application/rss+xml; charset=UTF-8"),
            "/json": (b'[{"id": 1}, {"id": 2}]', "application/json"),
            "/not-json": (HTML_PAGE, "application/json"),
            "/deep-json": (b"[" * 200_000 + b"]" * 200_000, "application/json"),
            "/truncated-xml": (wordpress_feed(base)[:700], "application/rss+xml"),
        }
        if path in simple:
            body, content_type = simple[path]
            extra = {"X-WP-Total": "2", "X-WP-TotalPages": "1"} if path == "/json" else {}
            self._send(200, body, content_type, extra)
        elif path.startswith("/redirect-"):
            self._redirect(path)
        elif path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            self._send(code, f"status {code}\n".encode(), "text/plain")
        elif path in ("/gzip-feed", "/deflate-feed", "/raw-deflate-feed", "/gzip-corrupt"):
            self._encoded(path, base)
        else:
            handler = getattr(self, "_do_" + path.strip("/").replace("-", "_"), None)
            if handler is None or "/" in path.strip("/"):
                self._send(404, b"not found\n", "text/plain")
            else:
                handler(base)

    # Plain helpers

    def _send(
        self, code: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _endless(self, send_byte: bool) -> None:
        deadline = time.monotonic() + ENDLESS_LIMIT
        while time.monotonic() < deadline and not self._client_left(wait=1.0):
            if send_byte:
                self.wfile.write(b" ")
                self.wfile.flush()
        self.close_connection = True

    def _client_left(self, wait: float) -> bool:
        """Wait up to ``wait`` s; True once the client has closed its end (or the server stops).

        A silent handler notices a client that hung up this way, not only a writing one.
        """
        if self.server.stopping.is_set():
            return True
        readable, _, _ = select.select([self.connection], [], [], wait)
        if not readable:
            return self.server.stopping.is_set()
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _stream(self, total: int, *, sized: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if sized:
            self.send_header("Content-Length", str(total))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        chunk = b"x" * 65536
        sent = 0
        while sent < total and not self.server.stopping.is_set():
            self.wfile.write(chunk)
            sent += len(chunk)

    def _redirect(self, path: str) -> None:
        if path == "/redirect-loop":
            location = "/redirect-loop/b"
        elif path == "/redirect-loop/b":
            location = "/redirect-loop"
        elif path == "/redirect-file":
            location = "file:///etc/passwd"
        elif path == "/redirect-to":
            location = self.query.get("url", "/feed")
        elif path.startswith("/redirect-chain/"):
            remaining = int(path.rsplit("/", 1)[1])
            if remaining <= 0:
                self._send(200, wordpress_feed(), "application/rss+xml; charset=UTF-8")
                return
            # A relative Location on purpose: the client must resolve it against this URL.
            location = str(remaining - 1)
        else:
            self._send(404, b"no such redirect\n", "text/plain")
            return
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _encoded(self, path: str, base: str) -> None:
        feed = wordpress_feed(base)
        if path == "/gzip-feed":
            body, encoding = gzip.compress(feed), "gzip"
        elif path == "/deflate-feed":
            body, encoding = zlib.compress(feed), "deflate"
        elif path == "/raw-deflate-feed":
            squeezer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            body, encoding = squeezer.compress(feed) + squeezer.flush(), "deflate"
        else:
            body, encoding = b"\x1f\x8b\x08\x00garbage, not gzip at all" * 10, "gzip"
        self._send(200, body, "application/rss+xml", {"Content-Encoding": encoding})

    def _reset(self) -> None:
        """Close with RST instead of FIN, so the client sees a connection reset."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    # Endpoints looked up by name: /drip -> _do_drip

    def _do_drip(self, base: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.flush()
        self._endless(send_byte=True)

    def _do_stall(self, base: str) -> None:
        self._endless(send_byte=False)

    def _do_gzip_bomb(self, base: str) -> None:
        self._send(200, gzip_bomb(), "application/rss+xml", {"Content-Encoding": "gzip"})

    def _do_huge(self, base: str) -> None:
        self._stream(50 * 2**20, sized=True)

    def _do_huge_unsized(self, base: str) -> None:
        self._stream(50 * 2**20, sized=False)

    def _do_huge_promise(self, base: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(50 * 2**20))
        self.end_headers()
        self.wfile.flush()
        # Nothing follows: a client that trusts the length and starts reading waits forever.
        self._endless(send_byte=False)

    def _do_retry_after(self, base: str) -> None:
        client = self.query.get("client", "")
        with self.server.lock:
            first = client not in self.server.clients_seen
            self.server.clients_seen.add(client)
        if first:
            wait = formatdate(time.time() + 1, usegmt=True) if self.query.get("date") else "1"
            self._send(429, b"slow down\n", "text/plain", {"Retry-After": wait})
        else:
            self._send(200, wordpress_feed(base), "application/rss+xml; charset=UTF-8")

    def _do_503_always(self, base: str) -> None:
        self._send(503, b"busy\n", "text/plain", {"Retry-After": "1"})

    def _do_wrong_charset(self, base: str) -> None:
        declared = self.query.get("declared", "utf-8")
        content_type = "application/rss+xml"
        if declared != "none":
            content_type += f"; charset={declared}"
        self._send(200, wrong_charset_feed(), content_type)

    def _do_truncated(self, base: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", "5000")
        self.end_headers()
        self.wfile.write(wordpress_feed(base)[:1000])
        self.wfile.flush()
        self.close_connection = True

    def _do_reset(self, base: str) -> None:
        if not self.query.get("early"):
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b"<rss>" + b" " * 500)
            self.wfile.flush()
            # Give the client time to read what was sent, so it is the body that breaks.
            time.sleep(0.2)
        self._reset()

    def _do_etag(self, base: str) -> None:
        etag = '"v1-organoids"'
        modified = "Wed, 01 Jan 2025 00:00:00 GMT"
        validators = {"ETag": etag, "Last-Modified": modified}
        if etag in self.headers.get("If-None-Match", "") or (
            self.headers.get("If-Modified-Since") == modified
        ):
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        self._send(200, wordpress_feed(base), "application/rss+xml; charset=UTF-8", validators)

    def _do_headers(self, base: str) -> None:
        seen = {name.lower(): value for name, value in self.headers.items()}
        # The client's port tells whether two requests shared one pooled connection.
        seen["x-client-port"] = str(self.client_address[1])
        body = json.dumps(seen)
        self._send(200, body.encode(), "application/json")

    def _do_slow(self, base: str) -> None:
        group = self.query.get("group", "")
        with self.server.lock:
            self.server.active[group] += 1
            self.server.peaks[group] = max(self.server.peaks[group], self.server.active[group])
        try:
            self.server.stopping.wait(int(self.query.get("ms", "200")) / 1000)
        finally:
            with self.server.lock:
                self.server.active[group] -= 1
        self._send(200, b"done\n", "text/plain")

    def _do_header_flood(self, base: str) -> None:
        body = wordpress_feed(base)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for number in range(int(self.query.get("count", "20000"))):
            self.send_header(f"X-Flood-{number}", "a header no client needs")
        self.end_headers()
        self.wfile.write(body)

    def _do_not_modified(self, base: str) -> None:
        self.send_response(304)
        self.end_headers()

    def _do_png(self, base: str) -> None:
        self._send(200, PNG_BYTES, self.query.get("type", "application/rss+xml"))

    def _do_utf16_feed(self, base: str) -> None:
        declared = self.query.get("declared", "utf-8")
        # Untidy as real feeds are (a stray form feed), so feedparser reads it leniently.
        text = wordpress_feed(base, title="Nouvelles: café “quoted”").decode()
        text = text.replace("News from the lab", "News from the lab\x0c")
        content_type = "application/rss+xml"
        if declared != "none":
            content_type += f"; charset={declared}"
        self._send(200, text.encode("utf-16"), content_type)

    def _do_utf8_declared_utf16(self, base: str) -> None:
        body = wordpress_feed(base, title="Nouvelles: café “quoted”")
        self._send(200, body, "application/rss+xml; charset=utf-16")

    def _do_far_dates(self, base: str) -> None:
        self._send(200, far_dates_feed(), "application/rss+xml; charset=UTF-8")

    def _do_retry_after_long(self, base: str) -> None:
        status = int(self.query.get("status", "429"))
        seconds = self.query.get("seconds", "86400")
        self._send(status, b"come back tomorrow\n", "text/plain", {"Retry-After": seconds})

    def _do_peak(self, base: str) -> None:
        with self.server.lock:
            peak = self.server.peaks[self.query.get("group", "")]
        self._send(200, f"{peak}\n".encode(), "text/plain")


class HostileServer:
    """The misbehaving server, on 127.0.0.1 and a free port, in a daemon thread."""

    def __init__(self) -> None:
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``, without a trailing slash."""
        if self._server is None:
            raise RuntimeError("the hostile server is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        """The port the server listens on."""
        return int(self.base_url.rsplit(":", 1)[1])

    def url(self, path: str) -> str:
        """The absolute URL of ``path``, e.g. ``url("/drip")``."""
        return self.base_url + path

    def hits(self, path: str) -> int:
        """How many requests ``path`` has received (the path only, no query)."""
        assert self._server is not None
        with self._server.lock:
            return self._server.hits[path]

    def open_requests(self, path: str) -> int:
        """How many requests for ``path`` are being answered now (their clients still there)."""
        assert self._server is not None
        with self._server.lock:
            return self._server.open[path]

    def peak(self, group: str) -> int:
        """The most ``/slow?group=...`` requests of ``group`` that were in flight at once."""
        assert self._server is not None
        with self._server.lock:
            return self._server.peaks[group]

    def start(self) -> Self:
        """Bind and serve; returns self."""
        self._server = _Server()
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="hostile-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; endless handlers notice within a second and end."""
        if self._server is None:
            return
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


_SHARED: dict[str, HostileServer] = {}


def _shared(request: pytest.FixtureRequest) -> HostileServer:
    """One server per test module, whichever of the two fixtures asks first.

    The fixtures do not depend on each other, so a module may import either one alone.
    """
    key = request.module.__name__
    server = _SHARED.get(key)
    if server is None:
        server = _SHARED[key] = HostileServer().start()

        def stop() -> None:
            _SHARED.pop(key, None)
            server.stop()

        request.addfinalizer(stop)
    return server


@pytest.fixture(scope="module")
def hostile_server_instance(request: pytest.FixtureRequest) -> HostileServer:
    """The running :class:`HostileServer` (with its counters), shared by a module's tests."""
    return _shared(request)


@pytest.fixture(scope="module")
def hostile_server(request: pytest.FixtureRequest) -> str:
    """The base URL of the hostile server, e.g. ``http://127.0.0.1:41234``."""
    return _shared(request).base_url
