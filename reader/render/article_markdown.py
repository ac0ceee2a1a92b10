"""An article's block tree as Markdown (CommonMark with GitHub's tables and strikethrough).

Every word from the page is escaped, so a viewer reads it as text: ``<script>`` stays the word
``<script>``, ``*`` never starts emphasis and ``[x](y)`` in a title is not a link. Links and
images are written by us from addresses already resolved and checked, and only http(s) ones
become Markdown links; any other address is shown as text.
"""

from __future__ import annotations

import re

from reader.render.article_blocks import (
    Anchor,
    Block,
    Cell,
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
    Styled,
    Table,
    Words,
)

# Characters that mean something anywhere in a line of Markdown (or in a table).
_SPECIAL = re.compile(r"([\\`*_\[\]<>&~|])")
# What makes a line a heading, quote, list item, rule or setext underline at its start.
_LINE_START = re.compile(
    r"^(\s*)(#{1,6}(?=\s|$)|>|[+](?=\s|$)|-(?=[\s-]|$)|=(?=[=\s]*$)|\d{1,9}(?=[.)](?:\s|$)))"
)
_URL_UNSAFE = re.compile(r"[\s()<>\\\x00-\x1f\x7f]")
_SUPERSCRIPT = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_MARKS = {"strong": "**", "em": "*", "del": "~~"}


def escape(text: str) -> str:
    """Text as literal Markdown: every character that could start markup is escaped."""
    escaped = _SPECIAL.sub(r"\\\1", text)
    return _escape_line_starts(escaped)


def _escape_line_starts(text: str) -> str:
    return "\n".join(_LINE_START.sub(_escaped_start, line) for line in text.split("\n"))


def _escaped_start(match: re.Match[str]) -> str:
    lead, mark = match.group(1), match.group(2)
    if mark.isdigit():
        return lead + mark + "\\"  # "1984." is a list item; "1984\." is a year
    return lead + "\\" + mark


def link_address(url: str) -> str:
    """A URL that stays one Markdown link destination: spaces, brackets and controls encoded."""
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)


def inline_markdown(content: list[Inline]) -> str:
    """Inline content as one or more lines of Markdown (a line break becomes a hard break)."""
    # Words are escaped run by run; what starts a line is only known once they are joined.
    return _escape_line_starts("".join(_inline(node) for node in content))


def _inline(node: Inline) -> str:
    if isinstance(node, Words):
        return _SPECIAL.sub(r"\\\1", node.text)
    if isinstance(node, LineBreak):
        return "\\\n"
    if isinstance(node, Picture):
        return _picture(node)
    if isinstance(node, Anchor):
        words = "".join(_inline(child) for child in node.children).replace("\\\n", " ")
        if not node.linked:
            return f"{words} ({escape(node.url)})"
        return f"[{words.strip()}]({link_address(node.url)})"
    return _styled(node)


def _styled(node: Styled) -> str:
    inner = "".join(_inline(child) for child in node.children)
    if node.style == "code":
        return _code_span(_plain(node))
    if node.style in ("sup", "sub"):
        plain = _plain(node)
        table = _SUPERSCRIPT if node.style == "sup" else _SUBSCRIPT
        shifted = plain.translate(table)
        # Only when every character has a raised (or lowered) form; else the text as it is.
        return (
            escape(shifted) if all(c != s for c, s in zip(plain, shifted, strict=True)) else inner
        )
    mark = _MARKS[node.style]
    # Emphasis must hug its words: "** word**" is not bold, so spaces go outside the marks.
    stripped = inner.strip(" ")
    if not stripped:
        return inner
    lead = " " if inner.startswith(" ") else ""
    tail = " " if inner.endswith(" ") and not inner.endswith("\\ ") else ""
    return f"{lead}{mark}{stripped}{mark}{tail}"


