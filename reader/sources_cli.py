"""``reader sources`` (list, add, remove, rename, import, export), and many sources in
``reader sync`` and ``reader list``.

The list of sources lives in ``config.toml`` (:mod:`reader.core.source_list` edits it); their
posts live in the store. Nothing here asks a question: scripts can add and remove sources, and
a removal takes only that source's rows (its bookmarks stay unless ``--with-bookmarks``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from reader.core.source import Source, source_key
from reader.core.whole_files import write_whole
from reader.core.words import counted

if TYPE_CHECKING:
    from reader.core.config import Config
    from reader.core.models import StoredSource, SyncReport
    from reader.core.store import Store

MAX_SOURCES = 2000
"""Sources one reader reads at most; a larger OPML file is cut there, with a message."""


def add_arguments(commands: Any) -> None:
    """The ``reader sources`` command and its actions."""
    sources = commands.add_parser("sources", help="the sites and feeds you read")
    actions = sources.add_subparsers(dest="action", metavar="ACTION", required=True)
    listed = actions.add_parser("list", help="every source, with its posts and unread count")
    listed.add_argument("--json", action="store_true", help="print JSON")
    add = actions.add_parser("add", help="add a WordPress site or a feed (checked first)")
    add.add_argument("url", metavar="URL|FILE")
    add.add_argument("--name", metavar="NAME", help="what to call it (default: its host)")
    add.add_argument(
        "--feed",
        action="store_true",
        # Not "feed": that is the top-level --feed URL's, which would read the flag's True
        # as an address to read.
        dest="as_feed",
        help="read it as a plain feed, even on a WordPress site",
    )
    add.add_argument(
        "--anyway", action="store_true", help="add it even when it does not answer as a feed"
    )
    remove = actions.add_parser("remove", help="remove a source and its posts (no questions)")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument(
        "--with-bookmarks", action="store_true", help="remove its bookmarks too (kept otherwise)"
    )
    rename = actions.add_parser("rename", help="call a source something else")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    load = actions.add_parser("import", help="add the feeds an OPML file lists")
    load.add_argument("file", metavar="FILE.opml")
    export = actions.add_parser("export", help="write the sources as OPML 2.0")
    export.add_argument("-o", "--output", metavar="FILE", help="file to write (default: stdout)")


class _Problem(Exception):
    """One line for stderr, and exit status 1."""


def run_sources(
    args: argparse.Namespace, store: Store, config: Config, read: Sequence[Source] = ()
) -> int:
    """Carry out one ``reader sources`` action; ``read`` is what --demo reads instead."""
    from reader.command_error import CommandError
    from reader.core.source_list import SourceListProblem
    from reader.core.store import StoreError

    try:
        if args.action == "list":
            # --demo reads the sample site, not the config's list: that is what it lists.
            return _list(args, store, config, read if getattr(args, "demo", False) else ())
        action = {
            "add": _add,
            "remove": _remove,
            "rename": _rename,
            "import": _import,
            "export": _export,
        }[args.action]
        return action(args, store, config)
    except (_Problem, SourceListProblem, StoreError) as problem:
        raise CommandError(str(problem)) from None


# -- finding a source by name ------------------------------------------------------------------


def find(name: str, sources: Sequence[Source]) -> Source | None:
    """The source called ``name`` (any case), or at the address ``name``."""
    wanted = name.strip().casefold()
    for source in sources:
        if source.label.casefold() == wanted:
            return source
    for source in sources:
        # Its name before its feed's title named it, which scripts may still use.
        if source.also_called and source.also_called.casefold() == wanted:
            return source
    for is_site in (True, False):
        key = source_key(name.strip(), is_site=is_site)
        found = next((s for s in sources if s.key == key), None)
        if found is not None:
            return found
    return None


def _unknown(name: str, sources: Sequence[Source]) -> _Problem:
    names = ", ".join(s.label for s in sources) or "none (reader sources add URL)"
    return _Problem(f"no source is called {name!r}; the sources are: {names}")


def chosen(names: Sequence[str], sources: Sequence[Source]) -> list[Source]:
    """The sources ``reader sync NAME...`` names, in list order; all of them for no names."""
    if not names:
        return list(sources)
    picked: list[Source] = []
    for name in names:
        source = find(name, sources)
        if source is None:
            raise _command_error(_unknown(name, sources))
        if source not in picked:
            picked.append(source)
    return picked


def _command_error(problem: Exception) -> Exception:
    from reader.command_error import CommandError

    return CommandError(str(problem))


def _stored_only(store: Store, sources: Sequence[Source]) -> list[StoredSource]:
    """Sources the store holds rows of that are not in the list (read once, or removed)."""
    keys = {s.key for s in sources}
    return [s for s in store.sources() if s.key not in keys]


def _stored_as_source(stored: StoredSource) -> Source:
    base = Source.site(stored.url) if stored.is_site else Source.feed(stored.url)
    return replace(base, name=stored.name)


# -- sync and list -----------------------------------------------------------------------------


def print_reports(
    reports: Sequence[SyncReport], sources: Sequence[Source], *, by_name: bool = False
) -> int:
    """One line per source synced (by name when several are read); 1 if any failed."""
    several = by_name or len(reports) > 1
    for report, source in zip(reports, sources, strict=False):
        who = f"{report.source}" if several else source.feed_url
        if report.unchanged:
            print(f"{who}: up to date")
        elif report.ok or report.new or report.updated:
            print(
                f"{who}: {report.new} new, {report.updated} updated, "
                f"{report.pages_fetched} pages read"
            )
        for note in report.notes:
            print(f"{who}: {note}")
        for error in report.errors:
            prefix = f"{report.source}: " if several and not error.startswith(report.source) else ""
            print(f"reader: {prefix}{error}", file=sys.stderr)
    return 0 if all(r.ok for r in reports) else 1


def listed_posts(
    args: argparse.Namespace, store: Store, sources: Sequence[Source]
) -> tuple[list[Any], dict[int, str]]:
    """The posts ``reader list`` prints, and the name of each source id among them.

    Every stored post (of the listed sources and of any other the store keeps), or one
    source's with ``--source``; with ``--site``/``--feed``, that source's.
    """
    from reader.command_error import CommandError

    one_off = bool(getattr(args, "site", None) or getattr(args, "feed", None))
    everything = [*sources, *(_stored_as_source(s) for s in _stored_only(store, sources))]
    wanted = getattr(args, "source", None)
    if wanted:
        source = find(wanted, everything)
        if source is None:
            raise CommandError(str(_unknown(wanted, sources)))
        everything = [source]
    elif one_off or getattr(args, "demo", False):
        everything = list(sources)
    ids = {store.source_id(s): s.label for s in everything}
    names = {i: label for i, label in ids.items() if i is not None}
    if not names:
        return [], names
    scope = next(iter(names)) if len(names) == 1 else None
    slug = None
    if args.section:
        want = args.section.casefold()
        found = [
            s
            for s in store.sections(include_tags=True, source=scope)
            if s.source_id in names and want in (s.name.casefold(), s.slug)
        ]
        if not found:
            known = ", ".join(
                dict.fromkeys(s.name for s in store.sections(source=scope) if s.source_id in names)
            )
            raise CommandError(f"no section, topic or tag called {args.section!r}; try: {known}")
        slug = found[0].slug
    posts = store.posts_in(slug, source=scope)
    posts = [p for p in posts if p.source_id in names]
    if args.limit:
        posts = posts[: args.limit]
    return posts, names


UNREAD = "*"
"""``reader list``'s mark of an unread post."""
BOOKMARKED = "b"
"""``reader list``'s mark of a bookmarked post."""
LIST_LEGEND = (
    f"Each line: the post's id (for 'reader show'), {UNREAD} when unread, {BOOKMARKED} when"
    " bookmarked, its date and its title (and its source, when several are read)."
)
"""Said by ``reader list --help``, and in the README."""


