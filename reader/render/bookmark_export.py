"""Bookmarks as one file: JSON to import again, or Markdown and HTML to read anywhere.

The readable exports carry each article's structure (headings, lists, quotes, tables, figures,
links, images) in their own syntax, built from :mod:`reader.render.article_blocks`: nothing
from the page reaches the file except words, escaped, and addresses we checked. The HTML file
is one self-contained page: pictures kept with the bookmark are inside it as ``data:``
addresses, its policy forbids scripts and any fetch, and it reads the same offline.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator, Sequence

from reader.core.image_decode import ImageRefused, decode_picture, encode_for_page
from reader.core.models import Bookmark, Link, LinkKind, Post
from reader.core.post_images import absolute_image_url
from reader.core.snapshots import export_json
from reader.core.text import clean_line
from reader.core.urls import is_followable, scheme
from reader.render.article_blocks import (
    Anchor,
    Block,
    Figure,
    Heading,
    Inline,
    ListOf,
    Paragraph,
    Picture,
    Quote,
    Styled,
    Table,
    Words,
    article_blocks,
)
from reader.render.article_html import blocks_html, inline_html
from reader.render.article_html import link as html_link
from reader.render.article_markdown import blocks_markdown, escape, inline_markdown, link_address
from reader.render.links import decoded_url, resolve_link

ImageBytes = Callable[[str], bytes | None]
"""The kept bytes of an image URL (a bookmark's, or the cache's), or None."""

#: Pictures in the HTML export are scaled to at most this many pixels wide and high.
EXPORT_WIDTH = 800

#: No script, no fetch of any kind: styles in the page and pictures inside it only.
CONTENT_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'"

_NAVIGATION = (
    (LinkKind.OLDER, "Older"),
    (LinkKind.NEWER, "Newer"),
    (LinkKind.READ_NEXT, "Read this next"),
)

_STYLE = """
body { max-width: 46em; margin: 2em auto; padding: 0 1em; font: 1.05em/1.55 Georgia, serif;
       color: #1b1b1b; background: #fdfdfb; }
h1, h2, h3, h4, h5, h6 { font-family: system-ui, sans-serif; line-height: 1.25; }
a { color: #8a0000; }
.byline, .source, .unfollowed, figcaption, caption { color: #555; font-size: 0.92em; }
blockquote { margin: 1em 0; padding: 0 1em; border-left: 4px solid #c9c9c9; color: #333; }
figure { margin: 1.2em 0; }
img { max-width: 100%; height: auto; }
pre { overflow-x: auto; padding: 0.8em; background: #f1f1ee; }
code { font-family: ui-monospace, monospace; font-size: 0.92em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #c9c9c9; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f1f1ee; }
article { margin-bottom: 3em; }
hr { border: 0; border-top: 1px solid #c9c9c9; margin: 2em 0; }
"""


def export_bookmarks(
    bookmarks: Sequence[Bookmark], fmt: str, pictures: ImageBytes | None = None
) -> str:
    """Every bookmark in one file: ``json`` (to import), ``md`` or ``html`` (to read).

    The HTML and JSON files carry inside them the pictures ``pictures`` has bytes for.
    """
    if fmt == "json":
        return export_json(bookmarks, pictures=pictures)
    if fmt == "md":
        return markdown_export(bookmarks)
    return html_export(bookmarks, pictures)


# -- what each article holds besides its body ------------------------------------------------


def _byline(post: Post) -> str:
    parts = [
        f"By {clean_line(post.author, decode=False)}" if post.author.strip() else "",
        f"{post.published:%B %-d, %Y}" if post.published else "",
        " · ".join(clean_line(name, decode=False) for name in (*post.sections, *post.tags)),
    ]
    return " · ".join(p for p in parts if p)


def _body(post: Post) -> list[Block]:
    """The article's blocks, its featured picture first (unless the body shows it already)."""
    blocks = article_blocks(post.content or post.excerpt, post.url)
    featured = post.link(LinkKind.FEATURED)
    src = absolute_image_url(featured.url, post.url) if featured is not None else None
    if featured is not None and src is not None and src not in _picture_sources(blocks):
        picture = Picture(src, clean_line(featured.text, decode=False))
        blocks.insert(0, Figure([Paragraph([picture])]))
    return blocks


def _picture_sources(blocks: list[Block]) -> set[str]:
    """The addresses of every picture in ``blocks``."""
    found: set[str] = set()
    for content in _inline_runs(blocks):
        pending = list(content)
        while pending:
            node = pending.pop()
            if isinstance(node, Picture) and node.src:
                found.add(node.src)
            elif isinstance(node, Styled | Anchor):
                pending.extend(node.children)
    return found


def _inline_runs(blocks: list[Block]) -> Iterator[list[Inline]]:
    """Every run of inline content in ``blocks``, at any depth."""
    pending = list(blocks)
    while pending:
        block = pending.pop()
        if isinstance(block, Paragraph | Heading):
            yield block.content
        elif isinstance(block, Quote):
            pending.extend(block.blocks)
        elif isinstance(block, Figure):
            pending.extend(block.blocks)
            yield block.caption
        elif isinstance(block, ListOf):
            for item in block.items:
                pending.extend(item)
        elif isinstance(block, Table):
            yield block.caption
            for row in block.rows:
                for cell in row:
                    yield cell.content


def _topics(post: Post) -> list[Link]:
    seen: set[tuple[str, str]] = set()
    topics: list[Link] = []
    for link in post.links:
        if link.kind is LinkKind.TOPIC and (link.url, link.text) not in seen:
            seen.add((link.url, link.text))
            topics.append(link)
    return topics


def _navigation(post: Post) -> list[tuple[str, Link]]:
    """The site's post navigation of a bookmarked article, labelled: older, newer, read next."""
    places: list[tuple[str, Link]] = []
    for kind, label in _NAVIGATION:
        link = post.link(kind)
        if link is not None and link.url:
            places.append((label, link))
    return places


def _anchor(link: Link, post: Post) -> Inline:
    """A stored link (navigation, topic) as inline content, resolved like the body's links."""
    words = clean_line(link.text, decode=False) or link.url
    resolved = resolve_link(decoded_url(link.url), post.url)
    if resolved is None:
        return Words(words)
    return Anchor(resolved[0], resolved[1] or scheme(resolved[0]) == "mailto", [Words(words)])


# -- Markdown --------------------------------------------------------------------------------


def markdown_export(bookmarks: Sequence[Bookmark]) -> str:
    """Every bookmark as a Markdown article under one heading."""
    out = [f"# Bookmarks ({len(bookmarks)})"]
    for bookmark in bookmarks:
        post = bookmark.post
        out += ["", f"## {escape(clean_line(post.title, decode=False))}", ""]
        out.append(_md_link(post.url))
        byline = _byline(post)
        if byline:
            out += ["", escape(byline)]
        body = blocks_markdown(_body(post), heading_offset=2)
        if body:
            out += ["", body]
        topics = _topics(post)
        if topics:
            listed = ", ".join(inline_markdown([_anchor(t, post)]) for t in topics)
            out += ["", f"Read more about: {listed}"]
        navigation = _navigation(post)
        if navigation:
            out.append("")
            out += [
                f"- {label}: {inline_markdown([_anchor(link, post)])}" for label, link in navigation
            ]
        out += ["", "---"]
    return "\n".join(out) + "\n"


def _md_link(url: str) -> str:
    if not is_followable(url):
        return escape(url)
    return f"[{escape(url)}]({link_address(url)})"


# -- HTML ------------------------------------------------------------------------------------


def html_export(bookmarks: Sequence[Bookmark], pictures: ImageBytes | None = None) -> str:
    """Every bookmark as an article of one self-contained page."""
    picture_data = _picture_data(pictures) if pictures is not None else None
    title = f"Bookmarks ({len(bookmarks)})"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_POLICY}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
    ]
    if len(bookmarks) > 1:
        parts.append("<ol>")
        for number, bookmark in enumerate(bookmarks, 1):
            words = inline_html([Words(clean_line(bookmark.post.title, decode=False))])
            parts.append(f'<li><a href="#bookmark-{number}">{words}</a></li>')
        parts.append("</ol>")
    for number, bookmark in enumerate(bookmarks, 1):
        post = bookmark.post
        words = inline_html([Words(clean_line(post.title, decode=False))])
        parts.append(f'<article id="bookmark-{number}">')
        parts.append(f"<h2>{words}</h2>")
        byline = _byline(post)
        if byline:
            parts.append(f'<p class="byline">{inline_html([Words(byline)])}</p>')
        source = inline_html([Words(post.url)])
        if is_followable(post.url):
            source = html_link(post.url, source)
        parts.append(f'<p class="source">{source}</p>')
        parts.append(blocks_html(_body(post), heading_offset=2, picture_data=picture_data))
        topics = _topics(post)
        if topics:
            listed = ", ".join(inline_html([_anchor(t, post)]) for t in topics)
            parts.append(f"<p>Read more about: {listed}</p>")
        navigation = _navigation(post)
        if navigation:
            parts.append("<ul>")
            for label, link in navigation:
                parts.append(f"<li>{label}: {inline_html([_anchor(link, post)])}</li>")
            parts.append("</ul>")
        parts.append("</article>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _picture_data(pictures: ImageBytes) -> Callable[[Picture], tuple[str, int, int] | None]:
    """Pictures as ``data:`` addresses, decoded and written again (never the page's bytes)."""
    done: dict[str, tuple[str, int, int] | None] = {}

    def data_of(picture: Picture) -> tuple[str, int, int] | None:
        src = picture.src
        if src is None:
            return None
        if src not in done:
            done[src] = _encoded(pictures(src))
        return done[src]

    return data_of


def _encoded(data: bytes | None) -> tuple[str, int, int] | None:
    if data is None:
        return None
    try:
        # Decoded with every cap the reader applies, then written again as plain pixels: no
        # metadata, script or second image inside a file reaches the export.
        picture = decode_picture(data, EXPORT_WIDTH, EXPORT_WIDTH)
    except ImageRefused:
        return None
    mime, data = encode_for_page(picture)
    encoded = base64.standard_b64encode(data).decode("ascii")
    return f"data:{mime};base64,{encoded}", picture.width, picture.height
