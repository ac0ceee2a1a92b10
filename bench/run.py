"""Run every benchmark and report: ``python -m bench.run [--quick] [--only NAMES]``.

Sites of 1,000 and 10,000 posts are generated and served on 127.0.0.1, stores are filled from
them with ``reader sync``, and each figure is measured with its baseline in the same run. The
table goes to stdout, progress to stderr, everything to ``bench/results/<date>.json``, and the
table into ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bench.context import Context
from bench.figures import Figure, plain_table
from bench.newsboat import Newsboat, newsboat_path
from bench.report import describe, machine, update_readme, write_json
from bench.sites import (
    BenchSite,
    ServedSite,
    SingleFeedServer,
    fetch_page_of,
    make_site,
    sync_store,
)

GROUPS = ("startup", "memory", "article", "sync", "stall", "keys", "images")
SMALL = 1_000
LARGE = 10_000


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 runs per figure instead of 5")
    parser.add_argument("--runs", type=int, default=0, help="runs per figure (default 5)")
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(GROUPS)}")
    parser.add_argument("--no-readme", action="store_true", help="leave bench/README.md alone")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    return parser.parse_args()


class Bench:
    """Sites, servers and stores, made when a benchmark first needs them."""

    def __init__(self, ctx: Context, stack: contextlib.ExitStack) -> None:
        self.ctx = ctx
        self.stack = stack
        self._made: dict[str, object] = {}
        program = newsboat_path()
        if program is None:
            ctx.say(
                "newsboat is not installed (apt-get install -y newsboat): its baselines are skipped"
            )
        self.newsboat_program = program

    def _once(self, name: str, make: Callable[[], object]) -> object:
        if name not in self._made:
            started = time.perf_counter()
            self._made[name] = make()
            self.ctx.say(f"[ready] {name} ({time.perf_counter() - started:.1f} s)")
        return self._made[name]

    def site(self, name: str) -> BenchSite:
        """``small`` (two long articles), ``large`` or ``one-section``."""
        makers = {
            "small": lambda: make_site(SMALL, long_articles=2),
            "large": lambda: make_site(LARGE),
            "one-section": lambda: make_site(SMALL, one_section=True),
        }
        site = self._once(f"site {name}", makers[name])
        assert isinstance(site, BenchSite)
        return site

    def served(self, name: str, *, rest_api: bool = True) -> ServedSite:
        """A site on loopback, with or without its REST API."""
        label = f"server {name}{'' if rest_api else ' (RSS only)'}"
        served = self._once(
            label, lambda: self.stack.enter_context(ServedSite(self.site(name), rest_api=rest_api))
        )
        assert isinstance(served, ServedSite)
        return served

    def store(self, name: str) -> Path:
        """A data folder synced from the site over REST (long articles' pages read too)."""

        def make() -> Path:
            served = self.served(name)
            folder = self.ctx.fresh_dir(f"store-{name}")
            sync_store(served.url, folder, self.ctx.env)
            for path in served.bench.long_post_paths:
                fetch_page_of(folder, served.url_of(path))
            return folder

        folder = self._once(f"store {name}", make)
        assert isinstance(folder, Path)
        return folder

    def single_feed(self, name: str) -> SingleFeedServer:
        """The site's posts as one RSS document on loopback."""
        feed = self._once(
            f"single feed {name}",
            lambda: self.stack.enter_context(SingleFeedServer(self.served(name).single_feed())),
        )
        assert isinstance(feed, SingleFeedServer)
        return feed

    def newsboat(self, name: str, *, filled: bool) -> Newsboat | None:
        """Newsboat on the single feed, its cache filled when asked; None when not installed."""
        if self.newsboat_program is None:
            return None
        program = self.newsboat_program

        def make() -> Newsboat:
            newsboat = Newsboat(
                program, self.ctx.fresh_dir(f"newsboat-{name}"), self.single_feed(name).url
            )
            if filled:
                newsboat.reload(self.ctx.env)
            return newsboat

        newsboat = self._once(f"newsboat {name}{' (filled)' if filled else ''}", make)
        assert isinstance(newsboat, Newsboat)
        return newsboat


def _measure(bench: Bench, group: str) -> list[Figure]:
    ctx = bench.ctx
    if group == "startup":
        from bench.startup import startup

        return [
            startup(ctx, bench.served("small").url, bench.store("small"), SMALL, 1.2),
            startup(ctx, bench.served("large").url, bench.store("large"), LARGE, 1.5),
        ]
    if group == "memory":
        from bench.memory import memory

        return [
            memory(
                ctx,
                bench.served("large").url,
                bench.store("large"),
                bench.newsboat("large", filled=True),
                LARGE,
            )
        ]
    if group == "article":
        from bench.article import article_figures

        served = bench.served("small")
        urls = [served.url_of(path) for path in served.bench.long_post_paths]
        return article_figures(ctx, served.url, bench.store("small"), urls)
    if group == "sync":
        from bench.syncing import sync_figures

        return sync_figures(
            ctx,
            bench.served("small"),
            bench.served("small", rest_api=False),
            bench.single_feed("small"),
            bench.newsboat("small", filled=False),
            SMALL,
        )
    if group == "stall":
        from bench.stall import stall_figures

        return stall_figures(
            ctx, bench.served("small").url, bench.served("small", rest_api=False).url, SMALL
        )
    if group == "keys":
        from bench.keystrokes import keystroke_figures

        return keystroke_figures(
            ctx, bench.served("one-section").url, bench.store("one-section"), SMALL
        )
    if group == "images":
        from bench.images import image_figures

        return image_figures(ctx)
    raise ValueError(f"no benchmark group {group!r}; choose from {', '.join(GROUPS)}")


def main() -> int:
    """Run the chosen groups, print the table, save the results."""
    args = _arguments()
    runs = args.runs or (2 if args.quick else 5)
    groups = [g.strip() for g in args.only.split(",") if g.strip()] or list(GROUPS)
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise SystemExit(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    for name in ("READER_DATA_DIR", "READER_CONFIG_DIR"):
        os.environ.pop(name, None)
    # An installed wheel ships compiled bytecode; an editable checkout under
    # PYTHONDONTWRITEBYTECODE (set on these machines) would compile every module of the reader
    # and of bench on every start, about 30 ms the baselines (all in site-packages) never pay.
    root = Path(__file__).resolve().parents[1]
    for package in ("reader", "bench"):
        compileall.compile_dir(root / package, quiet=1)
    started = time.perf_counter()
    when = datetime.now().astimezone()
    scratch = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    ctx = Context(scratch, runs)
    figures: list[Figure] = []
    failed: list[str] = []
    try:
        with contextlib.ExitStack() as stack:
            bench = Bench(ctx, stack)
            for group in groups:
                ctx.say(f"== {group}")
                group_started = time.perf_counter()
                try:
                    figures.extend(_measure(bench, group))
                except Exception:
                    # One broken benchmark must not lose the others' figures.
                    failed.append(group)
                    ctx.say(traceback.format_exc())
                ctx.say(f"   ({time.perf_counter() - group_started:.0f} s)")
    finally:
        if args.keep:
            ctx.say(f"scratch folder kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    info = machine()
    settings: dict[str, object] = {
        "runs": runs,
        "quick": args.quick,
        "groups": groups,
        "failed": failed,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(f"{when:%Y-%m-%d} on {describe(info)}; {runs} runs per figure (median)")
    print(plain_table(figures))
    saved = write_json(figures, info, settings, when)
    ctx.say(f"results: {saved}")
    if not args.no_readme and not update_readme(figures, info, settings, when):
        ctx.say("bench/README.md has no result marks: table not copied there")
    if failed:
        ctx.say(f"failed: {', '.join(failed)}")
    ctx.say(f"total {settings['seconds']} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
