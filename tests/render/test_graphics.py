"""The graphics protocols' bytes: Kitty placeholders, iTerm2 inline images, Sixel read back."""

from __future__ import annotations

import base64
import re

from rich.cells import cell_len

from reader.core.image_decode import Picture, decode_picture, encode_png
from reader.render.graphics import (
    PLACEHOLDER,
    iterm2_image,
    kitty_delete,
    kitty_lines,
    kitty_row_marks,
    kitty_transmit,
    sixel_image,
)


def _picture(width: int, height: int, colour: tuple[int, int, int, int]) -> Picture:
    return Picture(width, height, bytes(colour) * (width * height))


def test_kitty_row_marks_start_as_the_protocol_lists_them() -> None:
    marks = [f"{ord(mark):04X}" for mark in kitty_row_marks()[:20]]
    assert marks == [
        "0305", "030D", "030E", "0310", "0312", "033D", "033E", "033F", "0346", "034A",
        "034B", "034C", "0350", "0351", "0352", "0357", "035B", "0363", "0364", "0365",
    ]  # fmt: skip
    assert len(kitty_row_marks()) >= 40


def test_kitty_placeholders_are_one_cell_each_coloured_by_the_image_id() -> None:
    lines = kitty_lines(0x0A0B0C, 12, 3)
    assert len(lines) == 3
    for row, [segment] in enumerate(lines):
        assert cell_len(segment.text) == 12
        assert segment.text.startswith(PLACEHOLDER + kitty_row_marks()[row] + kitty_row_marks()[0])
        assert segment.style is not None and segment.style.color is not None
        assert segment.style.color.triplet == (10, 11, 12)


def test_kitty_transmits_in_chunks_and_asks_for_no_replies() -> None:
    png = bytes(range(256)) * 40  # 10 KB: three chunks of base64
    sent = kitty_transmit(7, png, 20, 5)
    escapes = re.findall(r"\x1b_G([^;]*);([^\x1b]*)\x1b\\", sent)
    assert len(escapes) == 4
    first = dict(part.split("=") for part in escapes[0][0].split(","))
    assert first | {"m": "1"} == {
        "a": "T",
        "U": "1",
        "f": "100",
        "t": "d",
        "q": "2",
        "i": "7",
        "c": "20",
        "r": "5",
        "m": "1",
    }
    assert all("q=2" in head for head, _ in escapes)
    assert escapes[-1][0].endswith("m=0")
    assert base64.b64decode("".join(data for _, data in escapes)) == png
    assert kitty_delete(7) == "\x1b_Ga=d,d=I,q=2,i=7\x1b\\"


def test_iterm2_sends_the_file_sized_in_cells() -> None:
    png = encode_png(_picture(4, 4, (1, 2, 3, 255)))
    sent = iterm2_image(png, 30, 10)
    assert sent.startswith("\x1b]1337;File=inline=1;") and sent.endswith("\x07")
    head, data = sent[len("\x1b]1337;File=") : -1].split(":", 1)
    assert "width=30" in head and "height=10" in head and f"size={len(png)}" in head
    assert base64.b64decode(data) == png


def _read_sixel(text: str) -> tuple[int, int, dict[tuple[int, int], tuple[int, int, int]]]:
    """A small Sixel reader: (width, height, pixel -> RGB percent)."""
    assert text.startswith("\x1bPq") and text.endswith("\x1b\\")
    body = text[3:-2]
    raster = re.match(r'"1;1;(\d+);(\d+)', body)
    assert raster is not None
    width, height = int(raster.group(1)), int(raster.group(2))
    body = body[raster.end() :]
    palette: dict[int, tuple[int, int, int]] = {}
    pixels: dict[tuple[int, int], tuple[int, int, int]] = {}
    colour, x, top = 0, 0, 0
    for token in re.finditer(r"#(\d+);2;(\d+);(\d+);(\d+)|#(\d+)|!(\d+)(.)|([?-~])|(\$)|(-)", body):
        if token.group(1):
            palette[int(token.group(1))] = (
                int(token.group(2)),
                int(token.group(3)),
                int(token.group(4)),
            )
        elif token.group(5):
            colour = int(token.group(5))
        elif token.group(6) or token.group(8):
            count = int(token.group(6)) if token.group(6) else 1
            value = ord(token.group(7) or token.group(8)) - 63
            for _ in range(count):
                for bit in range(6):
                    if value & (1 << bit):
                        pixels[(x, top + bit)] = palette[colour]
                x += 1
        elif token.group(9):
            x = 0
        elif token.group(10):
            x, top = 0, top + 6
    return width, height, pixels


def test_sixel_reads_back_as_the_picture() -> None:
    # Left half red, right half blue, a transparent row at the bottom shown on the background.
    width, height = 10, 7
    data = bytearray()
    for y in range(height):
        for x in range(width):
            data += bytes(
                (0, 0, 0, 0) if y == 6 else (255, 0, 0, 255) if x < 5 else (0, 0, 255, 255)
            )
    w, h, pixels = _read_sixel(sixel_image(Picture(width, height, bytes(data)), (0, 255, 0)))
    assert (w, h) == (width, height)
    assert len(pixels) == width * height
    assert pixels[(0, 0)] == (100, 0, 0)
    assert pixels[(9, 5)] == (0, 0, 100)
    assert pixels[(3, 6)] == (0, 100, 0)


def test_sixel_of_a_photo_stays_within_its_colours() -> None:
    from tests.support.pictures import photo_jpeg

    picture = decode_picture(photo_jpeg(800, 600), 200, 150)
    sent = sixel_image(picture, (0, 0, 0), colours=64)
    w, h, pixels = _read_sixel(sent)
    assert (w, h) == (picture.width, picture.height)
    assert len(pixels) == w * h
    assert len(set(pixels.values())) <= 64
