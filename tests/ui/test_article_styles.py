"""The article's colours come from the theme: legible, and the terminal's own in the ANSI theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.color import ColorType
from textual.theme import Theme

from reader.render.styles import ArticleStyles
from reader.ui.article_styles import article_styles
from reader.ui.themes import load_themes
from tests.support.contrast import contrast

COLOURED = ("title", "link", "link_number", "quote_bar", "rule", "bullet", "code", "image")
"""Every style the theme colours; the embed label is bold, checked with the rest below."""


def _theme(name: str, tmp_path: Path) -> Theme:
    themes, _ = load_themes(user_dir=tmp_path / "no-user-themes")
    return {theme.name: theme for theme in themes}[name]


def _styles(theme: Theme) -> ArticleStyles:
    # What App.get_css_variables makes of the theme.
    return article_styles({**theme.to_color_system().generate(), **theme.variables})


def _hex(styles: ArticleStyles, field: str) -> str:
    colour = getattr(styles, field).color
    assert colour is not None, field
    return str(colour.get_truecolor().hex).upper()


def test_the_ansi_theme_draws_articles_in_the_terminals_palette(tmp_path: Path) -> None:
    styles = _styles(_theme("ansi", tmp_path))
    for field in (*COLOURED, "embed"):
        colour = getattr(styles, field).color
        assert colour is not None and colour.type is ColorType.STANDARD, field


@pytest.mark.parametrize("name", ["institute-dark", "institute-light", "high-contrast"])
def test_article_colours_are_legible_on_the_article(name: str, tmp_path: Path) -> None:
    theme = _theme(name, tmp_path)
    surface = theme.surface or theme.background
    assert surface is not None
    styles = _styles(theme)
    for field in (*COLOURED, "embed"):
        # 4.5:1 is WCAG AA for body text; the title is large bold text, for which 3:1 is.
        needed = 3.0 if field == "title" else 4.5
        assert contrast(_hex(styles, field), surface) >= needed, field


def test_high_contrast_articles_use_only_its_own_colours(tmp_path: Path) -> None:
    styles = _styles(_theme("high-contrast", tmp_path))
    for field in (*COLOURED, "embed"):
        assert _hex(styles, field) in ("#FFFFFF", "#FFFF00", "#00FFFF"), field


def test_colours_rich_cannot_draw_keep_the_default_styles() -> None:
    base = ArticleStyles()
    styles = article_styles(
        {
            "text-primary": "not a colour",
            "reader-link": "auto 60%",
            "reader-code": "#990000 60%",
            "reader-image": "#11223380",
        }
    )
    assert (styles.title, styles.link, styles.code, styles.image) == (
        base.title,
        base.link,
        base.code,
        base.image,
    )
