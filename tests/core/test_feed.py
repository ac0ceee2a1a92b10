"""Feed parsing: WordPress RSS, Atom, hostile text, pages that are not feeds, broken bytes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reader.core.feed import (
    UNTITLED,
    FeedEntry,
    FeedError,
    ParsedFeed,
    parse_feed,
    parse_feed_async,
    require_feed,
)
from reader.core.fetch import Fetcher
from reader.core.text import is_safe
from tests.support import hostile_server as hostile
from tests.support.hostile_server import hostile_server, hostile_server_instance
from tests.support.values import strings

__all__ = ["hostile_server", "hostile_server_instance"]

FEED_URL = "https://example.org/feed/"
RSS = "application/rss+xml; charset=UTF-8"


def rss(items: str, *, channel: str = "<title>T</title><link>https://example.org/</link>") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<rss version="2.0" {hostile.RSS_NAMESPACES}><channel>{channel}{items}</channel></rss>'
    ).encode()


# WordPress RSS


def test_a_wordpress_feed_with_full_content() -> None:
    parsed = parse_feed(
        hostile.wordpress_feed(items=3), url=FEED_URL, headers={"Content-Type": RSS}
    )
    assert parsed.is_feed
    assert parsed.problem == ""
    assert parsed.title == "Stem Cell News"
    assert parsed.link == "https://example.org/"
    assert parsed.subtitle == "News from the lab"
    assert len(parsed.entries) == 3
    first = parsed.entries[0]
    assert first.title == "Organoid study number 1 \u2019s results & more"
    assert first.url == "https://example.org/news/organoid-study-1/"
    assert first.guid == "https://example.org/?p=101"
    assert first.wp_id == 101
    assert first.author == "Dana Writer 1"
    assert first.published == datetime(2025, 9, 2, 17, 30, tzinfo=UTC)
    assert first.published is not None and first.published.tzinfo is not None
    assert first.updated is None
    # "news" repeats "News" (a tag named like a category) and is dropped; order is kept.
    assert first.categories == ("News", "Heart, Lung and Blood")
    assert first.summary_html == "<p>A short excerpt of study 1 [&#8230;]</p>"
    assert first.content_html is not None
    assert "<strong>kidney organoids</strong>" in first.content_html
    # Links inside bodies stay as written: the renderer resolves them against the post URL.
    assert 'href="/news/earlier-study/"' in first.content_html


def test_a_wordpress_feed_with_summaries_only() -> None:
    parsed = parse_feed(hostile.wordpress_feed(items=2, full_content=False), url=FEED_URL)
    assert [entry.content_html for entry in parsed.entries] == [None, None]
    assert parsed.entries[1].summary_html.startswith("<p>A short excerpt of study 2")


def test_the_post_id_may_come_from_the_link() -> None:
    items = (
        "<item><title>A</title><link>https://example.org/?p=55</link>"
        '<guid isPermaLink="false">urn:x:1</guid></item>'
        "<item><title>B</title><link>https://example.org/b/</link></item>"
    )
    first, second = parse_feed(rss(items), url=FEED_URL).entries
    assert (first.guid, first.wp_id) == ("urn:x:1", 55)
    assert (second.guid, second.wp_id) == ("https://example.org/b/", None)


def test_relative_links_resolve_against_the_feed_url() -> None:
    items = "<item><title>A</title><link>../news/a/</link></item>"
    parsed = parse_feed(rss(items, channel="<title>T</title><link>/</link>"), url=FEED_URL)
    assert parsed.link == "https://example.org/"
    assert parsed.entries[0].url == "https://example.org/news/a/"


def test_content_location_is_the_base_when_given() -> None:
    items = "<item><title>A</title><link>a/</link></item>"
    parsed = parse_feed(rss(items), url=FEED_URL, headers={"Content-Location": "/mirror/feed/"})
    assert parsed.entries[0].url == "https://example.org/mirror/feed/a/"


def test_dates_become_aware_utc() -> None:
    items = (
        "<item><title>A</title><link>https://example.org/a/</link>"
        "<pubDate>Tue, 02 Sep 2025 19:30:00 +0200</pubDate></item>"
        "<item><title>B</title><link>https://example.org/b/</link>"
        "<pubDate>not a date at all</pubDate></item>"
    )
    first, second = parse_feed(rss(items), url=FEED_URL).entries
    assert first.published == datetime(2025, 9, 2, 17, 30, tzinfo=UTC)
    assert first.published is not None and first.published.utcoffset() is not None
    assert second.published is None


def test_entries_without_link_or_guid_are_kept_when_titled() -> None:
    items = (
        "<item><title>Only a title</title><pubDate>Tue, 02 Sep 2025 17:30:00 +0000</pubDate>"
        "</item><item><link>https://example.org/untitled/</link></item>"
        "<item><description>no title, no link, no guid</description></item>"
        "<item><pubDate>Tue, 02 Sep 2025 17:30:00 +0000</pubDate></item>"
    )
    parsed = parse_feed(rss(items), url=FEED_URL)
    # The last item has nothing to show and is dropped; a body alone is enough to keep one.
    titled, untitled, body_only = parsed.entries
    assert titled.title == "Only a title"
    assert titled.url == ""
    assert titled.guid.startswith("sha1:")
    # The same entry gets the same guid every time, so a re-sync does not duplicate it.
    assert parse_feed(rss(items), url=FEED_URL).entries[0].guid == titled.guid
    assert untitled.title == UNTITLED
    assert untitled.guid == "https://example.org/untitled/"
    assert body_only.title == UNTITLED
    assert body_only.guid.startswith("sha1:")
    assert body_only.guid != titled.guid


def test_plain_text_summaries_stay_literal() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Lab</title><id>urn:lab</id>
<entry><title type="text">x &lt; y</title><id>urn:1</id><link href="https://example.org/1"/>
<summary type="text">if a &lt; b then &lt;b&gt;</summary></entry></feed>"""
    entry = parse_feed(atom, url=FEED_URL).entries[0]
    assert entry.title == "x < y"
    assert entry.summary_html == "if a &lt; b then &lt;b&gt;"


