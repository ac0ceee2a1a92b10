"""Long paragraphs wrapped in time linear in their length, a slice of lines at a time.

Rich wraps a paragraph into lines, joins them back into one string and splits that again at
every line end; each split copies the rest of the string, so the cost grows with the square
of the paragraph's length (a 5 MB paragraph: 25 s). :class:`WrappedText` finds the line
breaks with ``str.rfind`` (C speed), renders the text one slice of lines at a time, and
yields each line as it is made, so a view can lay out the first screens and the rest later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import pairwise

# Rich's word wrapping rule itself (private, and not re-exported): the lines here must be the
# lines Rich makes, so where the fast rule does not apply, Rich's own decides.
from rich._wrap import divide_line
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


_TRAILING_SPACE = re.compile(r"\s+$")
"""Rich's own test for the whitespace a wrapped line may lose at its end."""
_NOT_SPACE = re.compile(r"[^ ]")
_ONE_CELL_RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA1, 0x2FF),  # Latin-1 and Latin extended
    (0x370, 0x482),  # Greek, Cyrillic
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x205E),
    (0x20A0, 0x20C0),  # currency signs
    (0x2100, 0x214F),  # letterlike symbols
    (0x2190, 0x21FF),  # arrows
)


@cache
def one_cell() -> frozenset[str]:
    """Characters one cell wide on their own (Rich agrees: a test checks), spaces other than
    " " left out: text made only of them wraps by :func:`_plain_breaks`.

    Made on first use, not at import: it would cost the reader's start a millisecond.
    """
    return frozenset(
        character
        for first, last in _ONE_CELL_RANGES
        for character in map(chr, range(first, last + 1))
        if character.isprintable() and (character == " " or not character.isspace())
    )


def _plain_breaks(piece: str, width: int) -> list[int]:
    """Rich's break positions (``divide_line``) for text of one-cell characters, a line at a
    time.

    Rich measures every word (``\\s*\\S+\\s*``) in Python. With one cell a character and
    spaces the only whitespace, its rule comes to this: a word stays on the line while its
    last letter is within ``width`` of the line's start; the first that is not starts the
    next line, folded into chunks of ``width`` (its spaces too) when it is longer than a line.
    """
    breaks: list[int] = []
    length = len(piece)
    first = _NOT_SPACE.search(piece)
    if first is None:
        return breaks  # only spaces: no word, one line
    line_start = _place_word(piece, 0, first.start(), width, breaks)
    while True:
        limit = line_start + width
        if limit >= length:
            return breaks
        if piece[limit] == " ":
            following = _NOT_SPACE.search(piece, limit)
            if following is None:
                return breaks  # the spaces after the last word stay on its line
            word = following.start()
        else:
            word = piece.rfind(" ", line_start, limit) + 1
        breaks.append(word)
        line_start = _place_word(piece, word, word, width, breaks)


def _place_word(piece: str, start: int, letters: int, width: int, breaks: list[int]) -> int:
    """Put the word at ``start`` (its letters from ``letters``) first on a line; returns where
    the line with its last part starts (the word folded when longer than ``width``)."""
    end_of_letters = piece.find(" ", letters)
    if end_of_letters == -1:
        end_of_letters = len(piece)
    if end_of_letters - start <= width:
        return start
    following = _NOT_SPACE.search(piece, end_of_letters)
    end = following.start() if following is not None else len(piece)
    chunks = list(range(start + width, end, width))
    breaks.extend(chunks)
    return chunks[-1] if chunks else start


def _plainly_wrapped(text: Text, options: ConsoleOptions) -> bool:
    """True for a paragraph Rich wraps in the plain way: words, folded, left as they are."""
    return (
        (text.justify or options.justify or "default") == "default"
        and (text.overflow or options.overflow or "fold") == "fold"
        and not text.no_wrap
        and not options.no_wrap
        and text.end in ("\n", "")
        and "\t" not in text.plain
    )


