"""Small Rich renderables the article is laid out with: a prefixed block, a code block, and
pieces kept whole on their lines."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

from reader.render.wrapping import lines_of


class Indented:
    """A block drawn behind a prefix: a quote bar, a list bullet, an indent.

    ``first`` goes before the first line and ``rest`` before every other one (both are
    segments of equal width), so a list item's wrapped lines line up under its text rather
    than under its bullet.
    """

    def __init__(self, body: RenderableType, first: list[Segment], rest: list[Segment]) -> None:
        self.body = body
        self.first = first
        self.rest = rest

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        for line in self.laid_out_lines(console, options):
            yield from line
            yield Segment.line()

    def laid_out_lines(self, console: Console, options: ConsoleOptions) -> Iterator[list[Segment]]:
        """The block's lines, prefixes in place (what ``lines_of`` takes without splitting
        the rendered segments into lines again)."""
        first = self.first
        rest = self.rest
        indent = max(Segment.get_line_length(first), Segment.get_line_length(rest))
        width = options.max_width - indent
        if width < 4:
            # Too narrow for the prefix to leave room for text: the text matters more.
            yield from lines_of(console, self.body, options)
            return
        # Line by line, not render_lines: a long paragraph in a quote is laid out as it goes.
        lines = lines_of(console, self.body, options.update_width(width))
        for index, line in enumerate(lines):
            yield [*(first if index == 0 else rest), *line]


class Preformatted:
    """Text whose spaces and line breaks are kept; a line too long is cut at the edge.

    Word wrapping would move code around at its spaces; folding at the exact width keeps every
    character and every column in place.
    """

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        width = max(1, options.max_width)
        for line in self.text.split("\n", allow_blank=True):
            plain = line.plain
            if cell_len(plain) <= width:
                pieces = [line]
            else:
                offsets: list[int] = []
                position = 0
                for chunk in chop_cells(plain, width)[:-1]:
                    position += len(chunk)
                    offsets.append(position)
                pieces = list(line.divide(offsets))
            for piece in pieces:
                yield from piece.render(console)
                yield Segment.line()


class KeptTogether:
    """Short pieces (a key and what it does) joined by a separator, lines broken only
    between pieces, so no key is left at the end of a line without its label."""

    def __init__(self, pieces: list[Text], separator: Text) -> None:
        self.pieces = pieces
        self.separator = separator

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Text]:
        width = options.max_width
        line = Text()
        for piece in self.pieces:
            if line and line.cell_len + self.separator.cell_len + piece.cell_len > width:
                yield line
                line = Text()
            if line:
                line.append_text(self.separator)
            line.append_text(piece)
        if line:
            yield line
