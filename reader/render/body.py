"""Walk an article's HTML and lay it out as Rich blocks with numbered links.

The HTML comes from the network, so the walk trusts nothing: it keeps an allow-list of
elements, drops scripts and forms, and passes every string through ``reader.core.text`` before
Rich sees it; text is only ever written through :class:`~reader.render.lines.LineBuilder`,
never parsed as markup. The tree is walked with an explicit stack and the blocks come out
flat (one :class:`~reader.render.layout.Indented` level at most), so neither the walk nor
Rich's drawing recurses as deep as the markup nests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import RenderableType
from rich.rule import Rule
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from selectolax.lexbor import LexborHTMLParser, LexborNode

from reader.core.post_images import declared_size, image_source, is_emoji
from reader.core.text import clean_line
from reader.render.embeds import EMBED_TAGS, embed_kind, embed_source, host_of, watch_page
from reader.render.figures import ArticleImage, ImageBlock, ImageBoard
from reader.render.layout import Indented, Preformatted
from reader.render.lines import COLLAPSIBLE, Closer, LineBuilder
from reader.render.links import LinkTarget, decoded_url, resolve_link
from reader.render.styles import ArticleStyles
from reader.render.tables import TableDraft
from reader.render.wrapping import LONG_PARAGRAPH, WrappedText

#: Prefixes beyond this many (quotes in lists in quotes...) stop adding indentation.
DEEPEST_INDENT = 8

# Elements whose whole content is left out: code, styling, forms, and the site's own
# navigation, which the reader shows from the post's links instead.
_DROPPED = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "form", "input", "button",
        "select", "textarea", "option", "optgroup", "datalist", "nav", "head", "title",
        "meta", "link", "base", "canvas", "map", "dialog", "param", "source", "track",
        "frameset", "frame", "noembed", "noframes",
    }
)  # fmt: skip
# Blocks that stand apart from their neighbours by a blank line.
_SPACED = frozenset({"p", "dl", "figure", "center", "details", "fieldset", "hgroup"})
# Blocks that start and end a line but add no blank line of their own.
_BREAKING = frozenset(
    {
        "div", "section", "article", "header", "footer", "main", "aside", "address",
        "summary", "legend", "search",
    }
)  # fmt: skip
_BULLETS = ("•", "◦", "▪")
_SUPERSCRIPT = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")

Opener = Callable[["BodyWriter", LexborNode], "Closer | None"]


def _skip_content() -> None:
    """Returned by an opener to say "do not read this element's content"."""


_LEAF: Closer = _skip_content


@dataclass
class _Prefix:
    """What one open quote, list item or definition puts before each line of its blocks."""

    kind: str
    first: Segment
    """Before the first line of the next block (a list item's bullet)."""
    rest: Segment
    """Before every other line."""
    pending: bool = False
    """True until ``first`` has been drawn once."""


@dataclass
class _OpenList:
    """A ``ul`` or ``ol`` being read."""

    ordered: bool
    number: int = 1
    step: int = 1


_MOST_ANCHORS = 8
"""Ids kept for one text (nested elements each with an id); more are an odd page's noise."""


class BodyWriter:
    """Turns one article body into blocks and a link table. Use once."""

    def __init__(
        self,
        base_url: str,
        styles: ArticleStyles,
        board: ImageBoard | None = None,
        images: list[ArticleImage] | None = None,
    ) -> None:
        self.base_url = base_url
        self.styles = styles
        self.board = board
        """Where pictures are drawn from; None shows every image as its alt text."""
        self.images: list[ArticleImage] = images if images is not None else []
        """The article's images in reading order; those placed already (featured) come first."""
        self.blocks: list[RenderableType] = []
        self.links: list[LinkTarget | None] = []
        self._line = LineBuilder()
        """The paragraph, or table cell, being written."""
        self._last_line: Text | None = None
        """The last block placed, when it is text: a link that ends after it is numbered there."""
        # A blank line owed before the next block, and how many prefixes it is drawn with.
        self._gap = False
        self._gap_depth = 0
        self._prefixes: list[_Prefix] = []
        self._lists: list[_OpenList] = []
        self._table: TableDraft | None = None
        self._table_depth = 0
        self._pre_depth = 0
        self._anchors: list[str] = []
        """Ids of elements begun since the last text: that text carries them (``#id`` links)."""

    # -- the walk ---------------------------------------------------------------------------

    def write(self, html: str) -> tuple[list[RenderableType], list[LinkTarget]]:
        """Lay out ``html``; return the blocks in order and the numbered links."""
        body = LexborHTMLParser(html).body
        if body is not None:
            self._walk(body)
        self._break()
        return self.blocks, [link for link in self.links if link is not None]

    def _walk(self, root: LexborNode) -> None:
        open_nodes: list[tuple[LexborNode, Closer | None]] = []
        node: LexborNode | None = root.child
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

    def _enter(self, node: LexborNode) -> tuple[LexborNode | None, Closer | None]:
        """Handle the start of ``node``.

        Returns the child to descend into (None to skip the content) and what to do when the
        element ends.
        """
        tag = node.tag
        if tag == "-text":
            text = node.text_content or ""
            if self._anchors and text.strip():
                self._anchored_text(text)
            else:
                self._line.text(text, preformatted=self._pre_depth > 0)
            return None, None
        if not tag or tag[0] == "-" or tag in _DROPPED:
            return None, None
        attributes = node.attributes
        if "id" in attributes or (tag == "a" and "name" in attributes):
            name = attributes.get("id") or attributes.get("name")
            if name and len(self._anchors) < _MOST_ANCHORS:
                self._anchors.append(name)
        opener = _OPENERS.get(tag)
        closer = opener(self, node) if opener is not None else None
        if closer is _LEAF:
            return None, None
        return node.child, closer

    def _anchored_text(self, text: str) -> None:
        """Write ``text`` marked with the ids begun before it, so a ``#id`` link finds it."""
        closers = [
            self._line.push_style(Style(meta={"anchor": name}), always=True)
            for name in self._anchors
        ]
        self._anchors = []
        self._line.text(text, preformatted=self._pre_depth > 0)
        for close in reversed(closers):
            close()

    # -- blocks -----------------------------------------------------------------------------

    def _break(self, gap: bool = False) -> None:
        """End the current line as a block of its own, owing a blank line if ``gap``."""
        if self._table is not None or self._pre_depth:
            # Inside a table cell or a preformatted block, a block is only a new line.
            self._line.soft_break()
            return
        self._finish_line()
        if gap:
            self._owe_gap()

    def _finish_line(self, preformatted: bool = False) -> None:
        if self._line.capture is not None:
            self._line.capture.append(" ")
        line = self._line.take()
        if line is None:
            return
        if preformatted:
            line.expand_tabs(8)
            self._place(Preformatted(line))
        elif len(line) >= LONG_PARAGRAPH:
            # Rich's own wrapping costs the square of a paragraph's length.
            self._place(WrappedText(line))
        else:
            self._place(line)
        self._last_line = line

    def _owe_gap(self) -> None:
        depth = len(self._prefixes)
        self._gap_depth = min(self._gap_depth, depth) if self._gap else depth
        self._gap = True

    def _place(self, block: RenderableType) -> None:
        """Put a finished block in the article, behind the prefixes that are open."""
        self._last_line = None
        if self._gap and self.blocks:
            self.blocks.append(_blank_line(self._prefixes[: self._gap_depth]))
        self._gap = False
        if not self._prefixes:
            self.blocks.append(block)
            return
        first, rest = _prefix_lines(self._prefixes)
        self.blocks.append(Indented(block, first, rest))

    def _push_prefix(self, prefix: _Prefix) -> Closer:
        self._prefixes.append(prefix)
        return self._prefixes.pop

    # -- element handlers: each returns what to do when the element ends --------------------

    def _open_spaced(self, node: LexborNode) -> Closer:
        self._break(gap=True)
        return self._close_spaced

    def _close_spaced(self) -> None:
        self._break(gap=True)

    def _open_breaking(self, node: LexborNode) -> Closer:
        self._break()
        return self._break

    def _open_heading(self, node: LexborNode) -> Closer:
        tag = node.tag or ""
        styles = self.styles
        style = styles.h2 if tag in ("h1", "h2") else styles.h3 if tag == "h3" else styles.h4
        self._break(gap=True)
        pop_style = self._line.push_style(style)

        def close() -> None:
            self._break(gap=True)
            pop_style()

        return close

    def _open_br(self, node: LexborNode) -> Closer:
        self._line.newline()
        return _LEAF

    def _open_hr(self, node: LexborNode) -> Closer:
        if self._table is not None or self._pre_depth:
            self._break()
            return _LEAF
        self._break(gap=True)
        self._place(Rule(style=self.styles.rule))
        self._owe_gap()
        return _LEAF

    def _open_image(self, node: LexborNode) -> Closer:
        alt = clean_line(_unescaped(node.attributes.get("alt") or ""))
        if is_emoji(node):
            # WordPress turns emoji into pictures; the alt text is the emoji itself.
            self._line.emit(alt)
            return _LEAF
        board = self.board
        url = image_source(node, self.base_url) if board is not None else None
        if board is None or url is None or self._table is not None or self._pre_depth:
            self._line.emit(f"[image: {alt}]" if alt else "[image]", self.styles.image)
            return _LEAF
        if any(image.url == url for image in self.images):
            return _LEAF  # the featured image again, already drawn under the header
        width, height = declared_size(node)
        image = ArticleImage(len(self.images) + 1, url, alt, width, height)
        self.images.append(image)
        self._break()
        self._place(ImageBlock(image, board, self.styles.image))
        return _LEAF

    def _open_quote(self, node: LexborNode) -> Closer:
        in_table = self._table is not None
        if not in_table:
            self._break(gap=True)
        pull = _has_class(node, "wp-block-pullquote") or _has_class(
            node.parent, "wp-block-pullquote"
        )
        pop_prefix: Closer | None = None
        if not in_table:
            bar = Segment("┃ " if pull else "│ ", self.styles.quote_bar)
            pop_prefix = self._push_prefix(_Prefix("quote", bar, bar))
        pop_style = self._line.push_style(self.styles.quote)

        def close() -> None:
            self._break()
            pop_style()
            if pop_prefix is not None:
                pop_prefix()
                self._owe_gap()

        return close

    def _open_cite(self, node: LexborNode) -> Closer:
        parent = node.parent
        parent_tag = parent.tag if parent is not None else None
        attribution = parent_tag == "blockquote" or (
            parent_tag == "figure" and _has_class(parent, "wp-block-pullquote")
        )
        if not attribution:
            return self._line.push_style(Style(italic=True))
        self._break()
        # The attribution sits right under the words it attributes.
        self._gap = False
        pop_style = self._line.push_style(self.styles.caption)
        self._line.emit("— ")

        def close() -> None:
            self._break()
            pop_style()

        return close

    def _open_figcaption(self, node: LexborNode) -> Closer:
        self._break()
        # A caption belongs to the picture above it: no blank line between them.
        self._gap = False
        pop_style = self._line.push_style(self.styles.caption)

        def close() -> None:
            self._break()
            pop_style()

        return close

    def _open_pre(self, node: LexborNode) -> Closer:
        self._break(gap=not self._pre_depth and self._table is None)
        self._pre_depth += 1
        pop_style = self._line.push_style(self.styles.code)

        def close() -> None:
            pop_style()
            self._pre_depth -= 1
            if self._pre_depth or self._table is not None:
                return
            self._finish_line(preformatted=True)
            self._owe_gap()

        return close

    def _open_list(self, node: LexborNode) -> Closer:
        nested = bool(self._prefixes) and self._prefixes[-1].kind == "li"
        self._break(gap=not nested)
        attributes = node.attributes
        listing = _OpenList(ordered=node.tag == "ol")
        if listing.ordered:
            if "reversed" in attributes:
                listing.step = -1
                listing.number = sum(1 for child in node.iter() if child.tag == "li")
            start = _integer(attributes.get("start"))
            if start is not None:
                listing.number = start
        self._lists.append(listing)

        def close() -> None:
            self._lists.pop()
            self._break(gap=not nested)

        return close

    def _open_item(self, node: LexborNode) -> Closer:
        self._break()
        listing = self._lists[-1] if self._lists else None
        if listing is not None and listing.ordered:
            value = _integer(node.attributes.get("value"))
            if value is not None:
                listing.number = value
            marker = f"{listing.number}. "
            listing.number += listing.step
        else:
            level = max(len(self._lists) - 1, 0)
            marker = f"{_BULLETS[level % len(_BULLETS)]} "
        if self._table is not None:
            self._line.emit(marker, self.styles.bullet)
            return self._break
        prefix = _Prefix(
            "li", Segment(marker, self.styles.bullet), Segment(" " * len(marker)), pending=True
        )
        pop_prefix = self._push_prefix(prefix)

        def close() -> None:
            self._break()
            if prefix.pending:
                # An empty item still shows its bullet, as a browser would.
                self._place(Text())
            pop_prefix()

        return close

    def _open_term(self, node: LexborNode) -> Closer:
        self._break()
        pop_style = self._line.push_style(self.styles.term)

        def close() -> None:
            self._break()
            pop_style()

        return close

    def _open_definition(self, node: LexborNode) -> Closer:
        self._break()
        if self._table is not None:
            return self._break
        indent = Segment("    ")
        pop_prefix = self._push_prefix(_Prefix("dd", indent, indent))

        def close() -> None:
            self._break()
            pop_prefix()

        return close

    def _new_link(self, url: str, followable: bool) -> tuple[int, Style]:
        """Number a link; return its number and the style all its segments carry."""
        self.links.append(None)
        number = len(self.links)
        return number, Style(link=url if followable else None, meta={"link": number})

    def _open_link(self, node: LexborNode) -> Closer | None:
        href = node.attributes.get("href")
        if href is None:
            return None
        resolved = resolve_link(decoded_url(href), self.base_url)
        if resolved is None:
            return None
        url, followable = resolved
        number, target = self._new_link(url, followable)
        line = self._line
        outer = line.capture
        # A link is styled at any depth: the UI finds it by the meta on its segments.
        pop_target = line.push_style(target, always=True)
        pop_look = line.push_style(self.styles.link, always=True)
        words = line.capture = []

        def close() -> None:
            pop_look()
            pop_target()
            line.capture = outer
            if outer is not None:
                outer.extend(words)
            marker = f"[{number}]"
            text = COLLAPSIBLE.sub(" ", "".join(words)).strip()
            last_line = self._last_line
            if not line.empty or last_line is None or not text:
                self._line.attach(marker, target, self.styles.link_number)
            else:
                # The link wrapped whole blocks: its number goes after its last words.
                start = len(last_line)
                last_line.append(marker)
                last_line.stylize(target, start)
                last_line.stylize(self.styles.link_number, start)
            self.links[number - 1] = LinkTarget(number, url, text, followable)

        return close

    def _open_embed(self, node: LexborNode) -> Closer:
        tag = node.tag or ""
        source = embed_source(node)
        attributes = node.attributes
        title = clean_line(
            _unescaped(attributes.get("title") or attributes.get("aria-label") or "")
        )
        resolved = resolve_link(decoded_url(source), self.base_url) if source else None
        if resolved is None and not title:
            return _LEAF
        if resolved is not None:
            resolved = (watch_page(resolved[0]), resolved[1])
        host = host_of(resolved[0]) if resolved is not None else ""
        block = self._table is None and self._line.capture is None
        if block:
            self._break(gap=True)
        styles = self.styles
        self._line.emit(f"▶ {embed_kind(tag, host)}: ", styles.embed)
        if resolved is None:
            self._line.emit(title)
        else:
            url, followable = resolved
            number, target = self._new_link(url, followable)
            label = title or host or url
            self._line.emit(label, target, styles.link)
            self._line.attach(" ")
            self._line.attach(f"[{number}]", target, styles.link_number)
            self.links[number - 1] = LinkTarget(number, url, label, followable)
        if block:
            self._break(gap=True)
        return _LEAF

    def _open_quotation(self, node: LexborNode) -> Closer:
        self._line.emit("“")
        return self._close_quotation

    def _close_quotation(self) -> None:
        self._line.attach("”")

    def _use_script(self, table: dict[int, int]) -> Closer:
        line = self._line
        outer = line.script
        line.script = table

        def close() -> None:
            line.script = outer

        return close

    def _open_sup(self, node: LexborNode) -> Closer:
        return self._use_script(_SUPERSCRIPT)

    def _open_sub(self, node: LexborNode) -> Closer:
        return self._use_script(_SUBSCRIPT)

    # -- tables -----------------------------------------------------------------------------

    def _open_table(self, node: LexborNode) -> Closer:
        self._table_depth += 1
        if self._table is not None:
            # A table inside a cell is read as lines of text.
            self._break()

            def close_inner() -> None:
                self._table_depth -= 1
                self._break()

            return close_inner
        self._break(gap=True)
        draft = TableDraft()
        self._table = draft

        def close() -> None:
            self._table_depth -= 1
            self._table = None
            # Only whitespace between cells is left in the line; it is dropped.
            self._line.take()
            table = draft.build(self.styles.table_header, self.styles.caption)
            if table is not None:
                self._place(table)
            self._owe_gap()

        return close

    def _outer_table(self) -> TableDraft | None:
        """The table whose rows and cells are being read, unless inside a nested table."""
        return self._table if self._table_depth == 1 else None

    def _open_row(self, node: LexborNode) -> Closer | None:
        draft = self._outer_table()
        if draft is None:
            self._break()
            return self._break if self._table is not None else None
        draft.start_row()
        return draft.end_row

    def _open_cell(self, node: LexborNode) -> Closer | None:
        draft = self._outer_table()
        if draft is None:
            self._line.space()
            return None
        header = node.tag == "th"
        colspan = max(_integer(node.attributes.get("colspan")) or 1, 1)
        self._line.take()

        def close() -> None:
            draft.add_cell(self._line.take() or Text(), header, colspan)

        return close

    def _open_caption(self, node: LexborNode) -> Closer | None:
        draft = self._outer_table()
        if draft is None:
            self._break()
            return None
        self._line.take()

        def close() -> None:
            draft.caption = self._line.take()

        return close

    def _open_table_head(self, node: LexborNode) -> Closer | None:
        draft = self._outer_table()
        if draft is None:
            return None
        draft.in_head = True

        def close() -> None:
            draft.in_head = False

        return close


def _inline(style_of: Callable[[ArticleStyles], Style]) -> Opener:
    def open_inline(writer: BodyWriter, node: LexborNode) -> Closer:
        return writer._line.push_style(style_of(writer.styles))

    return open_inline


def _fixed(style: Style) -> Opener:
    return _inline(lambda _styles: style)


def _prefix_lines(prefixes: list[_Prefix]) -> tuple[list[Segment], list[Segment]]:
    """What goes before a block's first line and before its other lines.

    A bullet is drawn once: drawing it marks its prefix as no longer pending.
    """
    if len(prefixes) > DEEPEST_INDENT:
        prefixes = prefixes[: DEEPEST_INDENT - 1] + prefixes[-1:]
    first = [prefix.first if prefix.pending else prefix.rest for prefix in prefixes]
    for prefix in prefixes:
        prefix.pending = False
    return first, [prefix.rest for prefix in prefixes]


def _blank_line(prefixes: list[_Prefix]) -> Text:
    line = Text()
    if len(prefixes) > DEEPEST_INDENT:
        prefixes = prefixes[: DEEPEST_INDENT - 1] + prefixes[-1:]
    for prefix in prefixes:
        line.append(prefix.rest.text, prefix.rest.style)
    line.rstrip()
    return line


def _unescaped(raw: str) -> str:
    # Parsed text is already decoded; escaping "&" keeps clean_line from decoding it twice.
    return raw.replace("&", "&amp;")


def _has_class(node: LexborNode | None, name: str) -> bool:
    if node is None:
        return False
    return name in (node.attributes.get("class") or "").split()


def _integer(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return max(-(10**9), min(value, 10**9))


_OPENERS: dict[str, Opener] = {
    **dict.fromkeys(_SPACED, BodyWriter._open_spaced),
    **dict.fromkeys(_BREAKING, BodyWriter._open_breaking),
    **dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), BodyWriter._open_heading),
    **dict.fromkeys(("strong", "b"), _fixed(Style(bold=True))),
    **dict.fromkeys(("em", "i", "dfn", "var"), _fixed(Style(italic=True))),
    **dict.fromkeys(("u", "ins"), _fixed(Style(underline=True))),
    **dict.fromkeys(("s", "del", "strike"), _fixed(Style(strike=True))),
    **dict.fromkeys(("code", "kbd", "samp", "tt"), _inline(lambda styles: styles.code)),
    **dict.fromkeys(EMBED_TAGS, BodyWriter._open_embed),
    **dict.fromkeys(("ul", "ol", "menu"), BodyWriter._open_list),
    **dict.fromkeys(("td", "th"), BodyWriter._open_cell),
    **dict.fromkeys(("pre", "listing", "xmp", "plaintext"), BodyWriter._open_pre),
    "dt": BodyWriter._open_term,
    "dd": BodyWriter._open_definition,
    "li": BodyWriter._open_item,
    "br": BodyWriter._open_br,
    "hr": BodyWriter._open_hr,
    "img": BodyWriter._open_image,
    "a": BodyWriter._open_link,
    "blockquote": BodyWriter._open_quote,
    "cite": BodyWriter._open_cite,
    "figcaption": BodyWriter._open_figcaption,
    "q": BodyWriter._open_quotation,
    "sup": BodyWriter._open_sup,
    "sub": BodyWriter._open_sub,
    "table": BodyWriter._open_table,
    "tr": BodyWriter._open_row,
    "caption": BodyWriter._open_caption,
    "thead": BodyWriter._open_table_head,
}
