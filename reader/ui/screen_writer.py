"""What the terminal shows, kept here, so that each frame sends only what changed on it.

Textual writes every line of every region it repaints, each piece of a line in its own colour
codes followed by a reset, whether or not the terminal already shows it; and when a view
scrolls by a line it repaints every line of the view. :class:`ScreenWriter` keeps a copy of
the terminal's cells (character and look) and turns each compositor update into:

- the terminal's own scrolling for a view whose lines moved: a scroll region (``DECSTBM``)
  and ``SU``/``SD``; where the view does not span the screen's width, within left and right
  margins (``DECLRMM`` and ``DECSLRM``), on terminals that say they have them (xterm, iTerm2,
  WezTerm, Windows Terminal, mintty; not tmux, xterm.js, kitty, VTE). The lines that came
  into view are then drawn like any other change;
- then, line by line, only the cells that differ from the copy, moving the cursor over what
  is unchanged and sending only the colour codes that differ between neighbouring cells; a
  run of one character (spaces of a background, a picture's stretch of one colour) as the
  character and ``REP`` (``CSI n b``, repeat it n times) where the terminal showed it has
  REP (the probe tries it: no query says so) and that is shorter.

What is left on the screen is cell for cell what Textual would have drawn. Pictures drawn
over cells (iTerm2, Sixel: escape sequences that position themselves) are sent again whenever
a line before them was written, and a view with such a picture on screen is never scrolled by
the terminal (not every terminal moves those pictures with the text).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style

# Textual's update classes live in a private module and are the only way to see what a frame
# draws before it is turned into bytes (there is no public hook between the two).
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.geometry import Region
from textual.strip import SGR_STYLES, Strip

UNKNOWN = "\x00"
"""A cell whose content on the terminal is not known (never equal to a real cell)."""
_UNKNOWN_LOOK = -1
_PLAIN = 0
"""The look of a cell with no colours or attributes: what a reset leaves."""
_MERGE_GAP = 4
"""Unchanged cells written rather than skipped between two changes (a cursor move costs
about as much)."""
_MOST_LOOKS = 20_000
"""Looks remembered before the copy starts afresh (links make new ones)."""
_LEAST_SCROLL_ROWS = 3
"""A view shorter than this is never scrolled by the terminal."""
_CLOSE_LINK = "\x1b]8;;\x1b\\"
_SHOWN_ON_SPACES = sum(1 << bit for bit in (3, 6, 8, 9, 10, 11, 12))
"""Rich's attribute bits that draw on a space in its foreground colour: underline, reverse,
strike, double underline, frame, encircle, overline."""
_NOT_IN_LINK = str.maketrans({code: None for code in (*range(0x20), 0x7F)})


class Look(NamedTuple):
    """How a cell is drawn: attributes, colours and link, as sent to the terminal."""

    attributes: int
    """Rich's attribute bits that are set and on."""
    foreground: str
    """SGR parameters of the foreground colour ("" for the terminal's own)."""
    background: str
    link: str


class Frame(CompositorUpdate):
    """An update already turned into the bytes the terminal needs (maybe none)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def render_segments(self, console: Console) -> str:
        """The terminal sequences of the update."""
        return self.text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The same bytes, as one control segment (for a console rather than the driver)."""
        yield Segment(self.text)


class _Row:
    """One line of the screen: a cell (text) and a look number per column."""

    __slots__ = ("cells", "controls", "looks")

    def __init__(self, cells: list[str], looks: list[int], controls: dict[int, str]) -> None:
        self.cells = cells
        self.looks = looks
        self.controls = controls
        """Escape sequences sent with this line (pictures drawn over cells), by column."""

    @classmethod
    def unknown(cls, width: int) -> _Row:
        return cls([UNKNOWN] * width, [_UNKNOWN_LOOK] * width, {})

    def copy(self) -> _Row:
        return _Row(self.cells.copy(), self.looks.copy(), self.controls.copy())

    def same_as(self, other: _Row) -> bool:
        return (
            self.cells == other.cells
            and self.looks == other.looks
            and self.controls == other.controls
        )


