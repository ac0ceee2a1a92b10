"""The sample site's uploaded images: made here, one picture per file name, always the same.

Each upload is a made-up micrograph (a glowing field of cells with their nuclei) in colours
and a layout drawn from a hash of the file's name, so every post has its own picture and a
run of the demo serves the same bytes as the last. Pictures are made on first request.
"""

from __future__ import annotations

import hashlib
import io
import random
import re
from functools import lru_cache

#: Size of every upload, as WordPress's "large" size would be.
WIDTH, HEIGHT = 1024, 683


@lru_cache(maxsize=64)
def upload_png(name: str, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The PNG served for the upload called ``name``."""
    from PIL import Image, ImageDraw, ImageFilter

    # Drawn at half size and enlarged: the picture is soft anyway, and it costs a quarter.
    final = (width, height)
    width, height = max(1, width // 2), max(1, height // 2)
    seed = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    rnd = random.Random(seed)
    hue = rnd.random()
    background = _colour(hue, 0.7, 0.18)
    light = _colour(hue, 0.5, 0.35)
    # A soft radial glow behind everything, like a lit field under the microscope.
    glow = Image.radial_gradient("L").resize((width, height)).point(lambda v: 255 - v)
    image = Image.composite(
        Image.new("RGB", (width, height), light),
        Image.new("RGB", (width, height), background),
        glow,
    )
    cells = Image.new("RGB", (width, height), (0, 0, 0))
    mask = Image.new("L", (width, height), 0)
    draw, shape = ImageDraw.Draw(cells), ImageDraw.Draw(mask)
    for _ in range(rnd.randrange(14, 30)):
        x, y = rnd.randrange(width), rnd.randrange(height)
        rx, ry = rnd.randrange(20, 70), rnd.randrange(20, 70)
        tint = (hue + rnd.uniform(-0.12, 0.12)) % 1.0
        draw.ellipse((x - rx, y - ry, x + rx, y + ry), fill=_colour(tint, 0.55, 0.62))
        shape.ellipse((x - rx, y - ry, x + rx, y + ry), fill=200)
        nx, ny = x + rnd.randrange(-rx // 3, rx // 3 + 1), y + rnd.randrange(-ry // 3, ry // 3 + 1)
        r = min(rx, ry) // 3
        draw.ellipse((nx - r, ny - r, nx + r, ny + r), fill=_colour((tint + 0.5) % 1.0, 0.6, 0.3))
    mask = mask.filter(ImageFilter.GaussianBlur(3))
    cells = cells.filter(ImageFilter.BoxBlur(1))
    image = Image.composite(cells, image, mask).resize(final, Image.Resampling.BICUBIC)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _colour(hue: float, saturation: float, lightness: float) -> tuple[int, int, int]:
    import colorsys

    red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


# The sizes WordPress makes of each upload (its defaults): name, box and whether it crops.
# ``large`` is made only of an upload wider or taller than 1024, so none of the sample's.
_SIZES = (
    ("medium", 300, 300, False),
    ("large", 1024, 1024, False),
    ("thumbnail", 150, 150, True),
    ("medium_large", 768, 0, False),
)
_SIZED = re.compile(r"^(?P<file>.+)-(?P<width>\d+)x(?P<height>\d+)\.png$")


def sizes(width: int, height: int) -> dict[str, tuple[int, int]]:
    """The sizes WordPress makes of an upload of ``width`` x ``height``, by name, as
    ``media_details.sizes`` lists them (without ``full``)."""
    made: dict[str, tuple[int, int]] = {}
    for name, box_width, box_height, crop in _SIZES:
        if crop:
            if width >= box_width and height >= box_height:
                made[name] = (box_width, box_height)
            continue
        ratios = [box / side for box, side in ((box_width, width), (box_height, height)) if box]
        ratio = min(ratios)
        if ratio < 1:
            made[name] = (round(width * ratio), round(height * ratio))
    return made


def sized_file(file: str, width: int, height: int) -> str:
    """The file name WordPress gives a size of ``file``: ``name-768x512.png``."""
    return f"{file.removesuffix('.png')}-{width}x{height}.png"


def upload(path: str) -> bytes:
    """The PNG served at ``path`` under the uploads: an upload, or one of its sizes."""
    match = _SIZED.match(path)
    if match is None:
        return upload_png(path)
    return _resized(match["file"] + ".png", int(match["width"]), int(match["height"]))


@lru_cache(maxsize=64)
def _resized(path: str, width: int, height: int) -> bytes:
    """The upload at ``path`` scaled (and, for a square size, cropped) as WordPress would."""
    from PIL import Image, ImageOps

    original = Image.open(io.BytesIO(upload_png(path)))
    image = ImageOps.fit(original, (width, height), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()
