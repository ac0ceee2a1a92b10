"""Image files made in code for the image tests, good and hostile, and a loopback server for them.

``picture_server`` (a fixture; import it into a test module) serves, on 127.0.0.1:

``/good.png``, ``/good.jpg``, ``/photo.jpg`` (4000x3000), ``/big.png`` (3400x3400),
``/animated.gif``, ``/picture.svg``, ``/corrupt.png``, ``/bomb.png`` (a small PNG that decodes
to 2.5 gigapixels), ``/claims-25mp.png``, ``/huge.png`` (100 MB, with Content-Length),
``/huge-unsized.png`` (100 MB, no length), ``/png-as-html`` (a PNG labelled ``text/html``),
``/html-as-png`` (a web page labelled ``image/png``), ``/missing.png`` (404), ``/to-file``
(redirects to ``file:///etc/passwd``), ``/to-localhost`` (redirects to ``/good.png`` on
``localhost``, the same server by another name), ``/slow.png`` (answers after ``SLOW_SECONDS``), and
:data:`MEDIA_FEED` (``feeds/media_rss.xml``: posts naming these pictures the ways feeds do).
Every answer is bounded; the server stops at teardown.
"""

from __future__ import annotations

import io
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

#: Where the server answers with ``feeds/media_rss.xml``: deep enough that an address relative
#: to the feed and one relative to the post lead to different files.
MEDIA_FEED = "/feeds/pictures/rss/media.xml"
_MEDIA_FILE = Path(__file__).with_name("feeds") / "media_rss.xml"
#: How long ``/slow.png`` waits before answering.
SLOW_SECONDS = 3.0
_HUGE = 100 * 2**20


def png(width: int = 40, height: int = 30, colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A plain PNG of one colour with a white square in its top-left quarter."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).rectangle((0, 0, width // 4, height // 4), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg(width: int = 40, height: int = 30, quality: int = 85) -> bytes:
    """A JPEG gradient, left dark, right light."""
    from PIL import Image

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = image.transpose(Image.Transpose.ROTATE_90)
    out = io.BytesIO()
    image.resize((width, height)).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def animated_gif() -> bytes:
    """Three frames, red, green, blue; only the red first frame should ever be drawn."""
    from PIL import Image

    frames = [Image.new("RGB", (20, 10), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=50)
    return out.getvalue()


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
HTML = b"<!doctype html><html><body><h1>Not found</h1></body></html>"


def corrupt_png() -> bytes:
    """A PNG whose pixel data is cut off and scrambled after a valid header."""
    data = bytearray(png(64, 64))
    middle = len(data) // 2
    data[middle:] = bytes((b * 7 + 13) % 256 for b in data[middle:])
    return bytes(data[: middle + 40])


@cache
def bomb_png(side: int = 50_000) -> bytes:
    """A real decompression bomb: a few hundred KB of PNG for ``side`` x ``side`` black pixels.

    The rows are all zeros, so one flushed deflate block of a thousand rows is repeated as it
    is; the zlib trailer's checksum of N zero bytes is simply ``N % 65521 << 16 | 1``.
    """
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    block = row * 1000
    squeeze = zlib.compressobj(9)
    first = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    again = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    end = squeeze.flush(zlib.Z_FINISH)[:-4]
    total = len(block) * (side // 1000)
    trailer = struct.pack(">I", (total % 65521) << 16 | 1)
    pixels = first + again * (side // 1000 - 1) + end + trailer
    return _png_file(side, side, bit_depth=1, colour_type=0, pixels=pixels)


def claimed_png(width: int, height: int) -> bytes:
    """A PNG header claiming ``width`` x ``height`` RGBA, with a token of pixel data."""
    return _png_file(width, height, bit_depth=8, colour_type=6, pixels=zlib.compress(b"\x00" * 64))


def _png_file(width: int, height: int, *, bit_depth: int, colour_type: int, pixels: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + checksum

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


@cache
def photo_jpeg(width: int = 4000, height: int = 3000) -> bytes:
    """A photo-sized JPEG with detail everywhere (smooth shapes over fine noise)."""
    from PIL import Image, ImageDraw

    image = Image.radial_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for index in range(40):
        x, y = (index * 977) % width, (index * 613) % height
        draw.ellipse((x, y, x + 300, y + 300), fill=(index * 6 % 256, 120, 255 - index * 6 % 256))
    noise = Image.effect_noise((width, height), 30).convert("RGB")
    image = Image.blend(image, noise, 0.15)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


@cache
def big_png(side: int = 3400) -> bytes:
    """A PNG just under the decoded-pixel cap (``side`` squared), smooth so it stays small."""
    from PIL import Image

    image = Image.merge(
        "RGB",
        (
            Image.linear_gradient("L").resize((side, side)),
            Image.radial_gradient("L").resize((side, side)),
            Image.linear_gradient("L").rotate(90).resize((side, side)),
        ),
    )
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


class _Handler(BaseHTTPRequestHandler):
    server: PictureServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read the counters instead."""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.requests[path] += 1
        answers = {
            "/good.png": (png(), "image/png"),
            "/good.jpg": (jpeg(), "image/jpeg"),
            "/photo.jpg": (photo_jpeg(), "image/jpeg"),
            "/big.png": (big_png(), "image/png"),
            "/animated.gif": (animated_gif(), "image/gif"),
            "/picture.svg": (SVG, "image/svg+xml"),
            "/corrupt.png": (corrupt_png(), "image/png"),
            "/bomb.png": (bomb_png(), "image/png"),
            "/claims-25mp.png": (claimed_png(5000, 5000), "image/png"),
            "/png-as-html": (png(), "text/html"),
            "/html-as-png": (HTML, "image/png"),
            MEDIA_FEED: (_MEDIA_FILE.read_bytes(), "application/rss+xml"),
        }
        if path in answers:
            body, kind = answers[path]
            self._send(200, kind, body)
        elif path == "/slow.png":
            time.sleep(SLOW_SECONDS)
            self._send(200, "image/png", png())
        elif path in ("/to-file", "/to-localhost"):
            port = self.server.server_address[1]
            self.send_response(302)
            self.send_header(
                "Location",
                "file:///etc/passwd" if path == "/to-file" else f"http://localhost:{port}/good.png",
            )
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path in ("/huge.png", "/huge-unsized.png"):
            self._stream_huge(sized=path == "/huge.png")
        else:
            self._send(404, "text/html", HTML)

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream_huge(self, *, sized: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        if sized:
            self.send_header("Content-Length", str(_HUGE))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        start = png()
        block = b"\x00" * 65536
        try:
            self.wfile.write(start)
            sent = len(start)
            while sent < _HUGE:
                self.wfile.write(block)
                sent += len(block)
        except OSError:
            return  # the client hung up at its cap, as it should
        self.close_connection = True


class PictureServer(ThreadingHTTPServer):
    """The image server: 127.0.0.1, a free port, daemon threads, request counts by path."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: Counter[str] = Counter()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        """The full URL of ``path``."""
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def start(self) -> PictureServer:
        """Serve in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.shutdown()
        self.server_close()


@pytest.fixture(scope="module")
def picture_server() -> Iterator[PictureServer]:
    """One image server per test module."""
    server = PictureServer().start()
    try:
        yield server
    finally:
        server.stop()
