"""Where a data folder keeps its images, and the images a bookmark keeps for offline reading.

The cache (``<data>/images``) is capped and forgets the least recently used files; a bookmark's
images are copied into ``<data>/bookmark-images``, which is never trimmed, so a bookmarked
article shows its pictures offline however much has been read since. Removing the bookmark
removes its images unless another bookmark shows them too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from reader.core.image_cache import DEFAULT_CAP_BYTES, ImageCache
from reader.core.image_decode import ImageRefused
from reader.core.image_loader import ImageLoader
from reader.core.models import Post
from reader.core.post_images import post_images

CACHE_FOLDER = "images"
KEPT_FOLDER = "bookmark-images"
# Bookmarked images are not trimmed; the cap only stops one absurd file.
_KEPT_CAP = 2**62


def image_cache(folder: Path, cap_bytes: int = DEFAULT_CAP_BYTES) -> ImageCache:
    """The capped image cache of the data folder ``folder``."""
    return ImageCache(folder / CACHE_FOLDER, cap_bytes)


def kept_images(folder: Path) -> ImageCache:
    """The images kept with bookmarks in the data folder ``folder``."""
    return ImageCache(folder / KEPT_FOLDER, _KEPT_CAP)


def loader_for(
    folder: Path,
    *,
    sources: Iterable[str],
    cap_bytes: int = DEFAULT_CAP_BYTES,
    offline: bool = False,
) -> ImageLoader:
    """An image loader reading bookmarks' images, then the cache, then the network.

    ``sources`` are the addresses of the store's sources: only their hosts may serve pictures
    from a private network address.
    """
    kept = kept_images(folder)
    return ImageLoader(
        image_cache(folder, cap_bytes), kept=kept.get, offline=offline, sources=sources
    )


async def keep_bookmark_images(post: Post, loader: ImageLoader, kept: ImageCache) -> int:
    """Copy every image of ``post`` into the bookmarks' folder; returns how many are kept.

    An image that cannot be had (offline, gone, refused) is skipped: the alt text stands in.
    """
    count = 0
    for image in post_images(post):
        if image.url in kept:
            count += 1
            continue
        try:
            data = await loader.bytes_of(image.url)
        except ImageRefused:
            continue
        await asyncio.to_thread(kept.put, image.url, data)
        count += image.url in kept
    return count


def forget_bookmark_images(post: Post, kept: ImageCache, still_kept: Iterable[Post]) -> None:
    """Delete the kept images of ``post`` that no post in ``still_kept`` shows."""
    needed = {image.url for other in still_kept for image in post_images(other)}
    for image in post_images(post):
        if image.url not in needed:
            with contextlib.suppress(OSError):
                os.unlink(kept.path_for(image.url))
