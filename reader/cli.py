"""The ``reader`` command: the TUI by default, and headless subcommands for scripts and cron.

Imports are local to each command so that ``reader sync`` or ``reader list`` never pay for
importing Textual, and ``reader --help`` is instant.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.arguments import post_id, whole_number
from reader.command_error import CommandError
from reader.core.words import counted

if TYPE_CHECKING:
    from reader.core.config import Config
    from reader.core.models import Post
    from reader.core.navigation import Target
    from reader.core.source import Source
    from reader.core.store import Store

NO_TERMINAL = (
    "reader: this is a full-screen terminal program and needs a terminal.\n"
    "Over SSH, ask for one with 'ssh -t host reader'. For scripts, use 'reader sync', "
    "'reader list' or 'reader show POST'."
)

#: TERM values of terminals that cannot run a full-screen program (Emacs' shell, a serial line
#: without a type, a pipe dressed up as a terminal).
_TERMINALS_WITHOUT_SCREEN = frozenset({"dumb", "unknown", "emacs"})
NO_SCREEN = (
    "reader: this terminal (TERM={term}) cannot show a full-screen program; use a terminal "
    "emulator, or 'reader list' and 'reader show POST'."
)


def _source_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    # Subcommands repeat the options so both "reader --demo list" and "reader list --demo"
    # work; SUPPRESS keeps a subcommand from resetting what was given before it.
    default = None if top else argparse.SUPPRESS
    group = parser.add_argument_group("what to read")
    where = group.add_mutually_exclusive_group()
    where.add_argument(
        "--demo",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="read the bundled sample site (no network needed)",
    )
    where.add_argument(
        "--site",
        metavar="URL",
        default=default,
        help="read any WordPress site (feed, REST API and pages)",
    )
    where.add_argument(
        "--feed",
        metavar="URL|PATH",
        default=default,
        help="read any RSS or Atom feed, by address or file",
    )
    group.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="keep the store and bookmarks here (also READER_DATA_DIR)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="log what the reader does to reader.log in the data folder (also READER_LOG=FILE)",
    )


#: The top-level options that take a value (the next word, when not given as ``--opt=value``).
_TOP_OPTIONS_WITH_VALUE = frozenset({"--site", "--feed", "--data-dir"})


def _starts_the_reader(words: Sequence[str]) -> bool:
    """True when ``words`` are top-level options only: no command, no help to print.

    Then the reader parses them without building the commands' parsers, a tenth of its
    start-up beyond Textual's (two dozen parsers and the sources' options). Anything else, a
    stray word included, goes to the whole parser, so errors and help read the same.
    """
    value_next = False
    for word in words:
        if value_next:
            value_next = False
        elif word in ("-h", "--help", "--") or not word.startswith("-"):
            return False
        else:
            value_next = word in _TOP_OPTIONS_WITH_VALUE
    return True


def parse_command_line(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line read into options, with ``command`` None for the TUI."""
    words = sys.argv[1:] if argv is None else argv
    if _starts_the_reader(words):
        return build_parser(commands=False).parse_args(words)
    return build_parser(serving="serve" in words).parse_args(words)


