"""A picture drawn with Unicode half blocks: two pixels a cell, in the terminal's colour depth.

Each cell shows its upper pixel as the foreground of ``▀`` and its lower pixel as the
background (or the other way round with ``▄``); a cell whose two pixels match is a space on
that background or a full block in that foreground, whichever keeps more of the colours the
terminal holds. Colours are chosen here for the depth in use (24-bit, the 256-colour
palette, or four greys of the 16 ANSI colours, which survive any palette), and neighbouring
cells of the same colours are one segment, so the terminal gets one escape sequence per run,
not per cell.
Transparent pixels take no colour at all: the theme's background shows through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.color import Color
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from reader.core.image_decode import Picture
from reader.render.colour_difference import Lab, delta_e, lab

UPPER = "▀"
LOWER = "▄"
FULL = "█"

#: Colour depths a picture can be drawn in (Rich's names); without colour it is not drawn.
DEPTHS = ("truecolor", "256", "16")

# The levels of the 256-colour palette's 6x6x6 cube.
_CUBE = (0, 95, 135, 175, 215, 255)
# A pixel at least this opaque is drawn; fainter ones let the background through.
_OPAQUE = 128
# Four ANSI colours from dark to light: black, bright black, white, bright white.
_GREYS_16 = (0, 8, 7, 15)
# How much further from a pixel than its nearest palette colour (in CIEDE2000, as the eye
# judges it) a neighbour's colour may be and still be drawn for it. The cube's levels are 40
# apart, so a smooth area flickers between two of them, and every flicker costs an escape
# sequence (bench/README.md). At the weight below 8 is 20 bytes' worth a pixel, more than
# the codes a pixel's colour can save but rarely; within 6 or 8 differ by under 1% of bytes.
_KEEP_WITHIN = 8.0
# What a unit of that extra difference weighs against a byte when a row is chosen: 2.5 gives
# up a colour change (about 11 bytes) for some 4.5 units of extra difference over its pixels.
# Measured on the sample site's two pictures and two photos against the same choice judged in
# RGB distance (within 16, weighed 0.2): 3-7% fewer bytes a line at a lower mean CIEDE2000
# and CIE76 error on each; RGB distance, which the eye does not follow, grew 3-16%. A lighter
# weight costs the 4000x3000 photo CIE76 error (2.0: 4.70 -> 4.80).
_ERROR_WEIGHT = 2.5

Colour = int | None
"""A colour chosen for a depth: 24-bit RGB packed in an int, or a palette index; None is none."""


def _cube_level(value: int) -> int:
    if value < 48:
        return 0
    if value < 115:
        return 1
    return min(5, (value - 35) // 40)


def palette_256(red: int, green: int, blue: int) -> int:
    """The nearest colour of the xterm 256-colour palette (its cube and its grey ramp)."""
    r, g, b = _cube_level(red), _cube_level(green), _cube_level(blue)
    cube = 16 + 36 * r + 6 * g + b
    cr, cg, cb = _CUBE[r], _CUBE[g], _CUBE[b]
    cube_distance = (cr - red) ** 2 + (cg - green) ** 2 + (cb - blue) ** 2
    average = (red + green + blue) // 3
    step = max(0, min(23, (average - 3) // 10))
    grey = 8 + 10 * step
    grey_distance = (grey - red) ** 2 + (grey - green) ** 2 + (grey - blue) ** 2
    return 232 + step if grey_distance < cube_distance else cube


def _palette_rgb(index: int) -> tuple[int, int, int]:
    """The colour of a 256-colour palette index from the cube or the grey ramp."""
    if index >= 232:
        grey = 8 + 10 * (index - 232)
        return grey, grey, grey
    index -= 16
    return _CUBE[index // 36], _CUBE[index // 6 % 6], _CUBE[index % 6]


def grey_16(red: int, green: int, blue: int) -> int:
    """One of four ANSI greys by lightness, so the shape reads whatever the palette."""
    lightness = (299 * red + 587 * green + 114 * blue) // 1000
    return _GREYS_16[min(3, lightness // 64)]


class HalfBlocks:
    """A Rich renderable of a picture, one cell per pixel across and two down.

    The picture is drawn at its own size (scale it to fit first); a narrower console crops it.
    """

    def __init__(self, picture: Picture, depth: str) -> None:
        if depth not in DEPTHS:
            raise ValueError(f"no half blocks in colour depth {depth!r}")
        self.picture = picture
        self.depth = depth
        self.lines = _draw(picture, depth)
        """The picture's lines of segments, drawn once."""

    @property
    def rows(self) -> int:
        """Lines of text the picture takes."""
        return len(self.lines)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterable[Segment]:
        width = options.max_width
        for line in self.lines:
            if self.picture.width > width:
                yield from Segment.adjust_line_length(line, width)
            else:
                yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = min(self.picture.width, options.max_width)
        return Measurement(width, width)


