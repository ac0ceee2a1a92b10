"""Where a data folder keeps its images, and the images a bookmark keeps for offline reading.

The cache (``<data>/images``) is capped and forgets the least recently used files; a bookmark's
images are copied into ``<data>/bookmark-images``, which is never trimmed, so a bookmarked
article shows its pictures offline however much has been read since. Every picture of the post
is kept, drawn or not: from the cache when it is there, else fetched. One that cannot be had
(offline) is asked for again when the bookmark is next opened and at the next ``reader sync``.
Removing the bookmark removes its images unless another bookmark shows them too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reader.core.image_batch import fetch_each
from reader.core.image_cache import DEFAULT_CAP_BYTES, ImageCache
from reader.core.image_loader import ImageLoader
from reader.core.models import Post
from reader.core.post_images import post_images
from reader.core.refusals import REFUSED_FOR_DAYS
from reader.core.words import counted

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


@dataclass(frozen=True)
class KeptCount:
    """How many of some posts' images are kept with their bookmarks, and how many are not."""

    kept: int = 0
    missing: int = 0
    """Images that could not be had (offline, refused): the alt text stands in, and they are
    asked for again at the bookmark's next open and at the next ``reader sync``."""
    gone_now: int = 0
    """Images found gone from their servers (404, 410) by this try: said once, now."""
    gone: int = 0
    """Images gone from their servers, found now or before: not asked for again for
    ``REFUSED_FOR_DAYS`` days (the alt text stands in)."""


def images_to_keep(posts: Iterable[Post], kept: ImageCache) -> tuple[list[str], int]:
    """The addresses of the posts' images not kept yet, and how many images they have in all.

    Parses every post's body: called in a thread by the app.
    """
    wanted: list[str] = []
    seen: set[str] = set()
    for post in posts:
        for image in post_images(post):
            if image.url not in seen:
                seen.add(image.url)
                if image.url not in kept:
                    wanted.append(image.url)
    return wanted, len(seen)


async def keep_images_of(
    posts: Sequence[Post], loader: ImageLoader, kept: ImageCache, *, again: bool = True
) -> KeptCount:
    """Copy every image of ``posts`` into the bookmarks' folder, a few at a time.

    Each comes from the cache when it is there (whether or not it was ever drawn), else from
    the network through ``loader``, with its caps and address checks. ``again`` asks for an
    image that failed earlier this session: it may have failed only for being offline.
    """
    wanted, total = await asyncio.to_thread(images_to_keep, posts, kept)
    if not wanted:
        return KeptCount(kept=total)

    async def keep(url: str, data: bytes | None) -> None:
        if data is not None:
            await asyncio.to_thread(kept.put, url, data)

    fetched = await fetch_each(loader, wanted, keep, again=again)
    # Counted on disk, not from the fetches: a full disk keeps nothing however much came.
    still_wanted, _total = await asyncio.to_thread(images_to_keep, posts, kept)
    gone = len(fetched.gone_now) + len(fetched.gone_before)
    return KeptCount(
        kept=total - len(still_wanted),
        missing=max(0, len(still_wanted) - gone),
        gone_now=len(fetched.gone_now),
        gone=gone,
    )


async def keep_bookmark_images(post: Post, loader: ImageLoader, kept: ImageCache) -> KeptCount:
    """Keep every image of the bookmarked ``post`` (see :func:`keep_images_of`)."""
    return await keep_images_of([post], loader, kept)


def missing_note(missing: int) -> str:
    """What to tell the reader when some of a bookmark's pictures could not be kept."""
    return (
        f"{counted(missing, 'picture')} could not be fetched for offline reading;"
        " tried again when the bookmark is opened or at the next sync"
    )


def gone_note(gone: int) -> str:
    """What to tell the reader, once, of pictures found gone from their servers."""
    return (
        f"{counted(gone, 'picture')} gone from {'its server' if gone == 1 else 'their servers'}"
        f" (404/410): not asked for again for {REFUSED_FOR_DAYS} days"
    )


def forget_bookmark_images(post: Post, kept: ImageCache, still_kept: Iterable[Post]) -> None:
    """Delete the kept images of ``post`` that no post in ``still_kept`` shows."""
    needed = {image.url for other in still_kept for image in post_images(other)}
    for image in post_images(post):
        if image.url not in needed:
            with contextlib.suppress(OSError):
                os.unlink(kept.path_for(image.url))
