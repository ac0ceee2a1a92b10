"""A quick reading of the plain RSS 2.0 that WordPress writes, in feedparser's own terms.

feedparser handles every element in Python (about 30 us each: a 1,000-post archive read from
its paged feeds spent ~0.5 s there); the C parser behind ElementTree reads such a document in a
few milliseconds. This module takes only documents it can read exactly as feedparser would, and
hands back what feedparser would have returned for the fields :mod:`reader.core.feed` reads; for
anything else it answers None and feedparser reads the document, with all its tolerance. What
it takes:

- UTF-8 (declared so, or not declared; no byte-order mark) under an XML content type that
  does not say otherwise, without a doctype, well-formed, ``<rss version="2.x">`` with one
  ``<channel>``;
- in the channel: title, link, description, generator, lastBuildDate, language, the
  syndication module's two elements, and ``atom:link`` with an href and a rel other than
  ``alternate`` (self, next, hub); then the items;
- in an item, at most once each: title, link, ``dc:creator``, pubDate in WordPress's
  ``Sat, 08 Aug 2026 21:03:00 +0000``, ``guid isPermaLink="false"``, description,
  ``content:encoded``; any number of plain ``<category>``; comments, ``wfw:commentRss``,
  ``slash:comments`` and WordPress's ``post-id``, which no field here reads; Media RSS
  pictures (``media:content`` with a url, medium, type, width and height, holding only
  ``media:title`` and ``media:description``; ``media:thumbnail``) and the item's own
  ``media:title`` and ``media:description``, as :mod:`reader.core.feed` has feedparser keep
  them;
- text only in those elements (no child elements), no attribute but the ones named, no
  ``xml:base``, no C1 control characters (feedparser maps them as Windows-1252), no ``&`` in a
  link, and no title that feedparser would guess to be HTML.

``tests/core/test_plain_rss.py`` holds it to feedparser on the sample site's feeds, a real
WordPress's and every document of feedparser's own test corpus that it takes.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError, XMLParser

from reader.core.urls import PLAIN_ABSOLUTE

_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_ATOM = "{http://www.w3.org/2005/Atom}"
_SY = "{http://purl.org/rss/1.0/modules/syndication/}"
_WFW = "{http://wellformedweb.org/CommentAPI/}"
_SLASH = "{http://purl.org/rss/1.0/modules/slash/}"
_WORDPRESS = "{com-wordpress:feed-additions:1}"
_MEDIA = "{http://search.yahoo.com/mrss/}"

_CHANNEL_IGNORED = frozenset(
    {"lastBuildDate", "language", f"{_SY}updatePeriod", f"{_SY}updateFrequency"}
)
_ITEM_ONCE = frozenset(
    {"title", "link", f"{_DC}creator", "pubDate", "guid", "description", f"{_CONTENT}encoded"}
)
_ITEM_IGNORED = frozenset(
    {"comments", f"{_WFW}commentRss", f"{_SLASH}comments", f"{_WORDPRESS}post-id"}
)
_XML_TYPES = frozenset({"application/rss+xml", "application/xml", "text/xml"})

_DECLARATION = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_C1 = re.compile("[\x80-\x9f]")
# What makes feedparser take a "plain text" title for HTML: a closing tag or an entity left.
_HTMLISH = re.compile(r"</\w+>|&#?\w+;")
_SCHEME_SLASHES = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*://)/*")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_WORDPRESS_DATE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) \+0000"
)


class _Refused(Exception):
    """The document is not one this module reads exactly as feedparser does."""


def parse_plain_rss(content: bytes, headers: dict[str, str], base: str) -> dict[str, Any] | None:
    """feedparser's result for ``content`` (its fields this reader uses), or None when the
    document is not plain WordPress RSS 2.0; ``base`` is the address feedparser resolves
    links against (the Content-Location it is given)."""
    if not _takes_encoding(content, headers):
        return None
    try:
        # A base urlsplit refuses makes feedparser's every link "" (urljoin raises), which
        # _joined's quick way would not see.
        urlsplit(base)
        root = _tree(content)
        return _feed(root, base)
    except (_Refused, ParseError, ValueError, RecursionError):
        return None


def _takes_encoding(content: bytes, headers: dict[str, str]) -> bool:
    kind, _, parameters = headers.get("content-type", "").partition(";")
    if kind.strip().lower() not in _XML_TYPES:
        return False
    charset = ""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower()
    if charset not in ("utf-8", "utf8") and (charset or kind.strip().lower() == "text/xml"):
        return False  # text/xml without a charset is US-ASCII to feedparser
    head = content[:512]
    # Case-folded as bytes, as a regex's IGNORECASE would, at a twentieth of its cost (a
    # 34 KB feed page: ~0.35 ms by the regex).
    if (
        head.startswith((b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe"))
        or b"<!doctype" in content.lower()
    ):
        return False
    if b"\x00" in head:
        return False  # UTF-16 or UTF-32 without a byte-order mark: not UTF-8, and not ours
    declared = _DECLARATION.match(head)
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")


def _tree(content: bytes) -> Element:
    # UTF-8 whatever the bytes look like: expat would otherwise detect UTF-16 by itself, in a
    # document the byte patterns above could not see a doctype in.
    parser = XMLParser(encoding="utf-8")
    parser.feed(content)
    return parser.close()


def _text(element: Element) -> str:
    """An element's text as feedparser's pop() leaves it: stripped, its two repairs applied."""
    if len(element) or (
        element.attrib and element.attrib.keys() - _ALLOWED_ATTRIBUTES.get(element.tag, set())
    ):
        raise _Refused
    text = (element.text or "").strip()
    return _repaired(text)


def _repaired(text: str) -> str:
    # feedparser takes text that is Latin-1 all through and decodes as UTF-8 for UTF-8 that was
    # read as Latin-1, and maps C1 characters as Windows-1252; a document needing the second is
    # left to it. ASCII needs neither (nearly every element, the bodies' 3-30 KB included:
    # the two passes and the regex were a quarter of this module's time).
    if text.isascii():
        return text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    if _C1.search(text):
        raise _Refused
    return text


_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "guid": {"isPermaLink"},
    f"{_ATOM}link": {"href", "rel", "type"},
}


def _joined(base: str, uri: str) -> str:
    """feedparser's resolution of a link against its base.

    An empty link is left to feedparser: resolved, it would become the feed's own address,
    and every post without one would be stored as the same post.
    """
    if not uri:
        raise _Refused
    if PLAIN_ABSOLUTE.fullmatch(uri):
        return uri  # what urljoin returns (parse_plain_rss made sure the base splits)
    try:
        return urljoin(base, _SCHEME_SLASHES.sub(r"\1", uri))
    except ValueError:
        return ""


def _feed(root: Element, base: str) -> dict[str, Any]:
    if root.tag != "rss" or root.attrib.keys() - {"version"} or len(root) != 1:
        raise _Refused
    if not root.attrib.get("version", "").startswith("2.") or (root.text or "").strip():
        raise _Refused
    channel = root[0]
    if channel.tag != "channel" or channel.attrib:
        raise _Refused
    feed: dict[str, Any] = {"links": []}
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for child in channel:
        tag = child.tag
        if tag == "item":
            entries.append(_entry(child, base))
            continue
        if entries or (tag in seen and tag != f"{_ATOM}link"):
            raise _Refused  # the channel's own elements after its items, or twice
        seen.add(tag)
        if tag == "title":
            feed["title"] = title = _text(child)
            feed["title_detail"] = {"type": _title_type(title)}
        elif tag == "link":
            link = re.sub("&([A-Za-z0-9_]+);", r"&\g<1>", _joined(base, _text(child)))
            feed["link"] = link
            feed["links"].append({"rel": "alternate", "type": "text/html", "href": link})
        elif tag == "description":
            feed["subtitle"] = _text(child)
            feed["subtitle_detail"] = {"type": "text/html"}
        elif tag == "generator":
            feed["generator"] = name = _text(child)
            feed["generator_detail"] = {"name": name}
        elif tag == f"{_ATOM}link":
            feed["links"].append(_atom_link(child, base))
        elif tag in _CHANNEL_IGNORED:
            _text(child)
        else:
            raise _Refused
    return {"feed": feed, "entries": entries, "version": "rss20", "bozo": 0}


def _atom_link(element: Element, base: str) -> dict[str, str]:
    _text(element)
    rel = element.attrib.get("rel", "alternate")
    href = element.attrib.get("href")
    if rel == "alternate" or href is None:
        raise _Refused  # would name the channel's link, or wait for text
    return {"rel": rel, "href": _joined(base, href)}


def _title_type(title: str) -> str:
    if _HTMLISH.search(title):
        raise _Refused  # feedparser would judge whether it is HTML
    return "text/plain"


def _entry(item: Element, base: str) -> dict[str, Any]:
    if item.attrib or (item.text or "").strip():
        raise _Refused
    entry: dict[str, Any] = {}
    tags: list[dict[str, str]] = []
    seen: set[str] = set()
    nested_text: set[str] = set()
    """The item's media texts taken from inside a picture's element, not its own."""
    for child in item:
        tag = child.tag
        if tag in _ITEM_ONCE:
            if tag in seen:
                raise _Refused
            seen.add(tag)
        if tag == "title":
            entry["title"] = title = _text(child)
            entry["title_detail"] = {"type": _title_type(title)}
        elif tag == "link":
            link = _joined(base, _text(child))
            if "&" in link:
                raise _Refused
            entry["link"] = link
        elif tag == f"{_DC}creator":
            entry["author"] = _text(child)
        elif tag == "pubDate":
            entry["published_parsed"] = _date(_text(child))
        elif tag == "guid":
            if child.attrib.get("isPermaLink") != "false":
                raise _Refused  # a permalink guid is resolved and may stand for the link
            entry["id"] = _text(child)
        elif tag == "description":
            entry["summary_detail"] = {"type": "text/html", "value": _text(child)}
        elif tag == f"{_CONTENT}encoded":
            entry["content"] = [{"type": "text/html", "value": _text(child)}]
        elif tag == "category":
            term = _text(child)
            if term and not any(t["term"] == term for t in tags):
                tags.append({"term": term})
        elif tag in _ITEM_IGNORED:
            _text(child)
        elif tag in _MEDIA_ITEMS:
            entry.setdefault(_MEDIA_ITEMS[tag], []).append(_media_item(child))
        elif tag in _MEDIA_TEXTS:
            # feedparser keeps the last of the item's own (see feed._keep_media_text).
            entry[_MEDIA_TEXTS[tag]] = _media_text(child)
            nested_text.discard(_MEDIA_TEXTS[tag])
        else:
            raise _Refused
        if tag in _MEDIA_ITEMS:
            # A description inside a picture's element also stands for the item, unless the
            # item has its own (feedparser's rule: the shallower, else the later, is kept).
            for key, text in entry[_MEDIA_ITEMS[tag]][-1].pop("_texts", {}).items():
                if key in nested_text or key not in entry:
                    entry[key] = text
                    nested_text.add(key)
    if tags:
        entry["tags"] = tags
    return entry


_MEDIA_ITEMS = {f"{_MEDIA}content": "media_content", f"{_MEDIA}thumbnail": "media_thumbnail"}
_MEDIA_TEXTS = {f"{_MEDIA}description": "media_description", f"{_MEDIA}title": "media_title"}
_MEDIA_ATTRIBUTES = frozenset({"url", "medium", "type", "width", "height"})


def _media_item(element: Element) -> dict[str, Any]:
    """A ``media:content`` or ``media:thumbnail`` as feedparser keeps it: its attributes, and
    the first description and title inside it (with the texts the item takes from them)."""
    if element.attrib.keys() - _MEDIA_ATTRIBUTES or (element.text or "").strip():
        raise _Refused
    found: dict[str, Any] = dict(element.attrib)
    texts: dict[str, str] = {}
    for child in element:
        key = _MEDIA_TEXTS.get(child.tag)
        if key is None or element.tag != f"{_MEDIA}content" or (child.tail or "").strip():
            raise _Refused
        text = _media_text(child)
        found.setdefault(key.removeprefix("media_"), text)
        texts[key] = text
    found["_texts"] = texts
    return found


def _media_text(element: Element) -> str:
    text = _text(element)
    if _HTMLISH.search(text) or "<" in text:
        raise _Refused  # feedparser would judge whether it is HTML
    return text


def _date(text: str) -> tuple[int, ...]:
    found = _WORDPRESS_DATE.fullmatch(text)
    month = _MONTHS.get(found.group(2).lower()) if found else None
    if found is None or month is None:
        raise _Refused
    day, year, hour, minute, second = (int(found.group(n)) for n in (1, 3, 4, 5, 6))
    datetime(year, month, day, hour, minute, second)  # a date that cannot be: ValueError
    return (year, month, day, hour, minute, second, 0, 0, 0)
