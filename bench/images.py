"""Pictures: decoding off the loop, what a picture costs to draw, and that text never waits.

- decode and scale a 4000x3000 JPEG to the article pane (half blocks, 74 columns by 20 rows)
  and to a pixel protocol's size (740x400), in-process, as the worker thread does;
- bytes Textual sends to draw a 60x20-cell picture at 256 colours (each segment's escape, its
  text and a reset, as ``Strip.render`` writes them), for the sample site's picture and a photo;
- in the real app on the sample site (a pty, 120x40): key to the article's text with pictures
  on, against the same with ``images = "off"``; and, scrolling the article a line at a time to
  its end with pictures on, the bytes of a scroll that brings a picture's line into view
  against one that brings a line of text (the same number of rows of each: a fair height).
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.context import Context
from bench.figures import Figure, median
from bench.terminal import TimedPty

_PANE = (74, 20)
"""The article pane of a 120x40 screen, in cells, and the rows a picture takes there."""
_TEXT = "For years, kidney organoids"
_SLUG = "kidney-organoids-grow-their-own-blood-vessels"
_QUIET = 0.4


def _photo(width: int = 4000, height: int = 3000) -> bytes:
    from tests.support.pictures import photo_jpeg

    return photo_jpeg(width, height)


def _decode_ms(data: bytes, box: tuple[int, int], repeats: int) -> list[float]:
    from reader.core.image_decode import decode_picture

    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        decode_picture(data, *box)
        times.append((time.perf_counter() - start) * 1000)
    return times


def _drawn_bytes(data: bytes) -> int:
    from rich.console import Console
    from textual.strip import Strip

    from reader.core.image_decode import decode_picture
    from reader.render.halfblocks import HalfBlocks

    picture = decode_picture(data, 60, 40)
    console = Console(file=io.StringIO(), color_system="256", force_terminal=True)
    return sum(
        len(Strip(line).render(console).encode()) for line in HalfBlocks(picture, "256").lines
    )


def decoding_figures(ctx: Context) -> list[Figure]:
    """Decoding and drawing, in-process."""
    photo = _photo()
    repeats = max(5, ctx.runs * 2)
    blocks = _decode_ms(photo, (_PANE[0], _PANE[1] * 2), repeats)
    pixels = _decode_ms(photo, (740, 400), repeats)
    from reader.sample.pictures import upload_png

    sample = _drawn_bytes(upload_png("2024/01/kidney-organoid-vessels.png"))
    drawn_photo = _drawn_bytes(_photo(1200, 800))
    return [
        Figure(
            "image_decode_blocks",
            "decode + scale a 4000x3000 JPEG to the pane (74x20 cells, worker thread)",
            "ms",
            median(blocks),
            target="< 150 ms",
            met=(median(blocks) or 1e9) < 150,
            samples={"reader": blocks},
        ),
        Figure(
            "image_decode_pixels",
            "decode + scale a 4000x3000 JPEG to 740x400 pixels (Kitty/iTerm2/Sixel)",
            "ms",
            median(pixels),
            target="< 150 ms",
            met=(median(pixels) or 1e9) < 150,
            samples={"reader": pixels},
        ),
        Figure(
            "image_bytes_sample",
            "bytes to draw a 60x20-cell picture at 256 colours (sample site's picture)",
            "B",
            float(sample),
            target="<= 30 KB",
            met=sample <= 30 * 1024,
        ),
        Figure(
            "image_bytes_photo",
            "bytes to draw a 60x20-cell picture at 256 colours (a detailed photo)",
            "B",
            float(drawn_photo),
            target="<= 30 KB",
            met=drawn_photo <= 30 * 1024,
        ),
    ]


def _sample_store(ctx: Context) -> tuple[object, Path, int]:
    """The sample site served, a store synced from it, and the picture post's place in News."""
    from reader.core.store import Store
    from reader.sample.server import SampleServer

    server = SampleServer()
    url = server.start()
    data = ctx.fresh_dir("images-store")
    subprocess.run(
        [sys.executable, "-m", "reader", "--site", url, "--data-dir", str(data), "sync"],
        check=True,
        capture_output=True,
        env=ctx.env,
        timeout=120,
    )
    store = Store.open_in(data, section_names=("News", "Events", "Videos"))
    try:
        news = store.posts_in("news")
        place = next(index for index, post in enumerate(news) if _SLUG in post.url)
    finally:
        store.close()
    return server, data, place


_PANE_ROWS = range(1, 38)
"""Screen rows of the article pane at 120x40 (below the title bar, above the status line)."""
_MOST_SCROLLS = 90


def _session(
    ctx: Context, url: str, data: Path, place: int, images: str, *, scroll: bool
) -> tuple[float, float | None, list[tuple[int, bool]]]:
    """Open the picture post: seconds to its text, to its first picture, and the scrolls.

    Each scroll is its bytes and whether the line it brought into view is a picture's.
    """
    config = ctx.fresh_dir(f"config-{images}")
    (config / "config.toml").write_text(f'images = "{images}"\n')
    env = {**ctx.pty_env, "READER_CONFIG_DIR": str(config)}
    argv = [sys.executable, "-m", "reader", "--site", url, "--data-dir", str(data), "--no-refresh"]
    with TimedPty(argv, env=env) as app:
        app.time_until(lambda screen: "updated" in screen)
        app.drain(_QUIET)
        for _ in range(place):
            app.press("j", quiet=0.05)
        app.drain(_QUIET)
        # The emulator catches up before the key, and emulates nothing until the answer is
        # over: a chunk's arrival is stamped when it is read, and a read waits while the
        # emulator works (an opening frame over 4 KB came in two reads, the second stamped
        # after the first was emulated: ~20 ms more for whichever setting drew more).
        app.screen_text()
        sent = time.monotonic()
        app.send("\r")
        app.drain(_QUIET)
        text_at = _arrival(app, lambda screen: _TEXT in screen, sent)
        picture_at = None
        if images != "off":
            picture_at = _arrival(app, lambda screen: "▀" in screen, sent)
        app.drain(_QUIET)
        scrolls = _scrolls(app) if scroll else []
        app.send("q")
    return text_at, picture_at, scrolls


