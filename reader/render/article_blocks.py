"""An article body as a small tree of blocks: its structure without its looks, for the exports.

The Markdown and HTML exports write the same structure the article view shows (headings,
paragraphs, lists, quotes, tables, figures, code, links) in their own syntax. The HTML comes
from the network, so the walk keeps an allow-list of elements, drops scripts and forms, strips
control characters from every string and keeps only what it understands: nothing of the page's
own markup reaches an export. The walk uses an explicit stack and nests blocks and inline styles
at most a few levels deep, so the writers may recurse over the tree however deep the page nests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from selectolax.lexbor import LexborHTMLParser, LexborNode

from reader.core.post_images import image_source, is_emoji
from reader.core.text import clean_line, strip_controls
from reader.core.urls import scheme
from reader.render.embeds import EMBED_TAGS, embed_kind, embed_source, host_of, watch_page
from reader.render.lines import COLLAPSIBLE
from reader.render.links import decoded_url, resolve_link

#: Quotes, lists and figures nested deeper than this are written at this depth.
DEEPEST_BLOCK = 8
#: Inline styles (bold in italic in a link...) nested deeper than this add nothing.
DEEPEST_INLINE = 8

Style = Literal["strong", "em", "code", "del", "sup", "sub"]

# -- inline content ------------------------------------------------------------------------


@dataclass
class Words:
    """Plain text, whitespace already collapsed."""

    text: str


@dataclass
class Styled:
    """Text in a style: bold, italic, code, struck out, superscript or subscript."""

    style: Style
    children: list[Inline] = field(default_factory=list)


@dataclass
class Anchor:
    """A link; ``linked`` is False for addresses an export shows as text (``javascript:``...)."""

    url: str
    linked: bool
    """True for http(s) and mailto addresses, which an export may make a link of."""
    children: list[Inline] = field(default_factory=list)


@dataclass
class Picture:
    """An image: its absolute http(s) address (None when it has none) and its alt text."""

    src: str | None
    alt: str
    width: int | None = None
    height: int | None = None


@dataclass
class LineBreak:
    """A forced line break (``<br>``)."""


Inline = Words | Styled | Anchor | Picture | LineBreak

# -- blocks --------------------------------------------------------------------------------


@dataclass
class Heading:
    """A heading; ``level`` 1 is the biggest heading in the body."""

    level: int
    content: list[Inline] = field(default_factory=list)


@dataclass
class Paragraph:
    """A paragraph (also any text that sits directly in a list item or a quote)."""

    content: list[Inline] = field(default_factory=list)


@dataclass
class ListOf:
    """A bulleted or numbered list; each item is a list of blocks."""

    ordered: bool
    start: int = 1
    items: list[list[Block]] = field(default_factory=list)


@dataclass
class Quote:
    """A block quote or pull quote."""

    blocks: list[Block] = field(default_factory=list)


@dataclass
class Code:
    """Preformatted text, kept exactly (controls removed)."""

    text: str


@dataclass
class Cell:
    """One table cell: a header cell or not, how many columns it spans, its text."""

    header: bool
    span: int = 1
    content: list[Inline] = field(default_factory=list)


@dataclass
class Table:
    """A table: rows of cells, and the caption."""

    rows: list[list[Cell]] = field(default_factory=list)
    caption: list[Inline] = field(default_factory=list)


@dataclass
class Figure:
    """A picture (or quote, or table) with its caption."""

    blocks: list[Block] = field(default_factory=list)
    caption: list[Inline] = field(default_factory=list)


@dataclass
class Rule:
    """A horizontal rule."""


Block = Heading | Paragraph | ListOf | Quote | Code | Table | Figure | Rule

# -- the walk ------------------------------------------------------------------------------

_DROPPED = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "form", "input", "button",
        "select", "textarea", "option", "optgroup", "datalist", "nav", "head", "title",
        "meta", "link", "base", "canvas", "map", "dialog", "param", "source", "track",
        "frameset", "frame", "noembed", "noframes",
    }
)  # fmt: skip
# Elements that end the paragraph before them and after them, and hold blocks.
_BREAKING = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "aside", "address",
        "summary", "details", "fieldset", "legend", "center", "hgroup", "search", "dl", "dt",
        "dd", "tbody", "tfoot", "thead",
    }
)  # fmt: skip
_STYLES: dict[str, Style] = {
    "strong": "strong",
    "b": "strong",
    "em": "em",
    "i": "em",
    "dfn": "em",
    "var": "em",
    "code": "code",
    "kbd": "code",
    "samp": "code",
    "tt": "code",
    "s": "del",
    "del": "del",
    "strike": "del",
    "sup": "sup",
    "sub": "sub",
}

Closer = Callable[[], None]


def _nothing() -> None:
    """A closer with nothing to undo."""


class _Walk:
    """Builds the block tree of one body. Use once."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.root: list[Block] = []
        self._containers: list[list[Block]] = [self.root]
        """Where blocks go: the body, then each open quote, list item or figure."""
        self._inline: list[list[Inline]] | None = None
        """Where text goes: the open paragraph, heading, cell or caption, then open styles."""
        self._fixed = 0
        """Open headings, cells and captions: blocks inside them are written as text."""
        self._lists: list[ListOf | None] = []
        """Open lists (None for one nested too deep to be a list of its own)."""
        self._table: Table | None = None
        self._cell_row: list[Cell] | None = None
        self._figures: list[Figure] = []
        self._in_anchor = False

    # -- places --------------------------------------------------------------------------

    def _block(self, block: Block) -> None:
        self._end_paragraph()
        self._containers[-1].append(block)

    def _end_paragraph(self) -> None:
        if not self._fixed:
            self._inline = None

    def _sink(self) -> list[Inline]:
        """Where inline content goes now, opening a paragraph when none is open."""
        if self._inline is None:
            paragraph = Paragraph()
            self._containers[-1].append(paragraph)
            self._inline = [paragraph.content]
        return self._inline[-1]

    def _open_container(self, blocks: list[Block]) -> Closer:
        self._end_paragraph()
        self._containers.append(blocks)

        def close() -> None:
            self._end_paragraph()
            self._containers.pop()

        return close

    def _open_inline(self, target: list[Inline]) -> Closer:
        """Send text into ``target`` (a heading, a cell, a caption) until the element ends."""
        self._end_paragraph()
        outer = self._inline
        self._inline = [target]
        self._fixed += 1

        def close() -> None:
            self._fixed -= 1
            self._inline = outer
            self._end_paragraph()

        return close

    @property
    def _deep(self) -> bool:
        return len(self._containers) > DEEPEST_BLOCK

    # -- walking -------------------------------------------------------------------------

    def walk(self, html: str) -> list[Block]:
        body = LexborHTMLParser(html).body
        if body is None:
            return self.root
        open_nodes: list[tuple[LexborNode, Closer | None]] = []
        node: LexborNode | None = body.child
        while node is not None:
            child, closer = self._enter(node)
            if child is not None:
                open_nodes.append((node, closer))
                node = child
                continue
            if closer is not None:
                closer()
            while node is not None and node.next is None:
                if not open_nodes:
                    node = None
                    break
                node, closer = open_nodes.pop()
                if closer is not None:
                    closer()
            if node is not None:
                node = node.next
        return _tidy(self.root)

    def _enter(self, node: LexborNode) -> tuple[LexborNode | None, Closer | None]:
        tag = node.tag
        if tag == "-text":
            self._text(node.text_content or "")
            return None, None
        if not tag or tag[0] == "-" or tag in _DROPPED:
            return None, None
        handler = _HANDLERS.get(tag)
        if handler is not None:
            result = handler(self, node)
            if result is None:
                return None, None  # a leaf: its content was read already
            return node.child, result
        if tag in _STYLES:
            return node.child, self._style(_STYLES[tag])
        if tag in _BREAKING:
            if self._fixed:
                self._space()
                return node.child, self._space
            self._end_paragraph()
            return node.child, self._end_paragraph
        return node.child, None

    def _text(self, raw: str) -> None:
        text = COLLAPSIBLE.sub(" ", strip_controls(raw))
        if not text.strip() and self._inline is None:
            return  # whitespace between blocks
        self._sink().append(Words(text))

    def _space(self) -> None:
        if self._inline is not None:
            self._inline[-1].append(Words(" "))

    def _style(self, style: Style) -> Closer:
        sink = self._sink()
        if self._inline is None or len(self._inline) > DEEPEST_INLINE:
            return _nothing
        styled = Styled(style)
        sink.append(styled)
        stack = self._inline
        stack.append(styled.children)

        def close() -> None:
            stack.pop()

        return close

    # -- element handlers: a closer, or None for an element read whole ---------------------

    def _heading(self, node: LexborNode) -> Closer | None:
        if self._fixed:
            return self._style("strong")
        level = int((node.tag or "h2")[1])
        heading = Heading(level)
        self._block(heading)
        return self._open_inline(heading.content)

    def _list(self, node: LexborNode) -> Closer | None:
        if self._fixed or self._deep:
            self._lists.append(None)

            def close_flat() -> None:
                self._lists.pop()

            return close_flat
        attributes = node.attributes
        listing = ListOf(ordered=node.tag == "ol")
        start = _integer(attributes.get("start"))
        if listing.ordered and start is not None:
            listing.start = start
        self._block(listing)
        self._lists.append(listing)

        def close() -> None:
            self._lists.pop()
            self._end_paragraph()

        return close

    def _item(self, node: LexborNode) -> Closer | None:
        listing = self._lists[-1] if self._lists else None
        if listing is None:
            # An item outside a list, or in one too deep: its words, on a line of their own.
            if self._fixed:
                self._space()
                return self._space
            self._end_paragraph()
            return self._end_paragraph
        item: list[Block] = []
        listing.items.append(item)
        return self._open_container(item)

    def _quote(self, node: LexborNode) -> Closer | None:
        if self._fixed or self._deep:
            return self._style("em")
        quote = Quote()
        self._block(quote)
        return self._open_container(quote.blocks)

    def _figure(self, node: LexborNode) -> Closer | None:
        if self._fixed or self._deep:
            return _nothing
        figure = Figure()
        self._block(figure)
        close_container = self._open_container(figure.blocks)
        self._figures.append(figure)

        def close() -> None:
            self._figures.pop()
            close_container()

        return close

    def _figcaption(self, node: LexborNode) -> Closer | None:
        figure = self._figures[-1] if self._figures else None
        if figure is None or self._fixed:
            return _nothing
        return self._open_inline(figure.caption)

    def _pre(self, node: LexborNode) -> Closer | None:
        text = strip_controls(node.text(deep=True, separator="", strip=False))
        text = text.removeprefix("\n").rstrip()
        if self._fixed:
            self._sink().append(Styled("code", [Words(COLLAPSIBLE.sub(" ", text))]))
        elif text:
            self._block(Code(text.expandtabs(8)))
        return None

    def _rule(self, node: LexborNode) -> Closer | None:
        if self._fixed:
            self._space()
        else:
            self._block(Rule())
        return None

    def _br(self, node: LexborNode) -> Closer | None:
        if self._inline is not None:
            self._inline[-1].append(LineBreak())
        return None

    def _image(self, node: LexborNode) -> Closer | None:
        alt = clean_line(_unescaped(node.attributes.get("alt") or ""))
        if is_emoji(node):
            # WordPress turns emoji into pictures; the alt text is the emoji itself.
            self._sink().append(Words(alt))
            return None
        src = image_source(node, self.base_url)
        width = _integer(node.attributes.get("width"))
        height = _integer(node.attributes.get("height"))
        self._sink().append(Picture(src, alt, width, height))
        return None

    def _anchor(self, node: LexborNode) -> Closer | None:
        href = node.attributes.get("href")
        resolved = resolve_link(decoded_url(href), self.base_url) if href is not None else None
        if resolved is None or self._in_anchor or self._inline_full:
            return _nothing
        anchor = Anchor(resolved[0], _linkable(*resolved))
        self._sink().append(anchor)
        assert self._inline is not None
        stack = self._inline
        stack.append(anchor.children)
        self._in_anchor = True

        def close() -> None:
            self._in_anchor = False
            stack.pop()

        return close

    @property
    def _inline_full(self) -> bool:
        return self._inline is not None and len(self._inline) > DEEPEST_INLINE

    def _embed(self, node: LexborNode) -> Closer | None:
        source = embed_source(node)
        attributes = node.attributes
        title = clean_line(
            _unescaped(attributes.get("title") or attributes.get("aria-label") or "")
        )
        resolved = resolve_link(decoded_url(source), self.base_url) if source else None
        if resolved is None and not title:
            return None
        if resolved is not None:
            resolved = (watch_page(resolved[0]), resolved[1])
        host = host_of(resolved[0]) if resolved is not None else ""
        kind = embed_kind(node.tag or "", host)
        if not self._fixed:
            self._end_paragraph()
        sink = self._sink()
        sink.append(Words(f"▶ {kind}: "))
        if resolved is None or self._in_anchor:
            sink.append(Words(title or host))
        else:
            label: list[Inline] = [Words(title or host or resolved[0])]
            sink.append(Anchor(resolved[0], _linkable(*resolved), label))
        if not self._fixed:
            self._end_paragraph()
        return None

    def _cite(self, node: LexborNode) -> Closer | None:
        parent = node.parent
        if parent is None or parent.tag != "blockquote" or self._fixed:
            return self._style("em")
        # The attribution of a quote: on a line of its own, under the words it attributes.
        self._end_paragraph()
        self._sink().append(Words("— "))
        close_style = self._style("em")

        def close() -> None:
            close_style()
            self._end_paragraph()

        return close

    def _quotation(self, node: LexborNode) -> Closer | None:
        self._sink().append(Words("“"))

        def close() -> None:
            self._sink().append(Words("”"))

        return close

    # -- tables ------------------------------------------------------------------------------

    def _table_open(self, node: LexborNode) -> Closer | None:
        if self._table is not None or self._fixed or self._deep:
            # A table in a cell (or too deep) is read as its words.
            self._space()
            return self._space
        table = Table()
        self._block(table)
        self._table = table

        def close() -> None:
            self._table = None
            self._cell_row = None
            self._end_paragraph()

        return close

    def _row(self, node: LexborNode) -> Closer | None:
        table = self._table
        if table is None or self._fixed:
            self._space()
            return self._space
        row: list[Cell] = []
        table.rows.append(row)
        self._cell_row = row

        def close() -> None:
            self._cell_row = None

        return close

    def _cell(self, node: LexborNode) -> Closer | None:
        row = self._cell_row
        if self._table is None or self._fixed or row is None:
            if self._table is not None and row is None and not self._fixed:
                # A cell outside any row: a row of its own, as browsers make one.
                row = []
                self._table.rows.append(row)
                self._cell_row = row
            else:
                self._space()
                return self._space
        span = min(max(_integer(node.attributes.get("colspan")) or 1, 1), 64)
        cell = Cell(node.tag == "th", span)
        row.append(cell)
        return self._open_inline(cell.content)

    def _caption(self, node: LexborNode) -> Closer | None:
        if self._table is None or self._fixed:
            return _nothing
        return self._open_inline(self._table.caption)


