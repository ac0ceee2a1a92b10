"""``python -m reader.screenshots``: write SVG screenshots of the sample site to screenshots/.

Every picture in the README comes from here, never from a hand-made capture. The app runs
headless on a store synced from the bundled sample site, so no network is needed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

Step = Callable[[Any], Awaitable[None]]


async def _newest_with_links(pilot: Any) -> None:
    screen = pilot.app.screen
    for summary in screen.store.posts_in()[:6]:
        post = screen.store.post(summary.id)
        if post and post.page_fetched and "<a " in post.content:
            screen.open_post_id(summary.id)
            break
    screen.article.focus()
    await pilot.pause()


async def _article_with_links(pilot: Any) -> None:
    await _newest_with_links(pilot)
    await pilot.press("tab", "tab")


async def _bookmarks(pilot: Any) -> None:
    screen = pilot.app.screen
    for summary in screen.store.posts_in()[:3]:
        post = screen.store.post(summary.id)
        if post is not None:
            screen.store.add_bookmark(post)
    screen.reload_sidebar()
    await pilot.press("B")


async def _search(pilot: Any) -> None:
    await pilot.press("slash", *"organoid")


async def _help(pilot: Any) -> None:
    await pilot.press("question_mark")


async def _palette(pilot: Any) -> None:
    await pilot.press("ctrl+p", *"kidney")


async def _main(pilot: Any) -> None:
    await pilot.pause()


async def _narrow_list(pilot: Any) -> None:
    await pilot.press("j", "j", "j")


SHOTS: dict[str, tuple[Step, tuple[int, int]]] = {
    "main": (_main, (120, 40)),
    "article-links": (_article_with_links, (120, 40)),
    "bookmarks": (_bookmarks, (120, 40)),
    "search": (_search, (120, 40)),
    "help": (_help, (120, 40)),
    "palette": (_palette, (120, 40)),
    "small-80x24": (_newest_with_links, (80, 24)),
    "small-80x24-list": (_narrow_list, (80, 24)),
}
THEMES = ("institute-dark", "institute-light", "high-contrast", "ansi")


async def _shoot(
    template: Path, out: Path, name: str, step: Step, size: tuple[int, int], theme: str
) -> Path:
    import shutil

    from reader.core.source import Source
    from reader.core.store import STORE_FILE, Store
    from reader.sample.stable import SECTIONS, STABLE_SITE
    from reader.ui.app import ReaderApp

    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(template, Path(folder) / STORE_FILE)
        store = Store.open_in(Path(folder), section_names=SECTIONS)
        store.mark_synced(source=Source.site(STABLE_SITE))
        app = ReaderApp(
            store,
            Source.site(STABLE_SITE),
            site_title="USC Stem Cell News (sample)",
            section_names=SECTIONS,
            refresh_on_start=False,
            theme=theme,
        )
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await step(pilot)
            await pilot.pause(0.3)
            path = out / f"{name}.svg"
            path.write_text(app.export_screenshot(title=f"reader — {name}"), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """Write every screenshot; returns 0."""
    parser = argparse.ArgumentParser(prog="python -m reader.screenshots")
    parser.add_argument("--out", default="screenshots", help="folder to write to")
    args = parser.parse_args(argv)
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    from reader.sample.stable import build_stable_store

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        template = build_stable_store(Path(folder))
        written = []
        for name, (step, size) in SHOTS.items():
            written.append(asyncio.run(_shoot(template, out, name, step, size, "institute-dark")))
        for theme in THEMES:
            written.append(
                asyncio.run(
                    _shoot(template, out, f"theme-{theme}", _article_with_links, (120, 40), theme)
                )
            )
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
