"""A feed's own pictures (Media RSS, thumbnails, image enclosures) become posts' featured images."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.feed import parse_feed
from reader.core.models import IncomingPost, Link, LinkKind, Origin
from reader.core.source import Source
from reader.core.store import Store
from reader.core.text import is_safe
from tests.support.pictures import MEDIA_FEED

FEED = Path(__file__).parents[1] / "support" / "feeds" / "media_rss.xml"
HOST = "http://127.0.0.1:8/"
FEED_URL = HOST + MEDIA_FEED.lstrip("/")


def _pictures() -> dict[str, str]:
    parsed = parse_feed(FEED.read_bytes(), url=FEED_URL, headers={"Content-Type": "text/xml"})
    assert parsed.is_feed and parsed.problem == ""
    return {entry.title: entry.picture for entry in parsed.entries}


def test_each_way_a_feed_names_a_picture_is_read() -> None:
    pictures = _pictures()
    # Of three sizes, the narrowest at least 640 wide: enough for a terminal, no more.
    assert pictures["Sized media content"] == HOST + "good.png?w=700"
    # The video of the group is skipped; its picture is taken.
    assert pictures["Grouped with a video"] == HOST + "good.jpg?grouped"
    # "../../" counts from the post's address (from the feed's it would be /feeds/good.jpg).
    assert pictures["Thumbnail only"] == HOST + "good.jpg?thumb"
    assert pictures["Image enclosure"] == HOST + "good.png?enclosure"


def test_hostile_addresses_are_no_picture() -> None:
    pictures = _pictures()
    assert pictures["Hostile addresses"] == ""
    controls = pictures["Controls in the address"]
    assert controls == HOST + "good.png?31mred"
    assert is_safe(controls)


def test_a_picture_the_body_shows_is_left_in_the_body() -> None:
    assert _pictures()["Already in the body"] == ""


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ('<img src="https://cdn.example.org/up/cells.jpg?w=300">', False),
        ("<img src='/up/cells.jpg'>", False),
        ('<img srcset="/up/cells.jpg 640w, /up/big.jpg 1024w">', False),
        ('<img src="/thumbs/up/cells.jpg">', True),
        ('<img src="/up/cells.jpg.webp">', True),
        ("<p>Files live under /up/cells.jpgs</p>", True),
    ],
)
def test_only_the_same_picture_in_the_body_counts(body: str, kept: bool) -> None:
    feed = (
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><item>'
        "<title>A</title><link>https://example.org/a/</link>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        '<media:content url="https://example.org/up/cells.jpg" medium="image"/>'
        "</item></channel></rss>"
    ).encode()
    [entry] = parse_feed(feed, url="https://example.org/feed/").entries
    assert (entry.picture == "https://example.org/up/cells.jpg") is kept


@pytest.mark.parametrize(
    "raw",
    [
        '<media:content url="javascript:alert(1)" medium="image"/>',
        '<media:thumbnail url=" vbscript:x"/>',
        '<enclosure url="file:///etc/passwd" type="image/png" length="1"/>',
        '<media:content url="https://example.org/a.mp4"/>',
        '<media:content url="https://example.org/a.jpg" medium="video"/>',
        '<enclosure url="https://example.org/a.jpg" type="video/mp4" length="1"/>',
    ],
)
def test_what_is_not_an_http_picture_is_dropped(raw: str) -> None:
    feed = (
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item>'
        f"<title>A</title><link>https://example.org/a/</link>{raw}</item></channel></rss>"
    ).encode()
    [entry] = parse_feed(feed, url="https://example.org/feed/").entries
    assert entry.picture == ""


def test_the_feed_picture_never_replaces_the_rest_apis(tmp_path: Path) -> None:
    source = Source.site("https://example.org/")
    url = "https://example.org/a/"
    rest = Link(LinkKind.FEATURED, "https://example.org/full.png", "Cells")
    thumbnail = Link(LinkKind.FEATURED, "https://example.org/thumb.png", "")
    store = Store.open_in(tmp_path, section_names=("News",))
    try:
        store.upsert_posts(
            [IncomingPost(url=url, title="A", featured_image=thumbnail)], source=source
        )
        [summary] = store.posts_in(None)
        assert store.post(summary.id).link(LinkKind.FEATURED) == thumbnail  # type: ignore[union-attr]
        rest_post = IncomingPost(
            url=url, title="A", content="<p>Body</p>", featured_image=rest, origin=Origin.REST
        )
        store.upsert_posts([rest_post], source=source)
        feed_post = IncomingPost(
            url=url, title="A", content="<p>Body</p>", featured_image=thumbnail
        )
        store.upsert_posts([feed_post], source=source)
        assert store.post(summary.id).link(LinkKind.FEATURED) == rest  # type: ignore[union-attr]
    finally:
        store.close()


def test_the_authors_gravatar_is_not_the_posts_picture() -> None:
    """WordPress names the author's Gravatar as a ``media:content`` picture in every post."""
    feed = (
        b'<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        b"<item><title>A</title><link>https://example.org/a/</link>"
        b'<media:thumbnail url="https://example.org/up/cells.jpg?w=150"/>'
        b'<media:content url="https://0.gravatar.com/avatar/ab12?s=96&#38;d=identicon"'
        b' medium="image"><media:title type="html">ana</media:title></media:content>'
        b'<media:content url="https://example.org/up/cells.jpg" medium="image"/>'
        b"</item><item><title>B</title><link>https://example.org/b/</link>"
        b'<media:content url="https://secure.gravatar.com/avatar/ab12?s=96" medium="image"/>'
        b"</item></channel></rss>"
    )
    pictures = {
        e.title: e.picture for e in parse_feed(feed, url="https://example.org/feed/").entries
    }
    assert pictures == {"A": "https://example.org/up/cells.jpg", "B": ""}


def test_the_pages_featured_image_wins_over_the_feeds_picture(tmp_path: Path) -> None:
    """The article page names its featured image with alt text: a feed's picture (none) gives
    way to it, whichever is read first, and stays while no page names one."""
    source = Source.site("https://example.org/")
    thumbnail = Link(LinkKind.FEATURED, "https://example.org/thumb.png", "")
    page_image = Link(LinkKind.FEATURED, "https://example.org/full.png", "Cells")
    other = Link(LinkKind.INLINE, "https://example.org/b/", "B")
    store = Store.open_in(tmp_path, section_names=("News",))

    def feed_sync() -> None:
        posts = [
            IncomingPost(url=f"https://example.org/{n}/", title=n, featured_image=thumbnail)
            for n in ("a", "b", "c")
        ]
        store.upsert_posts(posts, source=source)

    try:
        feed_sync()
        ids = {s.title: s.id for s in store.posts_in(None)}
        store.save_page(ids["a"], content="<p>A</p>", links=[page_image, other])
        store.save_page(ids["c"], content="<p>C</p>", links=[other])
        feed_sync()
        store.save_page(ids["b"], content="<p>B</p>", links=[page_image])
        featured = {n: store.post(i).link(LinkKind.FEATURED) for n, i in ids.items()}  # type: ignore[union-attr]
        assert featured == {"a": page_image, "b": page_image, "c": thumbnail}
    finally:
        store.close()
