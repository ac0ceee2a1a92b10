"""One paragraph (or table cell) of inline text while it is being written.

Text is gathered as a list of strings plus ``Span`` objects and turned into one
``rich.text.Text`` when the block ends: much cheaper than thousands of ``Text.append`` calls,
and no string is ever parsed as markup. Whitespace collapses the way a browser collapses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rich.style import Style
from rich.text import Span, Text

from reader.core.text import strip_controls

# HTML collapses only ASCII whitespace; a no-break space must survive.
COLLAPSIBLE = re.compile("[ \t\n\f]+")

#: Inline styles nested deeper than this add nothing a reader could see, only cost.
DEEPEST_STYLE = 48

Closer = Callable[[], object]


def _nothing() -> None:
    """A closer with nothing to undo."""


@dataclass(slots=True)
class _StyleFrame:
    """An open inline style: where it began in the line and its slot among the spans.

    The slot is reserved when the element opens, so an outer style's span precedes an inner
    one's and Rich lets the inner style win, as CSS would.
    """

    style: Style
    start: int
    slot: int


class LineBuilder:
    """Inline text with its styles, and the whitespace owed between pieces of it."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._spans: list[Span | None] = []
        self._frames: list[_StyleFrame] = []
        self._at_start = True
        self._after_space = False
        self._pending_space = False
        self.script: dict[int, int] | None = None
        """A translation for the text inside ``sup`` or ``sub``, or None."""
        self.capture: list[str] | None = None
        """Where the text of the link being read is copied, or None outside links."""

    @property
    def empty(self) -> bool:
        """True when nothing has been written since the line began."""
        return not self._length

    def text(self, raw: str, preformatted: bool = False) -> None:
        """Write text from the page: controls removed, whitespace collapsed unless ``pre``."""
        if preformatted:
            self.emit(strip_controls(raw))
            return
        if raw.isspace():
            self.space()
            return
        text = strip_controls(raw)
        if not text:
            return
        # The regular expression is slow on long text; most text needs no collapsing at all.
        if "\n" in text or "  " in text or "\t" in text or "\f" in text:
            text = COLLAPSIBLE.sub(" ", text)
        if text.startswith(" "):
            self.space()
            text = text[1:]
        trailing = text.endswith(" ")
        if trailing:
            text = text[:-1]
        if text:
            self.emit(text.translate(self.script) if self.script is not None else text)
        if trailing:
            self.space()

    def space(self) -> None:
        """Owe one space before the next text, unless one is already there."""
        if not self._at_start and not self._after_space:
            self._pending_space = True

    def emit(self, text: str, *styles: Style) -> None:
        """Write ``text`` in ``styles`` (the last wins), after the space owed before it."""
        if not text:
            return
        self._pay_space()
        self._put(text, styles)
        self._at_start = False
        self._after_space = False
        if self.capture is not None:
            self.capture.append(text)

    def attach(self, text: str, *styles: Style) -> None:
        """Write ``text`` glued to what precedes it (a link's number); an owed space waits."""
        self._put(text, styles)
        self._at_start = False
        self._after_space = False

    def newline(self) -> None:
        """A ``br``: a new line inside the same block."""
        self._put("\n", ())
        self._start_over()
        if self.capture is not None:
            self.capture.append(" ")

    def soft_break(self) -> None:
        """Start a new line unless the line is already at the start of one."""
        if self._length and not self._parts[-1].endswith("\n"):
            self._put("\n", ())
        self._start_over()

    def push_style(self, style: Style, always: bool = False) -> Closer:
        """Apply ``style`` to what is written until the returned closer is called."""
        if len(self._frames) >= DEEPEST_STYLE and not always:
            return _nothing
        # The owed space goes before the element, so a link's underline starts at its text.
        self._pay_space()
        self._frames.append(_StyleFrame(style, self._length, len(self._spans)))
        self._spans.append(None)
        return self._pop_style

    def take(self) -> Text | None:
        """The line as a ``Text`` without trailing whitespace, or None if blank; start anew.

        Styles still open carry on into the next line.
        """
        self._start_over()
        if not self._length:
            return None
        length = self._length
        spans = self._spans
        for frame in self._frames:
            if length > frame.start:
                spans[frame.slot] = Span(frame.start, length, frame.style)
        plain = "".join(self._parts).rstrip()
        self._parts = []
        self._length = 0
        self._spans = []
        for frame in self._frames:
            frame.start = 0
            frame.slot = len(self._spans)
            self._spans.append(None)
        if not plain.strip():
            return None
        end = len(plain)
        kept = [
            span if span.end <= end else Span(span.start, end, span.style)
            for span in spans
            if span is not None and span.start < end
        ]
        return Text(plain, spans=kept)

    def _put(self, text: str, styles: tuple[Style, ...]) -> None:
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        for style in styles:
            self._spans.append(Span(start, self._length, style))

    def _pay_space(self) -> None:
        if self._pending_space:
            self._pending_space = False
            self._after_space = True
            self._put(" ", ())
            if self.capture is not None:
                self.capture.append(" ")

    def _start_over(self) -> None:
        self._at_start = True
        self._after_space = False
        self._pending_space = False

    def _pop_style(self) -> None:
        frame = self._frames.pop()
        if self._length > frame.start:
            self._spans[frame.slot] = Span(frame.start, self._length, frame.style)
