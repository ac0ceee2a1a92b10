"""Decode an image from the network and scale it to what it will be drawn at, refusing bombs.

Image bytes are hostile input. Before Pillow decodes anything, the bytes are sniffed (only
PNG, JPEG, GIF, WebP and BMP are opened, each only by its own plugin, so no file can reach a
plugin that starts a helper program) and the size the header claims is checked. JPEGs are
decoded at a reduced scale (``draft``), so a 4000x3000 photo costs a fraction of its pixels;
every other format is refused above :data:`MAX_DECODED_PIXELS`. Only the first frame of an
animation is read. Pillow is imported on first use: start-up never pays for it.

Call :func:`decode_picture` from a worker thread, never from the event loop.
"""

from __future__ import annotations

import io
import warnings
from types import ModuleType
from typing import TYPE_CHECKING

from reader.core.allocator import give_back_freed
from reader.core.records import record

if TYPE_CHECKING:
    from PIL.Image import Image

#: Pixels a header may claim at most (a JPEG is decoded at a fraction of them).
MAX_CLAIMED_PIXELS = 100_000_000
#: Pixels actually decoded at most, after a JPEG's reduction: 12 MP is 48 MB as RGBA.
MAX_DECODED_PIXELS = 12_000_000
#: Text chunks a PNG may carry, in total (Pillow's default is 64 MB).
MAX_PNG_TEXT = 1 * 2**20

# Magic numbers of the formats drawn, and the Pillow plugin that reads each.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
)

# EXIF orientation -> the Pillow transpose that puts the picture upright (0x0112 values 2-8).
_ORIENTATIONS = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}

_pillow_ready = False


class ImageRefused(Exception):
    """An image that will not be drawn; ``str()`` is one line saying why, for the status bar."""


class ImageGone(ImageRefused):
    """The picture's server said it is gone (404 or 410); ``now`` is True the first time."""

    def __init__(self, reason: str, *, now: bool) -> None:
        super().__init__(reason)
        self.now = now


@record
class Picture:
    """A decoded image at the size it will be drawn: RGBA pixels, row after row."""

    width: int
    height: int
    rgba: bytes
    """``width * height * 4`` bytes."""

    def pixel(self, x: int, y: int) -> tuple[int, int, int, int]:
        """The RGBA value at column ``x``, row ``y``."""
        at = (y * self.width + x) * 4
        r, g, b, a = self.rgba[at : at + 4]
        return r, g, b, a


def sniff(data: bytes) -> str:
    """The Pillow format name of ``data``; raises :class:`ImageRefused` for anything else."""
    for magic, name in _SIGNATURES:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and (b"<svg" in data[:4096].lower()):
        raise ImageRefused("SVG images are not drawn")
    if head.startswith(b"<"):
        raise ImageRefused("the server sent a web page, not an image")
    if not data:
        raise ImageRefused("the image is empty")
    raise ImageRefused("not an image the reader can draw (PNG, JPEG, GIF, WebP, BMP)")


