"""A checked request connects to the address its check approved, not to a fresh resolution.

A picture's host name is chosen by whoever writes the feed, and so is what that name resolves
to. Answering a public address to the reader's check and a private one a moment later, when
the connection is made (DNS rebinding), must not reach the private network. The resolver is
replaced here by one that changes its answer after the first question; the server is a real
one on 127.0.0.1, and 127.0.0.2 (where nothing listens) stands in for the other address.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from reader.core import addresses
from reader.core.addresses import PublicAddresses
from reader.core.fetch import Fetcher, FetchError

pytestmark = pytest.mark.timeout(60)

_NAME = "rebind.test"


class _Server(ThreadingHTTPServer):
    """Answers every GET on 127.0.0.1 and keeps the Host header of each."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hosts: list[str] = []

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        self.server.hosts.append(self.headers.get("Host", ""))
        body = b"secret"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[_Server]:
    running = _Server()
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield running
    finally:
        running.shutdown()
        running.server_close()


def _rebinding(first: str, then: str) -> Callable[..., Any]:
    """A ``socket.getaddrinfo`` that answers ``first`` for the test's name once, then ``then``;
    other names go to the real resolver."""
    real = socket.getaddrinfo
    answers = [first]

    def resolve(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        # anyio asks with the name encoded (bytes), asyncio's loop with a str.
        if (host.decode() if isinstance(host, bytes) else host) != _NAME:
            return real(host, port, *args, **kwargs)
        address = answers.pop() if answers else then
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]

    return resolve


async def test_a_name_that_turns_private_after_the_check_is_not_reached(
    server: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 127.0.0.2 plays a public address: the check approves it; the connection is then asked
    # for again and told 127.0.0.1, the private server.
    monkeypatch.setattr(addresses, "is_public", lambda address: address == "127.0.0.2")
    monkeypatch.setattr(socket, "getaddrinfo", _rebinding("127.0.0.2", "127.0.0.1"))
    url = f"http://{_NAME}:{server.port}/admin"
    async with Fetcher(retries=0, connect_timeout=2, deadline=5) as fetcher:
        with pytest.raises(FetchError):
            await fetcher.get(url, check_address=PublicAddresses().check)
    assert server.hosts == []


async def test_the_approved_address_is_asked_with_the_hosts_own_name(
    server: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every address plays a public one; the name resolves to the server for the check, and
    # elsewhere afterwards: the request must still go where the check looked.
    monkeypatch.setattr(addresses, "is_public", lambda address: True)
    monkeypatch.setattr(socket, "getaddrinfo", _rebinding("127.0.0.1", "127.0.0.2"))
    url = f"http://{_NAME}:{server.port}/picture.png"
    guard = PublicAddresses()
    async with Fetcher(retries=0, connect_timeout=2, deadline=5) as fetcher:
        first = await fetcher.get(url, check_address=guard.check)
        # The check remembers what it approved: a second picture goes to the same address.
        second = await fetcher.get(url, check_address=guard.check)
    assert first.content == second.content == b"secret"
    assert server.hosts == [f"{_NAME}:{server.port}"] * 2
    # The response still names the address asked for, not the one connected to.
    assert first.url == url


async def test_a_sources_own_host_is_not_pinned(
    server: _Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A source's host is the user's choice and is never checked, so nothing is approved for
    # it: the request resolves the name as usual, and is the first to ask.
    monkeypatch.setattr(socket, "getaddrinfo", _rebinding("127.0.0.1", "127.0.0.2"))
    url = f"http://{_NAME}:{server.port}/"
    guard = PublicAddresses([url])
    assert await guard.check(url + "x.png") is None
    async with Fetcher(retries=0, connect_timeout=2, deadline=5) as fetcher:
        await fetcher.get(url + "x.png", check_address=guard.check)
    assert server.hosts == [f"{_NAME}:{server.port}"]