# Atom


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Lab &amp;amp; Clinic &lt;em&gt;news&lt;/em&gt;</title>
  <subtitle>Updates</subtitle>
  <link href="https://example.org/"/>
  <id>urn:uuid:lab</id>
  <updated>2025-09-03T10:00:00Z</updated>
  <entry>
    <title>Gene therapy trial</title>
    <link rel="alternate" href="https://example.org/2025/09/gene-therapy/"/>
    <id>tag:example.org,2025:post-7</id>
    <published>2025-09-01T08:00:00-07:00</published>
    <updated>2025-09-02T08:00:00Z</updated>
    <author><name>Avery Quill</name></author>
    <category term="Brain"/>
    <category term="Kidney" label="Kidney research"/>
    <summary type="html">&lt;p&gt;Short&lt;/p&gt;</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
      <p>Long <b>body</b></p></div></content>
  </entry>
</feed>"""


def test_an_atom_feed() -> None:
    parsed = parse_feed(ATOM, url="https://example.org/atom.xml")
    assert parsed.is_feed
    assert parsed.title == "Lab & Clinic news"
    assert parsed.subtitle == "Updates"
    assert parsed.link == "https://example.org/"
    (entry,) = parsed.entries
    assert entry.guid == "tag:example.org,2025:post-7"
    assert entry.url == "https://example.org/2025/09/gene-therapy/"
    assert entry.author == "Avery Quill"
    assert entry.published == datetime(2025, 9, 1, 15, 0, tzinfo=UTC)
    assert entry.updated == datetime(2025, 9, 2, 8, 0, tzinfo=UTC)
    assert entry.categories == ("Brain", "Kidney")
    assert entry.summary_html == "<p>Short</p>"
    assert entry.content_html is not None
    assert "<b>body</b>" in entry.content_html
    assert entry.wp_id is None


# Hostile input


def test_the_hostile_feed_leaves_no_unsafe_character_anywhere() -> None:
    parsed = parse_feed(hostile.hostile_feed(), url=FEED_URL, headers={"Content-Type": RSS})
    assert parsed.is_feed
    assert len(parsed.entries) == 2
    for text in strings(parsed):
        assert is_safe(text), repr(text)
        for char in hostile.FORBIDDEN_CHARS:
            assert char not in text, repr(text)


def test_markup_in_the_hostile_feed_is_kept_literally() -> None:
    parsed = parse_feed(hostile.hostile_feed(), url=FEED_URL)
    entry = parsed.entries[0]
    for text in (parsed.title, entry.title, entry.author, entry.categories[0]):
        for markup in hostile.MARKUP:
            assert markup in text, (markup, text)
    assert "[/]" in entry.categories
    assert entry.content_html is not None
    assert "[@click=app.quit]" in entry.content_html


def test_a_javascript_post_link_is_dropped() -> None:
    parsed = parse_feed(hostile.hostile_feed(), url=FEED_URL)
    second = parsed.entries[1]
    assert second.url == ""
    assert "javascript" not in second.guid
    # Controls are stripped out of the first entry's URL, which stays an http(s) URL.
    assert parsed.entries[0].url.startswith("https://example.org/news/")


def test_entities_are_not_expanded_without_bound() -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">'
        for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
    )
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        "<title>&i;</title><item><title>x</title></item></channel></rss>"
    ).encode()
    parsed = parse_feed(doc, url=FEED_URL)
    assert len(parsed.title) < 10_000


def test_external_entities_are_not_read() -> None:
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<rss version="2.0"><channel><title>&x;</title>'
        b"<item><title>t&x;</title></item></channel></rss>"
    )
    parsed = parse_feed(doc, url=FEED_URL)
    assert all("root:" not in text for text in strings(parsed))


def test_bytes_that_name_a_file_are_not_opened() -> None:
    parsed = parse_feed(b"/etc/passwd", url=FEED_URL)
    assert not parsed.is_feed
    assert all("root:" not in text for text in strings(parsed))


# Not feeds, broken feeds


def test_an_html_page_is_not_a_feed() -> None:
    parsed = parse_feed(hostile.HTML_PAGE, url=FEED_URL, headers={"content-type": "text/html"})
    assert not parsed.is_feed
    assert parsed.entries == ()
    assert parsed.problem == "not a feed: looks like an HTML page"
    with pytest.raises(FeedError, match=r"^not a feed: looks like an HTML page$"):
        require_feed(parsed)
    # Without a Content-Type the page itself gives it away.
    assert parse_feed(hostile.HTML_PAGE, url=FEED_URL).problem == parsed.problem


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "not a feed: the response was empty"),
        (b'{"posts": []}', "not a feed: the answer is JSON"),
        (b"\x00\x01\x02 binary", "not a feed: malformed XML: "),
    ],
)
def test_garbage_is_not_a_feed(content: bytes, problem: str) -> None:
    parsed = parse_feed(content, url=FEED_URL)
    assert not parsed.is_feed
    assert parsed.problem.startswith(problem)
    assert "\n" not in parsed.problem
    assert is_safe(parsed.problem)


def test_a_feed_is_returned_by_require_feed() -> None:
    parsed = parse_feed(hostile.wordpress_feed(), url=FEED_URL)
    assert require_feed(parsed) is parsed


def test_an_empty_but_valid_feed_is_a_feed() -> None:
    parsed = parse_feed(rss(""), url=FEED_URL)
    assert parsed.is_feed
    assert parsed.entries == ()


def test_truncated_xml_is_refused_whole() -> None:
    # Half an item parsed "loosely" would overwrite a good stored post, so a cut-off feed is
    # refused with a clear problem rather than partly used.
    whole = hostile.wordpress_feed(items=3)
    cut = whole[: whole.index(b"<item>", whole.index(b"<item>") + 1) + 40]
    parsed = parse_feed(cut, url=FEED_URL, headers={"Content-Type": RSS})
    assert not parsed.is_feed
    assert parsed.problem.startswith("the feed was cut off")
    assert "\n" not in parsed.problem
    assert parsed.entries == ()


@pytest.mark.parametrize(
    "content_type",
    [
        "application/rss+xml; charset=utf-8",
        "application/rss+xml",
        "application/rss+xml; charset=ISO-8859-1",
        "text/xml",
        None,
    ],
)
def test_a_wrong_or_missing_charset_is_decoded_sensibly(content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    parsed = parse_feed(hostile.wrong_charset_feed(), url=FEED_URL, headers=headers)
    assert parsed.is_feed
    (entry,) = parsed.entries
    assert entry.title == hostile.WRONG_CHARSET_TITLE
    assert entry.summary_html == "Déjà vu"


# Async and over the wire


async def test_parse_feed_async_matches_parse_feed() -> None:
    content = hostile.wordpress_feed(items=5)
    threaded = await parse_feed_async(content, url=FEED_URL, headers={"Content-Type": RSS})
    assert threaded == parse_feed(content, url=FEED_URL, headers={"Content-Type": RSS})


@pytest.mark.parametrize(
    ("path", "is_feed"),
    [
        ("/hostile-feed", True),
        ("/wrong-charset", True),
        ("/wrong-charset?declared=none", True),
        ("/truncated-xml", False),
        ("/html", False),
        ("/gzip-feed", True),
    ],
)
async def test_fetched_bytes_and_headers_parse(
    hostile_server: str, path: str, is_feed: bool
) -> None:
    async with Fetcher() as fetcher:
        response = await fetcher.get(hostile_server + path)
    parsed: ParsedFeed = await parse_feed_async(
        response.content, url=response.url, headers=response.headers
    )
    assert parsed.is_feed is is_feed
    assert all(is_safe(text) for text in strings(parsed))
    entries: tuple[FeedEntry, ...] = parsed.entries
    if path.startswith("/wrong-charset"):
        assert entries[0].title == hostile.WRONG_CHARSET_TITLE
    if path == "/gzip-feed":
        assert entries[0].url.startswith(hostile_server + "/news/")
