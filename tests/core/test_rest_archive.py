"""Reading a site's archive through the REST API, against the sample server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

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


def test_pages_read_ahead_are_let_go_when_a_batch_cannot_be_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The archive reads ahead; when storing a batch fails, the reading is closed at once (its
    # pages still on their way cancelled), not left running until the generator is collected.
    from reader.core import sync as sync_module
    from reader.core.store import Store

    made: list[Any] = []
    real = wordpress.all_posts

    def recorded(*args: Any, **kwargs: Any) -> Any:
        pages = real(*args, **kwargs)
        made.append(pages)
        return pages

    def refuse(*_: object) -> None:
        raise RuntimeError("the batch cannot be stored")

    monkeypatch.setattr(sync_module.wordpress, "all_posts", recorded)
    monkeypatch.setattr(sync_module, "_store_posts", refuse)
    server = SampleServer(generate_site(POSTS, seed=4))
    store = Store.open_in(tmp_path / "data")
    try:
        with server as url:

            async def read() -> None:
                async with Fetcher(deadline=20) as fetcher:
                    with pytest.raises(RuntimeError):
                        await sync_module.sync(store, fetcher, sync_module.Source.site(url))
                    [pages] = made
                    assert pages.ag_frame is None, "the archive's reading was left open"

            asyncio.run(read())
    finally:
        store.close()


def test_a_posts_own_terms_stand_before_the_known_ones_and_read_cleaned() -> None:
    # Each post names its categories and tags by id; its embedded terms are its own (they
    # win over the lists asked for at the start), the lists fill in the rest, and a term's
    # text is made safe however many posts name it.
    known = {1: ("old", "Old name"), 2: ("two", "Two"), 7: ("seven", "Seven")}
    embedded_terms = [
        [{"id": 1, "slug": "news", "name": "News &amp;  Views\x1b", "taxonomy": "category"}],
        [{"id": 9, "slug": "stem", "name": "stem\tcells", "taxonomy": "post_tag"}],
    ]
    posts = [
        wordpress.post_from_rest(
            {
                "id": n,
                "link": f"https://example.org/{n}/",
                "categories": [1, 2, 3],
                "tags": [9, 7],
                "_embedded": {"wp:term": embedded_terms},
            },
            known,
            known,
        )
        for n in (1, 2)
    ]
    for post in posts:
        assert post is not None
        assert post.categories == (("news", "News & Views"), ("two", "Two"))
        assert post.tags == (("stem", "stem cells"), ("seven", "Seven"))