def _scrolls(app: TimedPty) -> list[tuple[int, bool]]:
    """Scroll down a line at a time to the article's end: each scroll's bytes, and whether
    the line that came into view at the pane's bottom belongs to a picture."""
    out: list[tuple[int, bool]] = []
    app.screen_text()
    bottom = _PANE_ROWS[-1]
    for _ in range(_MOST_SCROLLS):
        before = app.terminal.screen.display[_PANE_ROWS[0] : bottom + 1]
        answer = app.press("j", quiet=0.15, answer_within=1.0)
        app.screen_text()
        if app.terminal.screen.display[_PANE_ROWS[0] : bottom + 1] == before:
            break  # the end: nothing moved
        out.append((answer.bytes, _is_picture_row(app, bottom)))
    return out


def _is_picture_row(app: TimedPty, row: int) -> bool:
    """A picture's line: half blocks, or cells of more than one background (text has one)."""
    line = app.terminal.screen.buffer[row]
    cells = [line[x] for x in range(44, 118)]  # the article's columns, not the sidebar's
    return any(cell.data in "▀▄" for cell in cells) or len({cell.bg for cell in cells}) > 1


def _arrival(app: TimedPty, ready: object, sent: float) -> float:
    started = app.started_at
    return app.time_until(ready) + started - sent  # type: ignore[arg-type]


def app_figures(ctx: Context) -> list[Figure]:
    """The app in a pty on the sample site, pictures on and off."""
    server, data, place = _sample_store(ctx)
    url = server.url  # type: ignore[attr-defined]
    on_text: list[float] = []
    off_text: list[float] = []
    picture: list[float] = []
    picture_scrolls: list[int] = []
    text_scrolls: list[int] = []
    # Key to text differs by a few ms between the settings and by tens from run to run on
    # two shared cores: enough pairs for the medians to mean something.
    pairs = max(6, 2 * ctx.runs)
    try:
        for run in range(pairs):
            # Each session opens the post as a reader first meets it, on its own copy of the
            # synced store (its page not read yet, its picture not cached), and the two
            # settings take turns going first: the first opening reads the post's page, and
            # on one shared store that cost fell on whichever setting always went first.
            order = ("blocks", "off") if run % 2 == 0 else ("off", "blocks")
            for images in order:
                copy = ctx.copy_of(data, f"images-{images}")
                scroll = images == "blocks" and run < 2  # the bytes are the same every time
                text_at, picture_at, scrolls = _session(
                    ctx, url, copy, place, images, scroll=scroll
                )
                (off_text if images == "off" else on_text).append(text_at * 1000)
                if picture_at is not None:
                    picture.append(picture_at * 1000)
                picture_scrolls += [size for size, is_picture in scrolls if is_picture]
                text_scrolls += [size for size, is_picture in scrolls if not is_picture]
    finally:
        server.stop()  # type: ignore[attr-defined]
    on, off = median(on_text), median(off_text)
    paired = [a / b for a, b in zip(on_text, off_text, strict=True) if b]
    on_scroll = statistics.mean(picture_scrolls) if picture_scrolls else None
    off_scroll = statistics.mean(text_scrolls) if text_scrolls else None
    return [
        Figure(
            "image_key_to_text",
            "key to article text, pictures on (pty, sample site)",
            "ms",
            on,
            off,
            "the same with images = off",
            target="unchanged (<= 1.2x)",
            met=None if on is None or not off else on <= 1.2 * off,
            note=f"{pairs} sessions each, alternated; median of the pairs' ratios "
            f"{statistics.median(paired):.2f}x"
            if paired
            else "",
            samples={"reader": on_text, "baseline": off_text},
        ),
        Figure(
            "image_key_to_picture",
            "key to the featured picture drawn (half blocks, fetched and decoded)",
            "ms",
            median(picture),
            samples={"reader": picture},
        ),
        Figure(
            "image_scroll_bytes",
            "bytes per one-line scroll bringing a picture's line into view",
            "B",
            on_scroll,
            off_scroll,
            "the same scrolls bringing a line of text (same article, pictures on)",
            target="<= baseline",
            met=None if on_scroll is None or off_scroll is None else on_scroll <= off_scroll,
            note=f"the article scrolled to its end: {len(picture_scrolls)} picture lines, "
            f"{len(text_scrolls)} text lines (blank lines, caption and heading included)",
            samples={
                "reader": [float(b) for b in picture_scrolls],
                "baseline": [float(b) for b in text_scrolls],
            },
        ),
    ]


def image_figures(ctx: Context) -> list[Figure]:
    """Every picture figure."""
    return [*decoding_figures(ctx), *app_figures(ctx)]