Handler = Callable[[_Walk, LexborNode], "Closer | None"]

_HANDLERS: dict[str, Handler] = {
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), _Walk._heading),
    **dict.fromkeys(("ul", "ol", "menu"), _Walk._list),
    **dict.fromkeys(("pre", "listing", "xmp", "plaintext"), _Walk._pre),
    **dict.fromkeys(EMBED_TAGS, _Walk._embed),
    **dict.fromkeys(("td", "th"), _Walk._cell),
    "li": _Walk._item,
    "blockquote": _Walk._quote,
    "figure": _Walk._figure,
    "figcaption": _Walk._figcaption,
    "hr": _Walk._rule,
    "br": _Walk._br,
    "img": _Walk._image,
    "a": _Walk._anchor,
    "q": _Walk._quotation,
    "cite": _Walk._cite,
    "table": _Walk._table_open,
    "tr": _Walk._row,
    "caption": _Walk._caption,
}


def article_blocks(html: str, base_url: str) -> list[Block]:
    """The structure of an article body; relative addresses resolved against ``base_url``."""
    return _Walk(base_url).walk(html or "")


# -- tidying -------------------------------------------------------------------------------


def _tidy(blocks: list[Block]) -> list[Block]:
    """Whitespace trimmed at the edges of each run of text; empty paragraphs and lists gone."""
    kept: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            block.content = _trim(block.content)
            if not block.content:
                continue
        elif isinstance(block, ListOf):
            block.items = [_tidy(item) for item in block.items]
            if not block.items:
                continue
        elif isinstance(block, Quote):
            block.blocks = _tidy(block.blocks)
            if not block.blocks:
                continue
        elif isinstance(block, Figure):
            block.blocks = _tidy(block.blocks)
            block.caption = _trim(block.caption)
            if not block.blocks and not block.caption:
                continue
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    cell.content = _trim(cell.content)
            block.rows = [row for row in block.rows if row]
            block.caption = _trim(block.caption)
            if not block.rows:
                continue
        kept.append(block)
    return kept


