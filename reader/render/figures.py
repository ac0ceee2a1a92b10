"""Pictures in an article: a block that holds an image's place until its picture is drawn.

An :class:`ImageBlock` is laid out like any other block. Without a picture it is its alt text
(``[image: alt]``) and, when images are on, blank lines reserving the rows the picture will
take, so nothing below moves when it arrives. The article view finds those rows by the
``image`` meta on the first line and draws the picture over them; ``reader show --images``
hands the pictures in before laying out, and they are drawn in place. What is known about
each image lives in one :class:`ImageBoard` per article view.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style

from reader.core.image_decode import fit
from reader.core.records import record

#: The shape assumed for an image whose page gives no size, until its file says.
DEFAULT_SHAPE = (3, 2)


def picture_rows(pane_height: int) -> int:
    """The most rows a picture may take in a pane this tall: about half of it, 6 to 20."""
    return max(6, min(20, pane_height * 3 // 5))


@dataclass
class ImageBoard:
    """What is known of an article's images now, for laying them out and drawing them."""

    max_rows: int = 16
    """The most rows one picture takes."""
    drawn: dict[str, RenderableType] = field(default_factory=dict)
    """Pictures ready to draw in place, by URL (``reader show --images``)."""
    failed: dict[str, str] = field(default_factory=dict)
    """Images that cannot be drawn, by URL, with the reason: their alt text stands in."""
    shapes: dict[str, tuple[int, int]] = field(default_factory=dict)
    """The real size of images whose files have been read, by URL."""


@record
class ArticleImage:
    """One image of the rendered article."""

    number: int
    """1-based, in reading order (the featured image first)."""
    url: str
    alt: str
    width: int | None = None
    height: int | None = None


def cells_for(shape: tuple[int, int], max_width: int, max_rows: int) -> tuple[int, int]:
    """Columns and rows a picture of ``shape`` pixels takes: two pixels a cell, top and bottom."""
    columns, pixel_rows = fit(shape[0], shape[1], max_width, max_rows * 2)
    return columns, (pixel_rows + 1) // 2


class ImageBlock:
    """The place of one picture in the article."""

    def __init__(self, image: ArticleImage, board: ImageBoard, alt_style: Style) -> None:
        self.image = image
        self.board = board
        self.alt_style = alt_style

    def shape(self) -> tuple[int, int]:
        """The image's size in pixels: read from its file, else declared, else assumed."""
        known = self.board.shapes.get(self.image.url)
        if known is not None:
            return known
        if self.image.width and self.image.height:
            return self.image.width, self.image.height
        return DEFAULT_SHAPE[0] * 400, DEFAULT_SHAPE[1] * 400

    def cells(self, max_width: int) -> tuple[int, int]:
        """Columns and rows the picture takes at this width."""
        return cells_for(self.shape(), max_width, self.board.max_rows)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        image = self.image
        alt = f"[image: {image.alt}]" if image.alt else "[image]"
        if image.url in self.board.failed:
            yield Segment(alt, self.alt_style)
            yield Segment.line()
            return
        drawn = self.board.drawn.get(image.url)
        if drawn is not None:
            yield from console.render(drawn, options)
            return
        columns, rows = self.cells(options.max_width)
        meta = Style(meta={"image": image.number, "columns": columns, "rows": rows})
        yield Segment(alt[: options.max_width], self.alt_style + meta)
        yield Segment.line()
        for _ in range(rows - 1):
            yield Segment(" ", meta)
            yield Segment.line()