def _plain(node: Styled | Anchor) -> str:
    out: list[str] = []
    for child in node.children:
        if isinstance(child, Words):
            out.append(child.text)
        elif isinstance(child, Styled | Anchor):
            out.append(_plain(child))
        elif isinstance(child, Picture):
            out.append(child.alt)
        else:
            out.append(" ")
    return "".join(out)


def _code_span(text: str) -> str:
    text = " ".join(text.split("\n"))
    if not text.strip():
        return text
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _picture(picture: Picture) -> str:
    alt = _SPECIAL.sub(r"\\\1", picture.alt)
    if picture.src is None:
        return f"\\[image: {alt}\\]" if alt else "\\[image\\]"
    return f"![{alt}]({link_address(picture.src)})"


# -- blocks --------------------------------------------------------------------------------


def blocks_markdown(blocks: list[Block], *, heading_offset: int = 0) -> str:
    """Blocks as Markdown, one blank line between them; headings moved ``heading_offset`` down."""
    return "\n".join(_blocks(blocks, heading_offset)).strip("\n")


def _blocks(blocks: list[Block], offset: int) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        written = _block(block, offset)
        if not written:
            continue
        if lines:
            lines.append("")
        lines.extend(written)
    return lines


def _block(block: Block, offset: int) -> list[str]:
    if isinstance(block, Paragraph):
        return inline_markdown(block.content).split("\n")
    if isinstance(block, Heading):
        level = min(max(block.level, 2) + offset - 1, 6)
        words = inline_markdown(block.content).replace("\\\n", " ")
        return [f"{'#' * level} {words}"]
    if isinstance(block, ListOf):
        return _list(block, offset)
    if isinstance(block, Quote):
        inner = _blocks(block.blocks, offset)
        return [f"> {line}" if line else ">" for line in inner]
    if isinstance(block, Code):
        longest = max((len(run) for run in re.findall(r"^`{3,}", block.text, re.M)), default=0)
        fence = "`" * max(3, longest + 1)
        return [fence, *block.text.split("\n"), fence]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        lines = _blocks(block.blocks, offset)
        if block.caption:
            caption = inline_markdown(block.caption).replace("\\\n", " ")
            if lines:
                lines.append("")
            lines.append(f"*{caption}*")
        return lines
    assert isinstance(block, Rule)
    return ["---"]


def _list(listing: ListOf, offset: int) -> list[str]:
    lines: list[str] = []
    tight = all(is_tight(item) for item in listing.items)
    for index, item in enumerate(listing.items):
        number = listing.start + index
        marker = f"{number}. " if listing.ordered else "- "
        if tight:
            # "- words" with its sub-lists right under it, as a tight list is written.
            inner = [line for block in item for line in _block(block, offset)] or [""]
        else:
            inner = _blocks(item, offset) or [""]
        if not tight and lines:
            lines.append("")
        lines.append(marker + inner[0])
        indent = " " * len(marker)
        lines.extend(indent + line if line else "" for line in inner[1:])
    return lines


def is_tight(item: list[Block]) -> bool:
    """True for a list item of at most one paragraph, then only lists (shown without gaps)."""
    rest = item[1:] if item and isinstance(item[0], Paragraph) else item
    return all(isinstance(block, ListOf) for block in rest)


def _table(table: Table) -> list[str]:
    rows = [_cells(row) for row in table.rows]
    columns = max(len(row) for row in rows)
    rows = [row + [""] * (columns - len(row)) for row in rows]
    # GitHub's tables need a header row: the table's first row is it.
    lines = [_row(rows[0]), _row(["---"] * columns)]
    lines.extend(_row(row) for row in rows[1:])
    if table.caption:
        caption = inline_markdown(table.caption).replace("\\\n", " ")
        lines += ["", f"*{caption}*"]
    return lines


def _cells(row: list[Cell]) -> list[str]:
    out: list[str] = []
    for cell in row:
        # A cell is one line: a break in it becomes a space.
        out.append(inline_markdown(cell.content).replace("\\\n", " ").strip())
        out.extend([""] * (cell.span - 1))
    return out


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell or " " for cell in cells) + " |"
