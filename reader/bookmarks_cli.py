"""``reader bookmarks``: list, add, remove, export to one readable file, import an export."""

from __future__ import annotations

import argparse
import html
import io
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader.core.models import Bookmark, Link, Post
from reader.core.source import Source
from reader.core.store import Store, StoreError, import_bookmarks, post_from_json, post_to_json
from reader.core.text import clean_line, clean_url, strip_controls
from reader.core.urls import is_followable

EXPORT_FORMAT = "stemcell-reader-bookmarks"
EXPORT_VERSION = 1


class ImportProblem(Exception):
    """An export file that cannot be read back; the message names the problem."""


def run_bookmarks(args: argparse.Namespace, store: Store, source: Source) -> int:
    """Carry out one ``reader bookmarks`` action."""
    from reader.cli import CommandError

    try:
        if args.action == "list":
            return _list(store, as_json=args.json)
        if args.action == "add":
            return _add(store, source, args.post)
        if args.action == "remove":
            return _remove(store, args.post)
        if args.action == "export":
            text = export_bookmarks(store.bookmarks(), args.format)
            if args.output:
                Path(args.output).write_text(text, encoding="utf-8")
                print(f"Wrote {len(store.bookmarks())} bookmarks to {args.output}", file=sys.stderr)
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
            added = import_bookmarks(store, bookmarks)
            print(f"Imported {added} new bookmarks ({len(bookmarks) - added} already there).")
            return 0
    except StoreError as error:
        raise CommandError(str(error)) from None
    return 2


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
    if spec.isdigit():
        return store.post(int(spec))
    return store.find_post(spec)


def _add(store: Store, source: Source, spec: str) -> int:
    from reader.cli import CommandError

    post = _resolve(store, spec)
    if post is None and is_followable(spec):
        import asyncio

        from reader.core.fetch import Fetcher, FetchError
        from reader.core.sync import SyncError, open_link

        async def fetch() -> Post:
            async with Fetcher() as fetcher:
                return await open_link(store, fetcher, source, spec)

        try:
            post = asyncio.run(fetch())
        except (FetchError, SyncError) as error:
            raise CommandError(str(error)) from None
    if post is None:
        raise CommandError(f"no stored post is {spec!r}; give its id or its address")
    if not post.page_fetched and source.is_site:
        post = _complete(store, post)
    store.add_bookmark(post)
    print(f"Bookmarked: {post.title}")
    return 0


def _complete(store: Store, post: Post) -> Post:
    """Fetch the page so the snapshot has navigation and topics; keep what we have offline."""
    import asyncio

    from reader.core.fetch import Fetcher, FetchError
    from reader.core.sync import SyncError, complete_post

    async def fetch() -> Post:
        async with Fetcher() as fetcher:
            return await complete_post(store, fetcher, post)

    try:
        return asyncio.run(fetch())
    except (FetchError, SyncError):
        return post


def _remove(store: Store, spec: str) -> int:
    from reader.cli import CommandError

    post = _resolve(store, spec)
    url = post.url if post is not None else spec
    if not store.remove_bookmark(url):
        raise CommandError(f"{spec!r} is not bookmarked")
    print(f"Removed the bookmark for {url}")
    return 0


# -- export and import -------------------------------------------------------------------------


