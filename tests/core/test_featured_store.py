"""The store keeps a post's featured image: the REST API's first, else the page's."""

from __future__ import annotations

from pathlib import Path

from reader.core.models import IncomingPost, Link, LinkKind, Origin
from reader.core.source import Source
from reader.core.store import Store

EXAMPLE = Source.site("https://example.org/")

URL = "https://example.org/2025/03/04/a-post/"
REST = Link(LinkKind.FEATURED, "https://example.org/m.png", "Cells in a dish")
PAGE = Link(LinkKind.FEATURED, "https://example.org/og.png", "")
OLDER = Link(LinkKind.OLDER, "https://example.org/older/", "Older")


def _store(tmp_path: Path) -> Store:
    return Store.open_in(tmp_path, section_names=("News",))


def test_the_rest_image_stays_when_the_page_is_read(tmp_path: Path) -> None:
    store = _store(tmp_path)
    try:
        store.upsert_posts(
            [IncomingPost(url=URL, title="A post", featured_image=REST, origin=Origin.REST)],
            source=EXAMPLE,
        )
        [summary] = store.posts_in(None)
        store.save_page(summary.id, content=None, links=[PAGE, OLDER])
        post = store.post(summary.id)
        assert post is not None
        assert post.links == (REST, OLDER)
        store.save_page(summary.id, content=None, links=[OLDER])
        assert store.post(summary.id).links == (REST, OLDER)  # type: ignore[union-attr]
    finally:
        store.close()


def test_without_rest_the_page_names_the_image_and_may_change_it(tmp_path: Path) -> None:
    store = _store(tmp_path)
    try:
        store.upsert_posts([IncomingPost(url=URL, title="A post")], source=EXAMPLE)
        [summary] = store.posts_in(None)
        store.save_page(summary.id, content=None, links=[PAGE, OLDER])
        assert store.post(summary.id).links == (PAGE, OLDER)  # type: ignore[union-attr]
        other = Link(LinkKind.FEATURED, "https://example.org/new.png", "New")
        store.save_page(summary.id, content=None, links=[other])
        assert store.post(summary.id).links == (other,)  # type: ignore[union-attr]
    finally:
        store.close()
