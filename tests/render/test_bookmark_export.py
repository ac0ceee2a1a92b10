"""The readable bookmark exports keep the article's structure, and nothing of the page runs.

Markdown is read back with markdown-it (CommonMark plus GitHub's tables, as viewers read it)
and HTML with lexbor, so the checks are on what a viewer would build, not on our strings.
"""

from __future__ import annotations

import base64
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from selectolax.lexbor import LexborHTMLParser, LexborNode

from reader.core.models import Bookmark, Link, LinkKind, Post
from reader.render.article_blocks import article_blocks
from reader.render.bookmark_export import CONTENT_POLICY, export_bookmarks
from reader.sample.content import sample_posts
from tests.support.exports import EXPORT_ATTRIBUTES, EXPORT_TAGS
from tests.support.pictures import png

SITE = "https://news.example.org/"

BODY = """
<p>An opening with <strong>bold</strong>, <em>italic</em>, <code>a_code</code> and a
<a href="/2025/01/02/older-post/">link home</a>.</p>
<h2>A section</h2>
<ul><li>First point</li><li>Second point<ul><li>nested under it</li></ul></li></ul>
<ol start="3"><li>three</li><li>four</li></ol>
<blockquote><p>Quoted words.</p><cite>Dr. Q</cite></blockquote>
<h3>Numbers</h3>
<figure class="wp-block-table"><table><thead><tr><th>Measure</th><th>2024</th><th>2025</th>
</tr></thead><tbody><tr><td>Labs</td><td>31</td><td>34</td></tr>
<tr><td colspan="2">Both years</td><td>65</td></tr></tbody></table>
<figcaption>As of December.</figcaption></figure>
<figure><img src="/wp-content/uploads/cells.png" alt="Cells in blue" width="40" height="30">
<figcaption>Cells, magnified.</figcaption></figure>
<pre>def grow(cells):
    return cells * 2</pre>
<hr>
<p>Mail <a href="mailto:lab@example.org">the lab</a>.</p>
"""

HOSTILE = """
<p>&lt;script&gt;alert(1)&lt;/script&gt; and [a](javascript:alert(2)) and *stars* and
&lt;img src=x onerror=alert(3)&gt; &amp;amp; a | pipe</p>
<p>#not a heading</p><p>- not an item</p><p>1984. was a year</p><p>&gt; not a quote</p>
<script>alert(4)</script><style>body{display:none}</style>
<a href="javascript:alert(5)">click me</a>
<img src="x" onerror="alert(6)" alt="pic">
<iframe src="https://www.youtube.com/embed/abc" title="A film"></iframe>
<form action="https://evil.example/"><input name="q"></form>
<p onclick="alert(7)" style="color:red">styled words</p>
<a href="data:text/html,&lt;script&gt;alert(8)&lt;/script&gt;">data link</a>
"""

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _post(body: str, *, title: str = "Cells & <b>things</b>", **kw: Any) -> Post:
    fields: dict[str, Any] = {
        "id": 1,
        "url": SITE + "2025/02/03/cells/",
        "title": title,
        "content": body,
        "author": "A. Writer",
        "published": datetime(2025, 2, 3, tzinfo=UTC),
        "sections": ("News",),
        "links": (
            Link(LinkKind.OLDER, SITE + "2025/01/02/older-post/", "The older one"),
            Link(LinkKind.TOPIC, SITE + "category/kidney/", "Kidney"),
        ),
    }
    fields.update(kw)
    return Post(**fields)


def _bookmark(post: Post) -> Bookmark:
    return Bookmark(post.url, post.title, datetime(2025, 3, 1, tzinfo=UTC), post)


def _tokens(markdown: str) -> list[Any]:
    flat: list[Any] = []
    for token in MARKDOWN.parse(markdown):
        flat.append(token)
        flat.extend(token.children or ())
    return flat


def _words(inline: Any) -> str:
    """The text a viewer shows for an inline token (escapes undone)."""
    return "".join(child.content for child in inline.children or () if child.type == "text")


def _types(markdown: str) -> list[str]:
    return [token.type for token in _tokens(markdown)]


