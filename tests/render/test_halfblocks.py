"""Half-block pictures: colours per depth, runs merged, transparency, and the byte budget."""

from __future__ import annotations

import io
import math

import pytest
from rich.console import Console
from rich.segment import Segment
from textual.strip import Strip

from reader.core.image_decode import Picture, decode_picture
from reader.render.colour_difference import delta_e, lab
from reader.render.halfblocks import FULL, LOWER, UPPER, HalfBlocks, grey_16, palette_256
from tests.support.pictures import photo_jpeg


def _picture(pixels: list[list[tuple[int, int, int, int]]]) -> Picture:
    height, width = len(pixels), len(pixels[0])
    data = bytes(value for row in pixels for pixel in row for value in pixel)
    return Picture(width, height, data)


RED = (255, 0, 0, 255)
BLUE = (0, 0, 255, 255)
CLEAR = (0, 0, 0, 0)


def test_the_256_palette_is_matched_to_its_nearest_colour() -> None:
    assert palette_256(255, 0, 0) == 196
    assert palette_256(0, 0, 0) == 16
    assert palette_256(255, 255, 255) == 231
    assert palette_256(128, 128, 128) == 244  # the grey ramp beats the cube here
    assert palette_256(95, 135, 175) == 16 + 36 * 1 + 6 * 2 + 3


def test_sixteen_colours_are_four_greys_by_lightness() -> None:
    assert [grey_16(v, v, v) for v in (0, 80, 150, 255)] == [0, 8, 7, 15]


def test_a_smooth_area_keeps_one_colour_instead_of_flickering_between_two() -> None:
    # Greens of 114 and 116 fall either side of a level of the palette's cube (95 | 135): each
    # pixel's nearest colour flips, and every flip would cost the terminal an escape sequence.
    # (Each pixel of the upper green takes its left neighbour's; the lower row, the upper's.)
    left, right = (0, 114, 0, 255), (0, 116, 0, 255)
    assert palette_256(*left[:3]) != palette_256(*right[:3])
    row = [left, right] * 4
    blocks = HalfBlocks(_picture([row, row]), "256")
    [line] = blocks.lines
    assert [segment.text for segment in line] == [" " * 8]


def test_a_kept_colour_is_not_passed_along_the_row() -> None:
    # Four pixels of the lower green, then four of the upper: one colour for the whole row
    # would be cheapest, and every pixel is within reach of either; but the edge may move by
    # a pixel at most, or a borrowed colour smears across the run (a visible streak).
    left, right = (0, 114, 0, 255), (0, 116, 0, 255)
    row = [left] * 4 + [right] * 4
    blocks = HalfBlocks(_picture([row, row]), "256")
    [line] = blocks.lines
    first, second = (segment.text for segment in line)
    assert first.strip() == second.strip() == ""
    assert 3 <= len(first) <= 5


def test_a_neighbour_colour_is_kept_only_when_it_is_nearly_as_close() -> None:
    # Red beside blue: the neighbour is far from the pixel, so each keeps its own colour.
    blocks = HalfBlocks(_picture([[RED, BLUE], [RED, BLUE]]), "256")
    [line] = blocks.lines
    assert len(line) == 2
    assert [
        segment.style.bgcolor.number for segment in line if segment.style and segment.style.bgcolor
    ] == [196, 21]


def test_a_neighbour_colour_is_judged_as_the_eye_sees_it() -> None:
    # A brown beside an olive: in RGB the olive is nearly as close to the brown (3.8 further),
    # so both were drawn olive; to the eye it is 23 CIEDE2000 further, so each keeps its own.
    brown, olive = (119, 47, 17, 255), (96, 72, 1, 255)
    row = [brown, olive] * 4
    [line] = HalfBlocks(_picture([row, row]), "256").lines
    assert _drawn_colours(line) == [88, 58] * 4
    # A muted dark green beside a teal green: its RGB nearest is a grey, 52 nearer in RGB
    # than the teal, but the teal is the nearer to the eye: one colour for the run.
    muted, teal = (59, 88, 41, 255), (30, 116, 62, 255)
    assert palette_256(*muted[:3]) == 237
    row = [muted, teal] * 4
    [line] = HalfBlocks(_picture([row, row]), "256").lines
    assert _drawn_colours(line) == [29] * 8


