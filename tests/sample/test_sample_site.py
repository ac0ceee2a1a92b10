"""The bundled sample site, over real HTTP on loopback: feeds, REST, pages, validators."""

from __future__ import annotations

import gzip
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode

from reader.sample import markup
from reader.sample.content import sample_site
from reader.sample.generate import generate_site
from reader.sample.server import SampleServer
from reader.sample.site import SamplePost, Site

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def shared() -> Iterator[tuple[SampleServer, httpx.Client]]:
    """One server for the tests that only read."""
    server = SampleServer()
    with server as url, httpx.Client(base_url=url, timeout=10) as client:
        yield server, client
    assert server.errors == []


@pytest.fixture
def own() -> Iterator[tuple[SampleServer, httpx.Client]]:
    """A server of one's own, for tests that change the site."""
    server = SampleServer()
    with server as url, httpx.Client(base_url=url, timeout=10) as client:
        yield server, client
    assert server.errors == []


def feed_pages(client: httpx.Client, path: str = "/feed/") -> list[httpx.Response]:
    """Every page of a feed, up to (and not including) the 404 past its end."""
    replies: list[httpx.Response] = []
    for page in range(1, 30):
        reply = client.get(path, params={"paged": page} if page > 1 else None)
        if reply.status_code == 404:
            return replies
        assert reply.status_code == 200
        replies.append(reply)
    raise AssertionError("the feed never ended")


def one(scope: HTMLParser | LexborNode, selector: str) -> LexborNode:
    """The first node matching ``selector``, which must exist."""
    node = scope.css_first(selector)
    assert node is not None, selector
    return node


def attr(scope: HTMLParser | LexborNode, selector: str, name: str = "href") -> str:
    """An attribute of the first node matching ``selector``; both must exist."""
    value = one(scope, selector).attributes.get(name)
    assert value is not None, (selector, name)
    return value


def page_of(client: httpx.Client, server: SampleServer, post: SamplePost) -> HTMLParser:
    reply = client.get(server.url_for(post.path))
    assert reply.status_code == 200
    return HTMLParser(reply.text)


# -- the content ---------------------------------------------------------------------------


def test_site_has_enough_posts_over_two_years() -> None:
    site = sample_site()
    posts = site.posts()
    assert len(posts) >= 44
    assert posts[0].published - posts[-1].published >= timedelta(days=730)
    assert len({post.author for post in posts}) >= 6
    assert {post.section for post in posts} == {
        "news",
        "events",
        "videos",
        "impact-reports-and-newsletters",
    }
    assert len({topic for post in posts for topic in post.topics}) >= 6
    assert all(1 <= len(post.topics) <= 2 for post in posts)
    assert any(post.tags for post in posts)
    excerpt_only = sum(post.excerpt_only for post in posts)
    assert 0.2 <= excerpt_only / len(posts) <= 0.33
    assert len({post.slug for post in posts}) == len(posts)
    for post in posts:
        related = site.read_this_next(post)
        assert related is not None and set(related.topics) & set(post.topics), post.slug


def test_titles_and_bodies_carry_what_the_live_site_carries() -> None:
    site = sample_site()
    titles = " ".join(post.rendered_title for post in site.posts())
    for piece in ("&#8217;", "&#038;", "&#8220;", "é", "ü", "–", "—", "“", "µm"):
        assert piece in titles, piece
    bodies = " ".join(post.body for post in site.posts())
    for piece in (
        "<h2",
        "<h3",
        "<strong>",
        "<em>",
        '<ol class="wp-block-list">',
        '<figure class="wp-block-pullquote"><blockquote>',
        '<figure class="wp-block-image',
        "<figcaption",
        '<figure class="wp-block-table"><table',
        "<thead>",
        "<tbody>",
        '<figure class="wp-block-embed is-type-video',
        'src="https://www.youtube.com/embed/',
        'href="https://example.org/',
        'href="mailto:',
        'href="javascript:',
        'href="{site}/?p=',
        'href="../',
        "±",
    ):
        assert piece in bodies, piece
    # A list inside a list item.
    assert "</li>\n</ul>\n</li>" in bodies
    for post in site.posts():
        assert "[[" not in post.body and "]]" not in post.body
        if post.section == "videos":
            assert "youtube.com/embed/" in post.body
        if post.section == "events":
            assert "When:" in post.body or "Seminars are on" in post.body


