"""The quick reading of WordPress's plain RSS gives exactly feedparser's records, or declines.

Every document is parsed twice through :func:`parse_feed`: as the reader does (the quick path
where it takes the document) and with the quick path turned off (feedparser for everything).
The two must be equal field for field, on the sample site's feeds, a real WordPress's, and every
document of feedparser's own corpus (when it is beside the checkout).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import httpx
import pytest

from reader.core import feed as feed_module
from reader.core.feed import ParsedFeed, parse_feed
from reader.core.plain_rss import parse_plain_rss
from reader.sample.generate import generate_site
from reader.sample.server import SampleServer
from tests.robustness.test_corpus import FEED_URL, corpus_files, headers_of
from tests.support.sites import ReadSite

RSS = "application/rss+xml; charset=UTF-8"
# Beside the checkout, or beside the folder of worktrees a checkout may live in.
_CORPORA = [Path(__file__).parents[n] / "shared" / "corpus" / "feedparser" for n in (3, 4)]
CORPUS = next((path for path in _CORPORA if path.is_dir()), None)


def _taken(content: bytes, headers: Mapping[str, str], url: str) -> bool:
    lowered = {name.lower(): value for name, value in headers.items()}
    passed = {"content-type": lowered["content-type"]} if "content-type" in lowered else {}
    return parse_plain_rss(content, passed, url) is not None


def _both_ways(
    monkeypatch: pytest.MonkeyPatch, content: bytes, headers: Mapping[str, str], url: str
) -> tuple[ParsedFeed, ParsedFeed]:
    quick = parse_feed(content, url=url, headers=headers)
    with monkeypatch.context() as patch:
        patch.setattr(feed_module, "parse_plain_rss", lambda *_: None)
        slow = parse_feed(content, url=url, headers=headers)
    return quick, slow


def test_every_page_of_the_sample_sites_feeds_is_taken_and_read_as_feedparser_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with SampleServer(generate_site(120, seed=11), rest_api=False) as url, httpx.Client() as web:
        targets = [f"{url}feed/", f"{url}feed/?paged=2", f"{url}category/news/feed/"]
        targets += [f"{url}feed/?paged={n}" for n in range(3, 13)]
        for target in targets:
            answer = web.get(target)
            assert answer.status_code == 200, target
            headers = dict(answer.headers)
            assert _taken(answer.content, headers, target), target
            quick, slow = _both_ways(monkeypatch, answer.content, headers, target)
            assert quick.entries, target
            assert quick == slow, target


def test_a_real_wordpress_feed_reads_as_feedparser_reads_it(
    read_site: ReadSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = 0
    with httpx.Client(follow_redirects=True) as web:
        for target in (f"{read_site.url}feed/", f"{read_site.url}feed/?paged=2"):
            answer = web.get(target)
            assert answer.status_code == 200, target
            headers = dict(answer.headers)
            taken += _taken(answer.content, headers, target)
            quick, slow = _both_ways(monkeypatch, answer.content, headers, target)
            assert quick.entries and quick == slow, target
    assert taken == 2, f"{read_site.name}: the quick path declined its feeds"


@pytest.mark.skipif(CORPUS is None, reason="no feedparser corpus beside the checkout")
def test_every_corpus_document_reads_as_feedparser_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each document under the headers it asks for, and again served as UTF-8 RSS, under which
    # the quick path takes far more of them (every one it takes must come out the same).
    assert CORPUS is not None
    monkeypatch.setattr("tests.robustness.test_corpus.CORPUS", CORPUS)
    taken = 0
    files = corpus_files()
    assert len(files) > 2000
    for path in files:
        content = path.read_bytes()
        for headers in (headers_of(content), {"content-type": RSS}):
            taken += _taken(content, headers, FEED_URL)
            quick, slow = _both_ways(monkeypatch, content, headers, FEED_URL)
            assert quick == slow, f"{path.relative_to(CORPUS)} under {headers}"
    assert taken >= 150


_ITEM = """<item><title>{title}</title><link>{link}</link>
<dc:creator><![CDATA[Ada]]></dc:creator><pubDate>{date}</pubDate>
<category><![CDATA[News]]></category><guid isPermaLink="{permalink}">https://example.org/?p=7</guid>
<description><![CDATA[<p>Short.</p>]]></description>{extra}</item>"""
_NEXT_AND_HUB = (
    '<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="next" href="/feed/?paged=2"/>'
    '<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" href="https://hub.example/"/>'
)
_FEED = """<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Site</title><link>https://example.org/</link>
<description>About</description>{channel}{item}</channel></rss>"""


_PICTURE = (
    '<media:content url="https://example.org/small.jpg" medium="image" width="300">'
    "<media:description>The small copy</media:description></media:content>"
    '<media:content url="https://example.org/a.jpg" medium="image" width="700">'
    "<media:title>{text}</media:title></media:content>"
)
_THUMBNAIL = (
    '<media:thumbnail url="https://example.org/t.jpg"/><media:title>Cells</media:title>'
    "<media:description>Cells, stained</media:description>"
)
_GROUP = '<media:group><media:content url="https://example.org/a.jpg"/></media:group>'


def _document(**changes: str) -> bytes:
    item = {"title": "A post", "date": "Sat, 08 Aug 2026 21:03:00 +0000", "permalink": "false"}
    item["link"] = "https://example.org/a/"
    item["extra"] = changes.pop("extra", "")
    item.update({k: changes.pop(k) for k in list(changes) if k in item})
    fields = {"encoding": "UTF-8", "channel": ""} | changes
    return _FEED.format(item=_ITEM.format(**item), **fields).encode("utf-8")


@pytest.mark.parametrize(
    ("why", "changes"),
    [
        ("a title feedparser may judge HTML", {"title": "Fish &amp;amp; chips"}),
        ("a closing tag in the title", {"title": "&lt;b&gt;A&lt;/b&gt;"}),
        ("a permalink guid", {"permalink": "true"}),
        ("a date in another form", {"date": "2026-08-08T21:03:00Z"}),
        ("a date that cannot be", {"date": "Sat, 31 Feb 2026 21:03:00 +0000"}),
        ("a group of pictures", {"extra": _GROUP}),
        (
            "markup in a picture's caption",
            {"extra": _PICTURE.format(text="A &lt;b&gt;red&lt;/b&gt;")},
        ),
        (
            "a caption of a kind",
            {
                "extra": _PICTURE.format(text="").replace(
                    "<media:title>", '<media:title type="html">'
                )
            },
        ),
        ("a second title", {"extra": "<title>Another</title>"}),
        ("a C1 control", {"title": "A\u0085post"}),
        ("a channel image", {"channel": "<image><url>https://example.org/i.png</url></image>"}),
        ("another encoding", {"encoding": "ISO-8859-1"}),
        ("markup inside a field", {"title": "A <b>post</b>"}),
        # Resolved against the feed, an empty link would be the feed's own address: every
        # post without one would be stored as the same post.
        ("an empty link", {"link": ""}),
        ("a link of spaces", {"link": "  "}),
    ],
)
def test_what_it_declines_feedparser_reads(
    why: str, changes: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _document()
    assert _taken(plain, {"Content-Type": RSS}, FEED_URL), "the plain document itself"
    content = _document(**changes)
    assert not _taken(content, {"Content-Type": RSS}, FEED_URL), why
    quick, slow = _both_ways(monkeypatch, content, {"Content-Type": RSS}, FEED_URL)
    assert quick == slow, why


def test_it_declines_a_type_or_charset_feedparser_reads_otherwise() -> None:
    plain = _document()
    assert not _taken(plain, {"Content-Type": "text/xml"}, FEED_URL)  # US-ASCII to feedparser
    assert not _taken(plain, {"Content-Type": "text/html"}, FEED_URL)
    assert not _taken(plain, {"Content-Type": "application/rss+xml; charset=latin-1"}, FEED_URL)
    assert _taken(plain, {"Content-Type": "text/xml; charset=utf-8"}, FEED_URL)
    assert _taken(plain, {"Content-Type": "application/xml"}, FEED_URL)


@pytest.mark.parametrize(
    ("what", "changes"),
    [
        ("UTF-8 read as Latin-1 once (feedparser repairs it)", {"title": "CafÃ© open"}),
        ("Latin-1 text that is not such", {"title": "Café open"}),
        ("spaces around a field", {"title": "\n  A post \t"}),
        ("a comment inside a field", {"title": "A <!-- x --> post"}),
        ("a category twice, and an empty one", {"extra": "<category>News</category><category/>"}),
        ("the next page and a hub", {"channel": _NEXT_AND_HUB}),
        ("a generator", {"channel": "<generator>https://wordpress.org/?v=6.8</generator>"}),
        ("no declaration of the encoding", {"encoding": "utf-8"}),
        ("a picture", {"extra": '<media:content url="https://example.org/a.jpg"/>'}),
        ("a picture with a caption", {"extra": _PICTURE.format(text="Red cells")}),
        ("a thumbnail and the item's caption", {"extra": _THUMBNAIL}),
    ],
)
def test_what_it_takes_reads_as_feedparser_reads_it(
    what: str, changes: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _document(**changes)
    assert _taken(content, {"Content-Type": RSS}, FEED_URL), what
    quick, slow = _both_ways(monkeypatch, content, {"Content-Type": RSS}, FEED_URL)
    assert quick == slow, what
    assert quick.entries[0].url == "https://example.org/a/"


@pytest.mark.parametrize("doctype", ["<!DOCTYPE rss>", "<!doctype rss>", "<!DocType rss>"])
def test_a_doctype_in_any_case_is_declined(doctype: str) -> None:
    declaration, rest = _document().decode("utf-8").split("?>", 1)
    content = f"{declaration}?>{doctype}{rest}".encode()
    assert not _taken(content, {"Content-Type": RSS}, FEED_URL)


def test_a_base_urlsplit_refuses_is_declined(monkeypatch: pytest.MonkeyPatch) -> None:
    # feedparser's urljoin raises on it, and each link becomes "".
    assert not _taken(_document(), {"Content-Type": RSS}, "http://[example.org/feed/")


def test_a_document_in_utf_16_without_a_byte_order_mark_is_declined() -> None:
    # Its doctype cannot be seen by a search for UTF-8 bytes, and expat would read it as
    # UTF-16 by itself, expanding the document's own entities; feedparser refuses it.
    content = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY who "Mallory">]>'
        + _document(title="Hi &who;").decode("utf-8").split("?>", 1)[1]
    ).encode("utf-16-le")
    assert not _taken(content, {"Content-Type": "application/rss+xml"}, FEED_URL)


@pytest.mark.parametrize(
    ("extra", "alt"),
    [
        # The picture's own title, not another size's description.
        (_PICTURE.format(text="Red cells"), "Red cells"),
        # Its own says nothing: what the item's media say as a whole.
        (_PICTURE.format(text=""), "The small copy"),
        (_THUMBNAIL, "Cells, stained"),
    ],
)
def test_a_pictures_caption_is_read_as_feedparser_reads_it(
    extra: str, alt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = _document(extra=extra)
    assert _taken(content, {"Content-Type": RSS}, FEED_URL)
    quick, slow = _both_ways(monkeypatch, content, {"Content-Type": RSS}, FEED_URL)
    assert quick == slow
    assert quick.entries[0].picture_alt == alt
    assert quick.entries[0].summary_html == "<p>Short.</p>"
