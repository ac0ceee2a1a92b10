"""Extraction of what an article page adds to its feed item, with selectolax.

The page gives what feeds do not: the body when the feed has only an excerpt, the site's post
navigation (older ``rel=prev`` / newer ``rel=next``), "read this next", and "Read more about"
topic links that tell categories from tags. Site-specific selectors come first, then the
selectors of WordPress's default themes, then generic fallbacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from selectolax.lexbor import LexborHTMLParser, LexborNode

from reader.core.dates import believable
from reader.core.digits import small_number
from reader.core.models import Link, LinkKind
from reader.core.page_kind import PageKind, by_body, classify
from reader.core.text import clean_line, clean_url, strip_controls
from reader.core.urls import is_followable, resolve, shortlink_id, topic_slug

_BODY = (
    "article .entry-content",
    ".entry-content",
    ".wp-block-post-content",
    ".post-content",
    "article .content",
    "article",
    "main",
)
_TITLE = ("article .entry-title", "h1.entry-title", ".wp-block-post-title", "article h1", "h1")
_OLDER = (
    "nav.post-navigation a[rel=prev]",
    ".post-navigation-link-previous a",
    ".nav-previous a",
    "a[rel=prev]",
)
_NEWER = (
    "nav.post-navigation a[rel=next]",
    ".post-navigation-link-next a",
    ".nav-next a",
    "a[rel=next]",
)
_READ_NEXT = (
    ".read-this-next .read-this-next-title a",
    ".read-this-next a",
    ".related-posts a",
    ".jp-relatedposts-post a",
)
_FEATURED = (
    ".post-thumbnail img",
    ".wp-block-post-featured-image img",
    "article img.wp-post-image",
    "img.wp-post-image",
)
# Boxes whose pictures belong to other posts.
_ELSEWHERE = frozenset({"read-this-next", "related-posts", "jp-relatedposts"})
_AUTHOR = (
    ".byline .author a",
    ".byline a",
    ".author-bio .author-title",  # Twenty Twenty-One, for an author with a biography
    ".wp-block-post-author__name",
    "a[rel=author]",
)
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_EXACT_BODY = frozenset(_BODY[:4])
"""Selectors of a theme's own content element: what they hold is the body and nothing else."""
_DATE = ("time.entry-date.published", "time.published", "time[datetime]")
_READING_TIME = re.compile(r"reading\s*time\D{0,20}([0-9]+)\s*min", re.IGNORECASE)
_NOISE = "script, style, noscript, template, form, .sharedaddy, .screen-reader-text"
_META_NAV = re.compile(r"^\s*(previous|next)\s*(post)?\s*:?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Topic:
    """A "Read more about" link: a category or a tag."""

    slug: str
    name: str
    url: str
    is_tag: bool


@dataclass(frozen=True)
class ArticlePage:
    """What an article page says about its post."""

    url: str
    title: str
    author: str
    published: datetime | None
    reading_minutes: int | None
    body_html: str
    links: tuple[Link, ...]
    """The featured image, older, newer, read this next, then topic links, in that order."""
    topics: tuple[Topic, ...]
    wp_id: int | None
    has_rest_api: bool
    is_page: bool = False
    """A WordPress Page (``/contact/``), not a post."""
    body_exact: bool = True
    """True when the body is the theme's content element, not a guess at ``<article>``."""
    listing: str = ""
    """Not one post but a list (home page, archive, search, 404), in words; "" for a post."""

    @property
    def utc_offset(self) -> int | None:
        """Minutes the site's clock is ahead of UTC, from the page's own publication time."""
        if self.published is None or self.published.utcoffset() is None:
            return None
        offset = self.published.utcoffset()
        return None if offset is None else int(offset.total_seconds() // 60)


def _first(tree: LexborHTMLParser | LexborNode, selectors: tuple[str, ...]) -> LexborNode | None:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is not None:
            return node
    return None


def _text(node: LexborNode | None) -> str:
    return clean_line(node.text(separator=" "), decode=False) if node is not None else ""


def _link(node: LexborNode | None, kind: LinkKind, base: str) -> Link | None:
    if node is None:
        return None
    href = clean_url(node.attributes.get("href") or "", decode=False)
    if not href:
        return None
    url = resolve(href, base)
    if not is_followable(url):
        return None
    title_node = node.css_first(".post-title")
    text = _text(title_node) if title_node is not None else _META_NAV.sub("", _text(node))
    return Link(kind, url, text)


def _featured(tree: LexborHTMLParser, base: str) -> Link | None:
    """The post's featured image: its thumbnail in the article, else ``og:image``."""
    for selector in _FEATURED:
        for node in tree.css(selector):
            if _inside_other_post(node):
                continue
            src = clean_url(node.attributes.get("src") or "", decode=False)
            url = resolve(src, base) if src else ""
            if is_followable(url):
                alt = clean_line(node.attributes.get("alt") or "", decode=False)
                return Link(LinkKind.FEATURED, url, alt)
    meta = tree.css_first('meta[property="og:image"]')
    src = clean_url(meta.attributes.get("content") or "", decode=False) if meta else ""
    url = resolve(src, base) if src else ""
    if not is_followable(url):
        return None
    alt_meta = tree.css_first('meta[property="og:image:alt"]')
    alt = (alt_meta.attributes.get("content") or "") if alt_meta is not None else ""
    return Link(LinkKind.FEATURED, url, clean_line(alt, decode=False))


def _inside_other_post(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if _ELSEWHERE.intersection((parent.attributes.get("class") or "").split()):
            return True
        parent = parent.parent
    return False


def _reading_minutes(tree: LexborHTMLParser) -> int | None:
    node = _first(tree, (".reading-time", ".span-reading-time", ".rt-reading-time"))
    haystack = _text(node) if node is not None else ""
    match = _READING_TIME.search(haystack)
    if match is None and node is not None:
        digits = re.search(r"[0-9]+", haystack)
        return small_number(digits.group()) if digits else None
    return small_number(match.group(1)) if match else None


def _published(tree: LexborHTMLParser) -> datetime | None:
    node = _first(tree, _DATE)
    stamp = (node.attributes.get("datetime") or "") if node is not None else ""
    try:
        return believable(datetime.fromisoformat(stamp.strip())) if stamp else None
    except ValueError:
        return None


def _topics(tree: LexborHTMLParser, base: str) -> tuple[Topic, ...]:
    found: dict[str, Topic] = {}
    for node in tree.css("a[rel~=category], a[rel~=tag], .cat-links a, .tags-links a"):
        url = resolve(clean_url(node.attributes.get("href") or "", decode=False), base)
        where = topic_slug(url)
        if where is None:
            continue
        kind, slug = where
        # The address says what a term is. rel does not: block themes mark category links
        # rel="tag" too.
        found.setdefault(url, Topic(slug, _text(node), url, kind == "tag"))
    return tuple(found.values())


def extract_page(html: bytes | str, url: str) -> ArticlePage:
    """Extract an article page. Never raises on odd markup; missing parts are empty."""
    tree = LexborHTMLParser(html if isinstance(html, str) else html.decode("utf-8", "replace"))
    canonical = tree.css_first("link[rel=canonical]")
    base = url
    if canonical is not None and canonical.attributes.get("href"):
        base = resolve(clean_url(canonical.attributes.get("href"), decode=False), url)
    shortlink = tree.css_first("link[rel=shortlink]")
    wp_id = shortlink_id(shortlink.attributes.get("href") or "") if shortlink else None
    shown = _kind(tree)
    if shown.listing:
        # The first <article id="post-N"> of a list is another post's: never this page's id.
        wp_id = None
    elif wp_id is None:
        wp_id = shown.wp_id
    has_rest_api = tree.css_first('link[rel="https://api.w.org/"]') is not None

    links: list[Link] = []
    featured = _featured(tree, base)
    if featured is not None:
        links.append(featured)
    for kind, selectors in (
        (LinkKind.OLDER, _OLDER),
        (LinkKind.NEWER, _NEWER),
        (LinkKind.READ_NEXT, _READ_NEXT),
    ):
        link = _link(_first(tree, selectors), kind, base)
        if link is not None:
            links.append(link)
    topics = _topics(tree, base)
    links.extend(Link(LinkKind.TOPIC, t.url, t.name) for t in topics)

    body_node, exact = None, False
    for selector in _BODY:
        body_node = tree.css_first(selector)
        if body_node is not None:
            exact = selector in _EXACT_BODY
            break
    body_html = ""
    if body_node is not None:
        for noise in body_node.css(_NOISE):
            noise.decompose()
        body_html = strip_controls(body_node.inner_html or "")
        if body_node.tag in ("article", "main"):
            # A generic fallback caught the whole article: keep the navigation out of the body.
            for selector in ("nav", "header", "footer", "aside"):
                for node in body_node.css(selector):
                    node.decompose()
            body_html = strip_controls(body_node.inner_html or "")
    return ArticlePage(
        url=base,
        title=_text(_first(tree, _TITLE)),
        author=_BY.sub("", _text(_first(tree, _AUTHOR))),
        published=_published(tree),
        reading_minutes=_reading_minutes(tree),
        body_html=body_html.strip(),
        links=tuple(links),
        topics=topics,
        wp_id=wp_id,
        has_rest_api=has_rest_api,
        is_page=_is_page(tree, shortlink.attributes.get("href") or "" if shortlink else ""),
        body_exact=exact,
        listing=shown.what if shown.listing else "",
    )


def _kind(tree: LexborHTMLParser) -> PageKind:
    """What the page is, from what WordPress marks it with (see :mod:`reader.core.page_kind`)."""
    body = tree.css_first("body")
    classes = ((body.attributes.get("class") or "") if body is not None else "").split()
    marked = by_body(classes)
    if marked is not None and (marked.listing or marked.wp_id is not None):
        # Every WordPress page says so: the searches below walk the whole page (35 ms of
        # a 1.6 MB one's 270), and are left for pages that do not.
        return marked
    rest = tree.css_first('link[rel=alternate][type="application/json"]')
    og_type = tree.css_first('meta[property="og:type"]')
    ids = []
    for article in tree.css("article[id^=post-]"):
        number = small_number((article.attributes.get("id") or "")[5:])
        if number is not None:
            ids.append(number)
    return classify(
        classes,
        # Plain permalinks link ?rest_route=%2Fwp%2Fv2%2Fposts%2F5: the route read as a path.
        unquote((rest.attributes.get("href") or "") if rest is not None else ""),
        ((og_type.attributes.get("content") or "") if og_type is not None else "").strip(),
        ids,
        listed_posts=len(tree.css("li.wp-block-post")),
    )


def _is_page(tree: LexborHTMLParser, shortlink: str) -> bool:
    """True for a WordPress Page: its body class says "page", or its shortlink ``?page_id=``."""
    body = tree.css_first("body")
    classes = set(((body.attributes.get("class") or "") if body is not None else "").split())
    if "single" in classes or "single-post" in classes:
        return False
    return "page" in classes or "page_id=" in shortlink
