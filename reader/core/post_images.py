"""The images of a post: its featured image, then every picture in its body, in reading order.

One place decides which address stands for an ``<img>`` (its ``srcset`` candidate nearest a
width worth fetching for a terminal, else its ``src``), so the article view, ``reader sync
--images``, bookmarks and exports all fetch and keep the same files. Emoji that WordPress turns
into pictures (``wp-smiley``) stay text.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from reader.core.digits import small_number
from reader.core.models import LinkKind, Post
from reader.core.text import clean_line, clean_url

#: A ``srcset`` candidate at least this wide is chosen over bigger ones: a terminal picture is
#: at most a few hundred cells wide, and the pixel protocols rarely need more.
WANTED_WIDTH = 640


@dataclass(frozen=True)
class PostImage:
    """One image of a post, with what is known of it before it is fetched."""

    url: str
    """Absolute http(s) address of the file to fetch."""
    alt: str = ""
    width: int | None = None
    """The width the page declares (``width=""``), when it does."""
    height: int | None = None
    featured: bool = False


def image_source(node: LexborNode, base_url: str) -> str | None:
    """The absolute address an ``<img>`` element is drawn from, or None when it has none."""
    attributes = node.attributes
    chosen = _from_srcset(attributes.get("srcset") or "") or (attributes.get("src") or "")
    if not chosen:
        # Lazy-loading plugins keep the real address aside until the browser scrolls to it.
        chosen = attributes.get("data-src") or attributes.get("data-lazy-src") or ""
    return absolute_image_url(chosen, base_url)


def absolute_image_url(raw: str, base_url: str) -> str | None:
    """``raw`` resolved against ``base_url`` when it is an http(s) address, else None."""
    url = clean_url(raw.replace("&", "&amp;"))
    if not url:
        return None
    try:
        given = urlsplit(url)
        if not (given.netloc or given.path or given.query):
            return None  # "//" or "#top": nothing but the page itself
        url = urljoin(base_url, url) if base_url else url
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def is_emoji(node: LexborNode) -> bool:
    """True for WordPress's emoji pictures, whose alt text is the emoji itself."""
    return "wp-smiley" in (node.attributes.get("class") or "").split()


def declared_size(node: LexborNode) -> tuple[int | None, int | None]:
    """The ``width`` and ``height`` attributes, when both are sensible whole numbers."""
    width = _dimension(node.attributes.get("width"))
    height = _dimension(node.attributes.get("height"))
    if width is None or height is None:
        return None, None
    return width, height


def post_images(post: Post) -> list[PostImage]:
    """The featured image (if any) and each body image, once each, in reading order."""
    images: list[PostImage] = []
    seen: set[str] = set()
    featured = post.link(LinkKind.FEATURED)
    if featured is not None:
        url = absolute_image_url(featured.url, post.url)
        if url:
            images.append(PostImage(url, featured.text, featured=True))
            seen.add(url)
    html = post.content or post.excerpt
    if "<img" not in html:
        return images
    body = LexborHTMLParser(html).body
    if body is None:
        return images
    for node in body.css("img"):
        if is_emoji(node):
            continue
        url = image_source(node, post.url)
        if url is None or url in seen:
            continue
        seen.add(url)
        width, height = declared_size(node)
        alt = clean_line(node.attributes.get("alt") or "", decode=False)
        images.append(PostImage(url, alt, width, height))
    return images


def _from_srcset(srcset: str) -> str:
    """The narrowest candidate at least :data:`WANTED_WIDTH` wide, else the widest; or ""."""
    candidates: list[tuple[int, str]] = []
    for part in srcset.split(","):
        pieces = part.split()
        width = small_number(pieces[1][:-1]) if len(pieces) == 2 else None
        if width is None or not pieces[1].endswith("w"):
            continue
        candidates.append((width, pieces[0]))
    return nearest_wanted(candidates)


def nearest_wanted(candidates: list[tuple[int, str]]) -> str:
    """Of (width, url) pairs, the narrowest at least :data:`WANTED_WIDTH` wide, else the widest."""
    if not candidates:
        return ""
    wide_enough = [c for c in candidates if c[0] >= WANTED_WIDTH]
    return min(wide_enough)[1] if wide_enough else max(candidates)[1]


def _dimension(value: str | None) -> int | None:
    number = small_number(value.strip()) if value else None
    return number if number is not None and 0 < number <= 100_000 else None
