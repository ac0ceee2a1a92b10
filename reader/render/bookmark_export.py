"""Bookmarks as one file: JSON to import again, or Markdown and HTML to read anywhere.

The readable exports are the article as the reader renders it, turned back into plain text:
nothing from the feed reaches the file as Markdown or HTML that a viewer would act on.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console, Group

from reader.core.image_decode import ImageRefused, decode_picture, encode_for_page
from reader.core.models import Bookmark, Link, Post
from reader.core.post_images import post_images
from reader.core.snapshots import export_json
from reader.core.urls import is_followable
from reader.render.article import render_body

ImageBytes = Callable[[str], bytes | None]
"""The kept bytes of an image URL (a bookmark's, or the cache's), or None."""

#: Pictures in the HTML export are re-encoded at most this wide, as data: URLs.
EXPORT_WIDTH = 800


def export_bookmarks(
    bookmarks: Sequence[Bookmark], fmt: str, pictures: ImageBytes | None = None
) -> str:
    """Every bookmark in one file: ``json`` (to import), ``md`` or ``html`` (to read).

    The HTML file carries the pictures ``pictures`` has, inside it, so it reads offline.
    """
    if fmt == "json":
        return export_json(bookmarks)
    if fmt == "md":
        return _markdown(bookmarks)
    return _html(bookmarks, pictures)


def _figures(post: Post, pictures: ImageBytes | None) -> list[str]:
    """The post's pictures as ``<figure>`` elements with data: URLs, re-encoded by Pillow.

    The file's own bytes never reach the export: a picture is decoded (with every cap the
    reader applies) and written again, so nothing but plain pixels is embedded.
    """
    if pictures is None:
        return []
    figures: list[str] = []
    for image in post_images(post):
        data = pictures(image.url)
        if data is None:
            continue
        try:
            picture = decode_picture(data, EXPORT_WIDTH, EXPORT_WIDTH)
        except ImageRefused:
            continue
        mime, encoded = encode_for_page(picture)
        source = f"data:{mime};base64,{base64.standard_b64encode(encoded).decode('ascii')}"
        figures.append(
            f"<figure><img src='{source}' alt='{html.escape(image.alt, quote=True)}' "
            f"width='{picture.width}' height='{picture.height}'></figure>"
        )
    return figures


def _byline(post: Post) -> str:
    parts = [
        f"By {post.author}" if post.author else "",
        f"{post.published:%B %-d, %Y}" if post.published else "",
        " · ".join((*post.sections, *post.tags)),
    ]
    return " · ".join(p for p in parts if p)


def _markdown(bookmarks: Sequence[Bookmark]) -> str:
    out = [f"# Bookmarks ({len(bookmarks)})", ""]
    for b in bookmarks:
        post = b.post
        rendered = render_body(post.content or post.excerpt, post.url)
        out += [
            f"## {_md(post.title)}",
            "",
            f"<{_md_url(post.url)}>",
            "",
            _md(_byline(post)),
            "",
            # Indented four spaces: a code block, so no line of the article is read as
            # Markdown or HTML by a viewer.
            "\n".join("    " + line for line in _plain(rendered.renderables).splitlines()),
            "",
        ]
        if rendered.links:
            out.append("Links:")
            out += [
                f"{link.number}. {_md(link.text or link.url)} <{_md_url(link.url)}>"
                for link in rendered.links
            ]
            out.append("")
        for label, link in _navigation(post):
            out.append(f"- {label}: {_md(link.text)} <{_md_url(link.url)}>")
        out += ["", "---", ""]
    return "\n".join(out)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&])")


def _md(text: str) -> str:
    """Feed text as literal Markdown: punctuation escaped, so ``<script>`` stays text."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_url(url: str) -> str:
    """A URL safe inside ``<…>``: no angle brackets or spaces."""
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


_NAVIGATION_LABELS = {"prev": "Older", "next": "Newer", "related": "Read this next"}


def _navigation(post: Post) -> list[tuple[str, Link]]:
    """The site's post navigation of a bookmarked article, labelled, in stored order."""
    return [
        (_NAVIGATION_LABELS[link.kind.value], link)
        for link in post.links
        if link.kind.value in _NAVIGATION_LABELS
    ]


def _plain(renderables: list[Any], width: int = 100) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(Group(*renderables))
    return console.export_text().rstrip()


def _html(bookmarks: Sequence[Bookmark], pictures: ImageBytes | None = None) -> str:
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Bookmarks</title>",
        "<style>body{max-width:46em;margin:2em auto;font-family:sans-serif}"
        "pre{white-space:pre-wrap;font-family:inherit}img{max-width:100%;height:auto}"
        "</style></head><body>",
        f"<h1>Bookmarks ({len(bookmarks)})</h1>",
    ]
    for b in bookmarks:
        post = b.post
        rendered = render_body(post.content or post.excerpt, post.url)
        # The text is Rich's rendering, escaped: no markup from the feed reaches the file.
        parts.append(f"<article><h2>{html.escape(post.title)}</h2>")
        parts.append(
            f"<p><a href='{html.escape(post.url, quote=True)}'>"
            f"{html.escape(post.url)}</a><br>{html.escape(_byline(post))}</p>"
        )
        parts.extend(_figures(post, pictures))
        parts.append(f"<pre>{html.escape(_plain(rendered.renderables))}</pre>")
        if rendered.links:
            parts.append("<ol>")
            for link in rendered.links:
                href = html.escape(link.url, quote=True) if link.followable else ""
                text = html.escape(link.text or link.url)
                parts.append(
                    f"<li><a href='{href}'>{text}</a> {html.escape(link.url)}</li>"
                    if href
                    else f"<li>{text} {html.escape(link.url)}</li>"
                )
            parts.append("</ol>")
        navigation = _navigation(post)
        if navigation:
            # The same places the Markdown export lists: older, newer and "read this next".
            parts.append("<ul>")
            for label, place in navigation:
                text = html.escape(f"{label}: {place.text or place.url}")
                if is_followable(place.url):
                    text = f"<a href='{html.escape(place.url, quote=True)}'>{text}</a>"
                parts.append(f"<li>{text}</li>")
            parts.append("</ul>")
        parts.append("</article><hr>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
