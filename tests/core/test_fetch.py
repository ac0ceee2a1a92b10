"""The fetcher against a server that stalls, floods, lies, loops and hangs up."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import time
import tracemalloc
import uuid
from email.utils import formatdate
from typing import Any

import pytest

from reader.core.fetch import (
    DEFAULT_USER_AGENT,
    Fetcher,
    FetchError,
    Response,
    Validators,
    _retry_wait,
    _validators_of,
    decode_json,
)
from tests.support import hostile_server as hostile
from tests.support.hostile_server import (
    HostileServer,
    hostile_server,
    hostile_server_instance,
    wordpress_feed,
)

__all__ = ["hostile_server", "hostile_server_instance"]

pytestmark = pytest.mark.timeout(30)


async def failure(url: str, **options: Any) -> FetchError:
    """The FetchError that fetching ``url`` raises; checks it reads as one line."""
    async with Fetcher(**options) as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.get(url)
    error = caught.value
    assert "\n" not in str(error)
    assert str(error).startswith(("Could not fetch ", "Could not reach "))
    assert error.reason in str(error)
    return error


async def fetch(url: str, **options: Any) -> Response:
    async with Fetcher(**options) as fetcher:
        return await fetcher.get(url)


# Basics


async def test_a_feed_arrives_whole_with_its_headers(hostile_server: str) -> None:
    response = await fetch(hostile_server + "/feed")
    assert response.status == 200
    assert not response.not_modified
    assert response.url == hostile_server + "/feed"
    assert response.content == wordpress_feed(hostile_server)
    assert response.headers["content-type"].startswith("application/rss+xml")
    assert response.validators == Validators()


async def test_requests_name_the_reader_and_offer_only_bounded_encodings(
    hostile_server: str,
) -> None:
    async with Fetcher() as fetcher:
        data, _headers = await fetcher.get_json(hostile_server + "/headers")
    assert data["user-agent"] == DEFAULT_USER_AGENT
    assert data["user-agent"].startswith("stemcell-reader/")
    assert data["accept-encoding"] == "gzip, deflate"
    assert data["accept"] == "application/json"


async def test_one_fetcher_reuses_one_client_and_its_connections(hostile_server: str) -> None:
    async with Fetcher() as fetcher:
        first, _ = await fetcher.get_json(hostile_server + "/headers")
        second, _ = await fetcher.get_json(hostile_server + "/headers")
    assert first["x-client-port"] == second["x-client-port"]


async def test_the_user_agent_can_be_chosen(hostile_server: str) -> None:
    async with Fetcher(user_agent="custom-agent/2") as fetcher:
        data, _ = await fetcher.get_json(hostile_server + "/headers")
    assert data["user-agent"] == "custom-agent/2"


@pytest.mark.parametrize("path", ["/gzip-feed", "/deflate-feed", "/raw-deflate-feed"])
async def test_compressed_bodies_are_decoded(hostile_server: str, path: str) -> None:
    response = await fetch(hostile_server + path)
    assert response.content == wordpress_feed(hostile_server)


async def test_corrupt_gzip_is_a_clear_error(hostile_server: str) -> None:
    error = await failure(hostile_server + "/gzip-corrupt")
    assert "could not be decompressed" in error.reason
    assert not error.offline


@pytest.mark.parametrize(
    "content",
    [
        b'[{"id": 1, "title": {"rendered": "caf\\u00e9 \xe2\x80\x99"}}, 2.5, null, true]',
        # What orjson refuses and the standard library reads: the answer must be the latter's.
        b'{"ratio": NaN, "big": Infinity}',
        b'{"id": 123456789012345678901234567890}',
        b"\xef\xbb\xbf[1, 2]",
        '{"title": "UTF-16 from an odd server"}'.encode("utf-16"),
        b'{"lone": "\\ud800"}',
        b'{"same": 1, "same": 2}',
    ],
)
def test_json_is_decoded_as_the_standard_library_decodes_it(content: bytes) -> None:
    wanted = json.loads(content)
    found = decode_json(content)
    assert repr(found) == repr(wanted)  # repr: NaN is not equal to itself


def test_json_is_decoded_without_msgspec_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # An environment made before msgspec was a dependency still syncs, with json alone.
    import reader.core.fetch as fetch_module

    monkeypatch.setattr(fetch_module, "_fast_json", lambda: None)
    assert decode_json(b'[{"id": 1}, NaN]')[0] == {"id": 1}
    with pytest.raises(ValueError):
        decode_json(b"[1, 2")


@pytest.mark.parametrize("content", [b"[1, 2", b"<html>", b"\xff\xfe\xfa", b""])
def test_what_is_no_json_fails_as_in_the_standard_library(content: bytes) -> None:
    with pytest.raises((ValueError, UnicodeDecodeError)):
        decode_json(content)


async def test_get_json_returns_data_and_headers(hostile_server: str) -> None:
    async with Fetcher() as fetcher:
        data, headers = await fetcher.get_json(hostile_server + "/json")
        assert data == [{"id": 1}, {"id": 2}]
        assert headers["x-wp-total"] == "2"
        with pytest.raises(FetchError, match="not valid JSON"):
            await fetcher.get_json(hostile_server + "/not-json")
        # Nested past any parser's depth: an error of the site's, never a traceback.
        with pytest.raises(FetchError, match="nested too deeply"):
            await fetcher.get_json(hostile_server + "/deep-json")


# Deadline


@pytest.mark.timeout(15)
async def test_a_dripping_body_is_cut_off_at_the_deadline(hostile_server: str) -> None:
    error = await failure(hostile_server + "/drip", deadline=1.5)
    assert error.reason == "timed out after 1.5 s"
    assert str(error) == f"Could not fetch {hostile_server}/drip: timed out after 1.5 s"


@pytest.mark.timeout(15)
async def test_a_server_that_never_answers_is_cut_off_at_the_deadline(
    hostile_server: str,
) -> None:
    error = await failure(hostile_server + "/stall", deadline=1.5)
    assert error.reason == "timed out after 1.5 s"


@pytest.mark.timeout(15)
async def test_the_deadline_covers_retry_waits(
    hostile_server_instance: HostileServer,
) -> None:
    # Retry-After: 1 with five retries allowed would take five seconds; the deadline is 1.5 s,
    # so the fetcher gives up early and says what the server said.
    before = hostile_server_instance.hits("/503-always")
    error = await failure(
        hostile_server_instance.url("/503-always"), deadline=1.5, retries=5, max_retry_wait=30
    )
    assert error.status == 503
    assert hostile_server_instance.hits("/503-always") - before <= 2


# Size caps


@pytest.mark.timeout(20)
async def test_a_gzip_bomb_fails_fast_with_little_memory(hostile_server: str) -> None:
    hostile.gzip_bomb()  # built before measuring: it is the server's memory, not the client's
    tracemalloc.start()
    try:
        error = await failure(hostile_server + "/gzip-bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason == "body larger than 20 MB"
    # The cap is 20 MB of decoded body; a gigabyte would be inflated without the bound.
    assert peak < 200 * 2**20, f"peak {peak / 2**20:.0f} MB"


async def test_the_cap_is_a_parameter(hostile_server: str) -> None:
    error = await failure(hostile_server + "/gzip-feed", max_bytes=1000)
    assert error.reason == "body larger than 1000 bytes"


@pytest.mark.timeout(15)
async def test_an_oversized_content_length_fails_before_reading(hostile_server: str) -> None:
    # /huge-promise declares 50 MB and sends nothing: reading would wait for the deadline.
    error = await failure(hostile_server + "/huge-promise", deadline=10)
    assert error.reason == "body larger than 20 MB"


async def test_a_huge_body_fails(hostile_server: str) -> None:
    error = await failure(hostile_server + "/huge")
    assert error.reason == "body larger than 20 MB"


async def test_a_huge_body_without_length_is_cut_off_while_streaming(hostile_server: str) -> None:
    tracemalloc.start()
    try:
        error = await failure(hostile_server + "/huge-unsized")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason == "body larger than 20 MB"
    assert peak < 200 * 2**20


# Redirects


async def test_relative_redirects_are_followed_up_to_the_limit(hostile_server: str) -> None:
    response = await fetch(hostile_server + "/redirect-chain/5")
    assert response.status == 200
    assert response.url == hostile_server + "/redirect-chain/0"
    assert response.content.startswith(b"<?xml")


async def test_one_redirect_too_many_is_an_error(hostile_server: str) -> None:
    error = await failure(hostile_server + "/redirect-chain/6")
    assert error.reason == "too many redirects (more than 5)"
    error = await failure(hostile_server + "/redirect-chain/3", max_redirects=2)
    assert error.reason == "too many redirects (more than 2)"


async def test_a_redirect_loop_is_an_error(hostile_server: str) -> None:
    error = await failure(hostile_server + "/redirect-loop", max_redirects=20)
    assert "redirect loop" in error.reason


async def test_a_redirect_to_a_local_file_is_refused(hostile_server: str) -> None:
    error = await failure(hostile_server + "/redirect-file")
    assert "file:///etc/passwd" in error.reason
    assert "not an http(s) address" in error.reason


@pytest.mark.parametrize(
    "target", [hostile.JAVASCRIPT_URL, hostile.DATA_URL, "ftp://example.org/feed"]
)
async def test_redirects_to_other_schemes_are_refused(hostile_server: str, target: str) -> None:
    error = await failure(f"{hostile_server}/redirect-to?url={target}")
    assert "not an http(s) address" in error.reason


async def test_a_redirect_may_cross_hosts(hostile_server_instance: HostileServer) -> None:
    other = f"http://localhost:{hostile_server_instance.port}/feed"
    response = await fetch(hostile_server_instance.url(f"/redirect-to?url={other}"))
    assert response.status == 200
    assert response.url == other


async def test_a_redirect_with_escapes_in_its_location_gives_a_clean_message(
    hostile_server: str,
) -> None:
    error = await failure(f"{hostile_server}/redirect-to?url=gopher://x/%1b%5b2J%e2%80%ae")
    assert hostile.RLO not in str(error)
    assert "\x1b" not in str(error)


# Conditional GET


async def test_validators_turn_a_refetch_into_not_modified(hostile_server: str) -> None:
    async with Fetcher() as fetcher:
        first = await fetcher.get(hostile_server + "/etag")
        assert first.status == 200
        assert first.validators.etag == '"v1-organoids"'
        assert first.validators.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT"

        again = await fetcher.get(hostile_server + "/etag", validators=first.validators)
        assert again.status == 304
        assert again.not_modified
        assert again.content == b""
        assert again.validators == first.validators

        by_date = await fetcher.get(
            hostile_server + "/etag",
            validators=Validators(last_modified=first.validators.last_modified),
        )
        assert by_date.not_modified

        stale = await fetcher.get(hostile_server + "/etag", validators=Validators(etag='"old"'))
        assert stale.status == 200
        assert stale.content


async def test_validators_are_sent_as_conditional_headers(hostile_server: str) -> None:
    async with Fetcher() as fetcher:
        response = await fetcher.get(
            hostile_server + "/headers",
            validators=Validators(etag='"abc"', last_modified="Wed, 01 Jan 2025 00:00:00 GMT"),
        )
    sent = json.loads(response.content)
    assert sent["if-none-match"] == '"abc"'
    assert sent["if-modified-since"] == "Wed, 01 Jan 2025 00:00:00 GMT"


def test_unusable_validators_are_dropped() -> None:
    headers = {"etag": '"ok\x1b[2J"', "last-modified": "x" * 5000}
    assert _validators_of(headers, fallback=Validators()) == Validators()
    kept = _validators_of({"etag": 'W/"12"'}, fallback=Validators())
    assert kept == Validators(etag='W/"12"')


# Concurrency


async def test_requests_to_one_host_are_bounded(
    hostile_server_instance: HostileServer,
) -> None:
    group = uuid.uuid4().hex
    url = hostile_server_instance.url(f"/slow?group={group}&ms=150")
    async with Fetcher(per_host=2) as fetcher:
        responses = await asyncio.gather(*(fetcher.get(url) for _ in range(6)))
    assert all(response.status == 200 for response in responses)
    assert 1 <= hostile_server_instance.peak(group) <= 2


# Retries


async def test_429_is_retried_after_the_wait_the_server_asks_for(
    hostile_server_instance: HostileServer,
) -> None:
    client = uuid.uuid4().hex
    before = hostile_server_instance.hits("/retry-after")
    response = await fetch(hostile_server_instance.url(f"/retry-after?client={client}"))
    assert response.status == 200
    assert response.content.startswith(b"<?xml")
    assert hostile_server_instance.hits("/retry-after") - before == 2


async def test_retry_after_may_be_an_http_date(hostile_server_instance: HostileServer) -> None:
    client = uuid.uuid4().hex
    response = await fetch(hostile_server_instance.url(f"/retry-after?client={client}&date=1"))
    assert response.status == 200


async def test_503_is_retried_then_reported(hostile_server_instance: HostileServer) -> None:
    before = hostile_server_instance.hits("/503-always")
    # Retry-After says 1 s; the cap of 0.05 s is what lets three tries fit in the deadline.
    error = await failure(
        hostile_server_instance.url("/503-always"), retries=2, max_retry_wait=0.05, deadline=1.5
    )
    assert hostile_server_instance.hits("/503-always") - before == 3
    assert error.status == 503
    assert error.reason == "server answered 503 Service Unavailable"


async def test_no_retries_means_one_request(hostile_server_instance: HostileServer) -> None:
    before = hostile_server_instance.hits("/503-always")
    error = await failure(hostile_server_instance.url("/503-always"), retries=0)
    assert error.status == 503
    assert hostile_server_instance.hits("/503-always") - before == 1


def test_retry_wait_reads_seconds_and_dates() -> None:
    assert _retry_wait("7", 0) == 7.0
    assert _retry_wait(None, 0) == 0.5
    assert _retry_wait(None, 2) == 2.0
    assert _retry_wait("soon, please", 1) == 1.0
    later = _retry_wait(formatdate(time.time() + 60, usegmt=True), 0)
    assert 50 < later <= 61
    assert _retry_wait(formatdate(time.time() - 60, usegmt=True), 0) == 0.0


# Error statuses and broken connections


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (404, "server answered 404 Not Found"),
        (500, "server answered 500 Internal Server Error"),
        (410, "server answered 410 Gone"),
    ],
)
async def test_error_statuses_are_reported_with_their_phrase(
    hostile_server: str, code: int, reason: str
) -> None:
    error = await failure(f"{hostile_server}/status/{code}")
    assert error.status == code
    assert error.reason == reason
    assert not error.offline
    assert str(error) == f"Could not fetch {hostile_server}/status/{code}: {reason}"


async def test_a_short_body_is_reported_cut_short(hostile_server: str) -> None:
    error = await failure(hostile_server + "/truncated")
    assert error.reason == "response was cut short"
    assert error.status is None


@pytest.mark.parametrize("path", ["/reset", "/reset?early=1"])
async def test_a_reset_connection_is_reported(hostile_server: str, path: str) -> None:
    error = await failure(hostile_server + path)
    assert error.reason == "connection reset"
    assert not error.offline


async def test_a_name_that_does_not_resolve_is_offline() -> None:
    error = await failure("http://nonexistent.invalid/feed/", deadline=10)
    assert error.reason == "name not found (DNS)"
    assert error.offline
    assert str(error) == "Could not reach http://nonexistent.invalid/feed/: name not found (DNS)"


async def test_a_refused_connection_is_offline() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = await failure(f"http://127.0.0.1:{port}/feed/")
    assert error.reason == "connection refused"
    assert error.offline
    assert str(error) == f"Could not reach http://127.0.0.1:{port}/feed/: connection refused"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/feed",
        hostile.JAVASCRIPT_URL,
        hostile.DATA_URL,
        "example.org/feed",
        "http:///no-host",
        "http://127.0.0.1:99999/feed",
        "http://[::1/feed",
    ],
)
async def test_only_well_formed_http_and_https_urls_are_fetched(url: str) -> None:
    error = await failure(url)
    assert error.status is None
    assert not error.offline


# The hostile server itself


def test_endless_endpoints_end_by_themselves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hostile, "ENDLESS_LIMIT", 1.0)
    with HostileServer() as server, socket.create_connection(("127.0.0.1", server.port)) as conn:
        conn.settimeout(10)
        conn.sendall(b"GET /drip HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        while chunk := conn.recv(4096):
            received += chunk
    assert received.startswith(b"HTTP/1.1 200")


def test_the_gzip_bomb_is_small_and_really_a_bomb() -> None:
    bomb = hostile.gzip_bomb()
    assert len(bomb) < 2 * 2**20
    member = hostile._gzip_bomb(4)
    assert gzip.decompress(member) == bytes(4 * 2**20)


def test_a_retry_after_in_other_digits_names_no_wait() -> None:
    from reader.core.fetch import _asked_wait

    # "²" is a Latin-1 byte a header can carry: it passed isdigit() and float() raised.
    assert _asked_wait("²") is None
    assert _asked_wait("١٢") is None
    assert _asked_wait("12") == 12.0
