"""``reader bookmarks``: list, add, remove, export to one readable file, import an export."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reader.arguments import post_id
from reader.command_error import CommandError
from reader.core.models import Post
from reader.core.snapshots import ImportProblem, export_pictures, read_export
from reader.core.source import Source
from reader.core.store import Store, StoreError
from reader.core.urls import host_and_port, is_followable
from reader.core.whole_files import write_whole
from reader.core.words import counted

if TYPE_CHECKING:
    from reader.core.kept_images import KeptCount


def run_bookmarks(args: argparse.Namespace, store: Store, source: Source) -> int:
    """Carry out one ``reader bookmarks`` action."""
    try:
        if args.action == "list":
            return _list(store, as_json=args.json)
        if args.action == "add":
            return _add(store, source, args.post)
        if args.action == "remove":
            return _remove(store, args.post)
        if args.action == "export":
            # Rich only when exporting: listing and adding stay quick to start.
            from reader.render.bookmark_export import export_bookmarks

            bookmarks = store.bookmarks()
            chosen = args.format or export_format_of(args.output)
            pictures = _kept_pictures(store) if chosen in ("html", "json") else None
            text = export_bookmarks(bookmarks, chosen, pictures)
            if args.output:
                _write(Path(args.output), text)
                wrote = counted(len(bookmarks), "bookmark")
                print(f"Wrote {wrote} to {args.output}", file=sys.stderr)
            else:
                sys.stdout.write(text)
            return 0
        if args.action == "import":
            try:
                data = Path(args.file).read_bytes()
            except OSError as error:
                raise CommandError(f"cannot read {args.file}: {error.strerror}") from None
            try:
                bookmarks = read_export(data)
            except ImportProblem as problem:
                raise CommandError(f"{args.file}: {problem}; nothing was imported") from None
            added = store.import_bookmarks(bookmarks)
            print(
                f"Imported {counted(added, 'new bookmark')}"
                f" ({len(bookmarks) - added} already there)."
            )
            # The pictures the export carries are kept first, so a fresh store reads them
            # offline; the others are had now (from the cache, else the network).
            _keep_carried(store, export_pictures(data, bookmarks))
            _say_missing(keep_images(store, [bookmark.post for bookmark in bookmarks]))
            return 0
    except StoreError as error:
        raise CommandError(str(error)) from None
    return 2


def _keep_carried(store: Store, pictures: dict[str, bytes]) -> None:
    """Keep with the bookmarks the pictures an export carried (one not already kept)."""
    from reader.core.kept_images import kept_images

    kept = kept_images(store.path.parent)
    for url, data in pictures.items():
        if url not in kept:
            kept.put(url, data)


def _kept_pictures(store: Store) -> Callable[[str], bytes | None]:
    """The bytes of an image: kept with a bookmark, else in the cache; None when neither."""
    from reader.core.kept_images import image_cache, kept_images

    kept = kept_images(store.path.parent)
    cache = image_cache(store.path.parent)

    def pictures(url: str) -> bytes | None:
        return kept.get(url) or cache.get(url)

    return pictures


def _write(target: Path, text: str) -> None:
    """Write an export, or say in one line why it cannot be written there."""
    folder = target.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise CommandError(f"cannot write {target}: the folder {folder} {what}")
    try:
        write_whole(target, text)  # a disk that fills midway leaves the old export whole
    except OSError as error:
        raise CommandError(f"cannot write {target}: {error.strerror or error}") from None


def _list(store: Store, *, as_json: bool) -> int:
    bookmarks = store.bookmarks()
    if as_json:
        print(
            json.dumps(
                [
                    {"url": b.url, "title": b.title, "created": b.created.isoformat()}
                    for b in bookmarks
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    if not bookmarks:
        print("No bookmarks yet.")
    for b in bookmarks:
        print(f"{b.created:%Y-%m-%d}  {b.title}\n            {b.url}")
    return 0


def _resolve(store: Store, spec: str) -> Post | None:
    number = post_id(spec)
    if number is not None:
        return store.post(number)
    return store.find_post(spec)


def _owner(store: Store, source: Source, url: str) -> Source | None:
    """The stored source whose site ``url`` is on (the default source first); else None."""
    if source.owns(url):
        return source
    where = host_and_port(url)
    if not where:
        return None
    bookmark_only = store.bookmark_only_sources()
    for stored in store.sources():
        if stored.id in bookmark_only or not stored.url:
            continue
        made = Source.site(stored.url) if stored.is_site else Source.feed(stored.url)
        candidate = replace(made, name=stored.name)
        if candidate.owns(url) or (stored.is_site and where in store.site_addresses(stored.id)):
            return candidate
    return None


def _add(store: Store, source: Source, spec: str) -> int:
    post = _resolve(store, spec)
    owner: Source | None = source
    if post is None and is_followable(spec):
        from reader.core.fetch import FetchError
        from reader.core.runner import with_fetcher
        from reader.core.sync import SyncError, open_link

        # Filed under the source of the site it is on: under the default one, another site's
        # post showed in its sections and topics. Of no stored source, under one kept for its
        # host alone, as 'reader open' does: kept as a snapshot only, the post was missing
        # from the store ('no longer in the store' when opened) and had no read mark.
        owner = _owner(store, source, spec)
        try:
            post = with_fetcher(lambda fetcher: open_link(store, fetcher, owner, spec))
        except (FetchError, SyncError) as error:
            raise CommandError(str(error)) from None
    if post is None:
        raise CommandError(f"no stored post is {spec!r}; give its id or its address")
    if not post.page_fetched and owner is not None and owner.is_site:
        post = _complete(store, post)
    store.add_bookmark(post)
    kept = keep_images(store, [post])
    pictures = f" (with {counted(kept.kept, 'picture')})" if kept.kept else ""
    print(f"Bookmarked: {post.title}{pictures}")
    _say_missing(kept)
    return 0


def _say_missing(count: KeptCount) -> None:
    line = missing_line(count)
    if line is not None:
        print(line, file=sys.stderr)


def keep_images(store: Store, posts: Sequence[Post] | None = None) -> KeptCount:
    """Keep the pictures of ``posts`` (every bookmark's when None) for offline reading."""
    import asyncio

    from reader.core.kept_images import keep_images_of, kept_images, loader_for

    folder = store.path.parent
    chosen = [bookmark.post for bookmark in store.bookmarks()] if posts is None else posts

    async def keep() -> KeptCount:
        loader = loader_for(folder, sources=store.source_urls())
        try:
            return await keep_images_of(chosen, loader, kept_images(folder))
        finally:
            await loader.aclose()

    return asyncio.run(keep())


def missing_line(count: KeptCount) -> str | None:
    """The line saying some bookmarked pictures could not be kept, or None when all were."""
    from reader.core.kept_images import gone_note, missing_note

    said = [missing_note(count.missing)] if count.missing else []
    if count.gone_now:
        said.append(gone_note(count.gone_now))
    return "; ".join(said) + "." if said else None


def _complete(store: Store, post: Post) -> Post:
    """Fetch the page so the snapshot has navigation and topics; keep what we have offline."""
    from reader.core.fetch import FetchError
    from reader.core.runner import with_fetcher
    from reader.core.sync import SyncError, complete_post

    try:
        return with_fetcher(lambda fetcher: complete_post(store, fetcher, post))
    except (FetchError, SyncError):
        return post


def _remove(store: Store, spec: str) -> int:
    post = _resolve(store, spec)
    url = post.url if post is not None else spec
    snapshot = store.find_readable(url)
    if not store.remove_bookmark(url):
        raise CommandError(f"{spec!r} is not bookmarked")
    if snapshot is not None:
        from reader.core.kept_images import forget_bookmark_images, kept_images

        still = [bookmark.post for bookmark in store.bookmarks()]
        forget_bookmark_images(snapshot, kept_images(store.path.parent), still)
    print(f"Removed the bookmark for {url}")
    return 0


def export_format_of(output: str | None) -> str:
    """The export format a file's name asks for, when ``--format`` is not given.

    ``-o saved.html`` writing Markdown into a file a browser then shows as one long line would
    surprise anyone; the name is the user's statement of what they want.
    """
    suffix = Path(output).suffix.lower() if output else ""
    return {".html": "html", ".htm": "html", ".json": "json"}.get(suffix, "md")
