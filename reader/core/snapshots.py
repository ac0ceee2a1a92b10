"""Bookmark snapshots: a post kept whole as JSON, and the export file made of them.

A bookmark keeps a snapshot of the article so it reads offline after the post has left the
cache; an export is every bookmark with its snapshot in one JSON file, which an import reads
back as untrusted input, checked whole before anything is written.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from reader.core.models import Bookmark, Link, LinkKind, Post
from reader.core.records import fields_of
from reader.core.text import clean_line, clean_url, strip_controls
from reader.core.urls import is_followable

EXPORT_FORMAT = "stemcell-reader-bookmarks"
EXPORT_VERSION = 1


class ImportProblem(Exception):
    """An export file that cannot be read back; the message names the problem."""


def _seconds(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


def _moment(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def post_to_json(post: Post) -> dict[str, object]:
    """A post as JSON-ready data, the bookmark snapshot format."""
    data = asdict(post)
    data["published"] = _seconds(post.published)
    data["modified"] = _seconds(post.modified)
    data["links"] = [[link.kind.value, link.url, link.text] for link in post.links]
    return data


def post_from_json(data: dict[str, Any]) -> Post:
    """Read back :func:`post_to_json`'s output."""
    names = {field.name for field in fields_of(Post)}
    fields = {k: v for k, v in data.items() if k in names}
    fields["published"] = _moment(data.get("published"))
    fields["modified"] = _moment(data.get("modified"))
    fields["links"] = tuple(
        Link(LinkKind(k), str(u), str(t)) for k, u, t in data.get("links") or ()
    )
    fields["sections"] = tuple(data.get("sections") or ())
    fields["tags"] = tuple(data.get("tags") or ())
    return Post(**fields)


# -- the export file ---------------------------------------------------------------------------


def export_json(
    bookmarks: Sequence[Bookmark],
    *,
    posts: Sequence[Post] = (),
    pictures: Callable[[str], bytes | None] | None = None,
) -> str:
    """Every bookmark with its snapshot, as the JSON file :func:`read_export` reads back.

    ``posts`` adds a "posts" list (a rescue saves every readable post); an import ignores it.
    ``pictures`` gives the bytes of the pictures kept with the bookmarks: each bookmark carries
    those of its post (base64, under "pictures"), so an import reads them offline, as the HTML
    export's pictures are read.
    """
    document: dict[str, object] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported": datetime.now(UTC).isoformat(),
        "bookmarks": [_bookmark_to_json(b, pictures) for b in bookmarks],
    }
    if posts:
        document["posts"] = [post_to_json(post) for post in posts]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _bookmark_to_json(
    bookmark: Bookmark, pictures: Callable[[str], bytes | None] | None
) -> dict[str, object]:
    item: dict[str, object] = {
        "url": bookmark.url,
        "title": bookmark.title,
        "created": bookmark.created.isoformat(),
        "post": post_to_json(bookmark.post),
    }
    if pictures is not None:
        from reader.core.post_images import post_images

        carried = {}
        for image in post_images(bookmark.post):
            data = pictures(image.url)
            if data:
                carried[image.url] = base64.b64encode(data).decode("ascii")
        if carried:
            item["pictures"] = carried
    return item


def export_pictures(data: bytes, bookmarks: Sequence[Bookmark]) -> dict[str, bytes]:
    """The pictures a JSON export carries, for the pictures of ``bookmarks`` (what
    :func:`read_export` read from it) alone, so nothing the file's posts do not show is kept.

    That bounds what a file plants, not who wrote it: the posts are the file's too, so a file
    may carry any bytes for any picture it names, and kept pictures are read before the cache
    and the network. The import keeps none over a picture kept already; a file's pictures are
    trusted as far as the file is, which is why only a file the user chose is ever imported.

    Bytes that are no base64, or more than a picture may be fetched (8 MB), are left out; the
    rest are judged as any picture is when drawn (the bytes decide, bombs refused).
    """
    from reader.core.image_loader import MAX_IMAGE_BYTES
    from reader.core.post_images import post_images

    try:
        items = json.loads(data.decode("utf-8")).get("bookmarks")
    except (UnicodeDecodeError, ValueError, RecursionError, AttributeError):
        return {}
    wanted = {image.url for b in bookmarks for image in post_images(b.post)}
    found: dict[str, bytes] = {}
    for item in items if isinstance(items, list) else ():
        carried = item.get("pictures") if isinstance(item, dict) else None
        for url, text in carried.items() if isinstance(carried, dict) else ():
            if url not in wanted or not isinstance(text, str):
                continue
            if len(text) > MAX_IMAGE_BYTES * 4 // 3 + 4:
                continue
            try:
                found[url] = base64.b64decode(text, validate=True)
            except ValueError:
                continue
    return found


def read_export(data: bytes) -> list[Bookmark]:
    """Bookmarks from a JSON export, checked whole before anything is written."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ImportProblem("not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ImportProblem(f"not valid JSON (line {error.lineno}: {error.msg})") from None
    except RecursionError:
        raise ImportProblem("not valid JSON (nested too deeply)") from None
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
