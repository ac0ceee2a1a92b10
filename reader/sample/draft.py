"""How the sample posts are written down, read from their files, and turned into WordPress HTML.

Each post is a file in ``reader/sample/posts/``, named by its slug: Markdown with TOML front
matter between ``+++`` lines. Prose is three quarters of the sample site, and prose reads and
diffs best as wrapped lines of plain text: not Python strings, not TOML multi-line strings, not
HTML where every paragraph hides between tags. The few fields around it are typed in TOML,
which the standard library reads (no dependency) and where a date typed wrong fails loudly.
Front matter keys: ``title`` (as typed, before WordPress curls its quotes), ``author`` (a slug),
``date`` and optional ``updated`` (UTC, ``2025-03-04 10:00:00Z``), ``section``, ``topics``,
optional ``tags``, ``excerpt_only`` (the feed carries only the excerpt) and an ``[image]``
table (``file`` in the post's upload folder and ``alt``): the featured image.

The body is written the way an editor types: blocks separated by blank lines, ``## `` and
``### `` for headings, ``- `` and ``1. `` for lists (two spaces nest a list), ``> `` for a
quote, and a block that opens with a block-level tag kept as HTML. Four block forms stand for
the WordPress blocks that are tedious to type as HTML: ``![alt](file.png)`` an image from the
post's upload folder, ``![title](https://www.youtube.com/watch?v=ID)`` a YouTube embed (the
sample's ids are made up), a pipe table (header row, ``| --- |`` row, body rows), and ``>> ``
lines a pull quote. An image, a table or a pull quote may end with a caption (a citation for
the quote): the lines from one that opens with ``: ``.

Links to other sample posts are written as tokens, because their addresses depend on dates and
ids: ``[[abs:slug]]`` ``{site}/2025/03/04/slug/``, ``[[abs-bare:slug]]`` the same without the
trailing slash, ``[[root:slug]]`` / ``[[root-bare:slug]]`` ``/2025/03/04/slug/``,
``[[rel:slug]]`` a ``../``-relative path from the post's own permalink, ``[[short:slug]]``
``{site}/?p=ID``; ``[[site]]`` is the site root and ``[[uploads]]`` the post's upload folder.
The newsletters, mostly links to earlier posts, use every one of these forms between them.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

from reader.sample import markup
from reader.sample.site import SITE

POSTS = Path(__file__).with_name("posts")
"""The folder of post files. (``importlib.resources`` would cost the demo 20 ms to import.)"""

_TOKEN = re.compile(r"\[\[(site|uploads|[a-z-]+:[a-z0-9-]+)\]\]")
_LIST_ITEM = re.compile(r"^( *)(- |\d+\. )(.*)$")
# A block that opens with one of these is already HTML; any other block is a paragraph, even
# one that opens with inline markup such as <strong>.
_HTML_BLOCK = re.compile(r"^<(figure|div|table|ul|ol|blockquote|h[1-6]|p|pre|hr|aside)\b")
_IMAGE = re.compile(r"^!\[([^\]]+)\]\((\S+)\)$")
_YOUTUBE = re.compile(r"^https://www\.youtube\.com/watch\?v=([\w-]+)$")
_TABLE_RULE = re.compile(r"^\|( *-{3,} *\|)+$")
_FRONT_MATTER = re.compile(r"\A\+\+\+\n(.*?)\n\+\+\+\n", re.DOTALL)
_REQUIRED = frozenset({"title", "author", "date", "section", "topics"})
_OPTIONAL = frozenset({"updated", "tags", "excerpt_only", "image"})


@dataclass(frozen=True)
class Draft:
    """A sample post as written, before ids, dates and links are settled."""

    slug: str
    title: str
    author: str
    published: datetime
    """Publication time, UTC."""
    section: str
    topics: tuple[str, ...]
    body: str
    tags: tuple[str, ...] = ()
    excerpt_only: bool = False
    image: tuple[str, str] | None = None
    """Featured image: file name in the post's upload folder, and its alt text."""
    updated: datetime | None = None
    """When the post was last edited, if after publication."""

    @property
    def modified(self) -> datetime:
        """The last edit as an aware UTC datetime."""
        return self.updated or self.published

    @property
    def path(self) -> str:
        """The permalink path the post will have."""
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"

    @property
    def uploads(self) -> str:
        """The post's upload folder, as WordPress files media by month."""
        return f"{SITE}/wp-content/uploads/{self.published:%Y/%m}"


