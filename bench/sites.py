"""The sites and stores the benchmarks read: generated, served on loopback, synced once.

Every figure reads the same kind of data: a site made by the sample site's generator, served by
:class:`~reader.sample.server.SampleServer` on 127.0.0.1, and a store filled from it by the real
``reader sync`` command. Newsboat cannot page through a WordPress feed, so
:class:`SingleFeedServer` serves the same posts as one RSS document.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from reader.sample import taxonomy
from reader.sample.generate import generate_site
from reader.sample.server import SampleServer
from reader.sample.site import Site

ARTICLE_BYTES = 50_000
"""How long the big article's HTML is, at least: the "50 KB article" of the figures."""

SYNC_TIMEOUT = 300.0
"""Seconds one ``reader sync`` may take before the benchmark gives up on it."""
SYNC_SECONDS_PER_POST = 0.03
"""For big sites: the sample server's REST pages cost more the more posts it has (it filters
and sorts them all for each page), so a 100,000-post sync took 11 minutes on a busy machine."""


def isolated_environment(home: Path) -> dict[str, str]:
    """Variables that keep the reader (and newsboat) away from the user's own files.

    Only the overrides: the pty helper merges them into its own environment, and
    :func:`full_environment` into this process's.
    """
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "READER_CONFIG_DIR": str(home / "config" / "reader"),
    }


def full_environment(home: Path) -> dict[str, str]:
    """This process's environment with :func:`isolated_environment` on top."""
    env = {k: v for k, v in os.environ.items() if k not in ("READER_DATA_DIR", "NO_COLOR")}
    env.update(isolated_environment(home))
    return env


def reader_command(*args: str) -> list[str]:
    """``python -m reader ARGS`` with the interpreter running the benchmarks."""
    return [sys.executable, "-m", "reader", *args]


@dataclass
class BenchSite:
    """A generated site and what the benchmarks need to know about it."""

    site: Site
    posts: int
    long_post_ids: tuple[int, ...] = ()
    """The posts whose bodies were replaced by long articles, newest first."""

    @property
    def long_post_paths(self) -> list[str]:
        """The permalink paths of the long articles."""
        found = (self.site.post(post_id) for post_id in self.long_post_ids)
        return [post.path for post in found if post is not None]


def make_site(posts: int, *, long_articles: int = 0, one_section: bool = False) -> BenchSite:
    """A generated site of ``posts`` posts.

    ``long_articles`` makes that many of the newest News posts about 50 KB long (each body is
    stitched from the bodies of old posts, different ones for each); ``one_section`` files
    every post under News, so one sidebar group lists all of them.
    """
    site = generate_site(posts)
    if one_section:
        site = Site(
            title=site.title,
            tagline=site.tagline,
            terms=taxonomy.all_terms(),
            authors=taxonomy.AUTHORS,
            posts=[replace(post, section="news") for post in site.posts()],
        )
    bench = BenchSite(site, posts)
    if long_articles:
        newest = [post for post in site.posts() if post.section == "news"][:long_articles]
        bodies = long_bodies(site, ARTICLE_BYTES, len(newest))
        for post, body in zip(newest, bodies, strict=True):
            site.touch_post(post.id, body=body)
        bench.long_post_ids = tuple(post.id for post in newest)
    return bench


def long_bodies(site: Site, size: int, count: int) -> list[str]:
    """``count`` article bodies of at least ``size`` bytes, each made of whole bodies of old
    posts (the oldest first), no old post used twice."""
    bodies: list[str] = []
    parts: list[str] = []
    length = 0
    for post in reversed(site.posts()):
        if len(bodies) == count:
            break
        parts.append(post.body)
        length += len(post.body.encode())
        if length >= size:
            bodies.append("\n".join(parts))
            parts, length = [], 0
    if len(bodies) < count:
        raise ValueError(f"{len(site.posts())} posts are too few for {count} long articles")
    return bodies


class ServedSite:
    """A :class:`BenchSite` on ``http://127.0.0.1:<port>/`` for as long as the block runs."""

    def __init__(self, bench: BenchSite, *, rest_api: bool = True, port: int = 0) -> None:
        self.bench = bench
        self.server = SampleServer(bench.site, rest_api=rest_api, port=port)
        self.url = ""

    def __enter__(self) -> ServedSite:
        self.url = self.server.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.stop()

    @property
    def requests(self) -> int:
        """How many requests the server has answered so far."""
        return len(self.server.request_log)

    def url_of(self, path: str) -> str:
        """The absolute URL of a path on this server."""
        return self.server.url_for(path)

    def single_feed(self) -> bytes:
        """Every post as one RSS 2.0 document, newest first, spliced from the paged feed."""
        head = ""
        items: list[str] = []
        page = 1
        while True:
            target = "/feed/" + (f"?paged={page}" if page > 1 else "")
            status, _, body, _ = self.server.respond(target)
            if status != 200:
                break
            text = body.decode()
            first = text.find("\t<item>")
            end = text.rindex("\t</channel>")
            if first < 0:
                break
            if page == 1:
                head = text[:first]
            items.append(text[first:end])
            page += 1
        return (head + "".join(items) + "\t</channel>\n</rss>\n").encode()