def test_every_form_of_internal_link_appears() -> None:
    hrefs = [
        href
        for post in sample_site().posts()
        for href in (
            node.attributes.get("href") or "" for node in HTMLParser(post.body).css("a[href]")
        )
    ]
    permalinks = [href for href in hrefs if href.count("/") >= 4 and "example.org" not in href]
    assert any(h.startswith("{site}/20") and h.endswith("/") for h in permalinks)
    assert any(h.startswith("{site}/20") and not h.endswith("/") for h in permalinks)
    assert any(h.startswith("/20") and h.endswith("/") for h in permalinks)
    assert any(h.startswith("/20") and not h.endswith("/") for h in permalinks)
    assert any(h.startswith("../") for h in permalinks)
    assert any(h.startswith("{site}/?p=") for h in hrefs)


def test_build_builds_a_fresh_site_each_time() -> None:
    first, second = sample_site(), sample_site()
    first.remove_post(first.posts()[0].id)
    assert len(second.posts()) == len(first.posts()) + 1


# -- the feed ------------------------------------------------------------------------------


def test_feed_pages_newest_first_and_404_past_the_end(
    shared: tuple[SampleServer, httpx.Client],
) -> None:
    server, client = shared
    replies = feed_pages(client)
    total = len(server.site.posts())
    assert len(replies) == -(-total // 10)
    guids = []
    for reply in replies:
        parsed = feedparser.parse(reply.content)
        guids += [entry.id for entry in parsed.entries]
    assert len(guids) == total == len(set(guids))
    assert guids == [server.url + f"?p={post.id}" for post in server.site.posts()]
    assert client.get("/feed/", params={"paged": len(replies) + 1}).status_code == 404


def test_feedparser_reads_items_like_wordpress_ones(
    shared: tuple[SampleServer, httpx.Client],
) -> None:
    server, client = shared
    site = server.site
    for reply in feed_pages(client):
        assert reply.headers["content-type"].startswith("application/rss+xml")
        parsed = feedparser.parse(reply.content)
        assert not parsed.bozo
        assert parsed.feed.title == "USC Stem Cell (sample)"
        assert parsed.feed.language == "en-US"
        for entry in parsed.entries:
            post = site.post(int(entry.id.rsplit("=", 1)[1]))
            assert post is not None
            assert entry.link == server.url_for(post.path)
            assert entry.title == markup.plain_text(post.rendered_title)
            assert entry.author == site.author_of(post).name
            assert entry.published_parsed[:5] == post.published.timetuple()[:5]
            categories, tags = site.post_terms(post)
            # WordPress decodes names for its feeds ("Eye & Vision" inside CDATA); REST keeps
            # them as stored ("Eye &amp; Vision").
            terms = (*categories, *tags)
            assert {tag.term for tag in entry.tags} == {term.plain_name for term in terms}
            # The excerpt is HTML, so feedparser leaves WordPress's entity as it is.
            assert entry.summary.endswith("[&#8230;]")
            if post.excerpt_only:
                assert "content" not in entry
            else:
                assert entry.content[0].value.startswith("<")
    raw = client.get("/feed/").text
    assert "xmlns:content=" in raw and 'isPermaLink="false"' in raw
    assert '<atom:link href="' + server.url + 'feed/" rel="self"' in raw


def test_category_and_tag_feeds_filter(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    events = [
        e
        for r in feed_pages(client, "/category/events/feed/")
        for e in feedparser.parse(r.content).entries
    ]
    assert events and all("Events" in {t.term for t in e.tags} for e in events)
    events_term = server.site.term("events")
    assert events_term is not None
    assert len(events) == len(server.site.posts_in(events_term))
    fish = feedparser.parse(client.get("/tag/zebrafish/feed/").content).entries
    assert fish and all("zebrafish" in {t.term for t in e.tags} for e in fish)
    assert client.get("/category/no-such-thing/feed/").status_code == 404
    assert client.get("/author/mara-okafor/feed/").status_code == 200


def test_html_listing_pages(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    for path in ("/", "/category/news/", "/tag/organoids/", "/author/mara-okafor/", "/page/2/"):
        reply = client.get(path)
        assert reply.status_code == 200, path
        links = HTMLParser(reply.text).css("main .entry-title a")
        assert links, path
        assert all((a.attributes.get("href") or "").startswith(server.url) for a in links)
    assert client.get("/category/news").status_code == 200
    assert client.get("/category/news/page/40/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404
    assert "Page not found" in client.get("/nothing-here").text


# -- REST ----------------------------------------------------------------------------------


def test_rest_paging_headers_and_errors(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    total = len(server.site.posts())
    reply = client.get("/wp-json/wp/v2/posts")
    assert reply.status_code == 200
    assert reply.headers["X-WP-Total"] == str(total)
    assert reply.headers["X-WP-TotalPages"] == str(-(-total // 10))
    assert len(reply.json()) == 10
    last = client.get("/wp-json/wp/v2/posts", params={"page": -(-total // 10)})
    assert len(last.json()) == total - 10 * (-(-total // 10) - 1)
    past = client.get("/wp-json/wp/v2/posts", params={"page": -(-total // 10) + 1})
    assert past.status_code == 400
    assert past.json()["code"] == "rest_post_invalid_page_number"
    too_many = client.get("/wp-json/wp/v2/posts", params={"per_page": 101})
    assert too_many.status_code == 400
    assert too_many.json()["code"] == "rest_invalid_param"
    everything = client.get("/wp-json/wp/v2/posts", params={"per_page": 100})
    assert len(everything.json()) == total
    assert everything.headers["X-WP-TotalPages"] == "1"
    assert client.get("/wp-json/wp/v2/nothing").json()["code"] == "rest_no_route"
    index = client.get("/wp-json/").json()
    assert index["namespaces"] == ["wp/v2"]
    assert client.get("/", params={"rest_route": "/wp/v2/posts"}).status_code == 200


def test_rest_posts_have_wordpress_shapes(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    site = server.site
    posts = client.get("/wp-json/wp/v2/posts", params={"_embed": "", "per_page": 100}).json()
    assert "\\/" in client.get("/wp-json/wp/v2/posts", params={"per_page": 1}).text
    for data in posts:
        post = site.post(data["id"])
        assert post is not None
        for key in ("date", "date_gmt", "modified", "modified_gmt", "slug", "status", "type"):
            assert key in data
        assert data["link"] == server.url_for(post.path)
        assert data["title"]["rendered"] == post.rendered_title
        assert data["content"] == {"rendered": data["content"]["rendered"], "protected": False}
        assert "{site}" not in data["content"]["rendered"]
        assert markup.word_count(data["content"]["rendered"]) == markup.word_count(post.body)
        assert data["excerpt"]["rendered"].startswith("<p>")
        embedded = data["_embedded"]
        assert embedded["author"][0]["name"] == site.author_of(post).name
        categories, tags = embedded["wp:term"]
        assert [term["id"] for term in categories] == data["categories"]
        assert [term["id"] for term in tags] == data["tags"]
        assert all(term["taxonomy"] == "category" for term in categories)
        assert all(term["taxonomy"] == "post_tag" for term in tags)
        assert {"id", "name", "slug", "taxonomy", "link"} <= set(categories[0])
        if data["featured_media"]:
            media = embedded["wp:featuredmedia"][0]
            assert media["id"] == data["featured_media"]
            assert client.get(media["source_url"]).headers["content-type"] == "image/png"
        else:
            assert "wp:featuredmedia" not in embedded
    assert any(data["featured_media"] for data in posts)


def test_rest_filters(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    site = server.site

    def ids(**params: str | int) -> list[int]:
        reply = client.get("/wp-json/wp/v2/posts", params={"per_page": 100, **params})
        assert reply.status_code == 200, reply.text
        return [item["id"] for item in reply.json()]

    target = site.posts()[7]
    assert ids(slug=target.slug) == [target.id]
    events = site.term("events")
    assert events is not None
    assert ids(categories=events.id) == [post.id for post in site.posts_in(events)]
    crispr = site.term("crispr", "post_tag")
    assert crispr is not None
    assert ids(tags=crispr.id) == [post.id for post in site.posts_in(crispr)]
    assert ids(include=f"{target.id},{site.posts()[0].id}") == [site.posts()[0].id, target.id]
    assert ids(order="asc") == [post.id for post in reversed(site.posts())]
    assert ids(search="zebrafish heart")
    assert ids(after="2026-01-01T00:00:00") == [
        post.id for post in site.posts() if post.published.year >= 2026
    ]
    fields = client.get("/wp-json/wp/v2/posts", params={"_fields": "id,slug"}).json()
    assert set(fields[0]) == {"id", "slug"}
    assert client.get(f"/wp-json/wp/v2/posts/{target.id}").json()["slug"] == target.slug
    assert client.get("/wp-json/wp/v2/posts/1").status_code == 404


def test_rest_categories_and_tags(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    site = server.site
    reply = client.get("/wp-json/wp/v2/categories", params={"per_page": 100})
    categories = reply.json()
    assert reply.headers["X-WP-Total"] == str(len(categories))
    by_slug = {item["slug"]: item for item in categories}
    for slug in ("news", "events", "videos", "impact-reports-and-newsletters", "cancer", "brain"):
        assert slug in by_slug
        term = site.term(slug)
        assert term is not None
        assert by_slug[slug]["count"] == len(site.posts_in(term))
        assert by_slug[slug]["taxonomy"] == "category"
        assert by_slug[slug]["link"] == server.url_for(term.path)
    assert by_slug["eye-and-vision"]["name"] == "Eye &amp; Vision"
    assert by_slug["heart-lung-and-blood"]["name"] == "Heart, Lung and Blood"
    assert [item["name"] for item in categories] == sorted(
        (item["name"] for item in categories), key=str.lower
    )
    paged = client.get("/wp-json/wp/v2/categories", params={"per_page": 5, "page": 2})
    assert paged.headers["X-WP-TotalPages"] == str(-(-len(categories) // 5))
    assert len(paged.json()) == 5
    tags = client.get("/wp-json/wp/v2/tags", params={"per_page": 100}).json()
    assert {"organoids", "crispr", "zebrafish", "grants", "awards", "alumni"} <= {
        tag["slug"] for tag in tags
    }
    assert all("parent" not in tag and tag["taxonomy"] == "post_tag" for tag in tags)
    assert client.get("/wp-json/wp/v2/users").json()[0]["name"]


# -- pages ---------------------------------------------------------------------------------


def test_article_page_has_what_the_reader_extracts(
    shared: tuple[SampleServer, httpx.Client],
) -> None:
    server, client = shared
    site = server.site
    post = site.post_by_slug("a-new-microscope-sees-retinal-organoids-at-half-a-micron")
    assert post is not None
    tree = page_of(client, server, post)
    assert attr(tree, 'link[rel="https://api.w.org/"]') == (server.url + "wp-json/")
    shortlink = attr(tree, 'link[rel="shortlink"]')
    assert shortlink == server.url + f"?p={post.id}"
    article = one(tree, f"article#post-{post.id}")
    assert article is not None and "post" in (article.attributes.get("class") or "").split()
    assert one(article, "h1.entry-title").text() == markup.plain_text(post.rendered_title)
    author = one(article, ".byline a[rel=author]")
    assert author.text() == "Priya Vaidyanathan"
    assert author.attributes["href"] == server.url + "author/priya-vaidyanathan/"
    published = one(article, "time.published")
    assert published.attributes["datetime"] == "2025-09-03T10:00:00+00:00"
    assert published.text() == "September 3, 2025"
    assert attr(article, "time.updated", "datetime").startswith("2025-09-05")
    assert one(article, ".reading-time").text() == f"Reading Time {post.reading_minutes} minute"
    related = site.read_this_next(post)
    assert related is not None and set(related.topics) & set(post.topics)
    box = one(article, "aside.read-this-next")
    assert attr(box, ".read-this-next-title a") == server.url_for(related.path)
    assert one(box, ".read-this-next-caption").text()
    content = one(article, ".entry-content")
    assert content.css_first("table thead") is not None
    assert "light-sheet" in content.text()
    topics = [a.text() for a in article.css('a[rel~="category"]')]
    assert topics == ["Eye & Vision", "News"]
    assert [a.text() for a in article.css('a[rel="tag"]')] == ["organoids"]
    assert "Read more about:" in one(article, ".cat-links").text()
    navigation = one(tree, "nav.post-navigation")
    older, newer = site.older(post), site.newer(post)
    assert older is not None and newer is not None
    assert attr(navigation, "a[rel=prev]") == server.url_for(older.path)
    assert attr(navigation, "a[rel=next]") == server.url_for(newer.path)
    assert one(navigation, "a[rel=prev] .post-title").text() == markup.plain_text(
        older.rendered_title
    )
    # Noise the extractor must ignore is there too.
    assert tree.css("script") and tree.css("style") and tree.css("#secondary a")
    assert "News & Events" in one(tree, "#site-navigation").text()


def test_oldest_has_no_prev_and_newest_no_next(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    posts = server.site.posts()
    newest, oldest = page_of(client, server, posts[0]), page_of(client, server, posts[-1])
    assert newest.css_first("nav.post-navigation a[rel=next]") is None
    assert newest.css_first("nav.post-navigation a[rel=prev]") is not None
    assert oldest.css_first("nav.post-navigation a[rel=prev]") is None
    assert oldest.css_first("nav.post-navigation a[rel=next]") is not None


def test_long_report_is_over_5000_words(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    report = server.site.post_by_slug("2024-impact-report-ten-years-of-building-tissue")
    assert report is not None
    tree = page_of(client, server, report)
    content = one(tree, ".entry-content")
    words = [word for word in content.text(separator=" ").split() if any(c.isalnum() for c in word)]
    assert len(words) > 5000
    assert len(content.css("h2")) >= 8 and len(content.css("h3")) >= 5
    minutes = int(one(tree, ".reading-time").text().split()[2])
    assert minutes == -(-markup.word_count(report.body) // 200) >= 25


def test_every_internal_link_leads_somewhere(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    checked: set[str] = set()
    for post in server.site.posts():
        page_url = server.url_for(post.path)
        tree = HTMLParser(client.get(page_url).text)
        for node in tree.css(".entry-content a[href]"):
            url = urljoin(page_url, node.attributes.get("href") or "")
            if urlsplit(url).netloc != urlsplit(server.url).netloc or url in checked:
                continue
            checked.add(url)
            reply = client.get(url, follow_redirects=True)
            assert reply.status_code == 200, (post.slug, url)
    assert len(checked) > 40


def test_shortlink_redirects_to_the_permalink(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    post = server.site.posts()[3]
    reply = client.get("/", params={"p": post.id})
    assert reply.status_code == 301
    assert reply.headers["location"] == server.url_for(post.path)
    assert client.get("/", params={"p": post.id}, follow_redirects=True).status_code == 200
    assert client.get("/", params={"p": 99999}).status_code == 404
    bare = client.get(server.url_for(post.path).rstrip("/"))
    assert bare.status_code == 200 and f"post-{post.id}" in bare.text


def test_placeholders_are_replaced_everywhere(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    addresses = ["/", "/feed/", "/feed/?paged=2", "/category/videos/", "/wp-json/wp/v2/posts"]
    addresses += [server.url_for(post.path) for post in server.site.posts()[:12]]
    for address in addresses:
        text = client.get(address).text
        assert "{site}" not in text and "[[" not in text, address
        assert server.base in text.replace("\\/", "/"), address


# -- HTTP behaviour ------------------------------------------------------------------------


def test_etag_and_if_modified_since_give_304(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    # Not REST: WordPress sends its answers without validators, and never a 304.
    rest = client.get("/wp-json/wp/v2/posts")
    assert "etag" not in rest.headers and "last-modified" not in rest.headers
    assert client.get("/wp-json/wp/v2/posts", headers={"If-None-Match": "*"}).status_code == 200
    for address in ("/feed/", server.url_for(server.site.posts()[2].path)):
        first = client.get(address)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert etag.startswith('"') and not etag.startswith("W/")
        again = client.get(address, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        since = client.get(address, headers={"If-Modified-Since": modified})
        assert since.status_code == 304
        earlier = format_datetime(parsedate_to_datetime(modified) - timedelta(seconds=1), True)
        assert client.get(address, headers={"If-Modified-Since": earlier}).status_code == 200
        assert client.get(address, headers={"If-None-Match": '"other"'}).status_code == 200


def test_gzip_when_asked_and_only_then(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    with httpx.stream("GET", server.url + "feed/", headers={"Accept-Encoding": "gzip"}) as reply:
        raw = b"".join(reply.iter_raw())
        assert reply.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw).startswith(b"<?xml")
    plain = client.get("/feed/", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content.startswith(b"<?xml")
    assert plain.headers["etag"] == reply.headers["etag"]


def test_a_compressed_answer_is_kept_and_follows_the_site(
    own: tuple[SampleServer, httpx.Client],
) -> None:
    # The server keeps what it compressed under the answer's ETag: the same answer is the same
    # bytes again, and an answer that changed with the site is compressed anew.
    server, _ = own

    def feed() -> tuple[str, bytes]:
        with httpx.stream("GET", server.url + "feed/", headers={"Accept-Encoding": "gzip"}) as r:
            return r.headers["etag"], b"".join(r.iter_raw())

    etag, first = feed()
    assert feed() == (etag, first)
    server.site.add_post("A kept answer gives way", section="news")
    changed_etag, changed = feed()
    assert changed_etag != etag
    assert b"A kept answer gives way" in gzip.decompress(changed)
    assert b"A kept answer gives way" not in gzip.decompress(first)


def test_an_answer_is_rendered_once_until_the_site_changes(
    own: tuple[SampleServer, httpx.Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.sample import routes

    server, client = own
    rendered: list[str] = []
    real = routes.answer

    def counted(site: object, target: str, **kw: bool) -> object:
        rendered.append(target)
        return real(site, target, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(routes, "answer", counted)
    first = client.get("/feed/")
    assert client.get("/feed/").content == first.content
    assert rendered == ["/feed/"]
    newest = server.site.posts()[0]
    server.site.touch_post(newest.id, title="Renamed while served")
    assert b"Renamed while served" in client.get("/feed/").content
    server.site.title = "Another title"
    assert b"Another title" in client.get("/feed/").content
    assert rendered == ["/feed/"] * 3


def test_head_and_other_methods(shared: tuple[SampleServer, httpx.Client]) -> None:
    server, client = shared
    head = client.head("/feed/", headers={"Accept-Encoding": "identity"})
    get = client.get("/feed/", headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-length"] == str(len(get.content))
    assert client.post("/feed/").status_code == 405
    assert ("HEAD", "/feed/", 200) in server.request_log


def test_request_log_counts_requests(own: tuple[SampleServer, httpx.Client]) -> None:
    server, client = own
    client.get("/feed/")
    client.get("/feed/?paged=2")
    client.get("/nope/")
    assert server.request_log == [
        ("GET", "/feed/", 200),
        ("GET", "/feed/?paged=2", 200),
        ("GET", "/nope/", 404),
    ]


def test_without_rest_api_every_wp_json_address_is_404() -> None:
    server = SampleServer(rest_api=False)
    with server as url, httpx.Client(base_url=url) as client:
        for address in ("/wp-json/", "/wp-json/wp/v2/posts", "/wp-json/wp/v2/categories"):
            assert client.get(address).status_code == 404, address
        assert client.get("/", params={"rest_route": "/wp/v2/posts"}).status_code == 404
        post = server.site.posts()[0]
        page = client.get(server.url_for(post.path))
        assert page.status_code == 200
        assert HTMLParser(page.text).css_first('link[rel="https://api.w.org/"]') is None
        assert "wp-json" not in page.headers.get("link", "")
        assert client.get("/feed/").status_code == 200
    assert server.errors == []


def test_excerpt_only_posts_have_their_body_on_the_page(
    shared: tuple[SampleServer, httpx.Client],
) -> None:
    server, client = shared
    post = next(post for post in server.site.posts() if post.excerpt_only)
    content = one(page_of(client, server, post), ".entry-content")
    assert markup.word_count(content.html or "") == markup.word_count(post.body)
    rest = client.get(f"/wp-json/wp/v2/posts/{post.id}").json()
    assert markup.word_count(rest["content"]["rendered"]) == markup.word_count(post.body)


# -- changing the site while it runs -------------------------------------------------------


def test_remove_post_changes_what_is_served(own: tuple[SampleServer, httpx.Client]) -> None:
    server, client = own
    site = server.site
    victim = site.posts()[1]
    newer, older = site.newer(victim), site.older(victim)
    assert newer is not None and older is not None
    feed = client.get("/feed/")
    newer_page = client.get(server.url_for(newer.path))
    site.remove_post(victim.id)
    assert client.get(server.url_for(victim.path)).status_code == 404
    assert client.get("/", params={"p": victim.id}).status_code == 404
    after = client.get("/feed/", headers={"If-None-Match": feed.headers["etag"]})
    assert after.status_code == 200
    assert f"?p={victim.id}</guid>" not in after.text
    since = client.get("/feed/", headers={"If-Modified-Since": feed.headers["last-modified"]})
    assert since.status_code == 200
    rest = client.get("/wp-json/wp/v2/posts")
    assert rest.headers["X-WP-Total"] == str(len(site.posts()))
    # The neighbour's post navigation now skips the removed post.
    moved = client.get(
        server.url_for(newer.path),
        headers={"If-Modified-Since": newer_page.headers["last-modified"]},
    )
    assert moved.status_code == 200
    prev = attr(HTMLParser(moved.text), "nav.post-navigation a[rel=prev]")
    assert prev == server.url_for(older.path)


def test_touch_post_changes_etag_and_modified(own: tuple[SampleServer, httpx.Client]) -> None:
    server, client = own
    post = server.site.posts()[4]
    before = client.get(server.url_for(post.path))
    rest_before = client.get(f"/wp-json/wp/v2/posts/{post.id}").json()
    touched = server.site.touch_post(post.id, title="A corrected title")
    assert touched.modified > post.modified
    after = client.get(server.url_for(post.path), headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert parsedate_to_datetime(after.headers["last-modified"]) > parsedate_to_datetime(
        before.headers["last-modified"]
    )
    assert "A corrected title" in after.text
    rest_after = client.get(f"/wp-json/wp/v2/posts/{post.id}").json()
    assert rest_after["modified"] > rest_before["modified"]
    again = client.get(server.url_for(post.path), headers={"If-None-Match": after.headers["etag"]})
    assert again.status_code == 304


def test_add_post_becomes_the_newest(own: tuple[SampleServer, httpx.Client]) -> None:
    server, client = own
    site = server.site
    previous_newest = site.posts()[0]
    added = site.add_post(
        'Organoids & "quotes" in a brand-new post',
        section="events",
        topics=("kidney",),
        tags=("organoids",),
        excerpt_only=True,
    )
    assert site.posts()[0] == added
    entry = feedparser.parse(client.get("/feed/").content).entries[0]
    assert entry.id == server.url + f"?p={added.id}"
    assert "content" not in entry
    assert "&#038;" in client.get("/feed/").text
    page = page_of(client, server, previous_newest)
    assert attr(page, "a[rel=next]") == server.url_for(added.path)
    assert page_of(client, server, added).css_first("a[rel=next]") is None
    with pytest.raises(KeyError):
        site.add_post("Nowhere", section="no-such-section")


# -- generated sites and the command line --------------------------------------------------


def test_generate_site_makes_a_consistent_large_site() -> None:
    site = generate_site(1000, seed=3)
    posts = site.posts()
    assert len(posts) == 1000
    assert len({post.path for post in posts}) == 1000
    assert posts[0].published - posts[-1].published > timedelta(days=3 * 365)
    assert site.older(posts[-1]) is None and site.newer(posts[0]) is None
    for post in posts[:200]:
        older = site.older(post)
        assert older is None or site.newer(older) == post
        related = site.read_this_next(post)
        assert related is not None and related != post
        assert set(related.topics) & set(post.topics)
        assert 1500 < len(post.body) < 8000
    assert [p.title for p in generate_site(50, seed=3).posts()] == [
        p.title for p in generate_site(50, seed=3).posts()
    ]
    assert any(post.excerpt_only for post in posts)
    assert any("youtube.com/embed" in post.body for post in posts)


def test_a_generated_site_is_served() -> None:
    site: Site = generate_site(1000)
    with SampleServer(site) as url, httpx.Client(base_url=url) as client:
        reply = client.get("/wp-json/wp/v2/posts", params={"per_page": 100, "page": 10})
        assert reply.headers["X-WP-Total"] == "1000"
        assert len(reply.json()) == 100
        assert client.get("/feed/", params={"paged": 100}).status_code == 200
        assert client.get("/feed/", params={"paged": 101}).status_code == 404


def test_python_dash_m_serves_and_prints_the_url() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "reader.sample", "--port", "0", "--no-rest"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        assert httpx.get(url + "feed/", timeout=10).status_code == 200
        assert httpx.get(url + "wp-json/", timeout=10).status_code == 404
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (["--generate", "١٢"], "not a number: write it in the digits 0-9"),
        (["--port", "²"], "not a number: write it in the digits 0-9"),
        (["--seed", "-3"], "too small"),
        (["--port", "70000"], "too big"),
    ],
)
def test_python_dash_m_reads_its_numbers_in_ascii_digits_only(
    words: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # As the reader's own command line does: int() took '١٢' as 12 posts, and a port past
    # 65535 was an OverflowError from the socket.
    from reader.sample.__main__ import main

    with pytest.raises(SystemExit) as stopped:
        main(words)
    assert stopped.value.code == 2
    assert said in capsys.readouterr().err