def read_drafts(folder: Path = POSTS) -> list[Draft]:
    """Every post file in ``folder``, oldest first."""
    drafts = [parse_draft(path.read_text("utf-8"), path.stem) for path in folder.glob("*.md")]
    return sorted(drafts, key=lambda draft: (draft.published, draft.slug))


def parse_draft(text: str, slug: str) -> Draft:
    """A draft from the text of its file (ValueError, naming the post, when it is malformed)."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise ValueError(f"{slug}: no +++ front matter at the top")
    try:
        fields = tomllib.loads(match.group(1))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{slug}: {error}") from None
    missing, unknown = _REQUIRED - fields.keys(), fields.keys() - _REQUIRED - _OPTIONAL
    if missing or unknown:
        raise ValueError(f"{slug}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    image = fields.get("image")
    if image is not None and (not isinstance(image, dict) or image.keys() != {"file", "alt"}):
        raise ValueError(f"{slug}: [image] needs exactly file and alt")
    updated = fields.get("updated")
    return Draft(
        slug=slug,
        title=_text(slug, fields, "title"),
        author=_text(slug, fields, "author"),
        published=_utc(slug, fields["date"]),
        updated=None if updated is None else _utc(slug, updated),
        section=_text(slug, fields, "section"),
        topics=_slugs(slug, fields, "topics"),
        tags=_slugs(slug, fields, "tags"),
        excerpt_only=fields.get("excerpt_only", False) is True,
        image=None if image is None else (_text(slug, image, "file"), _text(slug, image, "alt")),
        body=text[match.end() :],
    )


def _text(slug: str, fields: dict[str, Any], key: str) -> str:
    value = fields[key]
    if not isinstance(value, str) or not value:
        raise ValueError(f"{slug}: {key} must be a non-empty string")
    return value


def _slugs(slug: str, fields: dict[str, Any], key: str) -> tuple[str, ...]:
    value = fields.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{slug}: {key} must be a list of slugs")
    return tuple(value)


def _utc(slug: str, value: object) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() != timedelta(0):
        raise ValueError(f"{slug}: dates are written in UTC, as 2025-03-04 10:00:00Z")
    return value.astimezone(UTC)


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
        elif block.startswith("!["):
            out.append(_image(block))
        elif block.startswith("| "):
            out.append(_table(block))
        elif block.startswith(">> "):
            quoted, cite = _captioned(block)
            out.append(pullquote(" ".join(line.removeprefix(">> ") for line in quoted), cite))
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


def _captioned(block: str) -> tuple[list[str], str]:
    """The lines of a block, and its caption: the lines from the first that opens with ``: ``."""
    lines = block.splitlines()
    for index, line in enumerate(lines):
        if line.startswith(": "):
            return lines[:index], " ".join(part.strip() for part in lines[index:])[2:]
    return lines, ""


def _image(block: str) -> str:
    lines, caption = _captioned(block)
    match = _IMAGE.match(lines[0]) if len(lines) == 1 else None
    if match is None:
        raise ValueError(f"an image block is one line, ![alt](file), and a caption: {block!r}")
    alt, target = match.groups()
    if youtube := _YOUTUBE.match(target):
        if caption:
            raise ValueError(f"a video takes no caption: {block!r}")
        return video(youtube.group(1), alt)
    return figure(target, alt, caption)


def _table(block: str) -> str:
    lines, caption = _captioned(block)
    if len(lines) < 3 or not _TABLE_RULE.match(lines[1].replace(" ", "")):
        raise ValueError(f"a table has a header row, a | --- | row and body rows: {block!r}")
    head, *rows = (
        [cell.strip() for cell in line.removeprefix("|").removesuffix("|").split("|")]
        for line in (lines[0], *lines[2:])
    )
    if any(len(row) != len(head) for row in rows):
        raise ValueError(f"every row of a table has as many cells as its header: {block!r}")
    return table(head, rows, caption)


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
