"""Parse RSS and Atom feeds into clean, frozen entries.

feedparser gets the raw bytes plus the HTTP headers, never decoded text, so it can settle the
character encoding itself (declared charset, XML declaration, byte-order marks and fallbacks).
Everything it returns is cleaned with :mod:`reader.core.text` before it leaves this module:
one-line fields with ``clean_line``, URLs with ``clean_url``, HTML bodies with
``strip_controls`` (the renderer cleans their text again when it draws them).
"""

from __future__ import annotations

import asyncio
import calendar
import hashlib
import html
import io
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from reader.core import feed_encoding
from reader.core.dates import believable
from reader.core.digits import small_number
from reader.core.plain_rss import parse_plain_rss
from reader.core.post_images import absolute_image_url, nearest_wanted
from reader.core.text import clean_line, clean_url, strip_controls
from reader.core.urls import is_followable, resolve, shortlink_id

UNTITLED = "(untitled)"

# Headers feedparser reads; the rest (Content-Encoding above all: the body is already decoded)
# would only mislead it.
_PASSED_HEADERS = ("content-type", "content-language")
_TAG = re.compile(r"<[^<>]*>")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_LOOKS_LIKE_HTML = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S
)
_MAX_PROBLEM = 200


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, every field cleaned."""

    guid: str
    """The entry's id; falls back to its link, then to a hash of title and date."""
    url: str
    """Absolute http(s) link to the post, or "" when the feed gives none usable."""
    title: str
    author: str
    published: datetime | None
    """Timezone-aware UTC."""
    updated: datetime | None
    """Timezone-aware UTC."""
    summary_html: str
    """The feed's excerpt as HTML ("" when it has none)."""
    content_html: str | None
    """The full body as HTML, or None when the feed carries only summaries."""
    categories: tuple[str, ...]
    """Category and tag names in feed order, without duplicates."""
    wp_id: int | None
    """The WordPress post id, from a ``?p=123`` guid or link."""
    picture: str = ""
    """The post's own picture (Media RSS or an image enclosure), absolute http(s); ""."""
    picture_alt: str = ""
    """What the feed says of that picture (its ``media:description``, else ``media:title``)."""


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: its channel fields and entries, or why it is not a feed."""

    title: str
    link: str
    subtitle: str
    entries: tuple[FeedEntry, ...]
    is_feed: bool
    """False for an HTML page, an empty body or garbage."""
    problem: str
    """"" or one line saying what was wrong, e.g. "not a feed: looks like an HTML page"."""
    next_url: str = ""
    """The next (older) page of this feed, named by an RFC 5005 ``rel="next"`` link; ""."""
    generator: str = ""
    """What made the feed, as it says (``https://wordpress.org/?v=6.1``); ""."""

    @property
    def from_wordpress(self) -> bool:
        """True when WordPress made it, so ``?paged=N`` gives its older pages."""
        return "wordpress.org" in self.generator.lower()


class FeedError(Exception):
    """A document that should have been a feed and is not; ``str()`` is one line."""


def require_feed(parsed: ParsedFeed) -> ParsedFeed:
    """Return ``parsed`` when it is a feed; raise :class:`FeedError` with its problem if not."""
    if not parsed.is_feed:
        raise FeedError(parsed.problem or "not a feed")
    return parsed


def parse_feed(content: bytes, *, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse feed bytes fetched from ``url``; never raises for bad input.

    A byte-order mark decides the encoding before anything else, and a document refused under
    its declared charset is read again as what its bytes plainly are (see ``feed_encoding``).
    """
    lowered = {name.lower(): value for name, value in (headers or {}).items()}
    marked = feed_encoding.by_mark(content)
    if marked is not None:
        encoding, _ = marked
        content = feed_encoding.as_utf8(content, encoding)
        lowered = feed_encoding.with_utf8(lowered)
    parsed = _parse(content, url, lowered)
    if parsed.is_feed or marked is not None:
        return parsed
    readings = feed_encoding.other_readings(content)
    if not feed_encoding.declared(content, lowered):
        # Nothing declared: feedparser has read it as UTF-8 already; only UTF-16 without its
        # mark is left to try.
        readings = [encoding for encoding in readings if encoding != "utf-8"]
    for encoding in readings:
        again = _parse(
            feed_encoding.as_utf8(content, encoding), url, feed_encoding.with_utf8(lowered)
        )
        if again.is_feed:
            return again
    return parsed


def _parse(content: bytes, url: str, lowered: Mapping[str, str]) -> ParsedFeed:
    passed = {name: lowered[name] for name in _PASSED_HEADERS if name in lowered}
    # feedparser resolves links against Content-Location; a relative one counts from the URL.
    passed["content-location"] = resolve(lowered.get("content-location", ""), url) or url
    # A BytesIO, not the bytes themselves: feedparser treats a bytes argument that names an
    # existing file as a path to open.
    #
    # Both switches off, measured on a 1,000-item WordPress-like feed (5.6 MB, full
    # content:encoded bodies, median of 3 runs on this 2-core machine):
    #   defaults (sanitize + resolve)           1.89 s
    #   sanitize_html=False                     1.13 s
    #   resolve_relative_uris=False             1.06 s
    #   both False                              0.41 s   (4.6x faster)
    # The renderer keeps an allow-list of elements and attributes and cleans all text, so
    # feedparser's sanitizer is redundant. The renderer also resolves relative links, against
    # the post's own URL: more correct for "../" links than the feed URL feedparser would use.
    # The cost: an Atom feed's xml:base is not applied to links inside bodies.
    base = passed["content-location"]
    # WordPress's plain RSS is read by ElementTree, exactly as feedparser would read it (see
    # plain_rss: ~30x faster); every other document by feedparser, imported only then.
    result: Any = parse_plain_rss(content, passed, base)
    if result is None:
        import feedparser

        _keep_media_text(feedparser)
        try:
            result = feedparser.parse(
                io.BytesIO(content),
                response_headers=passed,
                sanitize_html=False,
                resolve_relative_uris=False,
            )
        except Exception as exc:  # feedparser catches parser errors; a last line of defence
            return _not_a_feed(f"could not be parsed: {type(exc).__name__}")
    entries = tuple(
        entry
        for entry in (_entry(raw, base) for raw in result.get("entries", ()))
        if entry is not None
    )
    version = result.get("version") or ""
    if not entries and not version:
        return _not_a_feed(_why_not(content, lowered, result))
    channel = result.get("feed", {})
    problem = ""
    if result.get("bozo") and _is_xml_error(result.get("bozo_exception")):
        problem = _one_line(f"malformed XML: {_error_text(result.get('bozo_exception'))}")
        if not _ends_whole(content):
            # A feed cut off mid-way parses "loosely" into half an item that would overwrite
            # a good stored post; a feed that is merely untidy (stray control bytes) still
            # ends with its closing tag and is kept.
            return _not_a_feed(f"the feed was cut off ({problem})")
    return ParsedFeed(
        title=_text_of(channel, "title"),
        link=_http_url(channel.get("link"), base),
        subtitle=_text_of(channel, "subtitle"),
        entries=entries,
        is_feed=True,
        problem=problem,
        next_url=_next_url(channel, base),
        generator=_generator(channel),
    )


def _next_url(channel: Mapping[str, Any], base: str) -> str:
    for link in channel.get("links") or ():
        if isinstance(link, Mapping) and link.get("rel") == "next":
            return _http_url(link.get("href"), base)
    return ""


def _generator(channel: Mapping[str, Any]) -> str:
    detail = channel.get("generator_detail")
    found = [channel.get("generator")]
    if isinstance(detail, Mapping):
        found += [detail.get("href"), detail.get("name")]
    return " ".join(str(f) for f in found if isinstance(f, str))[:200]


async def parse_feed_async(
    content: bytes, *, url: str, headers: Mapping[str, str] | None = None
) -> ParsedFeed:
    """:func:`parse_feed` in a worker thread, so a big feed never blocks the event loop."""
    return await asyncio.to_thread(parse_feed, content, url=url, headers=headers)


_CLOSING = re.compile(
    rb"</(rss|feed|rdf:rdf|channel)>\s*(<!--.*?-->\s*)*$", re.IGNORECASE | re.DOTALL
)


def _ends_whole(content: bytes) -> bool:
    """True when the document ends with the closing tag of a feed's root element."""
    return _CLOSING.search(content[-4096:]) is not None


def _not_a_feed(problem: str) -> ParsedFeed:
    return ParsedFeed("", "", "", (), is_feed=False, problem=_one_line(problem))


# What a server sends instead of a feed, told by its first bytes (the Content-Type may lie).
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x00\x00\x01\x00", "an icon"),
)
_MEDIA = ("image/", "audio/", "video/", "font/")


def _binary_kind(content: bytes, content_type: str) -> str:
    """What the body is when it is plainly not text ("a PNG image"), else ""."""
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return kind
    if content[8:12] == b"WEBP" and content.startswith(b"RIFF"):
        return "a WebP image"
    if content_type.startswith(_MEDIA) or content_type == "application/pdf":
        return f"{content_type} (so the server says)"
    return ""


def _why_not(content: bytes, headers: Mapping[str, str], result: Any) -> str:
    if not content.strip():
        return "not a feed: the response was empty"
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    binary = _binary_kind(content[:16], clean_line(content_type))
    if binary:
        return f"not a feed: the answer is {binary}"
    if content_type == "application/json" or content.lstrip()[:1] in (b"{", b"["):
        return "not a feed: the answer is JSON"
    if content_type in ("text/html", "application/xhtml+xml") or _LOOKS_LIKE_HTML.match(
        content[:4096]
    ):
        return "not a feed: looks like an HTML page"
    error = result.get("bozo_exception")
    if error is not None and _is_xml_error(error):
        return f"not a feed: malformed XML: {_error_text(error)}"
    return "not a feed: no RSS or Atom content found"


def _is_xml_error(error: object) -> bool:
    # Encoding overrides and odd content types are bozo too, but the feed itself is fine.
    import feedparser

    return error is not None and not isinstance(
        error,
        feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType,
    )


def _error_text(error: object) -> str:
    """A parser error without expat's "<unknown>:4:7:" prefix, its position said in words."""
    get_message = getattr(error, "getMessage", None)
    get_line = getattr(error, "getLineNumber", None)
    get_column = getattr(error, "getColumnNumber", None)
    if callable(get_message) and callable(get_line) and callable(get_column):
        return f"{get_message()} at line {get_line()}, column {get_column()}"
    return str(error) or type(error).__name__


def _one_line(text: str) -> str:
    line = clean_line(text)
    return line if len(line) <= _MAX_PROBLEM else line[: _MAX_PROBLEM - 1] + "…"


def _entry(raw: Any, base: str) -> FeedEntry | None:
    """The cleaned entry, or None when it holds nothing to show (no id, link, title or body)."""
    title = _text_of(raw, "title")
    published = _date(raw.get("published_parsed"))
    # dict.get skips FeedParserDict's fallback from "updated" to "published" (feedparser issue
    # 310): a post that was never updated has no update date.
    updated = _date(dict.get(raw, "updated_parsed"))
    raw_guid = clean_line(raw.get("id"))
    url = _http_url(raw.get("link"), base)
    if not url and raw.get("guidislink"):
        url = _http_url(raw.get("id"), base)
    summary_html = _html_of(raw.get("summary_detail"))
    content_html = _content(raw.get("content"))
    if not (raw_guid or url or title or summary_html or content_html):
        return None
    # Hashing the title (and date) keeps the guid stable when the body is edited; only an
    # entry without a title falls back to its body.
    guid = (
        raw_guid or url or _hash_guid(title or content_html or summary_html, published or updated)
    )
    picture = _picture(raw, url or base, content_html or summary_html)
    wp_id = shortlink_id(raw_guid) if raw_guid else None
    if wp_id is None and url:
        wp_id = shortlink_id(url)
    return FeedEntry(
        guid=guid,
        url=url,
        title=title or UNTITLED,
        author=_author(raw),
        published=published,
        updated=updated,
        summary_html=summary_html,
        content_html=content_html,
        categories=_categories(raw.get("tags")),
        wp_id=wp_id,
        picture=picture,
        picture_alt=_picture_alt(raw, picture, url or base) if picture else "",
    )


_PICTURE_ENDINGS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")
_AVATAR_HOST = "gravatar.com"
"""WordPress names each post's author's Gravatar in a ``media:content`` picture: not the post's."""


def _picture(raw: Any, base: str, body: str) -> str:
    """The entry's picture: a Media RSS image, else its thumbnail, else an image enclosure.

    The addresses come from the network: only http(s) ones are kept, resolved against the
    post's address, controls stripped. A picture the body already shows is left to the body,
    where it stands in place, rather than drawn twice.
    """
    found = (
        _best_media(raw.get("media_content"), base, typed=True)
        or _best_media(raw.get("media_thumbnail"), base, typed=False)
        or _image_enclosure(raw.get("enclosures"), base)
    )
    if not found:
        return ""
    path = urlsplit(found).path
    if len(path) > 1 and path in body and _shows(body, path):
        return ""
    return found


def _picture_alt(raw: Any, picture: str, base: str) -> str:
    """The alt text of the entry's picture: what the feed says of that very file, else of the
    entry's media.

    Its own ``media:description`` (a caption: what a reader of the page would see under it),
    else its ``media:title``; then the same at the entry's level. Not the post's title, which
    the header shows just above the picture: with nothing said, the alt is ``[image]``.
    """
    named = [
        item
        for key in ("media_content", "media_thumbnail")
        for item in (raw.get(key) if isinstance(raw.get(key), list) else ())
        if isinstance(item, Mapping)
        and absolute_image_url(str(item.get("url") or ""), base) == picture
    ]
    for source, field in (
        *((item, name) for item in named for name in ("description", "title")),
        (raw, "media_description"),
        (raw, "media_title"),
    ):
        value = source.get(field)
        if isinstance(value, str):
            text = clean_line(_TAG.sub("", value))
            if text:
                return text[:_MAX_ALT]
    return ""


_MAX_ALT = 300

# Feeds are parsed in worker threads: two first parses at once must not both wrap the handlers.
_MEDIA_TEXT_PATCH = threading.Lock()


def _keep_media_text(feedparser: Any) -> None:
    """Make feedparser keep Media RSS descriptions and titles as fields of their own.

    As it comes, feedparser reads ``media:description`` as the entry's description (the
    excerpt, or when there is one already, the whole body: a post became its picture's
    caption) and ``media:title`` as its title (when it comes first). Here each is kept on the
    ``media:content`` or ``media:thumbnail`` it stands in (``description``, ``title``) or,
    at the entry's level, as ``media_description`` and ``media_title``.
    """
    namespace = feedparser.namespaces.mediarss.Namespace
    if getattr(namespace, "_reader_keeps_media_text", False):
        return
    with _MEDIA_TEXT_PATCH:
        if not getattr(namespace, "_reader_keeps_media_text", False):
            _patch_media_text(namespace)


def _patch_media_text(namespace: Any) -> None:
    start_content = namespace._start_media_content
    start_thumbnail = namespace._start_media_thumbnail
    end_thumbnail = namespace._end_media_thumbnail

    def held(parser: Any) -> Any:
        return getattr(parser, "_reader_media_item", None)

    def start_in(start: Any, key: str) -> Any:
        def started(parser: Any, attrs_d: Any) -> None:
            start(parser, attrs_d)
            parser._reader_media_item = parser._get_context()[key][-1]

        return started

    def end_content(parser: Any) -> None:
        parser._reader_media_item = None

    def end_thumbnail_kept(parser: Any) -> None:
        end_thumbnail(parser)
        parser._reader_media_item = None

    def text_of(field: str) -> tuple[Any, Any]:
        def start(parser: Any, attrs_d: Any) -> None:
            parser.push("media_" + field, 1)

        def end(parser: Any) -> None:
            item = held(parser)
            value = parser.pop("media_" + field)
            if item is not None and isinstance(value, str):
                item.setdefault(field, value)

        return start, end

    namespace._start_media_content = start_in(start_content, "media_content")
    namespace._end_media_content = end_content
    namespace._start_media_thumbnail = start_in(start_thumbnail, "media_thumbnail")
    namespace._end_media_thumbnail = end_thumbnail_kept
    namespace._start_media_description, namespace._end_media_description = text_of("description")
    namespace._start_media_title, namespace._end_media_title = text_of("title")
    namespace._reader_keeps_media_text = True


def _shows(body: str, path: str) -> bool:
    """True when an address in ``body`` has this path (any host, any query: another size).

    The path must start the address or follow its host: ``/thumbs/a.jpg`` is not ``/a.jpg``.
    """
    start = r"""(?:["'=\s,]|//[^/"'\s<>]*)"""
    return re.search(start + re.escape(path) + r"""(?:["'?#\s,>]|$)""", body) is not None


def _best_media(items: Any, base: str, *, typed: bool) -> str:
    """The one of ``media:content`` (or ``media:thumbnail``) items best for a terminal; ""."""
    sized: list[tuple[int, str]] = []
    unsized: list[str] = []
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, Mapping) or (typed and not _is_image(item)):
            continue
        url = absolute_image_url(str(item.get("url") or ""), base)
        if url is None or _is_avatar(url):
            continue
        width = small_number(str(item.get("width") or "").strip())
        if width is not None and 0 < width <= 100_000:
            sized.append((width, url))
        else:
            unsized.append(url)
    # Widths decide when the feed gives them; else the feed's own order does.
    return nearest_wanted(sized) or (unsized[0] if unsized else "")