def export_bookmarks(bookmarks: list[Bookmark], fmt: str) -> str:
    """Every bookmark in one file: ``json`` (to import), ``md`` or ``html`` (to read)."""
    if fmt == "json":
        return (
            json.dumps(
                {
                    "format": EXPORT_FORMAT,
                    "version": EXPORT_VERSION,
                    "exported": datetime.now(UTC).isoformat(),
                    "bookmarks": [
                        {
                            "url": b.url,
                            "title": b.title,
                            "created": b.created.isoformat(),
                            "post": post_to_json(b.post),
                        }
                        for b in bookmarks
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt == "md":
        return _markdown(bookmarks)
    return _html(bookmarks)


def _byline(post: Post) -> str:
    parts = [
        f"By {post.author}" if post.author else "",
        f"{post.published:%B %-d, %Y}" if post.published else "",
        " · ".join((*post.sections, *post.tags)),
    ]
    return " · ".join(p for p in parts if p)


def _markdown(bookmarks: list[Bookmark]) -> str:
    from reader.render.article import render_body

    out = [f"# Bookmarks ({len(bookmarks)})", ""]
    for b in bookmarks:
        post = b.post
        rendered = render_body(post.content or post.excerpt, post.url)
        out += [
            f"## {_md(post.title)}",
            "",
            f"<{_md_url(post.url)}>",
            "",
            _md(_byline(post)),
            "",
            # Indented four spaces: a code block, so no line of the article is read as
            # Markdown or HTML by a viewer.
            "\n".join("    " + line for line in _plain(rendered.renderables).splitlines()),
            "",
        ]
        if rendered.links:
            out.append("Links:")
            out += [
                f"{link.number}. {_md(link.text or link.url)} <{_md_url(link.url)}>"
                for link in rendered.links
            ]
            out.append("")
        for label, link in _navigation(post):
            out.append(f"- {label}: {_md(link.text)} <{_md_url(link.url)}>")
        out += ["", "---", ""]
    return "\n".join(out)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&])")


def _md(text: str) -> str:
    """Feed text as literal Markdown: punctuation escaped, so ``<script>`` stays text."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_url(url: str) -> str:
    """A URL safe inside ``<…>``: no angle brackets or spaces."""
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


_NAVIGATION_LABELS = {"prev": "Older", "next": "Newer", "related": "Read this next"}


def _navigation(post: Post) -> list[tuple[str, Link]]:
    """The site's post navigation of a bookmarked article, labelled, in stored order."""
    return [
        (_NAVIGATION_LABELS[link.kind.value], link)
        for link in post.links
        if link.kind.value in _NAVIGATION_LABELS
    ]


def _plain(renderables: list[Any], width: int = 100) -> str:
    from rich.console import Console, Group

    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(Group(*renderables))
    return console.export_text().rstrip()


def _html(bookmarks: list[Bookmark]) -> str:
    from reader.render.article import render_body

    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Bookmarks</title>",
        "<style>body{max-width:46em;margin:2em auto;font-family:sans-serif}"
        "pre{white-space:pre-wrap;font-family:inherit}</style></head><body>",
        f"<h1>Bookmarks ({len(bookmarks)})</h1>",
    ]
    for b in bookmarks:
        post = b.post
        rendered = render_body(post.content or post.excerpt, post.url)
        # The text is Rich's rendering, escaped: no markup from the feed reaches the file.
        parts.append(f"<article><h2>{html.escape(post.title)}</h2>")
        parts.append(
            f"<p><a href='{html.escape(post.url, quote=True)}'>"
            f"{html.escape(post.url)}</a><br>{html.escape(_byline(post))}</p>"
        )
        parts.append(f"<pre>{html.escape(_plain(rendered.renderables))}</pre>")
        if rendered.links:
            parts.append("<ol>")
            for link in rendered.links:
                href = html.escape(link.url, quote=True) if link.followable else ""
                text = html.escape(link.text or link.url)
                parts.append(
                    f"<li><a href='{href}'>{text}</a> {html.escape(link.url)}</li>"
                    if href
                    else f"<li>{text} {html.escape(link.url)}</li>"
                )
            parts.append("</ol>")
        navigation = _navigation(post)
        if navigation:
            # The same places the Markdown export lists: older, newer and "read this next".
            parts.append("<ul>")
            for label, place in navigation:
                text = html.escape(f"{label}: {place.text or place.url}")
                if is_followable(place.url):
                    text = f"<a href='{html.escape(place.url, quote=True)}'>{text}</a>"
                parts.append(f"<li>{text}</li>")
            parts.append("</ul>")
        parts.append("</article><hr>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def read_export(data: bytes) -> list[Bookmark]:
    """Bookmarks from a JSON export, checked whole before anything is written."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ImportProblem("not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ImportProblem(f"not valid JSON (line {error.lineno}: {error.msg})") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportProblem(f'not a bookmarks export (no "format": "{EXPORT_FORMAT}")')
    if document.get("version") != EXPORT_VERSION:
        raise ImportProblem(f"export version {document.get('version')!r} is not supported")
    items = document.get("bookmarks")
    if not isinstance(items, list):
        raise ImportProblem('"bookmarks" should be a list')
    found = []
    for index, item in enumerate(items, 1):
        try:
            found.append(_bookmark(item))
        except KeyError as error:
            raise ImportProblem(f'bookmark {index} has no "{error.args[0]}"') from None
        except (TypeError, ValueError, OverflowError) as error:
            raise ImportProblem(f"bookmark {index} is malformed ({error})") from None
    return found


def _bookmark(item: Any) -> Bookmark:
    if not isinstance(item, dict):
        raise TypeError("not an object")
    url = clean_url(str(item["url"]))
    if not is_followable(url):
        raise ValueError(f"bad address {url!r}")
    data = item["post"]
    if not isinstance(data, dict):
        raise TypeError('"post" is not an object')
    # Imported text is untrusted like any feed: clean it again on the way in, and refuse
    # values of the wrong type, which would otherwise stop the article from rendering.
    # Stored text is already decoded, so nothing is unescaped again (HTML fields keep their
    # entities; unescaping them would turn text into tags).
    cleaned = {k: (strip_controls(v) if isinstance(v, str) else v) for k, v in data.items()}
    for name in ("guid", "excerpt", "content", "author", "title"):
        if not isinstance(cleaned.get(name) or "", str):
            raise TypeError(f'"{name}" is not text')
    if not isinstance(cleaned.get("reading_minutes") or 0, int):
        raise TypeError('"reading_minutes" is not a number')
    cleaned["author"] = clean_line(cleaned.get("author") or "", decode=False)
    cleaned["url"] = url
    cleaned["id"] = 0  # an id of the exporting store; the importing store gives its own
    cleaned["title"] = clean_line(
        cleaned.get("title") or str(item.get("title") or "") or url, decode=False
    )
    for name in ("sections", "tags"):
        names = cleaned.get(name) or []
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise TypeError(f'"{name}" is not a list of names')
        cleaned[name] = [clean_line(n, decode=False) for n in names]
    links = cleaned.get("links") or []
    if not isinstance(links, list) or not all(
        isinstance(link, list) and len(link) == 3 and all(isinstance(p, str) for p in link)
        for link in links
    ):
        raise TypeError('"links" is not a list of [kind, url, text]')
    cleaned["links"] = [
        [kind, clean_url(link_url, decode=False), clean_line(text, decode=False)]
        for kind, link_url, text in links
    ]
    post = post_from_json(cleaned)
    created = datetime.fromisoformat(str(item["created"]))
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return Bookmark(url, post.title, created, post)
