"""What a readable HTML export may hold: the exporter's own elements and attributes only."""

from __future__ import annotations

EXPORT_TAGS = frozenset(
    {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4", "h5", "h6",
        "article", "p", "a", "br", "ol", "ul", "li", "blockquote", "figure", "figcaption",
        "img", "table", "caption", "tbody", "tr", "th", "td", "pre", "code", "strong", "em",
        "del", "sup", "sub", "hr", "span",
    }
)  # fmt: skip
"""Elements the HTML export writes (lexbor adds ``tbody`` to a table without one)."""

EXPORT_ATTRIBUTES = frozenset(
    {
        "lang", "charset", "http-equiv", "content", "name", "href", "rel", "id", "class",
        "src", "alt", "width", "height", "start", "colspan",
    }
)  # fmt: skip
"""Attributes the HTML export writes; no ``on*`` handler or ``style`` is among them."""