def test_markdown_has_the_articles_structure() -> None:
    text = export_bookmarks([_bookmark(_post(BODY))], "md")
    tokens = _tokens(text)
    types = [t.type for t in tokens]
    headings = [
        (t.tag, _words(tokens[i + 1])) for i, t in enumerate(tokens) if t.type == "heading_open"
    ]
    # The file, then the article, then the body's own headings one level under the article.
    assert headings[:4] == [
        ("h1", "Bookmarks (1)"),
        ("h2", "Cells & <b>things</b>"),
        ("h3", "A section"),
        ("h4", "Numbers"),
    ]
    assert types.count("bullet_list_open") >= 2  # the list and the one nested in it
    ordered = next(t for t in tokens if t.type == "ordered_list_open")
    assert ordered.attrGet("start") == 3
    assert "blockquote_open" in types
    assert [t.tag for t in tokens if t.type in ("th_open", "td_open")] == ["th"] * 3 + ["td"] * 6
    image = next(t for t in tokens if t.type == "image")
    assert image.attrGet("src") == SITE + "wp-content/uploads/cells.png"
    assert image.content == "Cells in blue"
    links = {t.attrGet("href") for t in tokens if t.type == "link_open"}
    assert SITE + "2025/01/02/older-post/" in links
    assert "mailto:lab@example.org" in links
    assert SITE + "category/kidney/" in links  # "Read more about"
    fence = next(t for t in tokens if t.type == "fence")
    assert fence.content == "def grow(cells):\n    return cells * 2\n"
    assert "hr" in types
    assert {"strong_open", "em_open", "code_inline"} <= set(types)
    assert "html_inline" not in types and "html_block" not in types


def test_markdown_keeps_hostile_text_as_text() -> None:
    text = export_bookmarks([_bookmark(_post(HOSTILE, title="[x](javascript:y) <b>t</b>"))], "md")
    tokens = _tokens(text)
    types = [t.type for t in tokens]
    # A viewer that renders raw HTML still finds none, and no link but http(s) or mailto.
    assert "html_inline" not in types and "html_block" not in types
    hrefs = [t.attrGet("href") for t in tokens if t.type == "link_open"]
    assert all(str(h).startswith(("https://", "http://", "mailto:")) for h in hrefs), hrefs
    assert [
        t for t in tokens if t.type == "image" and not str(t.attrGet("src")).startswith("http")
    ] == []
    words = " ".join(t.content for t in tokens if t.type == "text")
    for shown in ("<script>alert(1)</script>", "[a](javascript:alert(2))", "*stars*", "&amp;"):
        assert shown in words, shown
    assert "#not a heading" in words and "- not an item" in words
    assert "1984. was a year" in words and "> not a quote" in words
    assert "alert(4)" not in text and "display:none" not in text and "alert(7)" not in text
    assert types.count("heading_open") == 2  # only the file's and the article's
    assert types.count("bullet_list_open") == 1  # the site's post navigation only
    assert "blockquote_open" not in types
    assert "ordered_list_open" not in types


def _html_nodes(page: str) -> list[LexborNode]:
    return list(LexborHTMLParser(page).css("*"))


def _check_safe(page: str) -> None:
    for node in _html_nodes(page):
        assert node.tag in EXPORT_TAGS, node.tag
        for name, value in node.attributes.items():
            assert name in EXPORT_ATTRIBUTES, (node.tag, name)
            if name == "href":
                assert str(value).startswith(("https://", "http://", "mailto:", "#bookmark-")), (
                    value
                )
            if name == "src":
                assert str(value).startswith(("data:image/png;base64,", "data:image/jpeg;base64,"))
    policy = LexborHTMLParser(page).css_first('meta[http-equiv="Content-Security-Policy"]')
    assert policy is not None and policy.attributes["content"] == CONTENT_POLICY


def test_html_has_the_articles_structure() -> None:
    page = export_bookmarks([_bookmark(_post(BODY))], "html")
    _check_safe(page)
    tree = LexborHTMLParser(page)
    assert [n.text() for n in tree.css("h1, h2, h3, h4")] == [
        "Bookmarks (1)",
        "Cells & <b>things</b>",
        "A section",
        "Numbers",
    ]
    assert [n.text(deep=False).strip() for n in tree.css("ul > li")][:2] == [
        "First point",
        "Second point",
    ]
    assert tree.css_first("ul li ul li").text() == "nested under it"
    assert tree.css_first("ol").attributes.get("start") == "3"
    assert "Quoted words." in tree.css_first("blockquote").text()
    table = tree.css_first("table")
    rows = [
        [(c.tag, c.text(), c.attributes.get("colspan")) for c in r.css("th, td")]
        for r in table.css("tr")
    ]
    assert rows == [
        [("th", "Measure", None), ("th", "2024", None), ("th", "2025", None)],
        [("td", "Labs", None), ("td", "31", None), ("td", "34", None)],
        [("td", "Both years", "2"), ("td", "65", None)],
    ]
    assert tree.css_first("figure figcaption").text() == "As of December."
    assert tree.css_first("pre code").text() == "def grow(cells):\n    return cells * 2"
    assert tree.css_first('a[href="mailto:lab@example.org"]') is not None
    # Without the picture's bytes, its alt text stands in, linked; nothing is fetched on open.
    assert tree.css("img") == []
    stand_in = tree.css_first('a[href="https://news.example.org/wp-content/uploads/cells.png"]')
    assert stand_in is not None and stand_in.text() == "[image: Cells in blue]"