def _trim(content: list[Inline]) -> list[Inline]:
    """Runs of spaces made one, none at the start or end, and none around a line break."""
    flat = _merge_words(content)
    while flat and isinstance(flat[0], Words | LineBreak) and _blank(flat[0]):
        flat.pop(0)
    while flat and isinstance(flat[-1], Words | LineBreak) and _blank(flat[-1]):
        flat.pop()
    _strip_edges(flat)
    return flat


def _blank(node: Inline) -> bool:
    return isinstance(node, LineBreak) or (isinstance(node, Words) and not node.text.strip())


def _merge_words(content: list[Inline], after_space: bool = True) -> list[Inline]:
    """Adjacent words joined, doubled spaces (also across styles) dropped; styles kept."""
    out: list[Inline] = []
    pending_space = after_space
    for node in content:
        if isinstance(node, Words):
            text = node.text
            if pending_space:
                text = text.lstrip(" ")
            if not text:
                continue
            pending_space = text.endswith(" ")
            if out and isinstance(out[-1], Words):
                out[-1] = Words(out[-1].text + text)
            else:
                out.append(Words(text))
        elif isinstance(node, LineBreak):
            if out and isinstance(out[-1], Words):
                out[-1] = Words(out[-1].text.rstrip(" "))
            out.append(node)
            pending_space = True
        elif isinstance(node, Styled | Anchor):
            node.children = _merge_words(node.children, pending_space)
            if not _has_text(node.children):
                continue
            out.append(node)
            pending_space = _ends_with_space(node.children)
        else:
            out.append(node)
            pending_space = False
    return out