def _draw(picture: Picture, depth: str) -> list[list[Segment]]:
    choices = _choices(picture, depth)
    width = picture.width
    styles: dict[tuple[str, Colour, Colour], Style | None] = {}
    code_sizes: dict[tuple[Colour, bool], int] = {}
    known_ways: dict[tuple[_Choices, _Choices], list[_PricedWay]] = {}
    lines: list[list[Segment]] = []
    for top_row in range(0, picture.height, 2):
        upper = choices[top_row * width : (top_row + 1) * width]
        if top_row + 1 < picture.height:
            lower = choices[(top_row + 1) * width : (top_row + 2) * width]
        else:
            lower = [_NONE] * width
        line: list[Segment] = []
        cells = _cheapest_cells(list(zip(upper, lower, strict=True)), depth, code_sizes, known_ways)
        run_key: tuple[str, Colour, Colour] | None = None
        run = 0
        for cell in cells:
            if cell == run_key:
                run += 1
                continue
            if run_key is not None:
                line.append(_segment(run_key, run, styles, depth))
            run_key, run = cell, 1
        if run_key is not None:
            line.append(_segment(run_key, run, styles, depth))
        lines.append(line)
    return lines


def _segment(
    cell: tuple[str, Colour, Colour],
    run: int,
    styles: dict[tuple[str, Colour, Colour], Style | None],
    depth: str,
) -> Segment:
    """A run of ``run`` cells drawn alike: (character, foreground, background)."""
    style = styles.get(cell)
    if style is None and cell not in styles:
        style = styles[cell] = _style(cell[1], cell[2], depth)
    return Segment(cell[0] * run, style)


_Pen = tuple[Colour | bool, Colour | bool]
"""The foreground and background the terminal holds after a cell (False: not known)."""
_Cell = tuple[str, Colour, Colour]
"""How a cell is drawn: its character, foreground and background."""
_Chain = tuple[tuple[_Cell, int], "_Chain"] | None
"""The runs of a row chosen so far (a way and its length), the last first."""
_Choices = tuple[tuple[Colour, float], ...]
"""The colours a pixel may be drawn in, each with its weighted error beyond the nearest's."""
_NONE: _Choices = ((None, 0.0),)
_PricedWay = tuple[_Cell, int, float, Colour | bool, int, Colour | bool, int]
"""A way to draw a cell, its character's bytes and weighted error, and its colours with
their codes' sizes (see :func:`_priced_ways`)."""