def test_html_carries_the_kept_pictures_inside_it() -> None:
    picture = png(40, 30)
    asked: list[str] = []

    def pictures(url: str) -> bytes | None:
        asked.append(url)
        return picture if url.endswith("cells.png") else None

    page = export_bookmarks([_bookmark(_post(BODY))], "html", pictures)
    _check_safe(page)
    image = LexborHTMLParser(page).css_first("img")
    assert image is not None and image.attributes["alt"] == "Cells in blue"
    src = str(image.attributes["src"])
    from PIL import Image

    decoded = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
    assert decoded.format in ("PNG", "JPEG") and decoded.size == (40, 30)
    assert (image.attributes["width"], image.attributes["height"]) == ("40", "30")
    assert asked == [SITE + "wp-content/uploads/cells.png"]


def test_html_keeps_hostile_text_as_text() -> None:
    hostile = _post(HOSTILE, title="<script>alert('t')</script> & co")
    page = export_bookmarks([_bookmark(hostile)], "html", lambda url: b"<svg onload=alert(9)>")
    _check_safe(page)
    assert "<script" not in page.lower()
    assert "onerror" not in page.lower().replace("onerror=alert(3)", "")
    text = LexborHTMLParser(page).body
    assert text is not None
    words = text.text()
    assert "<script>alert('t')</script> & co" in words
    assert "<script>alert(1)</script>" in words
    assert "javascript:alert(5)" in words  # shown, not linked
    assert "alert(4)" not in page and "display:none" not in page and "alert(7)" not in page


def test_a_picture_that_is_not_a_picture_is_its_alt_text() -> None:
    page = export_bookmarks([_bookmark(_post(BODY))], "html", lambda url: b"not an image")
    assert LexborHTMLParser(page).css("img") == []
    assert "[image: Cells in blue]" in page


@pytest.mark.parametrize("kept", [True, False])
def test_a_linked_picture_is_one_link_whether_kept_or_not(kept: bool) -> None:
    body = '<p>See <a href="/full.png"><img src="/small.png" alt="Cells"></a> here.</p>'
    picture = png(40, 30)
    page = export_bookmarks([_bookmark(_post(body))], "html", lambda url: picture if kept else None)
    _check_safe(page)
    paragraph = next(p for p in LexborHTMLParser(page).css("p") if p.text().startswith("See"))
    # A link inside a link would be torn in two by the browser: the picture's own link goes.
    [anchor] = paragraph.css("a")
    assert anchor.attributes["href"] == SITE + "full.png"
    assert (anchor.css_first("img") is not None) is kept
    assert ("[image: Cells]" in anchor.text()) is not kept


@pytest.mark.parametrize(
    "tag", ["blockquote", "div", "ul><li", "strong", "a href='/x'", "table><tr><td"]
)
def test_deep_nesting_neither_recurses_nor_loses_words(tag: str) -> None:
    depth = 5000
    closing = "".join(f"</{part.split()[0]}>" for part in reversed(tag.split("><")))
    body = f"<{tag}>" * depth + "deepest words" + closing * depth
    blocks = article_blocks(body, SITE)
    assert blocks
    for fmt in ("md", "html"):
        text = export_bookmarks([_bookmark(_post(body))], fmt)
        assert "deepest words" in text
        assert len(text) < 200_000, len(text)


def test_every_sample_post_exports_with_its_words(tmp_path: Path) -> None:
    posts = [
        _post(p.body_at(SITE), title=p.title, url=SITE + p.path.lstrip("/"), links=())
        for p in sample_posts()
    ]
    bookmarks = [_bookmark(p) for p in posts]
    markdown = export_bookmarks(bookmarks, "md")
    page = export_bookmarks(bookmarks, "html")
    _check_safe(page)
    types = _types(markdown)
    assert "html_inline" not in types and "html_block" not in types
    assert types.count("table_open") >= 3
    assert len(LexborHTMLParser(page).css("table")) == types.count("table_open")
    assert len(LexborHTMLParser(page).css("article")) == len(posts)
