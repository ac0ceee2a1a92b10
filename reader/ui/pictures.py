"""How the app draws article pictures: the way chosen, the loader, what was sent to the terminal.

The way is chosen once, before the app starts, from the ``images`` setting and the terminal's
answers (see :mod:`reader.core.graphics_probe`); ``i`` turns pictures off and on again.
Half blocks are lines of the article like any other. Kitty pictures are sent to the terminal
once and then drawn with placeholder characters, which scroll like text. iTerm2 and Sixel
pictures are drawn over half blocks of the same picture once the whole picture is on screen,
so a picture half scrolled out still shows its visible part.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.segment import Segment

from reader.core.graphics_probe import Drawing, TerminalAnswers, choose
from reader.core.image_cache import DEFAULT_CAP_BYTES
from reader.core.image_decode import ImageRefused, Picture, encode_png

if TYPE_CHECKING:
    from textual.app import App

    from reader.core.image_loader import ImageLoader
    from reader.render.halfblocks import HalfBlocks

# Rich's colour systems, as the half-block depths.
_DEPTHS = {"truecolor": "truecolor", "256": "256", "standard": "16", "windows": "16"}


def _import_loader() -> None:
    """Import what the image loader needs (run in a thread, the first time)."""
    import reader.core.image_loader
    import reader.core.kept_images
    import reader.render.halfblocks  # noqa: F401


def _half_blocks(picture: Picture, depth: str) -> HalfBlocks:
    from reader.render.halfblocks import HalfBlocks

    return HalfBlocks(picture, depth)


class WrongShape(Exception):
    """The picture's file has another shape than the page declared; ``shape`` is the real one."""

    def __init__(self, shape: tuple[int, int]) -> None:
        super().__init__(f"{shape[0]}x{shape[1]}")
        self.shape = shape


class Pictures:
    """The app's way of drawing pictures, and the loader that fetches them."""

    def __init__(
        self,
        app: App[Any],
        *,
        setting: str = "auto",
        answers: TerminalAnswers | None = None,
        folder: Path | None = None,
        cap_bytes: int = DEFAULT_CAP_BYTES,
        sources: Callable[[], Iterable[str]] = tuple,
    ) -> None:
        self.app = app
        self.answers = answers
        self.chosen = choose(setting, answers, dict(os.environ))
        """The way the setting and the terminal allow."""
        self.drawing = self.chosen
        """The way in force: ``chosen``, or off after ``i``."""
        self.folder = folder
        self.cap_bytes = cap_bytes
        self.sources = sources
        """The sources' addresses, read when the loader is made: their hosts alone may serve
        pictures from a private network address."""
        self._loader: ImageLoader | None = None
        self._next_id = 1
        self._sent: list[int] = []

    @property
    def depth(self) -> str | None:
        """The half-block colour depth of the terminal, or None when it has no colours."""
        if os.environ.get("NO_COLOR"):
            return None
        return _DEPTHS.get(self.app.console.color_system or "")

    @property
    def kept_off_by(self) -> str | None:
        """What keeps pictures off whatever ``i`` does ("NO_COLOR"), or None."""
        if self.depth is not None:
            return None
        return "NO_COLOR" if os.environ.get("NO_COLOR") else "a terminal without colours"

    @property
    def loader(self) -> ImageLoader:
        """The image loader, made on first use (it brings the network stack)."""
        if self._loader is None:
            from reader.core.image_loader import ImageLoader
            from reader.core.kept_images import image_cache, kept_images

            sources = list(self.sources())
            if self.folder is None:
                self._loader = ImageLoader(sources=sources)
            else:
                kept = kept_images(self.folder)
                cache = image_cache(self.folder, self.cap_bytes)
                self._loader = ImageLoader(cache, kept=kept.get, sources=sources)
        return self._loader

    async def ready_loader(self) -> ImageLoader:
        """The loader, its modules imported in a thread the first time (see :meth:`draw`)."""
        if self._loader is None:
            await asyncio.to_thread(_import_loader)
        return self.loader

    def toggle(self) -> None:
        """Pictures off; or on again, the chosen way (half blocks if the setting was off)."""
        if self.drawing is not Drawing.OFF:
            self.drawing = Drawing.OFF
        elif self.depth is not None:
            self.drawing = self.chosen if self.chosen is not Drawing.OFF else Drawing.BLOCKS

    async def draw(
        self, url: str, columns: int, rows: int
    ) -> tuple[list[list[Segment]], str | None]:
        """The picture at ``url`` for ``columns`` x ``rows`` cells: its lines, and an overlay.

        The overlay (iTerm2 or Sixel) is drawn over the lines when the picture is all on
        screen. Raises :class:`ImageRefused`, or :class:`WrongShape` when other rows are needed.
        """
        depth = self.depth or "16"
        # The loader's modules bring the network stack (httpx): ~70 ms of imports, in a
        # thread, so the loop goes on answering keys and drawing frames.
        loader = await self.ready_loader()
        picture = await loader.picture(url, columns, rows * 2)
        if (picture.width, (picture.height + 1) // 2) != (columns, rows):
            raise WrongShape((picture.width, picture.height))
        cell = self.answers.cell_pixels if self.answers is not None else None
        if self.drawing in (Drawing.BLOCKS, Drawing.OFF) or cell is None:
            # Choosing a colour for each of thousands of pixels is the loop's 10-20 ms otherwise.
            blocks = await asyncio.to_thread(_half_blocks, picture, depth)
            return blocks.lines, None
        sharp = await self.loader.picture(url, columns * cell[0], rows * cell[1])
        if self.drawing is Drawing.KITTY:
            return await self._kitty(sharp, columns, rows), None
        blocks = await asyncio.to_thread(_half_blocks, picture, depth)
        return blocks.lines, await asyncio.to_thread(self._overlay, sharp, columns, rows)

    async def _kitty(self, picture: Picture, columns: int, rows: int) -> list[list[Segment]]:
        from reader.render.graphics import kitty_lines, kitty_max_rows, kitty_transmit

        if rows > kitty_max_rows():
            raise ImageRefused("too tall for the terminal's picture placeholders")
        png = await asyncio.to_thread(encode_png, picture)
        image_id = self._next_id
        self._next_id += 1
        self._sent.append(image_id)
        self.write(kitty_transmit(image_id, png, columns, rows))
        return kitty_lines(image_id, columns, rows)

    def _overlay(self, picture: Picture, columns: int, rows: int) -> str:
        from reader.render.graphics import iterm2_image, sixel_image

        if self.drawing is Drawing.ITERM2:
            return iterm2_image(encode_png(picture), columns, rows)
        return sixel_image(picture, (0, 0, 0))

    def write(self, data: str) -> None:
        """Send bytes to the terminal, in order with the app's own output."""
        driver = getattr(self.app, "_driver", None)
        if driver is not None:
            driver.write(data)

    async def aclose(self) -> None:
        """Free the pictures sent to the terminal and close the loader."""
        if self._sent:
            from reader.render.graphics import kitty_delete

            self.write("".join(kitty_delete(image_id) for image_id in self._sent))
            self._sent.clear()
        if self._loader is not None:
            await self._loader.aclose()