def _is_avatar(url: str) -> bool:
    """True for a Gravatar address (the author's face, named in every post of theirs)."""
    host = (urlsplit(url).hostname or "").lower()
    return host == _AVATAR_HOST or host.endswith("." + _AVATAR_HOST)


def _is_image(item: Mapping[str, Any]) -> bool:
    """True for a ``media:content`` that is a picture, by its medium, its type or its name."""
    medium = str(item.get("medium") or "").strip().lower()
    kind = str(item.get("type") or "").strip().lower()
    if medium or kind:
        return medium == "image" or kind.startswith("image/")
    return urlsplit(str(item.get("url") or "")).path.lower().endswith(_PICTURE_ENDINGS)


def _image_enclosure(enclosures: Any, base: str) -> str:
    """The first enclosure whose type says it is a picture, or ""."""
    for enclosure in enclosures if isinstance(enclosures, list) else ():
        if not isinstance(enclosure, Mapping):
            continue
        if str(enclosure.get("type") or "").strip().lower().startswith("image/"):
            url = absolute_image_url(str(enclosure.get("href") or ""), base)
            if url:
                return url
    return ""


def _text_of(node: Any, field: str) -> str:
    """A one-line text field; HTML-typed ones lose their tags first."""
    value = node.get(field)
    if not isinstance(value, str):
        return ""
    detail = node.get(field + "_detail") or {}
    if detail.get("type") in _HTML_TYPES:
        # clean_line decodes entities once, after the tags are gone.
        value = _TAG.sub("", value)
    return clean_line(value)


