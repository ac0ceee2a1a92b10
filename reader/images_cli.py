"""The headless side of images: ``reader show --images`` and ``reader sync --images``.

Kept out of ``cli.py`` so the commands that draw nothing never import the renderer's picture
code; nothing here imports Textual.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from reader.core.image_batch import Fetched
from reader.core.image_decode import ImageRefused
from reader.core.kept_images import loader_for
from reader.core.models import Post
from reader.core.post_images import post_images
from reader.core.store import Store
from reader.render.figures import ImageBoard

#: The most rows a picture takes in ``reader show``.
SHOW_ROWS = 20


def colour_depth(force: bool) -> str | None:
    """The half-block depth for standard output ("truecolor", "256", "16"), or None for none.

    ``force`` draws even when output is not a terminal (``--images`` into a pipe or a file).
    """
    if os.environ.get("NO_COLOR"):
        return None
    from rich.console import Console

    console = Console(force_terminal=force or None, file=sys.stdout)
    if not console.is_terminal:
        return None
    return {"truecolor": "truecolor", "256": "256", "standard": "16", "windows": "16"}.get(
        console.color_system or ""
    )


def picture_board(
    post: Post, folder: Path, width: int, depth: str, *, sources: Sequence[str]
) -> ImageBoard:
    """A board with every picture of ``post`` fetched (or from the cache) and drawn.

    ``sources`` are the store's source addresses (see :func:`loader_for`)."""
    from reader.render.halfblocks import HalfBlocks

    board = ImageBoard(max_rows=SHOW_ROWS)
    images = post_images(post)
    if not images:
        return board

    async def load() -> None:
        loader = loader_for(folder, sources=sources)
        try:
            for image in images:
                try:
                    picture = await loader.picture(image.url, width, SHOW_ROWS * 2)
                except ImageRefused as refused:
                    board.failed[image.url] = str(refused)
                    continue
                board.drawn[image.url] = HalfBlocks(picture, depth)
        finally:
            await loader.aclose()

    asyncio.run(load())
    return board


def sync_images(
    store: Store, folder: Path, progress: Callable[[int, int | None, str], None]
) -> Fetched:
    """Fetch into the cache every image of every stored post."""
    urls: list[str] = []
    seen: set[str] = set()
    for summary in store.posts_in(None):
        post = store.post(summary.id)
        if post is None:
            continue
        for image in post_images(post):
            if image.url not in seen:
                seen.add(image.url)
                urls.append(image.url)

    async def fetch_all() -> Fetched:
        from reader.core.image_batch import fetch_each

        loader = loader_for(folder, sources=store.source_urls())
        done = 0

        async def tick(_url: str, _data: bytes | None) -> None:
            nonlocal done
            done += 1
            progress(done, len(urls), "Fetching images")

        try:
            return await fetch_each(loader, urls, tick)
        finally:
            await loader.aclose()

    return asyncio.run(fetch_all())
