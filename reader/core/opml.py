"""OPML subscription lists: read from any feed reader, written for any feed reader.

An OPML file is untrusted input like a feed: it is parsed with entity declarations and
external references refused (``defusedxml``: no billion laughs, no reading local files), with a
cap on its size and on how many sources it may add, and walked without recursion, so a file
nested 1,000 deep or holding 100,000 outlines costs memory in proportion and nothing more. Each
outline that cannot be used (no address, ``file:``, ``javascript:``, relative, listed twice)
is skipped with one line saying why; the rest are read.

Nested outlines without an address are folders: their names become the group of the sources
inside them. Files as Newsboat, newsraft, FreshRSS and Miniflux write them read cleanly,
newsraft's included, which leaves ``&`` in names unescaped. Our own export marks WordPress sites
(``reader:kind="site"``) so an export read back gives the same sources.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element
from xml.sax.saxutils import quoteattr

from reader.core.source import Source
from reader.core.text import clean_line
from reader.core.urls import is_followable, scheme, site_root
from reader.core.words import counted

MAX_BYTES = 16 * 2**20
"""A larger file is refused whole: no real subscription list comes near it."""
MAX_SOURCES = 2000
"""Sources one file may add; outlines past that are counted, not read."""
MAX_DEPTH = 10_000
"""Elements open at once; deeper files are refused (each open level costs memory)."""
_NAMESPACE = "urn:stemcell-reader"
_KIND = f"{{{_NAMESPACE}}}kind"
_SECTIONS = f"{{{_NAMESPACE}}}sections"
_NAME = f"{{{_NAMESPACE}}}name"
_FEED_TYPES = frozenset({"", "rss", "atom", "feed", "rdf", "link"})
# A bare "&" not starting an entity or a character reference (newsraft writes names as is).
_BARE_AMPERSAND = re.compile(rb"&(?!(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")


class OpmlProblem(Exception):
    """A file that cannot be read as OPML at all; the message says why, in one line."""


@dataclass
class OpmlSources:
    """What an OPML file holds: the sources to add and one line per outline skipped."""

    title: str = ""
    sources: list[Source] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_opml(data: bytes, *, known: Iterable[str] = ()) -> OpmlSources:
    """The sources an OPML file lists; ``known`` are keys of sources already read (skipped)."""
    if len(data) > MAX_BYTES:
        raise OpmlProblem(f"the file is larger than {MAX_BYTES // 2**20} MB; not an OPML list")
    known = tuple(known)
    try:
        return _read(data, known)
    except _NotXml as problem:
        # newsraft writes names as they are, so "Tom & Jerry" arrives with a bare "&": mend
        # exactly that (it adds no entity) and try once more.
        mended = _BARE_AMPERSAND.sub(b"&amp;", data)
        if mended == data:
            raise OpmlProblem(f"not XML ({problem})") from None
        try:
            return _read(mended, known)
        except _NotXml:
            raise OpmlProblem(f"not XML ({problem})") from None


class _NotXml(Exception):
    """The parser stopped: the text is not well-formed XML."""


def _read(data: bytes, known: tuple[str, ...]) -> OpmlSources:
    result = OpmlSources()
    seen = {key: "already read" for key in known}
    over = 0
    for number, outline, group in _outlines(data, result):
        if len(result.sources) >= MAX_SOURCES:
            over += 1
            continue
        source, problem = _source_of(outline, group)
        if source is None:
            if problem:
                result.skipped.append(f"outline {number} ({_name_of(outline)}): {problem}")
            continue
        key = source.key
        if key in seen:
            result.skipped.append(f"outline {number} ({source.label}): {seen[key]}")
            continue
        seen[key] = f"listed already, as outline {number}"
        result.sources.append(source)
    if over:
        result.skipped.append(
            f"{counted(over, 'more outline')} not read: one file adds at most {MAX_SOURCES} sources"
        )
    return result


def _outlines(data: bytes, result: OpmlSources) -> Iterator[tuple[int, Element, str]]:
    """Every outline of the body in document order, numbered, with the folder path it is in.

    Read as a stream: each outline is dropped once read, so memory grows with the nesting
    (folders still open), not with the file; and nothing recurses, so 1,000 levels is fine.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    open_elements: list[Element] = []
    # For each outline still open: its number, the folder path inside it, how many outlines
    # it holds so far, and whether it has an address of its own.
    outlines: list[tuple[int, str, list[int], bool]] = []
    number = 0
    in_body = saw_body = False
    try:
        for event, element in iterparse(io.BytesIO(data), events=("start", "end")):
            tag = _local(element.tag)
            if event == "start":
                if not open_elements and tag != "opml":
                    raise OpmlProblem(f"not OPML: the document is <{tag[:40]}>, not <opml>")
                if len(open_elements) == 1 and tag == "body":
                    in_body = saw_body = True
                open_elements.append(element)
                if len(open_elements) > MAX_DEPTH:
                    raise OpmlProblem(f"refused: it nests more than {MAX_DEPTH:,} levels deep")
                if in_body and tag == "outline":
                    number += 1
                    group = outlines[-1][1] if outlines else ""
                    if outlines:
                        outlines[-1][2][0] += 1
                    address = bool(_address(element))
                    if address:
                        yield number, element, group
                    folder = "" if address else _name_of(element, fallback="")
                    inner = f"{group} / {folder}" if group and folder else (folder or group)
                    outlines.append((number, inner[:200], [0], address))
                continue
            open_elements.pop()
            if tag == "outline" and in_body:
                at, _, held, address = outlines.pop()
                if not address and not held[0]:
                    name = _name_of(element)
                    result.skipped.append(f"outline {at} ({name}): no feed address (xmlUrl)")
            elif tag == "title" and len(open_elements) == 2 and not result.title:
                result.title = _text(element.text)
            elif tag == "body" and len(open_elements) == 1:
                in_body = False
            if open_elements and tag in ("outline", "body"):
                # Read and done with: let it go (it is its parent's last child).
                del open_elements[-1][-1]
    except DefusedXmlException as error:
        raise OpmlProblem(f"refused: the file {_refusal(error)}") from None
    except ParseError as error:
        raise _NotXml(str(error)) from None
    if not saw_body:
        raise OpmlProblem("not OPML: it has no <body>")


