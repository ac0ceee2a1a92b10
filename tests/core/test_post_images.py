"""Which images a post has and where each is fetched from: featured first, then the body."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from reader.core.models import Link, LinkKind, Post
from reader.core.page import extract_page
from reader.core.post_images import PostImage, image_source, post_images
from reader.core.wordpress import post_from_rest

BASE = "https://example.org/2025/03/04/a-post/"


def _img(html: str) -> str | None:
    body = LexborHTMLParser(html).body
    assert body is not None
    node = body.css_first("img")
    assert node is not None
    return image_source(node, BASE)


def test_the_srcset_candidate_nearest_a_useful_width_is_chosen() -> None:
    srcset = "a-300.jpg 300w, a-768.jpg 768w, a-1024.jpg 1024w, a.jpg 2048w"
    assert (
        _img(f'<img src="a.jpg" srcset="{srcset}">')
        == "https://example.org/2025/03/04/a-post/a-768.jpg"
    )
    assert _img('<img src="/x.png" srcset="s.png 100w, m.png 300w">').endswith("/m.png")
    assert _img('<img src="/x.png" srcset="broken">') == "https://example.org/x.png"


def test_only_web_addresses_are_images_and_lazy_ones_are_found() -> None:
    assert _img('<img src="data:image/png;base64,AAAA">') is None
    assert _img('<img src="javascript:alert(1)">') is None
    assert _img('<img src="file:///etc/passwd">') is None
    assert _img('<img data-src="//cdn.example.org/l.png">') == "https://cdn.example.org/l.png"
    assert _img('<img src="/a.png?w=1&amp;h=2">') == "https://example.org/a.png?w=1&h=2"


def test_a_post_lists_its_featured_image_first_and_each_image_once() -> None:
    body = (
        '<p><img class="wp-smiley" src="/s.svg" alt="☕"></p>'
        '<figure><img src="../../../../uploads/one.png" alt="One" width="600" height="400">'
        "<figcaption>First</figcaption></figure>"
        '<p><img src="/uploads/two.png" alt="Two"><img src="/uploads/one.png"></p>'
        '<p><img src="/uploads/feature.png" alt="again"></p>'
    )
    post = Post(
        1,
        BASE,
        "A post",
        content=body,
        links=(Link(LinkKind.FEATURED, "/uploads/feature.png", "The feature"),),
    )
    assert post_images(post) == [
        PostImage("https://example.org/uploads/feature.png", "The feature", featured=True),
        PostImage("https://example.org/uploads/one.png", "One", 600, 400),
        PostImage("https://example.org/uploads/two.png", "Two"),
    ]


def test_the_rest_api_names_the_featured_image_and_its_alt_text() -> None:
    media = {
        "media_type": "image",
        "alt_text": "Cells &amp; \x1b[2Jdishes",
        "source_url": "https://example.org/full.png",
        "media_details": {"sizes": {"medium_large": {"source_url": "https://example.org/m.png"}}},
    }
    obj = {"link": BASE, "title": {"rendered": "T"}, "_embedded": {"wp:featuredmedia": [media]}}
    post = post_from_rest(obj, {}, {})
    assert post is not None
    assert post.featured_image == Link(
        LinkKind.FEATURED, "https://example.org/m.png", "Cells & [2Jdishes"
    )
    for bad in (
        [{"media_type": "file", "source_url": "https://e.org/a.pdf"}],
        [{"source_url": "javascript:x"}],
        {},
        [3],
    ):
        obj["_embedded"] = {"wp:featuredmedia": bad}
        post = post_from_rest(obj, {}, {})
        assert post is not None and post.featured_image is None


def test_a_page_names_its_thumbnail_not_the_read_this_next_picture() -> None:
    page = (
        '<html><head><meta property="og:image" content="https://example.org/og.png"></head><body>'
        '<article><div class="read-this-next"><img class="wp-post-image" src="/other.png"></div>'
        '<div class="post-thumbnail"><img src="/thumb.png" alt="Thumb"></div>'
        '<div class="entry-content"><p>Body</p></div></article></body></html>'
    )
    links = extract_page(page, BASE).links
    assert links[0] == Link(LinkKind.FEATURED, "https://example.org/thumb.png", "Thumb")
    no_thumbnail = page.replace("post-thumbnail", "x").replace("/thumb.png", "")
    only_og = extract_page(no_thumbnail.replace('class="wp-post-image" ', ""), BASE).links
    assert only_og[0] == Link(LinkKind.FEATURED, "https://example.org/og.png", "")


def test_numbers_a_hostile_page_writes_are_not_read() -> None:
    # Widths, a post id and a reading time of 5,000 digits or "²" raised ValueError from
    # int(); now each is as if absent.
    huge = "9" * 5000
    for number in (huge, "²"):
        srcset = f"a.jpg {number}w, b.jpg 300w"
        assert _img(f'<img src="a.jpg" srcset="{srcset}">') == BASE + "b.jpg"
        page = extract_page(
            f'<article id="post-{number}"><span class="reading-time">Reading time {number}'
            f' min</span><img src="c.jpg" width="{number}" height="{number}"></article>',
            BASE,
        )
        assert (page.wp_id, page.reading_minutes) == (None, None)