def _rich_line_ranges(plain: str, width: int) -> list[tuple[int, int]] | None:
    """(start, end) of each line Rich wraps ``plain`` into, or None for a case left to Rich.

    Rich's own break positions, each line keeping the spaces after its last word as far as
    they fit (Rich's ``rstrip_end``); a line that still does not fit (wide characters in its
    spaces) is Rich's to cut.
    """
    ranges: list[tuple[int, int]] = []
    offset = 0
    for piece in plain.split("\n"):
        plainly = one_cell().issuperset(piece)
        breaks = _plain_breaks(piece, width) if plainly else divide_line(piece, width, fold=True)
        starts = [0, *breaks]
        ends = [*starts[1:], len(piece)]
        for start, end in zip(starts, ends, strict=True):
            excess = end - start - width
            if excess > 0:
                spaces = _TRAILING_SPACE.search(piece, start, end)
                if spaces is not None:
                    end -= min(end - spaces.start(), excess)
            if (end - start > width or not plainly) and cell_len(piece[start:end]) > width:
                return None
            ranges.append((offset + start, offset + end))
        offset += len(piece) + 1
    return ranges


def _paragraph_lines(
    console: Console, text: Text, options: ConsoleOptions
) -> list[list[Segment]] | None:
    """Rich's lines of a paragraph, made without Rich's copies (None: left to Rich).

    Rich wraps a paragraph by dividing it into a Text per line, trimming, joining them again
    with newlines, rendering that and splitting it at the newlines: most of the time an
    article takes to lay out. The same lines come from rendering the paragraph once and
    cutting the segments at Rich's own break positions.
    """
    plain = text.plain
    if not _plainly_wrapped(text, options):
        return None
    if not plain:
        # A blank line between blocks: Rich draws an empty segment unless styles are set.
        return [[] if text.spans or text.style else [Segment("")]]
    width = options.max_width
    if len(plain) <= width and "\n" not in plain and one_cell().issuperset(plain):
        ranges = [(0, len(plain))]  # one line, as Rich breaks it: no break, nothing trimmed
    else:
        found = _rich_line_ranges(plain, width)
        if found is None:
            return None
        ranges = found
    # Rich draws each line's own style under its spans. The paragraph's render does the same
    # (its style comes first among the spans), except for a paragraph without spans, which
    # Text.render draws unstyled: that one is given its style as a span.
    whole = (
        text
        if text.spans or not text.style
        else Text(plain, spans=[Span(0, len(plain), text.style)])
    )
    segments = whole.render(console)
    if len(ranges) == 1 and ranges[0] == (0, len(plain)):
        return [list(segments)]
    return _cut_lines(segments, ranges)


def _cut_lines(segments: Iterable[Segment], ranges: list[tuple[int, int]]) -> list[list[Segment]]:
    """The segments of a whole paragraph cut at its line ranges, one list per line."""
    source = iter(segments)
    lines: list[list[Segment]] = []
    text, style = "", None
    segment_start = segment_end = 0
    for start, end in ranges:
        line: list[Segment] = []
        while start < end:
            if segment_end <= start:
                following = next(source, None)
                if following is None:
                    break
                text, style = following.text, following.style
                segment_start, segment_end = segment_end, segment_end + len(text)
                continue
            if start == segment_start and end >= segment_end:
                line.append(Segment(text, style))  # the whole segment: no copy of its text
                start = segment_end
                continue
            a, b = max(start, segment_start), min(end, segment_end)
            line.append(Segment(text[a - segment_start : b - segment_start], style))
            start = b
        lines.append(line)
    return lines


def lines_of(
    console: Console, renderable: RenderableType, options: ConsoleOptions
) -> Iterator[list[Segment]]:
    """The lines of ``renderable``, made one at a time (``Console.render_lines`` makes all)."""
    if type(renderable) is Text:
        lines = _paragraph_lines(console, renderable, options)
        if lines is not None:
            yield from lines
            return
    # A block that makes its own lines (layout.Indented: a prefix before each of its body's)
    # spares rendering them into one stream and splitting that again.
    own_lines = getattr(renderable, "laid_out_lines", None)
    if own_lines is not None:
        yield from own_lines(console, options)
        return
    rendered = console.render(renderable, options)
    yield from Segment.split_and_crop_lines(
        rendered, options.max_width, include_new_lines=False, pad=False
    )
