"""An article body as Markdown, so Textual's Markdown widget can show the same article.

Only what the generated bodies hold is converted: headings, paragraphs with bold, italic and
links, lists, pull quotes, tables, embeds and images. It serves the Markdown baseline and
nothing else; the reader itself never goes through Markdown.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

_SPACES = re.compile(r"\s+")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def markdown_of(html: str) -> str:
    """Markdown for an HTML article body."""
    body = LexborHTMLParser(html).body
    if body is None:
        return ""
    blocks = _blocks(body)
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def _children(node: LexborNode) -> list[LexborNode]:
    return list(node.iter(include_text=True))


def _blocks(node: LexborNode) -> list[str]:
    blocks: list[str] = []
    for child in _children(node):
        tag = child.tag
        if tag == "-text":
            text = _SPACES.sub(" ", child.text_content or "").strip()
            if text:
                blocks.append(text)
        elif tag in _HEADINGS:
            blocks.append("#" * _HEADINGS[tag] + " " + _inline(child))
        elif tag == "p":
            blocks.append(_inline(child))
        elif tag in ("ul", "ol"):
            blocks.append(_list(child, tag == "ol"))
        elif tag == "blockquote":
            blocks.append(_quote(child))
        elif tag == "table":
            blocks.append(_table(child))
        elif tag == "iframe":
            title = child.attributes.get("title") or "video"
            blocks.append(f"[{title}]({child.attributes.get('src') or ''})")
        elif tag == "img":
            alt, src = child.attributes.get("alt") or "", child.attributes.get("src") or ""
            blocks.append(f"![{alt}]({src})")
        elif tag == "hr":
            blocks.append("---")
        elif tag == "figcaption":
            blocks.append("*" + _inline(child) + "*")
        else:
            blocks.extend(_blocks(child))
    return blocks


def _inline(node: LexborNode) -> str:
    return _SPACES.sub(" ", "".join(_inline_parts(node))).strip()


def _inline_parts(node: LexborNode) -> list[str]:
    parts: list[str] = []
    for child in _children(node):
        tag = child.tag
        if tag == "-text":
            parts.append(child.text_content or "")
        elif tag in ("strong", "b"):
            parts.append(f"**{_inline(child)}**")
        elif tag in ("em", "i"):
            parts.append(f"*{_inline(child)}*")
        elif tag == "code":
            parts.append(f"`{_inline(child)}`")
        elif tag == "a":
            parts.append(f"[{_inline(child)}]({child.attributes.get('href') or ''})")
        elif tag == "br":
            parts.append("  \n")
        else:
            parts.extend(_inline_parts(child))
    return parts


def _list(node: LexborNode, numbered: bool) -> str:
    # Nested lists are flattened into their item's text: the generated bodies have none.
    lines: list[str] = []
    number = 0
    for item in _children(node):
        if item.tag != "li":
            continue
        number += 1
        marker = f"{number}." if numbered else "-"
        lines.append(f"{marker} {_inline(item)}")
    return "\n".join(lines)


def _quote(node: LexborNode) -> str:
    lines: list[str] = []
    for child in _children(node):
        if child.tag == "cite":
            lines.append("— " + _inline(child))
        elif child.tag != "-text":
            lines.append(_inline(child))
        elif (child.text_content or "").strip():
            lines.append(_SPACES.sub(" ", child.text_content or "").strip())
    return "\n>\n".join("> " + line for line in lines)


def _table(node: LexborNode) -> str:
    rows: list[list[str]] = []
    for row in node.css("tr"):
        rows.append([_inline(cell).replace("|", "\\|") for cell in row.css("th, td")])
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines.extend("| " + " | ".join(row) + " |" for row in rows[1:])
    return "\n".join(lines)
