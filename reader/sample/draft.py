"""How the sample posts are written down, and how they become WordPress-rendered HTML.

A :class:`Draft` body is written the way an editor types: blocks separated by blank lines,
``## `` and ``### `` for headings, ``- `` and ``1. `` for lists (two spaces nest a list),
``> `` for a quote, and a block that opens with a block-level tag kept as HTML. Links to
other sample posts are written as tokens, because their addresses depend on dates and ids:

``[[abs:slug]]`` ``{site}/2025/03/04/slug/``, ``[[abs-bare:slug]]`` the same without the
trailing slash, ``[[root:slug]]`` / ``[[root-bare:slug]]`` ``/2025/03/04/slug/``,
``[[rel:slug]]`` a ``../``-relative path from the post's own permalink, ``[[short:slug]]``
``{site}/?p=ID``; ``[[site]]`` is the site root and ``[[uploads]]`` the post's upload folder.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from reader.sample import markup
from reader.sample.site import SITE

_TOKEN = re.compile(r"\[\[(site|uploads|[a-z-]+:[a-z0-9-]+)\]\]")
_LIST_ITEM = re.compile(r"^( *)(- |\d+\. )(.*)$")
# A block that opens with one of these is already HTML; any other block is a paragraph, even
# one that opens with inline markup such as <strong>.
_HTML_BLOCK = re.compile(r"^<(figure|div|table|ul|ol|blockquote|h[1-6]|p|pre|hr|aside)\b")


@dataclass(frozen=True)
class Draft:
    """A sample post as written, before ids, dates and links are settled."""

    slug: str
    title: str
    author: str
    date: str
    """Publication time, UTC: ``2025-03-04 10:00``."""
    section: str
    topics: tuple[str, ...]
    body: str
    tags: tuple[str, ...] = ()
    excerpt_only: bool = False
    image: tuple[str, str] | None = None
    """Featured image: file name in the post's upload folder, and its alt text."""
    updated: str | None = None
    """When the post was last edited, if after publication."""

    @property
    def published(self) -> datetime:
        """The publication time as an aware UTC datetime."""
        return _moment(self.date)

    @property
    def modified(self) -> datetime:
        """The last edit as an aware UTC datetime."""
        return _moment(self.updated or self.date)

    @property
    def path(self) -> str:
        """The permalink path the post will have."""
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"

    @property
    def uploads(self) -> str:
        """The post's upload folder, as WordPress files media by month."""
        return f"{SITE}/wp-content/uploads/{self.published:%Y/%m}"


def _moment(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


def render_body(draft: Draft, paths: dict[str, str], ids: dict[str, int]) -> str:
    """The body of a draft as WordPress serves it: blocks, curly quotes, settled links."""
    html = markup.texturize_html(_blocks(draft.body))

    def settle(match: re.Match[str]) -> str:
        token = match.group(1)
        if token == "site":
            return SITE
        if token == "uploads":
            return draft.uploads
        kind, slug = token.split(":")
        if slug not in paths:
            raise KeyError(f"{draft.slug} links to unknown post {slug!r}")
        path = paths[slug]
        bare = path.rstrip("/")
        links = {
            "abs": SITE + path,
            "abs-bare": SITE + bare,
            "root": path,
            "root-bare": bare,
            "rel": posixpath.relpath(path, draft.path) + "/",
            "short": f"{SITE}/?p={ids[slug]}",
        }
        return links[kind]

    return _TOKEN.sub(settle, html)


def _blocks(text: str) -> str:
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        block = block.strip()
        if _HTML_BLOCK.match(block):
            out.append(block)
        elif block.startswith("### "):
            out.append(f'<h3 class="wp-block-heading">{block[4:]}</h3>')
        elif block.startswith("## "):
            out.append(f'<h2 class="wp-block-heading">{block[3:]}</h2>')
        elif block.startswith("> "):
            lines = " ".join(line.removeprefix("> ") for line in block.splitlines())
            out.append(f'<blockquote class="wp-block-quote"><p>{lines}</p></blockquote>')
        elif _LIST_ITEM.match(block.splitlines()[0]):
            out.append(_list(block.splitlines()))
        else:
            out.append("<p>" + " ".join(block.split()) + "</p>")
    return "\n\n".join(out) + "\n"


def _list(lines: list[str]) -> str:
    """Nested lists from ``- `` / ``1. `` lines; two more spaces of indent open a sub-list."""
    html: list[str] = []
    stack: list[tuple[int, str]] = []
    for line in lines:
        match = _LIST_ITEM.match(line)
        if match is None:
            # A wrapped line continues the item above it.
            html[-1] = html[-1] + " " + line.strip()
            continue
        depth, tag = len(match.group(1)), "ul" if match.group(2) == "- " else "ol"
        while stack and stack[-1][0] > depth:
            html.append(f"</li>\n</{stack.pop()[1]}>\n")
        if stack and stack[-1][0] == depth:
            html.append("</li>")
        else:
            html.append(f'\n<{tag} class="wp-block-list">\n')
            stack.append((depth, tag))
        html.append(f"\n<li>{match.group(3)}")
    while stack:
        html.append(f"</li>\n</{stack.pop()[1]}>\n")
    return "".join(html).strip()


def figure(file: str, alt: str, caption: str) -> str:
    """An image block with a caption, its file in the post's upload folder."""
    return (
        '<figure class="wp-block-image size-large"><img decoding="async" width="1024" '
        f'height="683" src="[[uploads]]/{file}" alt="{escape(alt)}"/>'
        f'<figcaption class="wp-element-caption">{caption}</figcaption></figure>'
    )


def video(youtube_id: str, title: str) -> str:
    """A YouTube embed block as the block editor saves and renders it."""
    return (
        '<figure class="wp-block-embed is-type-video is-provider-youtube '
        'wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio">'
        '<div class="wp-block-embed__wrapper">\n'
        f'<iframe title="{escape(title)}" width="640" height="360" '
        f'src="https://www.youtube.com/embed/{youtube_id}?feature=oembed" frameborder="0" '
        'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; '
        'picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" '
        "allowfullscreen></iframe>\n</div></figure>"
    )


def pullquote(text: str, cite: str) -> str:
    """A pull quote block."""
    return (
        '<figure class="wp-block-pullquote"><blockquote><p>'
        f"{text}</p><cite>{cite}</cite></blockquote></figure>"
    )


def table(head: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "") -> str:
    """A table block with a header row."""
    header = "".join(f"<th>{cell}</th>" for cell in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    note = f'<figcaption class="wp-element-caption">{caption}</figcaption>' if caption else ""
    return (
        f'<figure class="wp-block-table"><table class="has-fixed-layout"><thead><tr>{header}'
        f"</tr></thead><tbody>{body}</tbody></table>{note}</figure>"
    )