def _html_of(detail: Any) -> str:
    if not detail or not isinstance(detail.get("value"), str):
        return ""
    value: str = detail["value"]
    if detail.get("type") not in _HTML_TYPES:
        # Plain text stays literal: "<" in a text summary is a character, not a tag.
        value = html.escape(value, quote=False)
    return strip_controls(value)


def _content(contents: Any) -> str | None:
    if not contents:
        return None
    preferred = next((c for c in contents if c.get("type") in _HTML_TYPES), contents[0])
    body = _html_of(preferred)
    return body or None


def _author(raw: Any) -> str:
    author = clean_line(raw.get("author"))
    if not author:
        author = clean_line((raw.get("author_detail") or {}).get("name"))
    return author


def _categories(tags: Any) -> tuple[str, ...]:
    names: list[str] = []
    seen: set[str] = set()
    for tag in tags or ():
        name = clean_line(tag.get("term") or tag.get("label"))
        # WordPress may list one name as both category and tag ("News", "news"): keep the first.
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return tuple(names)


def _http_url(value: Any, base: str) -> str:
    """An absolute http(s) URL, or "": a ``javascript:`` post link is worse than none."""
    if not isinstance(value, str) or not value.strip():
        return ""
    url = clean_url(resolve(clean_url(value), base))
    return url if is_followable(url) else ""


def _date(parsed: Any) -> datetime | None:
    if not parsed:
        return None
    try:
        return believable(datetime.fromtimestamp(calendar.timegm(parsed), UTC))
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _hash_guid(title: str, when: datetime | None) -> str:
    stamp = when.isoformat() if when else ""
    digest = hashlib.sha1(f"{title}\n{stamp}".encode(), usedforsecurity=False).hexdigest()
    return f"sha1:{digest}"