def _cheapest_cells(
    pairs: list[tuple[_Choices, _Choices]],
    depth: str,
    code_sizes: dict[tuple[Colour, bool], int],
    known_ways: dict[tuple[_Choices, _Choices], list[_PricedWay]] | None = None,
) -> list[tuple[str, Colour, Colour]]:
    """How to draw a row of cells (the choices of colour for each half) in the fewest bytes.

    A cell of two colours can be drawn two ways, ``▀`` on the lower colour or ``▄`` on the
    upper one, and a cell of one colour two ways too: a space on it, which leaves the
    foreground as it was, or a full block in it, which leaves the background as it was (and
    is drawn on whatever background the pen holds then). Which way is cheapest depends on
    the colours the terminal holds, and so on every choice before it: the row is chosen
    whole (the fewest bytes of colour codes and characters over the row, as the screen
    writer sends only the colours that change, plus the weighted error of any colour drawn
    that is not a pixel's nearest), not cell by cell. (Runs are priced a character a cell,
    not as the screen writer's ``REP`` would send them: the picture would then depend on the
    terminal's answers, and a reader drawing its frames whole would draw another one.)
    """

    def size(colour: Colour, foreground: bool) -> int:
        key = (colour, foreground)
        found = code_sizes.get(key)
        if found is None:
            found = code_sizes[key] = _code_size(colour, foreground, depth)
        return found

    if known_ways is None:
        known_ways = {}
    # For each pen the terminal may hold after the cells so far: the cost to get there, and
    # the way the cells were drawn (as a chain of runs, shared between the pens). A run of
    # equal cells is drawn one way throughout: changing ways inside it costs what changing
    # at its end would.
    best: dict[_Pen, tuple[float, _Chain]] = {(False, False): (0.0, None)}
    at = 0
    count = len(pairs)
    while at < count:
        pair = pairs[at]
        end = at + 1
        while end < count and pairs[end] == pair:
            end += 1
        run = end - at
        at = end
        ways = known_ways.get(pair)
        if ways is None:
            ways = known_ways[pair] = _priced_ways(pair, size)
        # What each way costs the run whatever the pen: its characters and their error.
        priced = [(way[0], run * (way[1] + way[2]), *way[3:]) for way in ways]
        after: dict[_Pen, tuple[float, _Chain]] = {}
        for (fg, bg), (cost, chain) in best.items():
            for way, price, foreground, fg_size, background, bg_size in priced:
                total = cost + price
                codes = 0
                if background is False:
                    # A full block keeps the pen's background, and is drawn on it: known
                    # only after the row's first code.
                    if bg is False:
                        continue
                    way = (FULL, foreground, bg)
                    pen: _Pen = (foreground, bg)
                    if fg != foreground:
                        codes = fg_size
                elif foreground is False:
                    pen = (fg, background)  # a space leaves the foreground as it was
                else:
                    pen = (foreground, background)
                    if fg != foreground:
                        codes = fg_size
                if background is not False and bg != background:
                    codes += bg_size
                if codes:
                    total += codes + 2
                held = after.get(pen)
                if held is None or total < held[0]:
                    after[pen] = (total, ((way, run), chain))
        # A pen is kept only while it may still come out cheaper: the cheapest pen pays at
        # most the codes for this pen's colours (each with its framing) to draw what it draws.
        if len(after) == 1:
            best = after
            continue
        low_pen, (low, _) = min(after.items(), key=lambda item: item[1][0])
        best = {}
        for pen, held in after.items():
            fg, bg = pen
            catching_up = low
            if fg is not False and fg != low_pen[0]:
                catching_up += size(fg, True) + 2
            if bg != low_pen[1]:
                catching_up += size(bg, False) + 2
            if held[0] <= catching_up:
                best[pen] = held
    _, chain = min(best.values(), key=lambda item: item[0])
    cells: list[tuple[str, Colour, Colour]] = []
    while chain is not None:
        (way, run), chain = chain
        cells.extend([way] * run)
    cells.reverse()
    return cells


def _priced_ways(
    pair: tuple[_Choices, _Choices], size: Callable[[Colour, bool], int]
) -> list[_PricedWay]:
    """Every way to draw a cell of these choices, with what each costs a cell whatever the
    pen (its character's bytes and weighted error), its colours and their codes' sizes (a
    space sets no foreground and a full block no background: False for them)."""
    ways: list[_PricedWay] = []
    for upper, upper_error in pair[0]:
        for lower, lower_error in pair[1]:
            error = upper_error + lower_error
            for way in _ways(upper, lower):
                character, foreground, background = way
                if character == " ":
                    ways.append((way, 1, error, False, 0, background, size(background, False)))
                    if background is not None:
                        # The same colour as a full block: it keeps the background instead.
                        full = (FULL, background, None)
                        ways.append((full, 3, error, background, size(background, True), False, 0))
                else:  # ▀ and ▄ are three bytes in UTF-8
                    fg_size = size(foreground, True)
                    ways.append(
                        (way, 3, error, foreground, fg_size, background, size(background, False))
                    )
    return ways


def _ways(upper: Colour, lower: Colour) -> tuple[tuple[str, Colour, Colour], ...]:
    """The ways to draw a cell of these upper and lower colours: (character, fg, bg)."""
    if upper is None and lower is None:
        return ((" ", None, None),)
    if upper is None:
        return ((LOWER, lower, None),)
    if lower is None:
        return ((UPPER, upper, None),)
    if upper == lower:
        return ((" ", None, upper),)
    return ((UPPER, upper, lower), (LOWER, lower, upper))


