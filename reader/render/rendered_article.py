"""What the article view shows: blocks laid out by Rich and the article's numbered links.

Apart from :mod:`reader.render.article` so that panes with no article in them (the welcome,
an unreachable site) are made without importing the HTML renderer: start-up shows one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import RenderableType

from reader.render.figures import ArticleImage
from reader.render.layout import Indented
from reader.render.links import LinkTarget
from reader.render.wrapping import WrappedText


@dataclass
class RenderedArticle:
    """An article ready to show: blocks for a ``rich.console.Group`` and its numbered links."""

    renderables: list[RenderableType]
    links: list[LinkTarget]
    images: list[ArticleImage] = field(default_factory=list)
    """The pictures placed in the article (none when images are off), featured first."""

    @property
    def long(self) -> bool:
        """True when a paragraph is long enough to be laid out a slice at a time."""
        return any(
            isinstance(block.body if isinstance(block, Indented) else block, WrappedText)
            for block in self.renderables
        )