def print_posts(
    posts: Sequence[Any],
    names: dict[int, str],
    *,
    as_json: bool,
    empty: str = "No posts stored yet: 'reader sync' fetches them.",
) -> None:
    """``reader list``'s output: JSON naming each post's source, or one line a post."""
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "id": p.id,
                        "title": p.title,
                        "url": p.url,
                        "published": p.published.isoformat(),
                        "read": p.read,
                        "bookmarked": p.bookmarked,
                        "source": names.get(p.source_id, ""),
                    }
                    for p in posts
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not posts:
        print(empty, file=sys.stderr)
    several = len(names) > 1
    width = max((len(n) for n in names.values()), default=0) if several else 0
    for p in posts:
        marks = (" " if p.read else UNREAD) + (BOOKMARKED if p.bookmarked else " ")
        who = f"{names.get(p.source_id, ''):<{width}}  " if several else ""
        print(f"{p.id:>6} {marks} {p.published:%Y-%m-%d}  {who}{p.title}")


# -- reader sources ... ------------------------------------------------------------------------


def _list(
    args: argparse.Namespace, store: Store, config: Config, read: Sequence[Source] = ()
) -> int:
    sources = list(read) or config.reading_list(store.source_titles())
    stored = {s.key: s for s in store.sources()}
    rows: list[dict[str, object]] = []
    for source in sources:
        rows.append(_row(source, stored.get(source.key), store, listed=True))
    for extra in _stored_only(store, sources):
        rows.append(_row(_stored_as_source(extra), extra, store, listed=False))
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not sources:
        print("No sources: 'reader sources add URL' adds one.", file=sys.stderr)
    width = max((len(str(r["name"])) for r in rows), default=4)
    for index, line in enumerate(rows):
        if index == len(sources):
            print("\nKept in the store, not in the list ('reader sources remove NAME' drops it):")
        group = f"  [{line['group']}]" if line["group"] else ""
        # The noun padded to its plural's width, so the columns line up.
        posts = line["posts"]
        assert isinstance(posts, int)
        number, _, noun = counted(posts, "post").partition(" ")
        counts = f"{number:>6} {noun:<5} {line['unread']:>6} unread"
        print(f"{line['name']!s:<{width}}  {line['kind']}  {counts}  {line['url']}{group}")
    return 0