def build_parser(*, serving: bool = True, commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line (``serving=False`` skips the options of ``reader serve``).

    ``commands=False`` gives the top-level options alone, ``command`` always None.
    """
    parser = argparse.ArgumentParser(
        prog="reader",
        description="A keyboard-first terminal reader for the USC Stem Cell news site, "
        "any WordPress site (--site) or any feed (--feed).",
    )
    _source_options(parser, top=True)
    parser.add_argument(
        "--no-refresh", action="store_true", help="start without fetching new posts"
    )
    parser.add_argument("--version", action="version", version=_version())
    if not commands:
        parser.set_defaults(command=None)
        return parser
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sync = subcommands.add_parser("sync", help="fetch new posts into the store")
    _source_options(sync, top=False)
    sync.add_argument("names", nargs="*", metavar="NAME", help="only these sources (default: all)")
    sync.add_argument(
        "--images", action="store_true", help="also fetch every stored post's images into the cache"
    )
    sync.add_argument(
        "--pages",
        action="store_true",
        help="also read every article page not read yet (navigation, topics: offline reading)",
    )

    from reader.sources_cli import LIST_LEGEND

    listing = subcommands.add_parser(
        "list",
        help="list stored posts",
        description=f"List stored posts, newest first. {LIST_LEGEND}",
    )
    _source_options(listing, top=False)
    listing.add_argument("--section", metavar="NAME", help="only this section, topic or tag")
    listing.add_argument("--source", metavar="NAME", help="only this source's posts")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument(
        "--limit", type=whole_number(0), default=0, metavar="N", help="at most this many (0: all)"
    )

    show = subcommands.add_parser("show", help="print an article as text")
    _source_options(show, top=False)
    show.add_argument("post", metavar="POST", help="post id (from 'reader list') or URL")
    show.add_argument(
        "--width",
        type=whole_number(1),
        default=None,
        metavar="N",
        help="wrap at this many columns (default: the terminal's width, or 80)",
    )
    pictures = show.add_mutually_exclusive_group()
    pictures.add_argument(
        "--images",
        action="store_true",
        help="draw the pictures with half blocks, even when output is not a terminal",
    )
    pictures.add_argument("--no-images", action="store_true", help="show pictures as alt text")

    opening = subcommands.add_parser(
        "open",
        help="start the reader on one article (for a mail client or xdg-open)",
        description="Start the reader on one article: a post id from 'reader list', or the "
        "address of a post (of the site read, or of any site: fetched and stored).",
    )
    _source_options(opening, top=False)
    opening.add_argument("post", metavar="URL|POST", help="a post's address, or its id")
    opening.add_argument(
        "--no-refresh",
        action="store_true",
        default=argparse.SUPPRESS,
        help="start without fetching new posts",
    )

    bookmarks = subcommands.add_parser("bookmarks", help="list, add, remove, export, import")
    _source_options(bookmarks, top=False)
    actions = bookmarks.add_subparsers(dest="action", metavar="ACTION", required=True)
    listed = actions.add_parser("list", help="list bookmarks, newest first")
    listed.add_argument("--json", action="store_true")
    add = actions.add_parser("add", help="bookmark a post (id or URL)")
    add.add_argument("post", metavar="URL|POST")
    remove = actions.add_parser("remove", help="remove a bookmark (id or URL)")
    remove.add_argument("post", metavar="URL|POST")
    export = actions.add_parser("export", help="write every bookmark to one file")
    export.add_argument(
        "--format",
        choices=("md", "html", "json"),
        help="default: by the -o file's ending (.html, .htm, .json), else md",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")
    load = actions.add_parser("import", help="read an export (JSON) back")
    load.add_argument("file", metavar="FILE.json")

    store = subcommands.add_parser("store", help="check the store, or rescue a damaged one")
    _source_options(store, top=False)
    store_actions = store.add_subparsers(dest="action", metavar="ACTION", required=True)
    store_actions.add_parser("check", help="run SQLite's integrity check on the store")
    rescue = store_actions.add_parser(
        "rescue", help="save what can be read (bookmarks first, then posts) to a new file"
    )
    rescue.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=True,
        help="a new store, or a JSON export when FILE ends in .json",
    )

    from reader.sources_cli import add_arguments as add_sources_arguments

    add_sources_arguments(subcommands)

    config = subcommands.add_parser("config", help="where the config file is, and its settings")
    config_actions = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    config_actions.add_parser("path", help="print the config file's path")
    config_actions.add_parser("show", help="print the settings in force")

    serve = subcommands.add_parser("serve", help="host the reader over SSH or the web")
    kinds = serve.add_subparsers(dest="kind", metavar="KIND", required=True)
    ssh = kinds.add_parser("ssh", help="an SSH server that runs the reader for each user")
    web = kinds.add_parser("web", help="the reader in a browser (textual-serve)")
    if serving:
        # Only "reader serve" pays for importing the servers' option parsers.
        with contextlib.suppress(ImportError):
            from reader.serve import ssh as ssh_module

            ssh_module.add_arguments(ssh)
        with contextlib.suppress(ImportError):
            from reader.serve import web as web_module

            web_module.add_arguments(web)
    return parser


def _version() -> str:
    from reader import __version__

    return f"reader {__version__}"


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = parse_command_line(argv)
    command = args.command
    from reader.core.debug_log import start_log
    from reader.core.paths import data_dir
    from reader.core.store_errors import StoreError

    start_log(data_dir(getattr(args, "data_dir", None)), debug=getattr(args, "debug", False))
    try:
        if command is None:
            return _run_tui(args)
        if command == "config":
            return _config(args)
        if command == "serve":
            return _serve(args)
        if command == "sync":
            return _sync(args)
        if command == "list":
            return _list(args)
        if command == "show":
            return _show(args)
        if command == "open":
            return _run_tui(args, opening=args.post)
        if command == "store":
            from reader.store_cli import run_store

            return run_store(args, _data_dir(args))
        if command == "sources":
            from reader.sources_cli import run_sources

            with _opened_sources(args) as (store, read, config):
                return run_sources(args, store, config, read)
        if command == "bookmarks":
            from reader.bookmarks_cli import run_bookmarks

            with _opened(args) as (store, source, _):
                return run_bookmarks(args, store, source)
    except (CommandError, StoreError) as error:
        # StoreError: trouble found while reading or writing (the store opened fine).
        from reader.core.debug_log import log

        log.warning("%s: %s", _doing(args), error)
        print(f"reader: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # "reader list | head": the reader of our output left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        # A bug: one line that says where the traceback went, instead of the traceback.
        from reader.core.debug_log import unexpected

        print(f"reader: {unexpected(error, doing=_doing(args))}", file=sys.stderr)
        return 1
    build_parser().print_help()
    return 2


def _doing(args: argparse.Namespace) -> str:
    """What the command was doing, in words, for the message about an unexpected error."""
    words = [str(args.command or "reading")]
    for part in ("action", "kind"):
        if getattr(args, part, None):
            words.append(str(getattr(args, part)))
    return "running 'reader " + " ".join(words) + "'" if args.command else "reading"


def _config_and_warnings() -> tuple[Config, list[str]]:
    from reader.core.config import load_config

    config, warnings = load_config()
    return config, warnings


def _sources(
    args: argparse.Namespace, config: Config, titles: Mapping[str, str] | None = None
) -> tuple[Source, ...]:
    """What to read: the one source --site/--feed names, else the config's list (a second
    source on a host named by its feed's title, from ``titles``, where the store knows it)."""
    if getattr(args, "feed", None) or getattr(args, "site", None):
        return (_source(args, config),)
    return config.reading_list(titles)


def _source(args: argparse.Namespace, config: Config) -> Source:
    from reader.core.source import Source

    if getattr(args, "feed", None):
        feed = str(args.feed)
        if "://" not in feed and not Path(feed).expanduser().exists():
            raise CommandError(f"{feed}: no such file, and not a web address")
        return Source.feed(feed)
    site = getattr(args, "site", None) or (None if config.feed else config.site)
    if site is None and config.feed:
        return Source.feed(config.feed)
    assert site is not None
    if "://" not in site:
        site = "https://" + site
    from reader.core.urls import is_followable

    if not is_followable(site):
        raise CommandError(f"{site}: only http and https sites can be read")
    return Source.site(site)


def _data_dir(args: argparse.Namespace) -> Path:
    from reader.core.paths import data_dir

    base = data_dir(getattr(args, "data_dir", None))
    return base / "demo" if getattr(args, "demo", False) else base


@contextlib.contextmanager
def _opened(
    args: argparse.Namespace, *, warnings: list[str] | None = None
) -> Iterator[tuple[Store, Source, Config]]:
    """The store and the (first) source for a command; see :func:`_opened_sources`."""
    with _opened_sources(args, warnings=warnings) as (store, sources, config):
        from reader.core.source import Source

        yield store, (sources[0] if sources else Source.site(config.site)), config


@contextlib.contextmanager
def _opened_sources(
    args: argparse.Namespace, *, warnings: list[str] | None = None
) -> Iterator[tuple[Store, tuple[Source, ...], Config]]:
    """The store and the sources for a command; with --demo, the sample site runs meanwhile.

    Config problems go into ``warnings`` when given (the app shows them), else to stderr.
    """
    from reader.core.store import Store, StoreError

    config, problems = _config_and_warnings()
    if warnings is not None:
        warnings.extend(problems)
    else:
        for problem in problems:
            print(f"reader: {problem}", file=sys.stderr)
    from reader.core.debug_log import log

    for problem in problems:
        log.warning("config: %s", problem)
    folder = _data_dir(args)
    with contextlib.ExitStack() as stack:
        demo = None
        if getattr(args, "demo", False):
            from reader.core.source import Source
            from reader.demo_site import demo_site

            demo = stack.enter_context(demo_site(folder))
            sources: tuple[Source, ...] = (Source.site(demo.url),)
        try:
            store = Store.open_in(folder, section_names=config.sections)
        except StoreError as error:
            raise CommandError(str(error)) from None
        stack.callback(store.close)
        if demo is None:
            sources = _sources(args, config, store.source_titles())
        if demo is not None and demo.moved_from is not None and not store.read_only:
            # The sample site had to move to another port: its stored rows move with it.
            store.move_site(demo.moved_from, demo.url)
        yield store, sources, config
        if warnings is None and store.damaged:
            # Reading commands still run on a damaged store, read-only: say so after them
            # (a command that stumbled on the damage has said so already).
            print(f"reader: {store.read_only}", file=sys.stderr)


def _run_tui(args: argparse.Namespace, *, opening: str | None = None) -> int:
    # textual-serve drives the app through pipes and names its driver; anything else needs a tty.
    if not os.environ.get("TEXTUAL_DRIVER") and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(NO_TERMINAL, file=sys.stderr)
        return 2
    term = os.environ.get("TERM", "")
    if not os.environ.get("TEXTUAL_DRIVER") and term in _TERMINALS_WITHOUT_SCREEN:
        # One line, no escape codes: such a terminal would show the full-screen UI as garbage.
        print(NO_SCREEN.format(term=term), file=sys.stderr)
        return 2
    from reader.core.config import apply_state, load_state

    warnings: list[str] = []
    with _opened_sources(args, warnings=warnings) as (store, sources, config):
        from reader.core.source import Source

        source = sources[0] if sources else Source.site(config.site)
        if len(sources) <= 1:
            # The first screen's counts, read while the UI is imported and started (one
            # source read: what MainScreen asks for first; see Store.read_sections_ahead).
            store.read_sections_ahead(source=source)
        config = apply_state(config, load_state(getattr(args, "data_dir", None)))
        from reader.core.config import DEFAULT_SITE
        from reader.core.graphics_probe import ask, probe_timeout, queries_for, should_probe

        terminal = None
        asked = None
        stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
        if should_probe(dict(os.environ), stdin, stdout):
            # Asked before Textual starts reading the terminal, which would take the answers
            # for key presses; read after the UI's imports, so the terminal answers meanwhile.
            environ = dict(os.environ)
            asked = ask(
                stdin,
                stdout,
                timeout=probe_timeout(environ),
                queries=queries_for(config.images, environ),
            )
        try:
            from reader.ui.app import ReaderApp
        finally:
            if asked is not None:
                terminal = asked.answers()
        open_at = _open_target(store, source, opening) if opening is not None else None
        title = store.source_title(source)
        if getattr(args, "demo", False):
            title = "USC Stem Cell News (sample)"
        elif len(sources) > 1:
            title = ""  # the app names how many sources it reads
        elif source.url == DEFAULT_SITE:
            title = "USC Stem Cell News"
        app = ReaderApp(
            store,
            source,
            site_title=title,
            section_names=config.sections,
            refresh_on_start=config.refresh_on_start and not args.no_refresh,
            refresh_interval_minutes=0 if args.no_refresh else config.refresh_interval_minutes,
            theme=_theme_for_terminal(config.theme),
            keymap=dict(config.keys),
            warnings=warnings,
            data_dir=getattr(args, "data_dir", None),
            images=config.images,
            terminal=terminal,
            image_cache_mb=config.image_cache_mb,
            sources=sources or (source,),
            open_at=open_at,
        )
        app.run()
    # Quitting must be quick: Python's teardown of everything Textual, Rich and httpx made
    # takes a tenth to a quarter of a second; frozen objects are skipped by its last
    # collections. Nothing is left to free that matters: the store is closed.
    import gc

    gc.freeze()
    if app.damage is not None:
        # Printed again once the terminal is back, so the commands stay there to be copied
        # (and said at all when the damage stopped the app before its screen could show).
        from rich.console import Console

        from reader.ui.damaged_screen import damage_text

        where = app.damage.path or store.path
        said = damage_text(where, app.damage.detail, on_screen=False)
        # Soft-wrapped: the terminal folds long lines, so a copied command stays whole.
        Console(stderr=True, highlight=False).print(said, soft_wrap=True)
    if app.unexpected:
        print(f"reader: {app.unexpected}", file=sys.stderr)
    return app.return_code or 0


def _open_target(store: Store, source: Source, spec: str) -> Target:
    """Where ``reader open`` starts: a stored post by id, or a post by its address."""
    from reader.core.navigation import LinkTo, PostAt, StoredPost
    from reader.core.urls import is_followable

    spec = spec.strip()
    number = post_id(spec)
    if number is not None:
        if store.post(number) is None:
            raise CommandError(f"no stored post is {spec!r}; 'reader list' shows what is stored")
        return StoredPost(number)
    if not is_followable(spec):
        raise CommandError(f"{spec}: give a post's id or its http(s) address")
    if store.find_readable(spec) is None and source.owns(spec):
        # The site's own address: a topic opens its list, a post is fetched if not stored.
        return LinkTo(spec)
    # Stored (or a bookmark), a category or tag of another source read (its list opens), or
    # a post of another site: fetched and stored when opened, refused if it is no article.
    return PostAt(spec)


def _theme_for_terminal(theme: str) -> str:
    # NO_COLOR makes Textual turn every colour to grey, which works on RGB themes but turns the
    # ANSI theme's "terminal default" colours black on black: use high contrast there.
    if os.environ.get("NO_COLOR"):
        return "high-contrast" if theme in ("institute-dark", "ansi") else theme
    # With 16 colours, the ANSI theme uses the terminal's own palette and reads better than a
    # truecolour theme squeezed down.
    term = os.environ.get("TERM", "")
    few_colours = term in ("xterm", "linux", "vt100", "screen", "ansi")
    if few_colours and theme == "institute-dark" and "COLORTERM" not in os.environ:
        return "ansi"
    return theme


def _sync(args: argparse.Namespace) -> int:
    from reader.core.runner import run_sync_all
    from reader.sources_cli import chosen, print_reports

    with _opened_sources(args) as (store, sources, config):
        picked = chosen(args.names, sources)
        _freeze_what_is_made()
        reporter = _Progress()
        with reporter:
            reports = run_sync_all(
                store.path, picked, section_names=config.sections, progress=reporter
            )
        if args.pages:
            _read_pages(store, picked)
        if args.images:
            from reader.core.refusals import REFUSED_FOR_DAYS
            from reader.images_cli import sync_images

            with _Progress() as images_progress:
                fetched = sync_images(store, store.path.parent, images_progress)
            # Gone (404, 410): said once, when found; those known gone are not asked for.
            gone = (
                f", {len(fetched.gone_now)} gone from their servers (not asked for again for"
                f" {REFUSED_FOR_DAYS} days)"
                if fetched.gone_now
                else ""
            )
            print(
                f"{counted(fetched.had, 'image')} kept, {fetched.failed} could not be fetched{gone}"
            )
        if any(report.ok for report in reports):  # offline, they would fail again
            _keep_bookmarks_pictures(store)
    return print_reports(reports, picked, by_name=len(sources) > 1)


def _keep_bookmarks_pictures(store: Store) -> None:
    """Fetch the bookmarks' pictures that could not be kept when they were bookmarked."""
    if not store.bookmark_count():
        return
    from reader.bookmarks_cli import keep_images, missing_line

    line = missing_line(keep_images(store))
    if line is not None:
        print(line, file=sys.stderr)


def _freeze_what_is_made() -> None:
    """Put every object made so far (the imports' modules, classes and functions, some
    100,000) out of the garbage collector's reach, for a command that ends with its work.

    Its full passes walked them all again, a few times in a cold sync of 1,000 posts and at
    exit: 47 M of the sync's 2,934 M instructions (callgrind). None of them becomes garbage
    before the process ends. Not for the app, which lives on and frees what it made.
    """
    import gc

    import reader.core.sync  # noqa: F401  (its imports, httpx's among them, frozen too)

    gc.freeze()


def _read_pages(store: Store, sources: Sequence[Source]) -> None:
    """Read every unread article page of each site among ``sources`` (``sync --pages``)."""
    import asyncio

    from reader.core.fetch import Fetcher
    from reader.core.refusals import REFUSED_FOR_DAYS
    from reader.core.sync import read_every_page

    async def read_all() -> None:
        async with Fetcher() as fetcher:
            for source in sources:
                if not source.is_site:
                    continue
                with _Progress() as reporter:
                    pages = await read_every_page(store, fetcher, source, progress=reporter)
                skipped = (
                    f", {pages.skipped} skipped (they refused in the last {REFUSED_FOR_DAYS}"
                    " days: no article, too big or not found)"
                    if pages.skipped
                    else ""
                )
                print(f"{source.label}: {pages.done} pages read{skipped}")
                problems = pages.problems
                if problems:
                    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                    print(f"reader: {source.label}: {problems[0]}{more}", file=sys.stderr)

    asyncio.run(read_all())


class _Progress:
    """Rich's progress bar on a terminal; plain lines when output is a pipe or a log."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._last = ""
        self._bar: object = None
        self._task: object = None

    def __enter__(self) -> _Progress:
        if self._tty:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                transient=True,
            )
            bar.start()
            self._bar = bar
            self._task = bar.add_task("Syncing", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()  # type: ignore[attr-defined]

    def __call__(self, done: int, total: int | None, what: str) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=what, completed=done, total=total)  # type: ignore[attr-defined]
        elif what != self._last:
            self._last = what
            print(what, file=sys.stderr, flush=True)


def _find(store: Store, spec: str) -> object:
    number = post_id(spec)
    post = store.post(number) if number is not None else store.find_readable(spec)
    if post is None:
        raise CommandError(f"no stored post is {spec!r}; 'reader list' shows what is stored")
    return post


def _list(args: argparse.Namespace) -> int:
    from reader.sources_cli import listed_posts, print_posts

    with _opened_sources(args) as (store, sources, _):
        posts, names = listed_posts(args, store, sources)
        print_posts(posts, names, as_json=args.json, empty=_nothing_listed(args, args.section))
    return 0


def _nothing_listed(args: argparse.Namespace, slug: str | None) -> str:
    """Why ``reader list`` printed nothing, with the sync command for the same source."""
    if slug is not None:
        return f"No posts stored in {args.section!r}."
    names = [args.source] if getattr(args, "source", None) else []
    return f"No posts stored yet: '{_same_source('sync', args, *names)}' fetches them."


def _same_source(command: str, args: argparse.Namespace, *words_after: str) -> str:
    """``reader COMMAND`` with the source and data options this command was given."""
    import shlex

    words = ["reader"]
    if getattr(args, "demo", False):
        words.append("--demo")
    for option in ("site", "feed", "data_dir"):
        value = getattr(args, option, None)
        if value:
            words += [f"--{option.replace('_', '-')}", str(value)]
    return shlex.join([*words, command, *words_after])


def _with_page(store: Store, post: Post) -> tuple[Post, str]:
    """``post`` with its article page read and stored, as opening it in the app does, and the
    note for an excerpt shown alone (why the rest is missing).

    Offline, or when the page cannot be read, the stored post is shown as it is, and why is
    said on stderr.
    """
    import asyncio

    from reader.core.fetch import Fetcher, FetchError
    from reader.core.store import StoreError
    from reader.core.sync import SyncError, complete_post
    from reader.render.article import EXCERPT_NOTE, FEED_EXCERPT_NOTE_SHOWN, unfetched_note

    sites = {s.id for s in store.sources() if s.is_site}
    if post.id > 0 and post.source_id not in sites:
        # A feed's posts have no page the reader reads. The address is the feed's, and goes
        # through the note's control-character filter like every text of the post.
        return post, FEED_EXCERPT_NOTE_SHOWN.format(url=post.url or "its own page.")
    if post.page_fetched or post.id <= 0:
        return post, EXCERPT_NOTE

    async def read() -> Post:
        async with Fetcher() as fetcher:
            return await complete_post(store, fetcher, post)

    try:
        return asyncio.run(read()), EXCERPT_NOTE
    except (FetchError, SyncError, StoreError) as error:
        print(f"reader: showing what is stored ({error})", file=sys.stderr)
        return post, unfetched_note(getattr(error, "reason", "") or str(error))


def _show(args: argparse.Namespace) -> int:
    from reader.core.models import Post
    from reader.render.article import render_text

    with _opened(args) as (store, _, config):
        post = _find(store, args.post)
        assert isinstance(post, Post)
        post, excerpt_note = _with_page(store, post)
        width = args.width or (os.get_terminal_size().columns if sys.stdout.isatty() else 80)
        color = sys.stdout.isatty()
        board = None
        wanted = args.images or (color and not args.no_images and config.images != "off")
        if wanted:
            from reader.images_cli import colour_depth, picture_board

            depth = colour_depth(force=args.images)
            if depth is not None:
                board = picture_board(
                    post, store.path.parent, max(width, 20), depth, sources=store.source_urls()
                )
                color = True
        sys.stdout.write(
            render_text(post, width=width, color=color, board=board, excerpt_note=excerpt_note)
        )
    return 0


def _config(args: argparse.Namespace) -> int:
    from reader.core.config import config_as_toml
    from reader.core.paths import config_file

    if args.action == "path":
        print(config_file())
        return 0
    from reader.core.config import DEFAULT_THEME, THEME_STATE_KEY, load_state
    from reader.core.theme_names import theme_names, unknown_theme

    config, warnings = _config_and_warnings()
    remembered = load_state().get(THEME_STATE_KEY) or None
    problem = unknown_theme(remembered or config.theme, theme_names(), DEFAULT_THEME)
    if problem:
        warnings.append(problem)
    for warning in warnings:
        print(f"reader: {warning}", file=sys.stderr)
    sys.stdout.write(config_as_toml(config, remembered_theme=remembered, theme_problem=problem))
    return 0


def _serve(args: argparse.Namespace) -> int:
    try:
        if args.kind == "ssh":
            from reader.serve import ssh

            return int(ssh.run(args))
        from reader.serve import web

        return int(web.run(args))
    except ImportError as error:
        raise CommandError(str(error)) from None