class ServedApart:
    """A generated site of ``posts`` posts (``make_site(posts)``'s) served on loopback by a
    process of its own (``bench/serve_apart.py``), for as long as the block runs.

    For figures that set a TUI in the bench's pty against a headless run: served from this
    process, the server waits for the interpreter whenever the terminal emulator reads the
    TUI's screen, which only one side of the comparison has.
    """

    def __init__(self, posts: int) -> None:
        self.posts = posts
        self.url = ""
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> ServedApart:
        script = Path(__file__).resolve().parent / "serve_apart.py"
        process = subprocess.Popen(
            [sys.executable, str(script), "--posts", str(self.posts)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._process = process
        assert process.stdout is not None
        self.url = process.stdout.readline().strip()
        if not self.url:
            self.__exit__(None, None, None)
            raise RuntimeError(f"the site's server ended ({process.wait()}) before serving")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()  # its end: it stops serving and exits
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()

    @property
    def base(self) -> str:
        """The base URL without a trailing slash."""
        return self.url.rstrip("/")

    def targets(self) -> list[str]:
        """Every request target answered so far, in order."""
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        process.stdin.write("log\n")
        process.stdin.flush()
        answer = process.stdout.readline()
        if not answer:
            raise RuntimeError("the site's server ended")
        targets = json.loads(answer)
        assert isinstance(targets, list)
        return [str(target) for target in targets]


def sync_store(
    url: str,
    data_dir: Path,
    env: dict[str, str],
    *,
    feed: bool = False,
    timeout: float = SYNC_TIMEOUT,
) -> float:
    """Fill ``data_dir`` with ``reader sync --site URL`` (or ``--feed URL``); returns the wall
    time in seconds."""
    command = reader_command(
        "sync", "--feed" if feed else "--site", url, "--data-dir", str(data_dir)
    )
    started = time.perf_counter()
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}"
        )
    return elapsed


def fetch_page_of(data_dir: Path, url: str) -> None:
    """Read one post's page into the store, as opening it in the reader once would."""
    from reader.core.config import DEFAULT_SECTIONS
    from reader.core.runner import with_fetcher
    from reader.core.store import Store
    from reader.core.sync import complete_post

    # The default sections, as the reader uses with no config file (the benchmarks give
    # every program an empty HOME).
    store = Store.open_in(data_dir, section_names=DEFAULT_SECTIONS)
    try:
        post = store.find_post(url)
        if post is None:
            raise RuntimeError(f"{url} is not in the store at {data_dir}")
        with_fetcher(lambda fetcher: complete_post(store, fetcher, post))
    finally:
        store.close()


class SingleFeedServer:
    """One RSS document at ``/feed.xml`` on loopback, with ETag, 304 and gzip like a real site."""

    def __init__(self, document: bytes) -> None:
        self.document = document
        self.etag = '"' + hashlib.sha256(document).hexdigest()[:32] + '"'
        self.compressed = gzip.compress(document, compresslevel=6, mtime=0)
        self.last_modified = formatdate(time.time() - 3600, usegmt=True)
        self.request_log: list[int] = []
        """The status of every answer."""
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The feed's address."""
        assert self._httpd is not None, "start() first"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/feed.xml"

    def __enter__(self) -> SingleFeedServer:
        feed = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the benchmark prints its own table."""

            def do_GET(self) -> None:
                unchanged = (
                    self.headers.get("If-None-Match") == feed.etag
                    or self.headers.get("If-Modified-Since") == feed.last_modified
                )
                if unchanged:
                    self.send_response(304)
                    self.send_header("ETag", feed.etag)
                    self.send_header("Last-Modified", feed.last_modified)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    feed.request_log.append(304)
                    return
                gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
                body = feed.compressed if gzipped else feed.document
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=UTF-8")
                self.send_header("ETag", feed.etag)
                self.send_header("Last-Modified", feed.last_modified)
                if gzipped:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                feed.request_log.append(200)

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