def _code_size(colour: Colour, foreground: bool, depth: str) -> int:
    """Bytes of the SGR parameters that set ``colour`` (the view's own: its default's)."""
    if colour is None:
        return 2  # 39 or 49
    if depth == "truecolor":  # 38;2;R;G;B and its separator: thousands of colours a picture
        return len(f"{colour >> 16};{(colour >> 8) & 0xFF};{colour & 0xFF}") + 6
    if depth == "256" and colour >= 16:  # 38;5;N (the 16 below are sent as 3x or 9x)
        return len(str(colour)) + 6
    value = _colour(colour, depth)
    assert value is not None
    return len(";".join(value.get_ansi_codes(foreground))) + 1


def _style(foreground: Colour, background: Colour, depth: str) -> Style | None:
    if foreground is None and background is None:
        return None
    return Style(color=_colour(foreground, depth), bgcolor=_colour(background, depth))


def _colour(value: Colour, depth: str) -> Color | None:
    if value is None:
        return None
    if depth == "truecolor":
        return Color.from_rgb(value >> 16, (value >> 8) & 0xFF, value & 0xFF)
    return Color.from_ansi(value)


def _choices(picture: Picture, depth: str) -> list[_Choices]:
    """For every pixel, the colours in ``depth`` it may be drawn in; (None,) is transparent.

    In 256 colours a pixel may also take the nearest colour of a pixel beside it (left,
    right, or the other half of its cell) when that is within ``_KEEP_WITHIN`` of as close as
    its own nearest, judged by CIEDE2000 (:mod:`reader.render.colour_difference`); the
    nearest colour itself stays the RGB nearest (by CIEDE2000 alone, a muted green took the
    palette's brighter, more saturated greens, specks plain to see). The row's choice
    (:func:`_cheapest_cells`) then keeps one colour over a smooth area instead of
    flickering between two. Only a neighbour's own nearest colour is offered, never one it
    was drawn in, so an edge moves by a pixel at most and never smears.
    """
    data = picture.rgba
    nearest = palette_256 if depth == "256" else grey_16
    chosen: dict[int, int] = {}
    own: list[Colour] = []
    append = own.append
    for at in range(0, len(data), 4):
        if data[at + 3] < _OPAQUE:
            append(None)
            continue
        red, green, blue = data[at], data[at + 1], data[at + 2]
        packed = red << 16 | green << 8 | blue
        if depth == "truecolor":
            append(packed)
            continue
        found = chosen.get(packed)
        if found is None:
            found = chosen[packed] = nearest(red, green, blue)
        append(found)
    if depth != "256":
        return [((colour, 0.0),) for colour in own]
    return _with_neighbours(data, own, picture.width)


def _with_neighbours(data: bytes | bytearray, own: list[Colour], width: int) -> list[_Choices]:
    palette = {index: lab(*_palette_rgb(index)) for index in set(own) if index is not None}
    alone: dict[int, _Choices] = {index: ((index, 0.0),) for index in palette}
    seen: dict[int, Lab] = {}
    # A picture repeats its colours: each (pixel colour, palette colour) distance is worked
    # out once (CIEDE2000 is some 60 float operations).
    distances: dict[tuple[int, int], float] = {}
    count = len(own)

    def distance(packed: int, real: Lab, index: int) -> float:
        key = (packed, index)
        known = distances.get(key)
        if known is None:
            known = distances[key] = delta_e(real, palette[index])
        return known

    out: list[_Choices] = []
    append = out.append
    for place, colour in enumerate(own):
        if colour is None:
            append(_NONE)
            continue
        x = place % width
        partner = place + width if place // width % 2 == 0 else place - width
        left = own[place - 1] if x else colour
        right = own[place + 1] if x + 1 < width else colour
        other_half = own[partner] if 0 <= partner < count else colour
        if left == right == other_half == colour:
            append(alone[colour])
            continue
        others = {near for near in (left, right, other_half) if near is not None}
        others.discard(colour)
        if not others:
            append(alone[colour])
            continue
        at = 4 * place
        packed = data[at] << 16 | data[at + 1] << 8 | data[at + 2]
        real = seen.get(packed)
        if real is None:
            real = seen[packed] = lab(data[at], data[at + 1], data[at + 2])
        closest = distance(packed, real, colour)
        choices: list[tuple[Colour, float]] = [(colour, 0.0)]
        for other in sorted(others):
            extra = distance(packed, real, other) - closest
            if extra <= _KEEP_WITHIN:
                choices.append((other, _ERROR_WEIGHT * max(0.0, extra)))
        append(tuple(choices))
    return out