def _refusal(error: Exception) -> str:
    from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

    if isinstance(error, EntitiesForbidden):
        return "declares entities (an OPML list never needs them; they can be a bomb)"
    if isinstance(error, ExternalReferenceForbidden):
        return "refers to an external document (it could read local files)"
    if isinstance(error, DTDForbidden):
        return "has a document type declaration"
    return "uses XML features an OPML list never needs"


def _source_of(outline: Element, group: str) -> tuple[Source | None, str]:
    """The source an outline stands for, or None and why not ("" for a plain folder)."""
    address = _address(outline)
    kind = (outline.get("type") or "").strip().lower()
    if kind not in _FEED_TYPES:
        return None, f"a {_text(kind)[:30]!r} outline, not a feed"
    if not is_followable(address):
        found = scheme(address)
        if found:
            return None, f"{found}: addresses are never read"
        return None, f"{_text(address)[:80]!r} is not a full http(s) address"
    # Our own export says which names were given; a made-up one is made up again on import.
    ours = outline.get(_KIND) is not None
    name = _text(outline.get(_NAME) or "")[:200] if ours else _name_of(outline, fallback="")
    if outline.get(_KIND) == "site":
        source = Source.site(site_root(_site_of(address)), name=name, sections=_sections(outline))
    else:
        source = Source.feed(address, name=name, sections=_sections(outline))
    return Source(source.url, source.is_site, source.name, source.sections, group), ""


def _site_of(feed_url: str) -> str:
    return feed_url.removesuffix("feed/") if feed_url.endswith("/feed/") else feed_url


def _sections(outline: Element) -> tuple[str, ...] | None:
    raw = outline.get(_SECTIONS)
    if raw is None:
        return None
    try:
        names: Any = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    return tuple(name for name in (_text(n) for n in names[:100]) if name)


def _address(outline: Element) -> str:
    # xmlUrl is the standard; some writers spell it in lower case, or use "url".
    for attribute in ("xmlUrl", "xmlurl", "url"):
        value = outline.get(attribute)
        if value and value.strip():
            return "".join(value.split())
    return ""


def _name_of(outline: Element, *, fallback: str = "unnamed") -> str:
    # OPML 2.0 requires text; Newsboat and newsraft write only title.
    for attribute in ("text", "title"):
        name = _text(outline.get(attribute) or "")
        if name:
            return name[:200]
    return fallback


def _text(value: str | None) -> str:
    """Untrusted text made one safe line (entities were already decoded by the parser)."""
    return clean_line(value or "", decode=False)


def _local(tag: object) -> str:
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1].lower()


# -- writing -----------------------------------------------------------------------------------


def write_opml(
    sources: Sequence[Source],
    *,
    titles: dict[str, str] | None = None,
    feeds: dict[str, str] | None = None,
) -> str:
    """``sources`` as an OPML 2.0 file, grouped in folders by their group; ``titles`` by key,
    and ``feeds``: where a site's feed was found when not at its usual address (a WordPress
    with plain permalinks answers ``/feed/`` with its home page)."""
    titles = titles or {}
    feeds = feeds or {}
    now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<opml version="2.0" xmlns:reader="{_NAMESPACE}">',
        "  <head>",
        "    <title>stemcell-reader sources</title>",
        f"    <dateCreated>{now}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    groups: dict[str, list[Source]] = {}
    for source in sources:
        groups.setdefault(source.group, []).append(source)
    for group, members in groups.items():
        indent = "    "
        if group:
            lines.append(f"    <outline text={quoteattr(group)}>")
            indent = "      "
        lines.extend(
            indent + _outline(s, titles.get(s.key, ""), feeds.get(s.key, "")) for s in members
        )
        if group:
            lines.append("    </outline>")
    lines += ["  </body>", "</opml>"]
    return "\n".join(lines) + "\n"


def _outline(source: Source, title: str, feed: str = "") -> str:
    name = source.name or title or source.label
    # A feed file is written as a file: address, which other readers take; ours never do.
    address = Path(source.url).expanduser().resolve().as_uri() if source.is_file else feed
    attributes = [
        ("type", "rss"),
        ("text", name),
        ("title", title or name),
        ("xmlUrl", address or source.feed_url),
    ]
    if source.is_site:
        attributes.append(("htmlUrl", source.url))
    attributes.append(("reader:kind", "site" if source.is_site else "feed"))
    if source.name:
        attributes.append(("reader:name", source.name))
    if source.sections is not None:
        attributes.append(("reader:sections", json.dumps(list(source.sections))))
    return "<outline " + " ".join(f"{k}={quoteattr(v)}" for k, v in attributes) + "/>"
