"""Long paragraphs wrapped in time linear in their length, a slice of lines at a time.

Rich wraps a paragraph into lines, joins them back into one string and splits that again at
every line end; each split copies the rest of the string, so the cost grows with the square
of the paragraph's length (a 5 MB paragraph: 25 s). :class:`WrappedText` finds the line
breaks with ``str.rfind`` (C speed), renders the text one slice of lines at a time, and
yields each line as it is made, so a view can lay out the first screens and the rest later.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import pairwise

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Span, Text

LONG_PARAGRAPH = 4096
"""Characters from which a paragraph is wrapped here rather than by Rich."""
_SLICE_LINES = 64
"""Lines rendered together: enough to amortise Rich's per-render set-up, small enough to
hand the first lines out at once."""
_SLICE_SPANS = 128
"""Styles starting in one slice from which it ends early: Rich combines styles at every span
edge, so a paragraph of links (four spans each) costs a millisecond a line."""


def line_ranges(plain: str, width: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of ``plain`` wrapped at ``width`` cells, in order.

    Lines break at spaces; the space at a break belongs to neither line, as in Rich. A word
    longer than the line is folded at the edge. ``\\n`` ends a line.
    """
    width = max(1, width)
    narrow = plain.isascii()  # then one character is one cell
    start = 0
    length = len(plain)
    while True:
        newline = plain.find("\n", start)
        end = length if newline == -1 else newline
        yield from _wrap(plain, start, end, width, narrow)
        if newline == -1:
            return
        start = newline + 1


def _wrap(plain: str, start: int, end: int, width: int, narrow: bool) -> Iterator[tuple[int, int]]:
    if start == end:
        yield start, end
        return
    first = True
    while start < end:
        if not first:
            while start < end and plain[start] == " ":
                start += 1
            if start == end:
                return
        first = False
        fits = min(width, end - start) if narrow else _fitting(plain, start, end, width)
        boundary = start + fits
        if boundary >= end:
            yield start, end
            return
        if plain[boundary] == " ":
            cut = boundary
        else:
            cut = plain.rfind(" ", start + 1, boundary)
            if cut == -1:
                # One word fills the line: fold it (a character wider than the line goes alone).
                cut = max(boundary, start + 1)
        yield start, cut
        start = cut


def _fitting(plain: str, start: int, end: int, width: int) -> int:
    """How many characters from ``start`` fit in ``width`` cells (wide ones take two)."""
    high = min(width, end - start)
    if cell_len(plain[start : start + high]) <= width:
        return high
    low = 0  # cell_len grows with the number of characters: the first that overflows
    while low < high:
        middle = (low + high + 1) // 2
        if cell_len(plain[start : start + middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low


class WrappedText:
    """A long paragraph that wraps itself in linear time and yields its lines as it goes."""

    def __init__(self, text: Text) -> None:
        self.text = text
        """The paragraph (the article may still append a link's number to it)."""
        self._in_order: list[Span] | None = None

    def __str__(self) -> str:
        return self.text.plain

    def __len__(self) -> int:
        return len(self.text)

    def prepare(self) -> None:
        """Do the set-up that costs in proportion to the spans (call it off the screen's loop)."""
        spans = self.text.spans
        if all(a.start <= b.start for a, b in pairwise(spans)):
            self._in_order = spans
        else:
            # Later spans win over earlier ones: the sort keeps that order among equal starts.
            self._in_order = sorted(spans, key=lambda span: span.start)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        if self._in_order is None or len(self._in_order) != len(self.text.spans):
            self.prepare()
        spans = self._in_order or []
        text = self.text
        plain = text.plain
        ranges = line_ranges(plain, options.max_width)
        next_span = 0
        active: list[tuple[int, Span]] = []  # (position in the span list, span)
        while True:
            lines: list[tuple[int, int]] = []
            ahead = next_span
            for line in ranges:
                lines.append(line)
                while ahead < len(spans) and spans[ahead].start < line[1]:
                    ahead += 1
                if len(lines) == _SLICE_LINES or ahead - next_span >= _SLICE_SPANS:
                    break
            if not lines:
                return
            low, high = lines[0][0], lines[-1][1]
            # Spans that reach into this slice, in their original order (later ones win).
            active = [(i, s) for i, s in active if s.end > low]
            while next_span < len(spans) and spans[next_span].start < high:
                span = spans[next_span]
                if span.end > low:
                    active.append((next_span, span))
                next_span += 1
            clipped = [
                Span(max(s.start, low) - low, min(s.end, high) - low, s.style)
                for _, s in sorted(active, key=lambda entry: entry[0])
                if s.start < high
            ]
            piece = Text(plain[low:high], style=text.style, spans=clipped)
            yield from _cut(piece.render(console), lines, low)


def _cut(
    segments: Iterable[Segment], lines: list[tuple[int, int]], offset: int
) -> Iterator[Segment]:
    """The segments of a slice cut at its line ranges, each line ended by a newline."""
    source = iter(segments)
    text, style = "", None
    segment_start = segment_end = 0
    for line_start, line_end in lines:
        start, end = line_start - offset, line_end - offset
        while start < end:
            if segment_end <= start:
                following = next(source, None)
                if following is None:
                    break
                text, style = following.text, following.style
                segment_start, segment_end = segment_end, segment_end + len(text)
                continue
            a, b = max(start, segment_start), min(end, segment_end)
            yield Segment(text[a - segment_start : b - segment_start], style)
            start = b
        yield Segment.line()


def lines_of(
    console: Console, renderable: RenderableType, options: ConsoleOptions
) -> Iterator[list[Segment]]:
    """The lines of ``renderable``, made one at a time (``Console.render_lines`` makes all)."""
    rendered = console.render(renderable, options)
    yield from Segment.split_and_crop_lines(
        rendered, options.max_width, include_new_lines=False, pad=False
    )
