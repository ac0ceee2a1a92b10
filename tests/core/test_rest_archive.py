"""Reading a site's archive through the REST API, against the sample server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time

from reader.core import wordpress
from reader.core.fetch import Fetcher
from reader.core.models import IncomingPost
from reader.sample.generate import generate_site
from reader.sample.server import SampleServer

POSTS = 350


def _page_asked(server: SampleServer, page: int) -> bool:
    return any(f"&page={page}" in target for _, target, _ in list(server.request_log))


def test_the_next_pages_are_asked_for_while_one_is_stored() -> None:
    # The archive is read in order, and the site answers the next pages while the caller is
    # still storing one: fetching a window, then storing it, left one side idle in turn.
    server = SampleServer(generate_site(POSTS, seed=4))
    with server as url:
        seen: list[IncomingPost] = []
        asked_early: list[bool] = []

        async def read() -> None:
            async with Fetcher(deadline=20) as fetcher:
                async for batch in wordpress.all_posts(fetcher, url, {}, {}):
                    if not seen:
                        # Not asking for the next batch: page 2 must come all the same.
                        deadline = time.monotonic() + 10
                        while not _page_asked(server, 2) and time.monotonic() < deadline:
                            await asyncio.sleep(0.01)
                        asked_early.append(_page_asked(server, 2))
                    seen.extend(batch)

        asyncio.run(read())
    assert asked_early == [True]
    newest_first = [p.published for p in seen]
    assert len(seen) == POSTS and newest_first == sorted(newest_first, reverse=True)
    assert len({p.url for p in seen}) == POSTS
