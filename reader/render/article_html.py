"""An article's block tree as HTML that a browser shows offline and can never run.

Only elements written here reach the page, each with a fixed set of attributes; every word
and every attribute value is escaped. Links are http(s) only. A picture is drawn only from
bytes handed in (they become a ``data:`` address); otherwise it is its alt text, linked to the
picture's address, so opening the file fetches nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from reader.render.article_blocks import (
    Anchor,
    Block,
    Code,
    Figure,
    Heading,
    Inline,
    LineBreak,
    ListOf,
    Paragraph,
    Picture,
    Quote,
    Rule,
    Table,
    Words,
)

PictureData = Callable[[Picture], "tuple[str, int, int] | None"]
"""A picture's ``data:`` address and its width and height in pixels, or None to show its alt."""

_TAGS = {"strong": "strong", "em": "em", "code": "code", "del": "del", "sup": "sup", "sub": "sub"}


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _attribute(value: str) -> str:
    return html.escape(value, quote=True)


def link(url: str, words: str) -> str:
    """An ``<a>`` to an http(s) address; ``words`` is HTML already escaped."""
    return f'<a href="{_attribute(url)}" rel="noopener noreferrer">{words}</a>'


def inline_html(
    content: list[Inline], picture_data: PictureData | None = None, *, in_link: bool = False
) -> str:
    """Inline content as HTML; ``in_link`` says it stands inside an ``<a>`` already."""
    return "".join(_inline(node, picture_data, in_link) for node in content)


def _inline(node: Inline, picture_data: PictureData | None, in_link: bool) -> str:
    if isinstance(node, Words):
        return _text(node.text)
    if isinstance(node, LineBreak):
        return "<br>"
    if isinstance(node, Picture):
        return picture_html(node, picture_data, linked=not in_link)
    if isinstance(node, Anchor):
        if node.linked and not in_link:
            return link(node.url, inline_html(node.children, picture_data, in_link=True))
        words = inline_html(node.children, picture_data, in_link=in_link)
        if node.linked:
            return words  # a link inside a link: browsers would break the outer one apart
        # Shown, never followed (javascript:, data:, file:...).
        return f'{words} <span class="unfollowed">({_text(node.url)})</span>'
    tag = _TAGS[node.style]
    return f"<{tag}>{inline_html(node.children, picture_data, in_link=in_link)}</{tag}>"


def picture_html(picture: Picture, picture_data: PictureData | None, *, linked: bool = True) -> str:
    """An ``<img>`` from the bytes kept for it, else its alt text, linked to it if ``linked``."""
    data = picture_data(picture) if picture_data is not None and picture.src else None
    if data is not None:
        address, width, height = data
        return (
            f'<img src="{_attribute(address)}" alt="{_attribute(picture.alt)}" '
            f'width="{width}" height="{height}">'
        )
    label = _text(f"[image: {picture.alt}]" if picture.alt else "[image]")
    if picture.src is None or not linked:
        return f'<span class="image">{label}</span>'
    return f'<span class="image">{link(picture.src, label)}</span>'


def blocks_html(
    blocks: list[Block], *, heading_offset: int = 0, picture_data: PictureData | None = None
) -> str:
    """Blocks as HTML, one element a line; headings moved ``heading_offset`` levels down."""
    return "\n".join(_block(block, heading_offset, picture_data) for block in blocks)


def _block(block: Block, offset: int, pictures: PictureData | None) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{inline_html(block.content, pictures)}</p>"
    if isinstance(block, Heading):
        level = min(max(block.level, 2) + offset - 1, 6)
        return f"<h{level}>{inline_html(block.content, pictures)}</h{level}>"
    if isinstance(block, ListOf):
        items = "\n".join(f"<li>{_item(item, offset, pictures)}</li>" for item in block.items)
        if not block.ordered:
            return f"<ul>\n{items}\n</ul>"
        start = f' start="{block.start}"' if block.start != 1 else ""
        return f"<ol{start}>\n{items}\n</ol>"
    if isinstance(block, Quote):
        inner = blocks_html(block.blocks, heading_offset=offset, picture_data=pictures)
        return f"<blockquote>\n{inner}\n</blockquote>"
    if isinstance(block, Code):
        return f"<pre><code>{_text(block.text)}</code></pre>"
    if isinstance(block, Table):
        return _table(block, pictures)
    if isinstance(block, Figure):
        inner = blocks_html(block.blocks, heading_offset=offset, picture_data=pictures)
        caption = (
            f"\n<figcaption>{inline_html(block.caption, pictures)}</figcaption>"
            if block.caption
            else ""
        )
        return f"<figure>\n{inner}{caption}\n</figure>"
    assert isinstance(block, Rule)
    return "<hr>"


def _item(item: list[Block], offset: int, pictures: PictureData | None) -> str:
    # A paragraph starting an item is written bare, as a browser shows a tight list.
    if item and isinstance(item[0], Paragraph):
        words = inline_html(item[0].content, pictures)
        rest = blocks_html(item[1:], heading_offset=offset, picture_data=pictures)
        return f"{words}\n{rest}" if rest else words
    return blocks_html(item, heading_offset=offset, picture_data=pictures)


def _table(table: Table, pictures: PictureData | None) -> str:
    parts = ["<table>"]
    if table.caption:
        parts.append(f"<caption>{inline_html(table.caption, pictures)}</caption>")
    for row in table.rows:
        cells = []
        for cell in row:
            tag = "th" if cell.header else "td"
            span = f' colspan="{cell.span}"' if cell.span > 1 else ""
            cells.append(f"<{tag}{span}>{inline_html(cell.content, pictures)}</{tag}>")
        parts.append(f"<tr>{''.join(cells)}</tr>")
    parts.append("</table>")
    return "\n".join(parts)