def _has_text(content: list[Inline]) -> bool:
    for node in content:
        if isinstance(node, Picture):
            return True
        if isinstance(node, Words) and node.text.strip():
            return True
        if isinstance(node, Styled | Anchor) and _has_text(node.children):
            return True
    return False


def _ends_with_space(content: list[Inline]) -> bool:
    if not content:
        return False
    last = content[-1]
    if isinstance(last, Words):
        return last.text.endswith(" ")
    if isinstance(last, Styled | Anchor):
        return _ends_with_space(last.children)
    return isinstance(last, LineBreak)


def _strip_edges(content: list[Inline]) -> None:
    """No space at the very start or end, even inside a style or link that begins or ends it."""
    if content and isinstance(content[0], Words):
        content[0] = Words(content[0].text.lstrip(" "))
    elif content and isinstance(content[0], Styled | Anchor):
        _strip_edges_start(content[0].children)
    if content and isinstance(content[-1], Words):
        content[-1] = Words(content[-1].text.rstrip(" "))
    elif content and isinstance(content[-1], Styled | Anchor):
        _strip_edges_end(content[-1].children)


def _strip_edges_start(content: list[Inline]) -> None:
    if content and isinstance(content[0], Words):
        content[0] = Words(content[0].text.lstrip(" "))
    elif content and isinstance(content[0], Styled | Anchor):
        _strip_edges_start(content[0].children)


def _strip_edges_end(content: list[Inline]) -> None:
    if content and isinstance(content[-1], Words):
        content[-1] = Words(content[-1].text.rstrip(" "))
    elif content and isinstance(content[-1], Styled | Anchor):
        _strip_edges_end(content[-1].children)


def plain_text(content: list[Inline]) -> str:
    """The words of inline content, as one line (alt text standing in for pictures)."""
    out: list[str] = []
    for node in content:
        if isinstance(node, Words):
            out.append(node.text)
        elif isinstance(node, Styled | Anchor):
            out.append(plain_text(node.children))
        elif isinstance(node, Picture):
            out.append(node.alt)
        else:
            out.append(" ")
    return COLLAPSIBLE.sub(" ", "".join(out)).strip()


def _linkable(url: str, followable: bool) -> bool:
    return followable or scheme(url) == "mailto"


def _unescaped(raw: str) -> str:
    # Parsed text is already decoded; escaping "&" keeps clean_line from decoding it twice.
    return raw.replace("&", "&amp;")


def _integer(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return max(-(10**9), min(value, 10**9))