def _drawn_colours(line: list[Segment]) -> list[int | None]:
    """The colour of each cell of a line of one-colour cells (spaces and full blocks)."""
    colours: list[int | None] = []
    for segment in line:
        style = segment.style
        assert style is not None
        for character in segment.text:
            colour = style.color if character == FULL else style.bgcolor
            assert character in (" ", FULL) and colour is not None
            colours.append(colour.number)
    return colours


def test_a_cell_of_one_colour_is_a_full_block_where_that_keeps_the_background() -> None:
    # A red disc's edge on a transparent background: red over nothing, red over red, red over
    # nothing. As a space the middle cell sets the background twice (red, then the view's
    # own again); as a full block it keeps the background and the row needs one code.
    row = HalfBlocks(_picture([[RED, RED, RED], [CLEAR, RED, CLEAR]]), "256").lines[0]
    assert "".join(segment.text for segment in row) == UPPER + FULL + UPPER
    styles = {segment.style for segment in row}
    assert len(styles) == 1
    [style] = styles
    assert style is not None and style.color is not None and style.bgcolor is None
    assert style.color.number == 196


def test_two_pixels_a_cell_and_equal_cells_in_one_run() -> None:
    blocks = HalfBlocks(_picture([[RED, RED, BLUE], [BLUE, BLUE, BLUE]]), "256")
    [line] = blocks.lines
    assert [segment.text for segment in line] == [UPPER * 2, " "]
    assert line[0].style is not None and line[0].style.color is not None
    assert line[0].style.color.number == 196
    assert line[1].style is not None and line[1].style.bgcolor is not None
    assert line[1].style.bgcolor.number == 21


def test_each_cell_is_drawn_the_way_that_keeps_the_colours_already_set() -> None:
    # Red over blue, then blue over red: the second cell as a lower half (red on blue) keeps
    # both colours of the first, so the terminal gets no new codes for it.
    blocks = HalfBlocks(_picture([[RED, BLUE, BLUE], [BLUE, RED, BLUE]]), "256")
    [line] = blocks.lines
    assert [segment.text for segment in line] == [UPPER, LOWER, " "]
    assert line[0].style == line[1].style
    assert line[1].style is not None and line[1].style.color is not None
    assert line[1].style.color.number == 196
    assert line[1].style.bgcolor is not None and line[1].style.bgcolor.number == 21


WHITE = (255, 255, 255, 255)


def test_a_row_is_drawn_in_its_fewest_codes_not_cell_by_cell() -> None:
    # White over blue, then white: cell by cell, the first cell's two ways keep nothing of a
    # pen not known yet, and `▀` (white on blue) wins the tie; then the white cell, a space,
    # needs its background changed. Drawn as `▄` (blue on white), the space after it needs no
    # code at all: one background code for the row instead of two.
    blocks = HalfBlocks(_picture([[WHITE, WHITE], [BLUE, WHITE]]), "256")
    [line] = blocks.lines
    assert [segment.text for segment in line] == [LOWER, " "]
    first, space = (segment.style for segment in line)
    assert first is not None and first.color is not None and first.bgcolor is not None
    assert (first.color.number, first.bgcolor.number) == (21, 231)
    assert space is not None and space.bgcolor == first.bgcolor


def test_a_row_costs_fewer_bytes_than_choosing_cell_by_cell() -> None:
    # Over a photo's rows: the codes each row needs (a foreground or background that differs
    # from the cell before; a space keeps the foreground), counted as the screen writer sends
    # them, about 11 bytes a code. Measured: 5,263 bytes cell by cell, 5,010 row by row.
    picture = decode_picture(photo_jpeg(1200, 800), 60, 40)
    assert _row_bytes(HalfBlocks(picture, "256")) <= 5_100


def _row_bytes(blocks: HalfBlocks) -> int:
    total = 0
    for line in blocks.lines:
        pen: tuple[object, object] = (None, None)
        for segment in line:
            style = segment.style
            assert style is not None
            fg = pen[0] if segment.text[0] == " " else style.color
            codes = [c for c, p in ((fg, pen[0]), (style.bgcolor, pen[1])) if c != p]
            total += len(segment.text.encode()) + sum(11 for _ in codes)
            pen = (fg, style.bgcolor)
    return total


