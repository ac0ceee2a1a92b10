"""Run every benchmark and report: ``python -m bench.run [--quick] [--only NAMES]``.

Sites of 1,000 to 100,000 posts are generated and served on 127.0.0.1, stores are filled from
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
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from bench import store_cache
from bench.context import FULL, SMOKE, Context
from bench.figures import Figure, plain_table, unmeasured
from bench.newsboat import Newsboat, newsboat_path
from bench.report import describe, load_average, machine, update_readme, write_json
from bench.sites import (
    SYNC_SECONDS_PER_POST,
    SYNC_TIMEOUT,
    BenchSite,
    ServedApart,
    ServedSite,
    SingleFeedServer,
    fetch_page_of,
    make_site,
    sync_store,
)

GROUPS = (
    "startup",
    "memory",
    "article",
    "sync",
    "stall",
    "keys",
    "images",
    "idle",
    "scale",
    "refresh",
    "sources",
)
PLANNED: dict[str, str] = {}
"""Groups with a place in the table but nothing to measure yet: named, never run."""
KEPT_FROM = 10_000
"""Stores of more posts than this are kept between runs (``bench/store_cache.py``)."""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 runs per figure instead of 5")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="every figure once, on smaller data: proves each can be measured (CI)",
    )
    parser.add_argument("--runs", type=int, default=0, help="runs per figure (default 5)")
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(GROUPS)}")
    parser.add_argument("--no-readme", action="store_true", help="leave bench/README.md alone")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument(
        "--fresh", action="store_true", help="fill the kept 100,000-post store again"
    )
    return parser.parse_args()


class Bench:
    """Sites, servers and stores, made when a benchmark first needs them."""

    def __init__(self, ctx: Context, stack: contextlib.ExitStack, *, fresh: bool = False) -> None:
        self.ctx = ctx
        self.stack = stack
        self.fresh = fresh
        """Fill kept stores again rather than using them."""
        self.huge_note = ""
        """Where the biggest store came from, for the figures' notes."""
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
        """``small`` (two long articles), ``large``, ``huge``, ``refresh`` or ``one-section``."""
        scale = self.ctx.scale
        makers = {
            "small": lambda: make_site(scale.small, long_articles=2),
            "large": lambda: make_site(scale.large),
            "huge": lambda: make_site(scale.huge),
            "refresh": lambda: make_site(scale.refresh),
            "one-section": lambda: make_site(scale.small, one_section=True),
        }
        site = self._once(f"site {name}", makers[name])
        assert isinstance(site, BenchSite)
        return site

    def served_apart(self, name: str) -> ServedApart:
        """``refresh``'s site, served by a process of its own (see bench/refresh.py)."""
        posts = {"refresh": self.ctx.scale.refresh}[name]
        served = self._once(
            f"server {name} (a process of its own)",
            lambda: self.stack.enter_context(ServedApart(posts)),
        )
        assert isinstance(served, ServedApart)
        return served

    def served(self, name: str, *, rest_api: bool = True) -> ServedSite:
        """A site on loopback, with or without its REST API."""
        if name == "huge":
            return self._huge()[0]
        label = f"server {name}{'' if rest_api else ' (RSS only)'}"
        served = self._once(
            label, lambda: self.stack.enter_context(ServedSite(self.site(name), rest_api=rest_api))
        )
        assert isinstance(served, ServedSite)
        return served

    def store(self, name: str) -> Path:
        """A data folder synced from the site over REST (long articles' pages read too)."""
        if name == "huge":
            return self._huge()[1]

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

    def _huge(self) -> tuple[ServedSite, Path]:
        """The biggest site served, and a copy of its store: kept between runs when big."""
        posts = self.ctx.scale.huge
        keep = posts > KEPT_FROM

        def make() -> tuple[ServedSite, Path]:
            site = self.site("huge").site
            if keep and self.fresh:
                store_cache.forget(posts)
            cached = store_cache.load(site) if keep else None
            if cached is not None:
                try:
                    served = self.stack.enter_context(
                        ServedSite(self.site("huge"), port=cached.port)
                    )
                except OSError:
                    self.ctx.say(f"  port {cached.port} of the kept store is taken: filling again")
                else:
                    self.ctx.say(f"  the {posts:,}-post store kept {cached.built} is used")
                    self.huge_note = f"store filled {cached.built} and kept (--fresh refills it)"
                    return served, self.ctx.copy_of(cached.folder, "huge")
            served = self.stack.enter_context(ServedSite(self.site("huge")))
            folder = self.ctx.fresh_dir("store-huge")
            seconds = sync_store(
                served.url,
                folder,
                self.ctx.env,
                timeout=max(SYNC_TIMEOUT, posts * SYNC_SECONDS_PER_POST),
            )
            self.huge_note = f"store filled in this run ({seconds:.0f} s)"
            if keep:
                store_cache.save(site, folder, served.server.port)
            return served, folder

        made = self._once("server and store huge", make)
        assert isinstance(made, tuple)
        return made

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
    scale = ctx.scale
    small, large = scale.small, scale.large
    if group == "startup":
        from bench.startup import startup

        return [
            startup(ctx, bench.served("small").url, bench.store("small"), small, 1.2),
            startup(ctx, bench.served("large").url, bench.store("large"), large, 1.5),
        ]
    if group == "memory":
        from bench.memory import memory

        return [
            memory(
                ctx,
                bench.served("large").url,
                bench.store("large"),
                bench.newsboat("large", filled=True),
                large,
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
            small,
        )
    if group == "stall":
        from bench.stall import stall_figures

        return stall_figures(
            ctx, bench.served("small").url, bench.served("small", rest_api=False).url, small
        )
    if group == "keys":
        from bench.keystrokes import keystroke_figures

        return keystroke_figures(
            ctx, bench.served("one-section").url, bench.store("one-section"), small
        )
    if group == "images":
        from bench.images import image_figures

        return image_figures(ctx)
    if group == "idle":
        from bench.idle import idle_figures

        served = bench.served("small")
        return idle_figures(ctx, served.url, bench.store("small"))
    if group == "scale":
        from bench.scale import scale_figures

        figures = scale_figures(
            ctx,
            bench.served("huge").url,
            bench.store("huge"),
            bench.served("small").url,
            bench.store("small"),
        )
        figures[0].note = "; ".join(n for n in (figures[0].note, bench.huge_note) if n)
        return figures
    if group == "refresh":
        from bench.beside_sync import beside_sync_figures
        from bench.refresh import refresh_figures

        refreshing = refresh_figures(ctx, bench.served_apart("refresh"), scale.refresh)
        beside = beside_sync_figures(
            ctx,
            bench.served("small").url,
            bench.store("small"),
            bench.served_apart("refresh").url,
            scale.refresh,
        )
        return refreshing + beside
    if group == "sources":
        from bench.sources import sources_figures

        return sources_figures(ctx, scale.sources, scale.source_posts)
    raise ValueError(f"no benchmark group {group!r}; choose from {', '.join(GROUPS)}")


def measure_groups(
    groups: Sequence[str], measure: Callable[[str], list[Figure]], say: Callable[[str], None]
) -> tuple[list[Figure], list[str]]:
    """Every group's figures, and the groups that broke (their tracebacks said)."""
    figures: list[Figure] = []
    failed: list[str] = []
    for group in groups:
        say(f"== {group}")
        group_started = time.perf_counter()
        try:
            figures.extend(measure(group))
        except Exception:
            # One broken benchmark must not lose the others' figures.
            failed.append(group)
            say(traceback.format_exc())
        # The cores are shared: the load beside each group says how noisy its figures are.
        say(f"   ({time.perf_counter() - group_started:.0f} s; load average {load_average()})")
    return figures, failed


def exit_status(problems: Sequence[str]) -> int:
    """1 when something could not be measured, else 0: slow figures never fail a run."""
    return 1 if problems else 0


def _chosen_groups(only: str) -> list[str]:
    groups = [g.strip() for g in only.split(",") if g.strip()] or list(GROUPS)
    planned = [g for g in groups if g in PLANNED]
    if planned:
        raise SystemExit("; ".join(f"{g}: not built yet, {PLANNED[g]}" for g in planned))
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise SystemExit(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    return groups


def main() -> int:
    """Run the chosen groups, print the table, save the results."""
    args = _arguments()
    runs = args.runs or (1 if args.smoke else 2 if args.quick else 5)
    groups = _chosen_groups(args.only)
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
    ctx = Context(scratch, runs, SMOKE if args.smoke else FULL)
    load_at_start = load_average()
    try:
        with contextlib.ExitStack() as stack:
            bench = Bench(ctx, stack, fresh=args.fresh)
            figures, failed = measure_groups(groups, lambda group: _measure(bench, group), ctx.say)
    finally:
        if args.keep:
            ctx.say(f"scratch folder kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    info = machine()
    problems = unmeasured(figures, failed)
    settings: dict[str, object] = {
        "runs": runs,
        "quick": args.quick,
        "smoke": args.smoke,
        "groups": groups,
        "failed": failed,
        "unmeasured": problems,
        "seconds": round(time.perf_counter() - started, 1),
        "load": f"{load_at_start} at the start, {load_average()} at the end",
    }
    print(f"{when:%Y-%m-%d} on {describe(info)}; {runs} runs per figure (median)")
    if args.smoke:
        print("--smoke: smaller data, one run each; the values are not the figures' own")
    print(plain_table(figures))
    saved = write_json(figures, info, settings, when)
    ctx.say(f"results: {saved}")
    if args.no_readme:
        pass
    elif args.smoke or args.only:
        # The README keeps a whole table of real figures, never part of one or smoke values.
        ctx.say("bench/README.md left alone: only a full run of every group goes there")
    elif not update_readme(figures, info, settings, when):
        ctx.say("bench/README.md has no result marks: table not copied there")
    for problem in problems:
        ctx.say(f"not measured: {problem}")
    ctx.say(f"total {settings['seconds']} s; load average {settings['load']}")
    return exit_status(problems)


if __name__ == "__main__":
    raise SystemExit(main())