def _row(
    source: Source, stored: StoredSource | None, store: Store, *, listed: bool
) -> dict[str, Any]:
    return {
        "name": source.label,
        "kind": "site" if source.is_site else "feed",
        "url": source.url,
        "group": source.group,
        "title": stored.title if stored else "",
        "posts": stored.posts if stored else 0,
        "unread": stored.unread if stored else 0,
        "bookmarks": stored.bookmarks if stored else 0,
        "last_synced": store.last_synced(stored.id) if stored else None,
        "listed": listed,
    }


def _config_path(config: Config) -> Path:
    from reader.core.paths import config_file

    return config.source or config_file()


def _add(args: argparse.Namespace, store: Store, config: Config) -> int:
    from reader.core.discover import NotASource, as_address, discover
    from reader.core.fetch import Fetcher
    from reader.core.source_list import add_sources

    sources = config.reading_list(store.source_titles())
    name = _clean_name(args.name) if args.name else ""
    if name and find(name, sources) is not None:
        raise _Problem(f"a source is already called {name!r}; choose another --name")

    async def check() -> Source:
        async with Fetcher(deadline=20) as fetcher:
            return await discover(fetcher, args.url, name=name, feed_only=args.as_feed)

    # Imported here: every start of the reader builds this command's parser, and asyncio costs
    # about 0.1 s to import.
    import asyncio

    try:
        source = asyncio.run(check())
    except NotASource as problem:
        if not args.anyway:
            raise _Problem(f"{problem} (--anyway adds it all the same)") from None
        address = as_address(args.url)
        # Not read, so guessed: a bare host is a site, anything with a path a feed.
        plain = args.as_feed or "://" not in address or bool(urlsplit(address).path.strip("/"))
        source = (Source.feed if plain else Source.site)(address, name=name)
        print(f"reader: {problem}; added all the same, as asked", file=sys.stderr)
    already = next((s for s in sources if s.key == source.key), None)
    if already is not None:
        raise _Problem(f"{source.url} is already a source, called {already.label!r}")
    if len(sources) >= MAX_SOURCES:
        raise _Problem(f"the reader reads at most {MAX_SOURCES} sources; remove one first")
    source = _named_apart(source, sources)
    add_sources(_config_path(config), config, [source])
    kind = "WordPress site" if source.is_site else "feed"
    print(f"Added {source.label} ({kind} {source.url}); 'reader sync {source.label}' reads it.")
    return 0


def _clean_name(text: str) -> str:
    from reader.core.text import clean_line

    name = " ".join(clean_line(text).split())
    if not name:
        raise _Problem("a name needs at least one letter or digit")
    return name[:80]