class ScreenWriter:
    """Keeps a copy of the terminal's screen and writes only the difference to each frame."""

    def __init__(
        self, *, left_right_margins: int = 0, repeat: bool = False, repeat_ascii: bool = False
    ) -> None:
        self.left_right_margins = left_right_margins
        """What the terminal said of its left and right margins (DECRQM's answer for mode
        69): 2 when it has them, off; 1 or 3 when they are on already; 0 when it has none."""
        self.repeat = repeat
        """True when the terminal's REP repeats any character: runs of one are sent as REP."""
        self.repeat_ascii = repeat or repeat_ascii
        """True when it repeats ASCII characters at least (tmux's REP: those alone)."""
        self.width = 0
        self.height = 0
        self._rows: list[_Row] = []
        self._by_style: dict[Style | None, int] = {}
        self._by_look: dict[Look, int] = {}
        self._looks: list[Look] = []
        self._sgr: dict[tuple[int, int], str] = {}
        self._blanks: dict[tuple[int, int], int] = {}
        self._colors = ColorSystem.TRUECOLOR
        self.forget()

    # -- what the terminal shows -------------------------------------------------------------

    def forget(self, width: int | None = None, height: int | None = None) -> None:
        """Know nothing of the screen any more (a resize, a suspended app, a new size)."""
        self.width = self.width if width is None else width
        self.height = self.height if height is None else height
        self._rows = [_Row.unknown(self.width) for _ in range(self.height)]
        self._by_style.clear()
        self._by_look.clear()
        self._looks.clear()
        self._sgr.clear()
        self._blanks.clear()
        self._look_of(None)  # number 0: the plain look

    def text(self) -> list[str]:
        """The screen as the copy has it (unknown cells as spaces), for tests."""
        return ["".join(c if c != UNKNOWN else " " for c in row.cells) for row in self._rows]

    def restore_codes(self) -> str:
        """What gives the terminal its whole screen back: plain colours, no scroll margins.

        Every scroll already ends by clearing its margins; this is for a reader that stops
        however it stops, before the terminal leaves the alternate screen.
        """
        if self.left_right_margins == 2:
            sides = "\x1b[?69l"  # off, as it was found (which also clears the side margins)
        elif self.left_right_margins in (1, 3):
            sides = "\x1b[s"  # on already: kept on, with the margins at the screen's edges
        else:
            sides = ""
        return f"\x1b[0m\x1b[r{sides}"

    # -- frames ------------------------------------------------------------------------------

    def frame(
        self,
        update: RenderableType,
        color_system: ColorSystem | None,
        views: Callable[[], Iterable[Region]] = list,
    ) -> Frame | None:
        """``update`` as only what changes on the terminal; None when it is of a kind not known.

        ``views`` gives the screen regions of scrolling views, where the terminal may be
        asked to scroll.
        """
        colors = color_system or ColorSystem.TRUECOLOR
        if colors != self._colors:
            self._colors = colors
            self.forget()
        if len(self._looks) > _MOST_LOOKS:
            self.forget()
        if isinstance(update, LayoutUpdate):
            new = self._from_layout(update)
        elif isinstance(update, ChopsUpdate):
            new = self._from_chops(update)
        else:
            # Drawn as Textual makes it: what it leaves on the terminal is not known here.
            self.forget()
            return None
        out: list[str] = []
        changed = [y for y, row in new.items() if not row.same_as(self._rows[y])]
        if len(changed) >= _LEAST_SCROLL_ROWS:
            self._scroll(new, changed, list(views()), out)
        self._write(new, out)
        return Frame("".join(out))

    def _from_layout(self, update: LayoutUpdate) -> dict[int, _Row]:
        region = update.region
        if (region.x, region.y) != (0, 0) or (region.width, region.height) != (
            self.width,
            self.height,
        ):
            self.forget(region.width, region.height)
        new: dict[int, _Row] = {}
        for y, line in enumerate(update.strips, region.y):
            if not 0 <= y < self.height:
                continue
            row = _Row.unknown(self.width)
            x = region.x
            for strip in line:
                x = self._paint(row, x, strip, x, self.width)
            new[y] = row
        return new

    def _from_chops(self, update: ChopsUpdate) -> dict[int, _Row]:
        new: dict[int, _Row] = {}
        width = self.width
        for y, x1, x2 in update.spans:
            if not 0 <= y < self.height:
                continue
            row = new.get(y)
            if row is None:
                row = new[y] = self._rows[y].copy()
            x2 = min(x2, width)
            for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
                if strip is None or x >= x2 or end <= x1:
                    continue
                start = x
                if x < x1 or end > x2:
                    strip = strip.crop(max(0, x1 - x), min(end, x2) - x)
                    start = max(x, x1)
                self._paint(row, start, strip, x, min(end, x2))
        return new

    def _paint(self, row: _Row, x: int, strip: Strip, origin: int, limit: int) -> int:
        """Put ``strip``'s cells into ``row`` from column ``x``; the column after them.

        Escape sequences among the segments are kept with the row under ``origin``, the
        column where the strip's own line starts.
        """
        cells, looks = row.cells, row.looks
        look_of = self._look_of
        controls = [text for text, _, control in strip if control]
        if controls:
            row.controls[origin] = "".join(controls)
        else:
            row.controls.pop(origin, None)
        for text, style, control in strip:
            if control or x >= limit:
                continue
            look = look_of(style)
            if text.isascii():
                count = min(len(text), limit - x)
                cells[x : x + count] = text[:count]
                looks[x : x + count] = [look] * count
                x += count
                continue
            for character in text:
                size = get_character_cell_size(character)
                if size == 0:
                    if x > 0:
                        cells[x - 1] += character
                    continue
                if x + size > limit:
                    break
                cells[x] = character
                looks[x] = look
                if size == 2:
                    cells[x + 1] = ""  # the right half of a wide character
                    looks[x + 1] = look
                x += size
        return x

    # -- looks -------------------------------------------------------------------------------

    def _look_of(self, style: Style | None) -> int:
        number = self._by_style.get(style)
        if number is not None:
            return number
        if style is None:
            look = Look(0, "", "", "")
        else:
            color, background = style._color, style._bgcolor
            look = Look(
                style._attributes & style._set_attributes,
                ";".join(color.downgrade(self._colors).get_ansi_codes()) if color else "",
                ";".join(background.downgrade(self._colors).get_ansi_codes(False))
                if background
                else "",
                (style._link or "").translate(_NOT_IN_LINK),
            )
        number = self._number(look)
        self._by_style[style] = number
        return number

    def _blank_look(self, pen: int, wanted: int) -> int:
        """The look to draw spaces of look ``wanted`` in, after cells of look ``pen``.

        A space shows no foreground unless a line or reverse video draws it: keeping the
        pen's foreground (or none, after a reset) saves its codes where pictures turn spaces
        of a background and half blocks in front of it one after the other.
        """
        key = (pen, wanted)
        found = self._blanks.get(key)
        if found is not None:
            return found
        old, new = self._looks[pen], self._looks[wanted]
        found = wanted
        if not new.attributes & _SHOWN_ON_SPACES:
            foreground = "" if old.attributes & ~new.attributes else old.foreground
            found = self._number(Look(new.attributes, foreground, new.background, new.link))
        self._blanks[key] = found
        return found

    def _number(self, look: Look) -> int:
        number = self._by_look.get(look)
        if number is None:
            number = self._by_look[look] = len(self._looks)
            self._looks.append(look)
        return number

    def _change(self, before: int, after: int) -> str:
        """The codes that turn a cell drawn with look ``before`` into one with ``after``."""
        key = (before, after)
        cached = self._sgr.get(key)
        if cached is not None:
            return cached
        old, new = self._looks[before], self._looks[after]
        out = ""
        if old.link != new.link:
            if old.link:
                out += _CLOSE_LINK
            if new.link:
                out += f"\x1b]8;id=r{after};{new.link}\x1b\\"
        codes: list[str]
        if old.attributes & ~new.attributes:
            # An attribute to turn off: reset, then everything the new look has.
            codes = ["0", *_attribute_codes(new.attributes)]
            codes += [part for part in (new.foreground, new.background) if part]
        else:
            codes = _attribute_codes(new.attributes & ~old.attributes)
            if old.foreground != new.foreground:
                codes.append(new.foreground or "39")
            if old.background != new.background:
                codes.append(new.background or "49")
        if codes:
            out += f"\x1b[{';'.join(codes)}m"
        self._sgr[key] = out
        return out

    # -- scrolling ---------------------------------------------------------------------------

    def _scroll(
        self, new: dict[int, _Row], changed: list[int], views: list[Region], out: list[str]
    ) -> None:
        """Scroll the views whose lines moved with the terminal's own scrolling."""
        changed_rows = set(changed)
        # Biggest first: a view inside a scrolled one is then judged on what is left to do.
        for view in sorted(views, key=lambda r: r.width * r.height, reverse=True):
            view = view.intersection(Region(0, 0, self.width, self.height))
            if view.height < _LEAST_SCROLL_ROWS or view.width <= 0:
                continue
            rows = range(view.y, view.bottom)
            if not any(y in changed_rows for y in rows):
                continue
            if any(self._rows[y].controls or (y in new and new[y].controls) for y in rows):
                continue  # a picture drawn over cells: not every terminal moves it
            left, right = view.x, view.right
            if self.left_right_margins not in (1, 2, 3):
                left, right = 0, self.width  # only whole lines can be scrolled
            shift = self._shift(new, rows, left, right)
            if shift == 0:
                continue
            before = self._cost(new, rows, left, right, 0)
            after = self._cost(new, rows, left, right, shift)
            if after >= before:
                continue
            out.append(self._scroll_codes(view.y, view.bottom, left, right, shift))
            for y in rows:
                if y not in new:
                    # Unchanged, but moved by the scroll: it is written back.
                    new[y] = self._rows[y].copy()
                    changed_rows.add(y)
            self._move(rows, left, right, shift)

    def _shift(self, new: dict[int, _Row], rows: range, left: int, right: int) -> int:
        """By how many lines the view's lines moved up (negative: down); 0 when they did not."""
        where: dict[tuple[tuple[str, ...], tuple[int, ...]], int] = {}
        for y in rows:
            row = self._rows[y]
            key = (tuple(row.cells[left:right]), tuple(row.looks[left:right]))
            if UNKNOWN in key[0]:
                continue
            # A line seen twice (blank lines) says nothing about where lines went.
            where[key] = -1 if key in where else y
        votes: dict[int, int] = {}
        for y in rows:
            wanted = new.get(y)
            if wanted is None:
                continue
            key = (tuple(wanted.cells[left:right]), tuple(wanted.looks[left:right]))
            found = where.get(key, -1)
            if found >= 0 and found != y:
                votes[found - y] = votes.get(found - y, 0) + 1
        if not votes:
            return 0
        shift, count = max(votes.items(), key=lambda item: item[1])
        return shift if count >= 2 or len(rows) - abs(shift) <= 2 else 0

    def _cost(self, new: dict[int, _Row], rows: range, left: int, right: int, shift: int) -> int:
        """Cells to write in the view's lines after moving them by ``shift`` (a rough count)."""
        width = self.width
        cost = 0 if shift == 0 else 24  # the scrolling codes
        for y in rows:
            source = y + shift
            wanted = new.get(y)
            if wanted is None:
                if shift == 0:
                    continue
                wanted = self._rows[y]  # unchanged here: the terminal's line must come back
            row = wanted
            if not rows.start <= source < rows.stop:
                cost += right - left
                continue
            old = self._rows[source]
            inside_same = (
                old.cells[left:right] == row.cells[left:right]
                and old.looks[left:right] == row.looks[left:right]
            )
            if shift:
                # Outside the margins nothing moved: compare with the line itself.
                here = self._rows[y]
                outside_same = (
                    here.cells[:left] == row.cells[:left]
                    and here.looks[:left] == row.looks[:left]
                    and here.cells[right:width] == row.cells[right:width]
                    and here.looks[right:width] == row.looks[right:width]
                )
            else:
                outside_same = True
            if not inside_same:
                cost += right - left
            if not outside_same:
                cost += width - (right - left)
        return cost

    def _scroll_codes(self, top: int, bottom: int, left: int, right: int, shift: int) -> str:
        """Scroll the rectangle by ``shift`` lines (up when positive) and restore the margins."""
        # The colours are plain here (every frame ends with a reset), so the lines that come
        # into view are blank in the terminal's own background until they are drawn.
        scroll = f"\x1b[{shift}S" if shift > 0 else f"\x1b[{-shift}T"
        margins = f"\x1b[{top + 1};{bottom}r"
        if left == 0 and right == self.width:
            return f"{margins}{scroll}\x1b[r"
        sides = f"\x1b[{left + 1};{right}s"
        if self.left_right_margins == 2:
            # Mode 69 on for the scroll only: turning it off again also clears the margins.
            return f"\x1b[?69h{sides}{margins}{scroll}\x1b[r\x1b[?69l"
        return f"{sides}{margins}{scroll}\x1b[r\x1b[s"

    def _move(self, rows: range, left: int, right: int, shift: int) -> None:
        """Move the copy's cells as the terminal has moved its own."""
        moved: list[tuple[list[str], list[int]]] = []
        for y in rows:
            source = y + shift
            if rows.start <= source < rows.stop:
                row = self._rows[source]
                moved.append((row.cells[left:right], row.looks[left:right]))
            else:
                moved.append(([UNKNOWN] * (right - left), [_UNKNOWN_LOOK] * (right - left)))
        for y, (cells, looks) in zip(rows, moved, strict=True):
            row = self._rows[y]
            row.cells[left:right] = cells
            row.looks[left:right] = looks

    # -- writing -----------------------------------------------------------------------------

    def _write(self, new: dict[int, _Row], out: list[str]) -> None:
        """Write what differs between the copy and ``new``, line by line; the copy follows."""
        look = _PLAIN
        change = self._change
        width = self.width
        written = False
        for y in sorted(new):
            row = new[y]
            old = self._rows[y]
            cells, looks = row.cells, row.looks
            if cells != old.cells or looks != old.looks:
                for start, end in _runs(old, row, width):
                    out.append(f"\x1b[{y + 1};{start + 1}H")
                    x = start
                    while x < end:
                        here = looks[x]
                        stop = x + 1
                        while stop < end and looks[stop] == here:
                            stop += 1
                        text = "".join(cells[x:stop])
                        if here != look and not text.strip(" "):
                            here = self._blank_look(look, here)
                        out.append(change(look, here))
                        out.append(
                            _repeated(cells[x:stop], ascii_only=not self.repeat)
                            if self.repeat_ascii
                            else text
                        )
                        look = here
                        x = stop
                    written = True
            if row.controls and (written or row.controls != old.controls):
                if look != _PLAIN:
                    out.append(change(look, _PLAIN))
                    look = _PLAIN
                out.extend(row.controls.values())
                written = True
            self._rows[y] = row
        if look != _PLAIN:
            out.append(change(look, _PLAIN))