def fit(width: int, height: int, box_width: int, box_height: int) -> tuple[int, int]:
    """The largest size of the same shape within the box, never larger than the image."""
    if width <= 0 or height <= 0 or box_width <= 0 or box_height <= 0:
        return 0, 0
    scale = min(box_width / width, box_height / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def decode_picture(data: bytes, box_width: int, box_height: int) -> Picture:
    """Decode ``data`` and scale it to fit the box (in pixels), keeping its shape.

    Raises :class:`ImageRefused`, with a reason fit for the user, for anything that is not a
    decodable image within the caps. Never raises anything else.
    """
    kind = sniff(data)
    try:
        return _decode(data, kind, box_width, box_height)
    except ImageRefused:
        raise
    except MemoryError:
        raise ImageRefused("the image is too large to decode") from None
    except Exception as exc:
        # Pillow says "broken" in many ways (OSError, SyntaxError, ValueError, EOFError, ...).
        if type(exc).__name__ == "DecompressionBombError":
            raise ImageRefused("the image decodes to too many pixels") from None
        raise ImageRefused(f"the {kind} image is damaged and could not be decoded") from None
    finally:
        # The full-size pixels are freed by now: their pages go back to the system.
        give_back_freed()


def encode_png(picture: Picture) -> bytes:
    """The picture as PNG bytes, for terminals that take a file (Kitty, iTerm2)."""
    pil = _pillow()
    image = pil.frombytes("RGBA", (picture.width, picture.height), picture.rgba)
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def encode_for_page(picture: Picture) -> tuple[str, bytes]:
    """The picture for a web page: JPEG when it is opaque (smaller), else PNG; with its type."""
    pil = _pillow()
    image = pil.frombytes("RGBA", (picture.width, picture.height), picture.rgba)
    out = io.BytesIO()
    if image.getchannel("A").getextrema() == (255, 255):
        image.convert("RGB").save(out, format="JPEG", quality=82)
        return "image/jpeg", out.getvalue()
    image.save(out, format="PNG")
    return "image/png", out.getvalue()


def _decode(data: bytes, kind: str, box_width: int, box_height: int) -> Picture:
    pil = _pillow()
    with pil.open(io.BytesIO(data), formats=[kind]) as image:
        width, height = image.size
        if width <= 0 or height <= 0:
            raise ImageRefused("the image has no pixels")
        if width * height > MAX_CLAIMED_PIXELS:
            raise ImageRefused(f"the image is too large to draw ({width}x{height} pixels)")
        orientation = _orientation(image)
        turned = orientation in (5, 6, 7, 8)
        if turned:
            box_width, box_height = box_height, box_width
        target = fit(width, height, box_width, box_height)
        if target == (0, 0):
            raise ImageRefused("there is no room to draw the image")
        if kind == "JPEG":
            # Decode at 1/2, 1/4 or 1/8 scale, still at least the target size.
            image.draft("RGB" if image.mode in ("RGB", "YCbCr") else None, target)
        decoded = image.size[0] * image.size[1]
        if decoded > MAX_DECODED_PIXELS:
            raise ImageRefused(f"the image is too large to draw ({width}x{height} pixels)")
        image.seek(0)
        image.load()
        small = _scaled(pil, image, target)
        if orientation in _ORIENTATIONS:
            small = small.transpose(pil.Transpose(_ORIENTATIONS[orientation]))
        # Inside the ``with``: closing the file frees the pixels of an image not copied.
        return Picture(small.width, small.height, small.tobytes())


def _scaled(pil: ModuleType, image: Image, target: tuple[int, int]) -> Image:
    """``image`` resized to ``target`` as RGBA, never holding more than one full-size copy."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        # Palettes (with their transparency), CMYK, 16-bit and the rest: convert first.
        image = image.convert("RGBA")
    if image.size != target:
        # reducing_gap shrinks by whole factors first (cheap), then filters the last step.
        image = image.resize(target, pil.Resampling.LANCZOS, reducing_gap=2.0)
    return image.convert("RGBA") if image.mode != "RGBA" else image


def _orientation(image: Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:
        return 1
    return value if isinstance(value, int) else 1


def _pillow() -> ModuleType:
    """Pillow's ``Image`` module, hardened once: bombs are errors, PNG text is bounded."""
    global _pillow_ready
    from PIL import Image as Pil

    if not _pillow_ready:
        from PIL import PngImagePlugin

        # Pillow warns (on stderr, over the screen) between its limit and twice it, and raises
        # above; the reader's own checks come first, so any bomb left is simply an error.
        Pil.MAX_IMAGE_PIXELS = MAX_CLAIMED_PIXELS
        warnings.simplefilter("error", Pil.DecompressionBombWarning)
        PngImagePlugin.MAX_TEXT_MEMORY = MAX_PNG_TEXT
        _pillow_ready = True
    return Pil