def _errors(picture: Picture, blocks: HalfBlocks) -> tuple[float, float]:
    """How far the colours drawn are from the picture's own pixels: the mean CIEDE2000
    difference (as the eye judges it) and the RGB distance's root mean square."""
    differences = 0.0
    squares = 0
    for row, line in enumerate(blocks.lines):
        x = 0
        for segment in line:
            style = segment.style
            assert style is not None and style.bgcolor is not None
            for character in segment.text:
                back = style.bgcolor.get_truecolor()
                front = style.color.get_truecolor() if style.color else back
                upper, lower = {
                    UPPER: (front, back),
                    LOWER: (back, front),
                    FULL: (front, front),
                }.get(character, (back, back))
                for y, shown in ((2 * row, upper), (2 * row + 1, lower)):
                    if y < picture.height:
                        real = picture.pixel(x, y)[:3]
                        differences += delta_e(lab(*shown), lab(*real))
                        squares += sum((a - b) ** 2 for a, b in zip(shown, real, strict=True))
                x += 1
    pixels = picture.width * picture.height
    return differences / pixels, math.sqrt(squares / pixels)


def test_colours_are_kept_where_they_save_the_most_for_the_least_error() -> None:
    # A colour is kept over a stretch where that saves codes (the row chosen whole), not
    # pixel by pixel as each meets its left neighbour, and how much further it is from a
    # pixel is judged by CIEDE2000, not RGB distance. Measured on this photo: pixel by pixel
    # in RGB, 5,010 bytes; over the row in RGB, 4,246 bytes at a mean CIEDE2000 error of 7.85
    # (RMS in RGB 30.36); over the row by CIEDE2000, 3,854 bytes at 7.67 (RMS 31.14: the RGB
    # distance the eye does not follow is what grew).
    picture = decode_picture(photo_jpeg(1200, 800), 60, 40)
    blocks = HalfBlocks(picture, "256")
    assert _row_bytes(blocks) <= 4_000
    seen, rgb = _errors(picture, blocks)
    assert seen <= 7.75
    assert rgb <= 31.5


def test_transparent_pixels_take_no_colour() -> None:
    blocks = HalfBlocks(_picture([[CLEAR, RED, CLEAR], [CLEAR, CLEAR, RED]]), "truecolor")
    [line] = blocks.lines
    assert [(s.text, s.style and s.style.bgcolor) for s in line] == [
        (" ", None),
        (UPPER, None),
        (LOWER, None),
    ]


def test_an_odd_last_row_is_drawn_as_upper_halves() -> None:
    blocks = HalfBlocks(_picture([[RED], [RED], [BLUE]]), "truecolor")
    assert blocks.rows == 2
    assert blocks.lines[1][0].text == UPPER


def test_without_colours_there_are_no_half_blocks() -> None:
    with pytest.raises(ValueError, match="colour depth"):
        HalfBlocks(_picture([[RED]]), "none")


def test_a_narrow_console_crops_the_picture() -> None:
    console = Console(file=io.StringIO(), width=2, color_system=None, legacy_windows=False)
    blocks = HalfBlocks(_picture([[RED, RED, BLUE, RED], [BLUE, BLUE, BLUE, RED]]), "256")
    lines = console.render_lines(blocks, console.options, pad=False)
    assert [sum(len(s.text) for s in line) for line in lines] == [2]


@pytest.mark.parametrize("depth", ["256", "16"])
def test_a_60x20_picture_costs_at_most_30_kb_to_draw(depth: str) -> None:
    # Measured the way Textual sends it: each segment's escape, its text and a reset.
    picture = decode_picture(photo_jpeg(1200, 800), 60, 40)
    blocks = HalfBlocks(picture, depth)
    console = Console(file=io.StringIO(), color_system="256" if depth == "256" else "standard")
    sent = sum(len(Strip(line).render(console).encode()) for line in blocks.lines)
    assert (picture.width, blocks.rows) == (60, 20)
    assert sent <= 30 * 1024
