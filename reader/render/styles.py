"""The Rich styles an article is drawn with.

The defaults lean on bold, italic and underline first and use mid-tone colours second, so an
article reads on a dark or a light terminal. The UI builds its own set from the Textual theme;
:meth:`ArticleStyles.plain` is the set for ``NO_COLOR`` and plain-text output.
"""

# Rich's Style is immutable, so one default instance can be shared by every ArticleStyles.
# ruff: noqa: RUF009

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from rich.style import Style

# Mid-luminance colours keep enough contrast against both black and white backgrounds.
_BLUE = "#3b8ede"
_GREY = "#7f8c99"
_ORANGE = "#d0743c"
_GREEN = "#3f9f6f"
_VIOLET = "#a865c9"


@dataclass(frozen=True)
class ArticleStyles:
    """Every style the article renderer uses, one field per kind of text."""

    title: Style = Style(bold=True)
    """The post's title."""
    byline: Style = Style(italic=True)
    """"By author · date · reading time"."""
    meta: Style = Style(dim=True)
    """The sections and tags line under the byline."""
    h2: Style = Style(bold=True, underline=True)
    """Major headings (h1 and h2 inside the body)."""
    h3: Style = Style(bold=True)
    """h3 headings."""
    h4: Style = Style(bold=True, italic=True)
    """h4, h5 and h6 headings."""
    link: Style = Style(color=_BLUE, underline=True)
    """The text of a link."""
    link_number: Style = Style(color=_BLUE)
    """The ``[3]`` marker after a link."""
    quote: Style = Style(italic=True)
    """Text inside a blockquote or pull quote."""
    quote_bar: Style = Style(color=_GREY)
    """The bar drawn at the left of a quote."""
    caption: Style = Style(italic=True, dim=True)
    """Figure captions and quote attributions."""
    code: Style = Style(color=_ORANGE)
    """Inline code and preformatted blocks."""
    rule: Style = Style(color=_GREY)
    """Horizontal rules."""
    table_header: Style = Style(bold=True)
    """The header row of a table."""
    term: Style = Style(bold=True)
    """A term in a definition list."""
    bullet: Style = Style(color=_GREY)
    """List bullets and numbers."""
    image: Style = Style(color=_GREEN, italic=True)
    """The ``[image: alt]`` stand-in for a picture."""
    embed: Style = Style(color=_VIOLET, bold=True)
    """The "▶ Video:" label of an embedded player."""
    nav_key: Style = Style(bold=True, reverse=True)
    """The key shown beside a navigation line ("n", "p", "r")."""
    muted: Style = Style(dim=True, italic=True)
    """Notes from the reader itself, such as "only the excerpt is available"."""

    @classmethod
    def plain(cls) -> ArticleStyles:
        """The default styles with every colour removed (bold, italic and underline stay)."""
        defaults = cls()
        return replace(
            defaults,
            **{field.name: getattr(defaults, field.name).without_color for field in fields(cls)},
        )
