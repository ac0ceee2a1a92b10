"""Many images fetched at once, a few at a time: ``reader sync --images`` and bookmarks.

Every image goes through one :class:`~reader.core.image_loader.ImageLoader`, so the byte cap,
the deadline, the private-address check and the sniffing of what came back are the loader's,
the same as for a picture drawn in the article.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from reader.core.image_decode import ImageGone, ImageRefused
from reader.core.image_loader import ImageLoader
from reader.core.records import record

#: Images asked for at once (each host also bounds its own connections).
AT_ONCE = 4

OnImage = Callable[[str, bytes | None], Awaitable[None]]
"""Told of each image as it is had (its bytes) or not (None), in the order they finish."""


@record
class Fetched:
    """What :func:`fetch_each` had of its images."""

    had: int = 0
    failed: int = 0
    """Not had, for a reason that may pass (offline, a 5xx, refused as no picture)."""
    gone_now: tuple[str, ...] = ()
    """Found gone from their servers (404, 410) by this fetch: said once, here."""
    gone_before: tuple[str, ...] = ()
    """Known gone from an earlier try: not asked for again (see ``REFUSED_FOR_DAYS``)."""


async def fetch_each(
    loader: ImageLoader,
    urls: Sequence[str],
    on_image: OnImage,
    *,
    at_once: int = AT_ONCE,
    again: bool = False,
) -> Fetched:
    """Have every image of ``urls`` from ``loader``.

    ``again`` asks again for an image that failed earlier this session (it may have been
    offline then). Bytes are handed to ``on_image`` and not kept here: a whole archive's
    images never sit in memory together.
    """
    slots = asyncio.Semaphore(max(1, at_once))
    had = failed = 0
    gone_now: list[str] = []
    gone_before: list[str] = []

    async def one(url: str) -> None:
        nonlocal had, failed
        async with slots:
            try:
                data: bytes | None = await loader.bytes_of(url, again=again)
            except ImageGone as gone:
                (gone_now if gone.now else gone_before).append(url)
                data = None
            except ImageRefused:
                failed += 1
                data = None
            else:
                had += 1
            await on_image(url, data)

    await asyncio.gather(*(one(url) for url in urls))
    return Fetched(had, failed, tuple(gone_now), tuple(gone_before))
