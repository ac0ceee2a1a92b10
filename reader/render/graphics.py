"""Terminal graphics protocols: Kitty (Unicode placeholders), iTerm2 inline images, Sixel.

Everything here turns pixels into the exact bytes a terminal is sent; where they are sent is
the article view's business. Kitty's Unicode placeholders suit a scrolling text view best:
the picture is sent once, and each cell of it is an ordinary character (U+10EEEE, its row
marked by a combining diacritic, its image named by the foreground colour), so scrolling
moves it like text. iTerm2 and Sixel pictures are drawn at a cursor position instead.

Kitty numbers rows with a fixed list of combining marks: the Unicode marks of combining class
230 that take part in no canonical composition, in code point order. That list is computed
here from :mod:`unicodedata` (its first entries are U+0305, U+030D, U+030E, U+0310, ...);
only marks below U+0800, present in every Unicode version Kitty was built with, are used.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from functools import cache

from rich.color import Color
from rich.segment import Segment
from rich.style import Style

from reader.core.image_decode import Picture

PLACEHOLDER = "\U0010eeee"
#: Base64 bytes per Kitty graphics escape (the protocol's limit is 4096).
_KITTY_CHUNK = 4096
_SIXEL_RUN = re.compile(rb"(.)\1{3,}")


@cache
def kitty_row_marks() -> tuple[str, ...]:
    """The combining marks Kitty reads as row (and column) numbers 0, 1, 2, ..."""
    composing: set[int] = set()
    # Outside the Basic Multilingual Plane no canonical decomposition uses a mark below U+0800.
    for code in range(0xC0, 0x10000):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            composing.update(int(part, 16) for part in decomposition.split()[1:])
    return tuple(
        chr(code)
        for code in range(0x300, 0x800)
        if unicodedata.combining(chr(code)) == 230
        and not unicodedata.decomposition(chr(code))
        and code not in composing
    )


def kitty_max_rows() -> int:
    """The most rows a Kitty placeholder picture can have here."""
    return len(kitty_row_marks())


def kitty_transmit(image_id: int, png: bytes, columns: int, rows: int) -> str:
    """Send a PNG as image ``image_id`` and place it virtually over ``columns`` x ``rows`` cells.

    ``q=2`` silences the terminal's replies, which would otherwise arrive as key presses.
    """
    data = base64.standard_b64encode(png)
    chunks = [data[at : at + _KITTY_CHUNK] for at in range(0, len(data), _KITTY_CHUNK)] or [b""]
    parts: list[str] = []
    for index, chunk in enumerate(chunks):
        more = 1 if index < len(chunks) - 1 else 0
        if index == 0:
            head = f"a=T,U=1,f=100,t=d,q=2,i={image_id},c={columns},r={rows},m={more}"
        else:
            head = f"q=2,m={more}"
        parts.append(f"\x1b_G{head};{chunk.decode('ascii')}\x1b\\")
    return "".join(parts)


def kitty_delete(image_id: int) -> str:
    """Free image ``image_id`` and its placements."""
    return f"\x1b_Ga=d,d=I,q=2,i={image_id}\x1b\\"


def kitty_lines(image_id: int, columns: int, rows: int) -> list[list[Segment]]:
    """The placeholder cells of image ``image_id``, row by row.

    Only a row's first cell carries its row and column marks; Kitty counts the rest of the
    row on from it. The image id is the 24-bit foreground colour.
    """
    marks = kitty_row_marks()
    red, green, blue = (image_id >> 16) & 255, (image_id >> 8) & 255, image_id & 255
    style = Style(color=Color.from_rgb(red, green, blue))
    first_column = marks[0]
    return [
        [Segment(PLACEHOLDER + marks[row] + first_column + PLACEHOLDER * (columns - 1), style)]
        for row in range(min(rows, len(marks)))
    ]


def iterm2_image(png: bytes, columns: int, rows: int) -> str:
    """An iTerm2 inline image of ``columns`` x ``rows`` cells, drawn at the cursor."""
    data = base64.standard_b64encode(png).decode("ascii")
    return (
        f"\x1b]1337;File=inline=1;size={len(png)};width={columns};height={rows};"
        f"preserveAspectRatio=1;doNotMoveCursor=1:{data}\x07"
    )


def sixel_image(picture: Picture, background: tuple[int, int, int], colours: int = 128) -> str:
    """The picture as Sixel, in at most ``colours`` colours, transparency on ``background``.

    Each band of six pixel rows is written once per colour it uses, as a run of characters
    whose six bits say which of the six rows have that colour; runs of four or more repeat.
    """
    from PIL import Image

    rgba = Image.frombytes("RGBA", (picture.width, picture.height), picture.rgba)
    flat = Image.new("RGB", rgba.size, background)
    flat.paste(rgba, mask=rgba.getchannel("A"))
    # Without dithering: scattered colours would cost a run of characters each.
    indexed = flat.quantize(
        colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    palette = indexed.getpalette() or []
    width, height = indexed.size
    pixels = indexed.tobytes()
    out = [f'\x1bPq"1;1;{width};{height}']
    for index in sorted(set(pixels)):
        red, green, blue = palette[3 * index : 3 * index + 3]
        out.append(f"#{index};2;{red * 100 // 255};{green * 100 // 255};{blue * 100 // 255}")
    add_63 = bytes((value + 63) & 0xFF for value in range(256))
    for top in range(0, height, 6):
        band = [
            pixels[(top + row) * width : (top + row + 1) * width]
            for row in range(min(6, height - top))
        ]
        present = sorted(set(b"".join(band)))
        pieces: list[bytes] = []
        for index in present:
            value = 0
            for row, line in enumerate(band):
                value |= int.from_bytes(line.translate(_bit_table(index, row)), "big")
            # A colour absent from the rest of the band needs no characters there.
            sixels = value.to_bytes(width, "big").translate(add_63).rstrip(b"?")
            sixels = _SIXEL_RUN.sub(lambda m: b"!%d%c" % (len(m.group(0)), m.group(1)[0]), sixels)
            pieces.append(b"#%d" % index + sixels)
        out.append(b"$".join(pieces).decode("ascii") + "-")
    out.append("\x1b\\")
    return "".join(out)


@cache
def _bit_table(index: int, row: int) -> bytes:
    """Maps palette entry ``index`` to its sixel bit for ``row``, every other entry to 0."""
    return bytes((1 << row) if value == index else 0 for value in range(256))