def _repeated(cells: list[str], *, ascii_only: bool = False) -> str:
    """The cells' text, each run of one character written once and then REP where shorter.

    Only a cell of one character one cell wide is repeated: a wide character (its right half
    is "" in the copy) or one with combining marks would not be repeated cell for cell; with
    ``ascii_only``, only an ASCII character.
    """
    out: list[str] = []
    start = 0
    length = len(cells)
    while start < length:
        character = cells[start]
        end = start + 1
        while end < length and cells[end] == character:
            end += 1
        count = end - start
        if (
            count >= 3
            and len(character) == 1
            and character.isprintable()
            and (character.isascii() or not ascii_only)
        ):
            size = len(character.encode())
            repeat = f"\x1b[{count - 1}b"
            if size + len(repeat) < size * count and get_character_cell_size(character) == 1:
                out.append(character + repeat)
                start = end
                continue
        out.append(character * count)
        start = end
    return "".join(out)


def _runs(old: _Row, new: _Row, width: int) -> list[tuple[int, int]]:
    """The stretches of columns to write: cells that differ, joined across short gaps."""
    oc, ol, nc, nl = old.cells, old.looks, new.cells, new.looks
    runs: list[tuple[int, int]] = []
    start = -1
    last = -1
    for x in range(width):
        cell = nc[x]
        if cell == UNKNOWN or (cell == oc[x] and nl[x] == ol[x]):
            continue
        if start < 0:
            start = x
        elif x - last > _MERGE_GAP + 1 or UNKNOWN in nc[last + 1 : x]:
            runs.append((start, last + 1))
            start = x
        last = x
    if start >= 0:
        runs.append((start, last + 1))
    return [_whole_characters(old, new, a, b, width) for a, b in runs]


def _whole_characters(old: _Row, new: _Row, start: int, end: int, width: int) -> tuple[int, int]:
    """Widen a stretch so that no wide character, old or new, is cut in two."""
    while start > 0 and (new.cells[start] == "" or old.cells[start] == ""):
        start -= 1
    while end < width and (new.cells[end] == "" or old.cells[end] == ""):
        end += 1
    return start, end


def _attribute_codes(bits: int) -> list[str]:
    return [SGR_STYLES[offset] for offset in range(bits.bit_length()) if bits & (1 << offset)]