def _named_apart(source: Source, sources: Sequence[Source]) -> Source:
    """``source`` with a name no other source has (``host-2``), written into the list."""
    # A name a title has replaced is still taken: 'reader sync host-2' may be in a script.
    taken = {n.casefold() for s in sources for n in (s.label, s.also_called) if n}
    if source.label.casefold() not in taken:
        return source
    number = 2
    while f"{source.label}-{number}".casefold() in taken:
        number += 1
    return replace(source, name=f"{source.label}-{number}")


def _remove(args: argparse.Namespace, store: Store, config: Config) -> int:
    from reader.core.source_list import remove_source

    sources = config.reading_list(store.source_titles())
    source = find(args.name, sources)
    if source is not None:
        remove_source(_config_path(config), config, source)
    else:
        extra = [_stored_as_source(s) for s in _stored_only(store, sources)]
        source = find(args.name, extra)
        if source is None:
            raise _unknown(args.name, sources)
    kept = store.bookmark_count(source=source) if store.source_id(source) is not None else 0
    removed = store.remove_source(source, with_bookmarks=args.with_bookmarks)
    if args.with_bookmarks or not kept:
        bookmarks = f", and {counted(kept, 'bookmark')}" if kept else ""
    else:
        bookmarks = f"; its {counted(kept, 'bookmark')} {'is' if kept == 1 else 'are'} kept"
    print(f"Removed {source.label}: {counted(removed, 'post')}{bookmarks}.")
    return 0


def _rename(args: argparse.Namespace, store: Store, config: Config) -> int:
    from reader.core.source_list import rename_source

    sources = config.reading_list(store.source_titles())
    source = find(args.old, sources)
    if source is None:
        raise _unknown(args.old, sources)
    new = _clean_name(args.new)
    other = find(new, sources)
    if other is not None and other.key != source.key:
        raise _Problem(f"a source is already called {new!r}")
    rename_source(_config_path(config), config, source, new)
    if store.source_id(source) is not None:
        store.rename_source(source, new)
    print(f"Renamed {source.label} to {new}.")
    return 0


def _import(args: argparse.Namespace, store: Store, config: Config) -> int:
    from reader.core.opml import MAX_BYTES, OpmlProblem, read_opml
    from reader.core.source_list import add_sources

    path = Path(args.file).expanduser()
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise _Problem(f"cannot read {args.file}: {error.strerror}") from None
    sources = list(config.reading_list(store.source_titles()))
    try:
        found = read_opml(data, known=[s.key for s in sources])
    except OpmlProblem as problem:
        raise _Problem(f"{args.file}: {problem}; nothing was imported") from None
    for line in found.skipped:
        print(f"reader: {args.file}: {line}", file=sys.stderr)
    room = max(0, MAX_SOURCES - len(sources))
    if len(found.sources) > room:
        print(
            f"reader: {args.file}: {len(found.sources) - room} more feeds not added: the reader "
            f"reads at most {MAX_SOURCES} sources",
            file=sys.stderr,
        )
    added: list[Source] = []
    for source in found.sources[:room]:
        if source.name:
            source = replace(source, name=source.name[:80])
        source = _named_apart(source, [*sources, *added])
        added.append(source)
    if added:
        add_sources(_config_path(config), config, added)
    print(
        f"Imported {counted(len(added), 'source')} from {args.file} ({len(found.skipped)} skipped)."
    )
    return 0


def _export(args: argparse.Namespace, store: Store, config: Config) -> int:
    from reader.core.opml import write_opml

    sources = config.reading_list(store.source_titles())
    from reader.core.sync import FEED_AT

    titles = {s.key: s.title for s in store.sources() if s.title}
    feeds = {}
    for source in sources:
        known = store.source_id(source) if source.is_site else None
        if known is not None and (found_at := store.source_meta(known, FEED_AT)):
            feeds[source.key] = found_at
    text = write_opml(sources, titles=titles, feeds=feeds)
    if args.output:
        try:
            write_whole(Path(args.output), text)  # the old export whole if the disk fills
        except OSError as error:
            raise _Problem(f"cannot write {args.output}: {error.strerror}") from None
        print(f"Wrote {counted(len(sources), 'source')} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
