"""A small loopback HTTP server for the sample site, for ``--demo``, tests and benchmarks.

It serves a :class:`~reader.sample.site.Site` from a daemon thread with the behaviour the
reader must cope with on the live site: strong ETags and Last-Modified with 304 answers on
pages and feeds (REST answers carry neither, as WordPress's do not), gzip when asked, 301 from
shortlinks, 404 past the end of a feed, core XML sitemaps of its terms, and no REST API at
all when ``rest_api`` is False. It
is quiet (nothing on stderr) and records every request in :attr:`SampleServer.request_log` so
tests can count them.

    with SampleServer() as url:
        httpx.get(url + "feed/")
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import socket
import sys
import threading
import traceback
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TypeAlias

from reader.sample import markup, routes
from reader.sample.site import SITE, Site

_TEXTUAL = ("text/", "application/json", "application/rss+xml")
_ANSWER_BYTES = 64 * 2**20
"""Rendered answers kept at most, in bytes (the oldest go first)."""
_Rendered: TypeAlias = tuple[int, datetime | None, dict[str, str], bytes]
_GZIPPED_BYTES = 64 * 2**20
"""Compressed answers kept at most (the oldest go first)."""
SIGNATURE = ("X-Sample-Site", "stemcell-reader")
"""A header every answer carries, so a second ``--demo`` knows the first one's server."""


