"""The article's Rich styles in the colours of the theme in use.

The article is Rich text, not CSS, so its colours are looked up in the app's CSS variables and
turned into Rich colours here. ``ansi_*`` names become the terminal's own palette entries, so
the ANSI theme's articles use only the terminal's sixteen colours.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from rich.color import Color as RichColor
from rich.style import Style
from textual.color import Color, ColorParseError

from reader.render.styles import ArticleStyles


def rich_colour(value: str | None) -> RichColor | None:
    """A theme colour as Rich draws it, or None when it has no meaning without a background.

    Rich has no transparency: ``"#990000 60%"``, ``auto`` and colours with an alpha channel
    stay with the default style rather than turning into something louder.
    """
    if not value:
        return None
    try:
        colour = Color.parse(value)
    except ColorParseError:
        return None
    if colour.a < 1:
        return None
    return colour.rich_color


def article_styles(variables: Mapping[str, str]) -> ArticleStyles:
    """The article's styles in the theme's colours, keeping the defaults where it has none."""
    base = ArticleStyles()

    def coloured(style: Style, *names: str) -> Style:
        for name in names:
            colour = rich_colour(variables.get(name))
            if colour is not None:
                return style + Style(color=colour)
        return style

    return replace(
        base,
        title=coloured(base.title, "text-primary", "primary"),
        link=coloured(base.link, "reader-link"),
        link_number=coloured(base.link_number, "reader-link"),
        quote_bar=coloured(base.quote_bar, "reader-muted"),
        rule=coloured(base.rule, "reader-muted"),
        bullet=coloured(base.bullet, "reader-muted"),
        code=coloured(base.code, "reader-code"),
        image=coloured(base.image, "reader-image"),
        embed=coloured(base.embed, "reader-embed"),
    )
