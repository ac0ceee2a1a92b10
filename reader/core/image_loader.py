"""Images for articles: from a bookmark's snapshot, the cache or the network, then decoded.

:class:`ImageLoader` is what the UI and the headless commands ask for a picture. Bytes come
from the first place that has them (a bookmark's kept images, the size-capped cache, then the
network through a :class:`~reader.core.fetch.Fetcher` of its own, so images never take a
connection slot from the article text), with a byte cap and an overall deadline. Decoding and
scaling run in a worker thread, one image at a time so memory stays bounded. A URL that
failed is remembered for the session and not asked for again. A picture on a private network
address is fetched only from a source's own host (see :mod:`reader.core.addresses`).
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from reader.core.addresses import PublicAddresses
from reader.core.fetch import Fetcher, FetchError
from reader.core.image_cache import ImageCache
from reader.core.image_decode import ImageGone, ImageRefused, Picture, decode_picture, sniff
from reader.core.refusals import GONE, REFUSED_FOR_DAYS

#: The largest image file fetched.
MAX_IMAGE_BYTES = 8 * 2**20
#: Seconds one image may take to arrive, redirects included.
IMAGE_DEADLINE = 20.0
_ACCEPT = "image/webp,image/png,image/jpeg,image/gif;q=0.9,image/*;q=0.5"
# Decoded pictures kept in memory: a screenful of articles' worth, a few KB each.
_PICTURES_KEPT = 48

KeptImages = Callable[[str], bytes | None]
"""Looks up an image kept with a bookmark's snapshot: URL -> bytes, or None."""


class ImageLoader:
    """Fetches, caches and decodes article images; one per app or command."""

    def __init__(
        self,
        cache: ImageCache | None = None,
        *,
        kept: KeptImages | None = None,
        offline: bool = False,
        max_bytes: int = MAX_IMAGE_BYTES,
        deadline: float = IMAGE_DEADLINE,
        sources: Iterable[str] = (),
    ) -> None:
        self.cache = cache
        self.kept = kept
        self.offline = offline
        """When true only snapshots and the cache are read: nothing is fetched."""
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.addresses = PublicAddresses(sources)
        """The sources' own addresses, the only private ones pictures are fetched from."""
        self._fetcher: Fetcher | None = None
        self._making = threading.Lock()
        self._failed: dict[str, str] = {}
        self._gone: set[str] = set()
        """Of the failed, those whose server said they are gone (see ``ImageGone``)."""
        self._loading: dict[str, asyncio.Future[bytes]] = {}
        self._pictures: OrderedDict[tuple[str, int, int], Picture] = OrderedDict()
        self._decoding = asyncio.Semaphore(1)

    async def aclose(self) -> None:
        """Close the network client, if one was opened."""
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None

    def failure(self, url: str) -> str | None:
        """Why ``url`` could not be drawn this session, or None."""
        return self._failed.get(url)

    async def bytes_of(self, url: str, *, again: bool = False) -> bytes:
        """The image file at ``url``; raises :class:`ImageRefused` with the reason.

        ``again`` forgets that ``url`` failed earlier this session (a bookmark's pictures are
        asked for again when it is opened: the network may be back)."""
        if again:
            self._failed.pop(url, None)
            self._gone.discard(url)
        if url in self._failed:
            if url in self._gone:
                raise ImageGone(self._failed[url], now=False)
            raise ImageRefused(self._failed[url])
        pending = self._loading.get(url)
        if pending is None:
            pending = asyncio.ensure_future(self._load(url))
            self._loading[url] = pending
            pending.add_done_callback(lambda _done: self._loading.pop(url, None))
        try:
            # Shielded: one caller giving up (an article closed) must not cancel the others.
            return await asyncio.shield(pending)
        except ImageRefused as refused:
            self._failed[url] = str(refused)
            if isinstance(refused, ImageGone):
                self._gone.add(url)
            raise

    async def picture(self, url: str, box_width: int, box_height: int) -> Picture:
        """The image at ``url`` scaled to fit ``box_width`` x ``box_height`` pixels."""
        key = (url, box_width, box_height)
        found = self._pictures.get(key)
        if found is not None:
            self._pictures.move_to_end(key)
            return found
        data = await self.bytes_of(url)
        async with self._decoding:
            try:
                picture = await asyncio.to_thread(decode_picture, data, box_width, box_height)
            except ImageRefused as refused:
                self._failed[url] = str(refused)
                raise
        self._pictures[key] = picture
        while len(self._pictures) > _PICTURES_KEPT:
            self._pictures.popitem(last=False)
        return picture

    async def _load(self, url: str) -> bytes:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise ImageRefused("only http and https images are fetched")
        # Files are read in a thread: a picture is up to 8 MB, on a disk that may be slow.
        if self.kept is not None:
            data = await asyncio.to_thread(self.kept, url)
            if data is not None:
                return data
        if self.cache is not None:
            data = await asyncio.to_thread(self.cache.get, url)
            if data is not None:
                return data
        if self.cache is not None:
            # Gone for good (404, 410) lately: not asked for again, nor said again.
            until = await asyncio.to_thread(self.cache.gone_until, url)
            if until is not None:
                raise ImageGone(_gone_reason(until), now=False)
        if self.offline:
            raise ImageRefused("the image was not kept for offline reading")
        # Made in a thread the first time: a client loads the system's certificates (50-80 ms,
        # which on the screen's loop held every key).
        fetcher = self._fetcher
        if fetcher is None:
            fetcher = await asyncio.to_thread(self._client)
        try:
            response = await fetcher.get(url, accept=_ACCEPT)
        except FetchError as error:
            if error.status in GONE and self.cache is not None:
                await asyncio.to_thread(self.cache.mark_gone, url)
                gone = f"gone ({error.reason}); not asked for again for {REFUSED_FOR_DAYS} days"
                raise ImageGone(gone, now=True) from None
            raise ImageRefused(error.reason) from None
        data = response.content
        # The bytes decide, not the Content-Type (browsers sniff images too); what is not
        # one of the drawn formats is neither kept nor decoded.
        sniff(data)
        if self.cache is not None:
            await asyncio.to_thread(self.cache.put, url, data)
        return data

    def _client(self) -> Fetcher:
        with self._making:  # two pictures' first loads at once make one client
            if self._fetcher is None:
                self._fetcher = Fetcher(
                    max_bytes=self.max_bytes,
                    deadline=self.deadline,
                    per_host=4,
                    retries=1,
                    check_address=self.addresses.check,
                )
            return self._fetcher


def _gone_reason(until: float) -> str:
    import time

    again = time.strftime("%b %-d", time.localtime(until))
    return f"gone from its server; asked for again after {again}"
