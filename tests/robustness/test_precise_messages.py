"""Each hostile answer gets a message that says what happened, and the encodings and dates a
server gets wrong are read right: real HTTP against the hostile server, real syncs, real
``reader`` processes."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader.core.dates import believable
from reader.core.feed import parse_feed
from reader.core.fetch import Fetcher, FetchError
from reader.core.source import Source
from reader.core.store import Store
from reader.core.sync import sync
from tests.support.commands import run_reader
from tests.support.hostile_server import (
    FAR_DATE_TITLES,
    HostileServer,
    hostile_server_instance,
)

__all__ = ["hostile_server_instance"]


async def _failure(url: str, **options: float) -> FetchError:
    async with Fetcher(**options) as fetcher:  # type: ignore[arg-type]
        with pytest.raises(FetchError) as caught:
            await fetcher.get(url)
    return caught.value


def _dead_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = int(probe.getsockname()[1])
    probe.close()
    return port


async def test_a_flood_of_headers_is_named_not_called_silence(
    hostile_server_instance: HostileServer,
) -> None:
    error = await _failure(hostile_server_instance.url("/header-flood"))
    assert error.reason == "the server's response headers were too long (more than 100 KB)"
    assert "without answering" not in str(error)
    # A merely generous server is still read.
    async with Fetcher() as fetcher:
        response = await fetcher.get(hostile_server_instance.url("/header-flood?count=300"))
    assert response.status == 200


async def test_a_redirect_to_a_dead_port_blames_the_dead_address_and_is_not_offline(
    hostile_server_instance: HostileServer, store: Store
) -> None:
    dead = f"http://127.0.0.1:{_dead_port()}/feed/"
    asked = hostile_server_instance.url(f"/redirect-to?url={dead}")
    error = await _failure(asked)
    assert error.reason == f"connection refused at {dead}, where it redirects"
    assert not error.offline
    assert str(error).startswith(f"Could not fetch {asked}")
    async with Fetcher() as fetcher:
        report = await sync(store, fetcher, Source.feed(asked))
    assert not report.ok and not report.offline
    assert dead in report.errors[0]


async def test_an_unsolicited_304_is_an_error_not_up_to_date(
    hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    url = hostile_server_instance.url("/not-modified")
    error = await _failure(url)
    assert error.status == 304 and "not conditional" in error.reason
    result = run_reader("--feed", url, "sync", data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "up to date" not in result.stdout
    assert "304 Not Modified to a request that was not conditional" in result.stderr


async def test_a_picture_served_as_a_feed_is_called_a_picture(
    hostile_server_instance: HostileServer,
) -> None:
    async with Fetcher() as fetcher:
        for path in ("/png", "/png?type=image/png"):
            response = await fetcher.get(hostile_server_instance.url(path))
            parsed = parse_feed(response.content, url=response.url, headers=response.headers)
            assert not parsed.is_feed
            assert parsed.problem == "not a feed: the answer is a PNG image"


@pytest.mark.parametrize(
    "path",
    [
        "/utf16-feed",  # UTF-16 with its mark, declared utf-8
        "/utf16-feed?declared=utf-16",
        "/utf16-feed?declared=iso-8859-1",
        "/utf16-feed?declared=none",
        "/utf8-declared-utf16",  # the reverse: UTF-8 declared utf-16
    ],
)
async def test_a_wrongly_declared_unicode_feed_is_decoded(
    path: str, hostile_server_instance: HostileServer
) -> None:
    async with Fetcher() as fetcher:
        response = await fetcher.get(hostile_server_instance.url(path))
    parsed = parse_feed(response.content, url=response.url, headers=response.headers)
    assert parsed.is_feed, parsed.problem
    assert parsed.title == "Nouvelles: café “quoted”"
    assert parsed.entries[0].title == "Organoid study number 1 ’s results & more"


def test_a_declared_charset_that_is_right_is_kept() -> None:
    text = '<?xml version="1.0"?><rss version="2.0"><channel><title>Caf\xe9</title></channel></rss>'
    parsed = parse_feed(
        text.encode("latin-1"),
        url="https://example.org/feed",
        headers={"content-type": "application/rss+xml; charset=iso-8859-1"},
    )
    assert parsed.title == "Café"


async def test_dates_past_next_year_are_unknown_and_never_top_the_list(
    hostile_server_instance: HostileServer, store: Store
) -> None:
    now = datetime.now(UTC)
    assert believable(now.replace(year=now.year + 1)) is not None
    assert believable(datetime(now.year + 2, 1, 1, tzinfo=UTC)) is None
    url = hostile_server_instance.url("/far-dates")
    async with Fetcher() as fetcher:
        response = await fetcher.get(url)
        parsed = parse_feed(response.content, url=url, headers=response.headers)
        assert [e.published for e in parsed.entries[:2]] == [None, None]
        report = await sync(store, fetcher, Source.feed(url))
    assert report.ok, report.errors
    stored = {p.title: p.published for p in store.posts_in()}
    for title in FAR_DATE_TITLES[:2]:
        # Unknown dates read as the time the post was first seen, never year 2999 or 9999.
        assert stored[title].year == now.year
    assert stored[FAR_DATE_TITLES[2]].year == 2025


async def test_a_long_retry_after_is_told_and_honoured_by_the_next_refresh(
    hostile_server_instance: HostileServer, tmp_path: Path
) -> None:
    url = hostile_server_instance.url("/retry-after-long")
    store = Store.open_in(tmp_path / "data")
    try:
        before = hostile_server_instance.hits("/retry-after-long")
        async with Fetcher() as fetcher:
            first = await sync(store, fetcher, Source.feed(url))
        assert not first.ok
        assert (
            "429 Too Many Requests; it asks to wait 24 hours before asking again"
            in (first.errors[0])
        )
        # Waiting a day inside the request would only end in "timed out": one request.
        assert hostile_server_instance.hits("/retry-after-long") == before + 1
        async with Fetcher() as fetcher:
            second = await sync(store, fetcher, Source.feed(url))
        assert not second.ok
        assert second.errors[0].startswith(f"Not asking {url} again before ")
        assert "(24 hours from now)" in second.errors[0]
        assert hostile_server_instance.hits("/retry-after-long") == before + 1
    finally:
        store.close()
    # The same for 'reader sync' from cron: no request, and a message that says when.
    result = run_reader("--feed", url, "sync", data_dir=tmp_path / "data")
    assert result.returncode == 1 and "Not asking" in result.stderr
    assert hostile_server_instance.hits("/retry-after-long") == before + 1


async def test_a_short_retry_after_is_waited_out_and_not_remembered(
    hostile_server_instance: HostileServer, store: Store
) -> None:
    url = hostile_server_instance.url("/retry-after?client=short")
    async with Fetcher() as fetcher:
        report = await sync(store, fetcher, Source.feed(url))
        assert report.ok, report.errors
        again = await sync(store, fetcher, Source.feed(url))
    assert again.ok, again.errors
