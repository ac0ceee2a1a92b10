"""The image loader over real HTTP on 127.0.0.1: caps, sniffing, cache, failures remembered."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from reader.core.fetch import Fetcher
from reader.core.image_cache import ImageCache
from reader.core.image_decode import ImageGone, ImageRefused
from reader.core.image_loader import ImageLoader
from tests.support.pictures import PictureServer, picture_server, png

__all__ = ["picture_server"]


async def _picture(loader: ImageLoader, url: str) -> tuple[int, int]:
    picture = await loader.picture(url, 20, 20)
    return picture.width, picture.height


async def test_an_image_is_fetched_once_then_read_from_the_cache(
    picture_server: PictureServer, tmp_path: Path
) -> None:
    url = picture_server.url("/good.png?once")
    before = picture_server.requests["/good.png"]
    loader = ImageLoader(ImageCache(tmp_path), sources=[picture_server.url("/")])
    try:
        assert await _picture(loader, url) == (20, 15)
    finally:
        await loader.aclose()
    again = ImageLoader(ImageCache(tmp_path), offline=True)
    assert await _picture(again, url) == (20, 15)
    assert picture_server.requests["/good.png"] == before + 1


async def test_two_askers_share_one_request(picture_server: PictureServer) -> None:
    loader = ImageLoader(sources=[picture_server.url("/")])
    url = picture_server.url("/good.jpg?shared")
    before = picture_server.requests["/good.jpg"]
    try:
        sizes = await asyncio.gather(*(_picture(loader, url) for _ in range(5)))
    finally:
        await loader.aclose()
    assert set(sizes) == {(20, 15)}
    assert picture_server.requests["/good.jpg"] == before + 1


async def test_the_network_client_is_made_off_the_loop_and_once(
    picture_server: PictureServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Making a client loads the system's certificates: 50-80 ms that held every key when
    # the first picture of a run was asked for on the screen's loop.
    made_in: list[bool] = []
    make = Fetcher.__init__

    def noted(self: Fetcher, **kw: Any) -> None:
        made_in.append(threading.current_thread() is threading.main_thread())
        make(self, **kw)

    monkeypatch.setattr(Fetcher, "__init__", noted)
    loader = ImageLoader(sources=[picture_server.url("/")])
    try:
        urls = [picture_server.url(f"/good.png?client{n}") for n in range(3)]
        await asyncio.gather(*(_picture(loader, url) for url in urls))
    finally:
        await loader.aclose()
    assert made_in == [False]


async def test_the_bytes_decide_not_the_content_type(picture_server: PictureServer) -> None:
    loader = ImageLoader(sources=[picture_server.url("/")])
    try:
        assert await _picture(loader, picture_server.url("/png-as-html")) == (20, 15)
        with pytest.raises(ImageRefused, match="web page"):
            await loader.picture(picture_server.url("/html-as-png"), 20, 20)
    finally:
        await loader.aclose()


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing.png", "404"),
        ("/to-file", "not an http"),
        ("/huge.png", "larger than 8 MB"),
        ("/huge-unsized.png", "larger than 8 MB"),
        ("/picture.svg", "SVG"),
        ("/corrupt.png", "damaged"),
        ("/bomb.png", r"too (large|many)"),
        ("/claims-25mp.png", "too large"),
    ],
)
async def test_bad_images_are_refused_with_a_reason(
    picture_server: PictureServer, tmp_path: Path, path: str, reason: str
) -> None:
    cache = ImageCache(tmp_path)
    loader = ImageLoader(cache, sources=[picture_server.url("/")])
    url = picture_server.url(path)
    try:
        with pytest.raises(ImageRefused, match=reason):
            await loader.picture(url, 80, 40)
        assert loader.failure(url) is not None
        # Remembered: asking again costs no request.
        before = picture_server.requests[path]
        with pytest.raises(ImageRefused):
            await loader.picture(url, 80, 40)
        assert picture_server.requests[path] == before
    finally:
        await loader.aclose()
    if path in ("/missing.png", "/to-file", "/picture.svg", "/huge.png"):
        assert url not in cache


async def test_a_private_address_is_refused_unless_it_is_a_sources_own(
    picture_server: PictureServer,
) -> None:
    # A feed on the public internet naming a picture on 127.0.0.1 (here: no source there at
    # all) must not make the reader knock on the machine's own services.
    url = picture_server.url("/good.png?private")
    before = picture_server.requests["/good.png"]
    loader = ImageLoader(sources=["https://news.example.org/"])
    try:
        with pytest.raises(ImageRefused, match=r"127\.0\.0\.1 is a private network address"):
            await loader.picture(url, 20, 20)
        assert picture_server.requests["/good.png"] == before
    finally:
        await loader.aclose()
    own = ImageLoader(sources=[picture_server.url("/")])
    try:
        assert await _picture(own, url) == (20, 15)
    finally:
        await own.aclose()


async def test_a_redirect_to_a_private_address_is_refused(picture_server: PictureServer) -> None:
    # The source's own host answers, but sends the request on to "localhost" on the same port:
    # another host name, which resolves to loopback, so it is refused before any request.
    url = picture_server.url("/to-localhost")
    before = picture_server.requests["/good.png"]
    asked = picture_server.requests["/to-localhost"]
    loader = ImageLoader(sources=[picture_server.url("/")])
    try:
        with pytest.raises(
            ImageRefused, match=r"localhost is at a private network address .*where it redirects"
        ):
            await loader.picture(url, 20, 20)
        assert picture_server.requests["/to-localhost"] == asked + 1
        assert picture_server.requests["/good.png"] == before
    finally:
        await loader.aclose()


async def test_only_web_addresses_are_fetched() -> None:
    loader = ImageLoader()
    for url in ("file:///etc/passwd", "data:image/png;base64,AAAA", "javascript:alert(1)"):
        with pytest.raises(ImageRefused, match="only http"):
            await loader.bytes_of(url)


async def test_a_kept_image_is_used_before_the_cache_and_the_network(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/never-fetched.png"
    loader = ImageLoader(ImageCache(tmp_path), kept={url: png(8, 8)}.get)
    assert (await loader.picture(url, 8, 8)).width == 8


async def test_offline_an_image_not_kept_is_refused_without_a_request(tmp_path: Path) -> None:
    loader = ImageLoader(ImageCache(tmp_path), offline=True)
    with pytest.raises(ImageRefused, match="not kept"):
        await loader.picture("http://127.0.0.1:9/x.png", 8, 8)


async def test_kept_and_cached_files_are_read_off_the_event_loop(tmp_path: Path) -> None:
    # A picture file is up to 8 MB: read on the loop, it would hold every key and frame.
    loop_thread = threading.get_ident()
    readers: list[int] = []
    kept_url, cached_url = "http://127.0.0.1:9/kept.png", "http://127.0.0.1:9/cached.png"

    def kept(url: str) -> bytes | None:
        readers.append(threading.get_ident())
        return png(8, 8) if url == kept_url else None

    class WatchedCache(ImageCache):
        def get(self, url: str) -> bytes | None:
            readers.append(threading.get_ident())
            return super().get(url)

    cache = WatchedCache(tmp_path)
    cache.put(cached_url, png(8, 8))
    loader = ImageLoader(cache, kept=kept, offline=True)
    assert (await loader.picture(kept_url, 8, 8)).width == 8
    assert (await loader.picture(cached_url, 8, 8)).width == 8
    assert len(readers) == 3  # kept; kept, then the cache
    assert loop_thread not in readers


async def test_only_404_and_410_mark_a_picture_gone(tmp_path: Path) -> None:
    from tests.support.hostile_server import HostileServer

    with HostileServer() as server:
        cache = ImageCache(tmp_path)
        loader = ImageLoader(cache, sources=[server.url("/")])
        try:
            for code in (503, 500, 429):
                with pytest.raises(ImageRefused) as refused:
                    await loader.bytes_of(server.url(f"/status/{code}"))
                assert not isinstance(refused.value, ImageGone)
                assert cache.gone_until(server.url(f"/status/{code}")) is None
            for code in (404, 410):
                url = server.url(f"/status/{code}")
                with pytest.raises(ImageGone) as gone:
                    await loader.bytes_of(url)
                assert gone.value.now and cache.gone_until(url) is not None
                # Another loader (the next run) knows it too, and does not ask.
                later = ImageLoader(ImageCache(tmp_path), sources=[server.url("/")])
                with pytest.raises(ImageGone) as known:
                    await later.bytes_of(url)
                assert not known.value.now
                await later.aclose()
        finally:
            await loader.aclose()