class SampleServer:
    """The sample site on ``http://127.0.0.1:<port>/``, in a background thread."""

    def __init__(
        self,
        site: Site | None = None,
        *,
        rest_api: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        if site is None:
            from reader.sample.content import sample_site

            site = sample_site()
        self.site = site
        """What is served; change it while the server runs to simulate edits."""
        self.rest_api = rest_api
        """False makes every ``/wp-json/`` address a 404, as on a site with the API locked."""
        self.host = host
        self.port = port
        self.request_log: list[tuple[str, str, int]] = []
        """(method, request target with query, status) for every request answered."""
        self.errors: list[str] = []
        """Tracebacks of requests that failed with a 500 (tests assert this stays empty)."""
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._first_seen: dict[str, tuple[str, datetime]] = {}
        self._first_seen_lock = threading.Lock()
        self._answers: dict[tuple[object, ...], _Rendered] = {}
        self._answers_bytes = 0
        self._answers_of: Site | None = None
        self._gzipped: dict[str, bytes] = {}
        self._gzipped_bytes = 0
        self._gzipped_lock = threading.Lock()

    def gzipped(self, etag: str, body: bytes) -> bytes:
        """``body`` compressed, as answered before under the same ETag when it was.

        A site's page cache in front of WordPress keeps compressed answers alike. Compressing
        every answer again cost this server, which runs in the caller's process (the bench's),
        ~90 ms of CPU a cold sync of 1,000 posts over REST; Newsboat's feed in the bench is
        compressed once beforehand. The same bytes either way.
        """
        with self._gzipped_lock:
            known = self._gzipped.get(etag)
        if known is not None:
            return known
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        with self._gzipped_lock:
            if etag not in self._gzipped:
                self._gzipped[etag] = packed
                self._gzipped_bytes += len(packed)
            while self._gzipped_bytes > _GZIPPED_BYTES and len(self._gzipped) > 1:
                oldest = next(iter(self._gzipped))
                self._gzipped_bytes -= len(self._gzipped.pop(oldest))
        return packed

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> str:
        """Bind, start serving, and return the base URL (with a trailing slash)."""
        if self._httpd is None:
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            httpd = _HTTPServer((self.host, self.port), _Handler, family=family, sample=self)
            self.port = httpd.server_address[1]
            self._httpd = httpd
            self._thread = threading.Thread(
                target=httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"sample-site-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self.url

    def stop(self) -> None:
        """Stop serving, close idle keep-alive connections, and release the port."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.close_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses -------------------------------------------------------------------------

    @property
    def base(self) -> str:
        """The base URL without a trailing slash: what ``{site}`` becomes."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The base URL with a trailing slash, e.g. ``http://127.0.0.1:43123/``."""
        return self.base + "/"

    def url_for(self, path: str) -> str:
        """An absolute URL for a path such as ``/feed/`` or a post's ``path``."""
        return self.base + path.replace(SITE, "")

    # -- answering -------------------------------------------------------------------------

    def respond(self, target: str) -> tuple[int, dict[str, str], bytes, datetime]:
        """Status, headers, identity body and Last-Modified for a GET of ``target``."""
        base = self.base
        site = self.site
        try:
            with site.lock:
                fallback = site.changed_at
                # An answer is a function of the site as it is and of the address: the same
                # address is answered from memory until the site changes (rendering a REST page
                # of 100 posts cost this server ~22 ms in Python, on the cores the reader it
                # answers runs on). The same bytes and headers either way.
                key = (site.version, site.title, site.tagline, site.language, self.rest_api, base)
                with self._first_seen_lock:
                    if self._answers_of is not site:
                        self._answers, self._answers_of, self._answers_bytes = {}, site, 0
                    known = self._answers.get((*key, target))
                if known is None:
                    known = self._render(site, target, base)
                    self._keep((*key, target), known)
        except Exception:
            self.errors.append(traceback.format_exc())
            failed_at = datetime.now(UTC).replace(microsecond=0)
            return 500, {"Content-Type": routes.HTML}, b"<h1>Server error</h1>\n", failed_at
        status, own_modified, headers, body = known
        modified = self._last_modified(target, body, own_modified or fallback)
        return status, dict(headers), body, modified

    def _keep(self, key: tuple[object, ...], rendered: _Rendered) -> None:
        with self._first_seen_lock:
            if key in self._answers:
                return
            self._answers[key] = rendered
            self._answers_bytes += len(rendered[3])
            while self._answers_bytes > _ANSWER_BYTES and len(self._answers) > 1:
                oldest = self._answers.pop(next(iter(self._answers)))
                self._answers_bytes -= len(oldest[3])

    def _render(self, site: Site, target: str, base: str) -> _Rendered:
        """Status, the answer's own Last-Modified, headers and body of ``target``."""
        reply = routes.answer(site, target, rest_api=self.rest_api)
        if isinstance(reply.body, bytes):
            body = reply.body
        else:
            text = reply.body.replace(SITE, base)
            if reply.content_type == routes.JSON:
                # WordPress escapes every slash in its JSON; readers must not care.
                text = text.replace("/", "\\/")
            body = text.encode("utf-8")
        headers = {"Content-Type": reply.content_type, SIGNATURE[0]: SIGNATURE[1]}
        headers.update({key: value.replace(SITE, base) for key, value in reply.headers.items()})
        return reply.status, reply.modified, headers, body

    def _last_modified(self, target: str, body: bytes, natural: datetime) -> datetime:
        # Last-Modified must move whenever the bytes move (a neighbour removed changes a post's
        # navigation without touching the post), so remember when each address first showed
        # its current bytes.
        digest = hashlib.sha256(body).hexdigest()
        with self._first_seen_lock:
            seen = self._first_seen.get(target)
            if seen is not None and seen[0] == digest:
                return seen[1]
            if seen is None:
                moment = natural
            else:
                moment = max(self.site.changed_at, seen[1] + timedelta(seconds=1))
            self._first_seen[target] = (digest, moment)
            return moment


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        *,
        family: socket.AddressFamily,
        sample: SampleServer,
    ) -> None:
        self.address_family = family
        self.sample = sample
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Keep tracebacks off stderr: a client hanging up is routine, anything else is kept."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):
            self.sample.errors.append(traceback.format_exc())

    def close_connections(self) -> None:
        """Wake every handler blocked on an idle keep-alive connection, so its thread ends."""
        with self.connections_lock:
            open_now = list(self.connections)
        for connection in open_now:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 15
    """Seconds an idle keep-alive connection is kept before its thread gives up."""
    # Headers and body go out in separate writes; with Nagle's algorithm on, the body waits
    # for the client's delayed ACK, some 40 ms per request.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.connections_lock:
                self.server.connections.discard(self.connection)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: tests and the demo share the terminal."""

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _refuse(self) -> None:
        body = b"Only GET and HEAD are served here.\n"
        # Logged before answering, so a client that has its answer sees it in the log.
        self.server.sample.request_log.append((self.command, self.path, 405))
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse

    def _answer(self, *, send_body: bool) -> None:
        status, headers, body, modified = self.server.sample.respond(self.path)
        etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
        last_modified = markup.http_date(modified)
        # WordPress's REST API sends no validators and never answers 304; its pages and feeds
        # do. (The ETag still names the answer for the compressed copies.)
        validated = not headers["Content-Type"].startswith(routes.JSON.split(";")[0])
        if validated and status == 200 and self._not_modified(etag, modified):
            self.server.sample.request_log.append((self.command, self.path, 304))
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
            self.end_headers()
            return
        if body and self._wants_gzip() and headers["Content-Type"].startswith(_TEXTUAL):
            body = self.server.sample.gzipped(etag, body)
            headers["Content-Encoding"] = "gzip"
        self.server.sample.request_log.append((self.command, self.path, status))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if validated:
            # One validator per resource, whatever the encoding: readers compare it, not bytes.
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", last_modified)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            # When both are sent, If-None-Match decides (RFC 9110, section 13.2.2).
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return etag in tags or "*" in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is None:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return since >= modified

    def _wants_gzip(self) -> bool:
        for item in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = item.strip().partition(";")
            if name.strip().lower() == "gzip":
                quality = params.strip().removeprefix("q=")
                try:
                    return not params or float(quality) > 0
                except ValueError:
                    return True
        return False
