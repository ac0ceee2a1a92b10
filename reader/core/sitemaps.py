"""Which of a WordPress site's terms are tags, from its core XML sitemaps (WordPress 5.5+).

A site whose REST API is locked still serves ``/wp-sitemap-taxonomies-post_tag-1.xml`` and
``...-category-1.xml``: each lists its terms' archive addresses (``/tag/slug/``, or with
plain permalinks ``?tag=slug`` and ``?cat=ID``). The feeds name categories and tags alike;
these lists tell them apart. Parsed with ``defusedxml`` (no entities, no DTD, no external
references) and bounded: a sitemap is someone else's file.
"""

from __future__ import annotations

import asyncio
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

from reader.core.fetch import Fetcher

MAX_TERMS = 2000
"""WordPress puts at most 2,000 addresses in one sitemap page; more is not its sitemap."""

_PARSED_HERE = 256 * 1024
"""Sitemaps up to this size are parsed on the sync's loop (WordPress's 2,000 terms: ~150 KB)."""

_TAXONOMIES = (("category", False), ("post_tag", True))


@dataclass
class SiteTerms:
    """The slugs the sitemaps listed, by kind; ``read`` says whether any sitemap answered."""

    tags: set[str] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)
    read: int = 0
    """How many of the two sitemaps were read as sitemaps."""


def sitemap_url(site: str, taxonomy: str, *, plain: bool) -> str:
    """The first page of ``taxonomy``'s sitemap on ``site`` (its root, ending in ``/``)."""
    if plain:
        # No rewrite rules on a plain-permalink site: the query WordPress maps the path to.
        return f"{site}?sitemap=taxonomies&sitemap-subtype={taxonomy}&paged=1"
    return f"{site}wp-sitemap-taxonomies-{taxonomy}-1.xml"


async def read_site_terms(fetcher: Fetcher, site: str, *, plain: bool = False) -> SiteTerms:
    """The tag and category slugs ``site``'s sitemaps list; empty when it serves none.

    Two requests, at once; a failure, a 404 or an answer that is not a sitemap is skipped.
    """
    found = SiteTerms()
    answers = await asyncio.gather(
        *(
            fetcher.get(sitemap_url(site, taxonomy, plain=plain), accept="application/xml")
            for taxonomy, _ in _TAXONOMIES
        ),
        return_exceptions=True,
    )
    for (_, is_tag), answer in zip(_TAXONOMIES, answers, strict=True):
        if isinstance(answer, BaseException):
            if not isinstance(answer, Exception):
                raise answer  # a cancellation is never swallowed
            continue  # FetchError (a 404 most often) or worse: the sitemaps are a bonus
        content = answer.content
        # As the sync parses feeds: a small one here, a big one in a worker thread.
        small = len(content) <= _PARSED_HERE
        locs = sitemap_locs(content) if small else await asyncio.to_thread(sitemap_locs, content)
        if locs is None:
            continue
        found.read += 1
        slugs = {slug for loc in locs if (slug := term_slug(loc, is_tag=is_tag))}
        (found.tags if is_tag else found.categories).update(slugs)
    return found


def sitemap_locs(content: bytes) -> list[str] | None:
    """The ``<loc>`` addresses of a sitemap ``<urlset>``, or None when it is not one (not
    XML, another document, entities or a DTD, more than :data:`MAX_TERMS` addresses)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, iterparse

    locs: list[str] = []
    depth = 0
    try:
        for event, element in iterparse(io.BytesIO(content), events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 1 and _local(element.tag) != "urlset":
                    return None
                if depth > 3:
                    return None  # <urlset><url><loc>: nothing deeper
                continue
            depth -= 1
            if depth == 2 and _local(element.tag) == "loc":
                locs.append((element.text or "").strip()[:2000])
                if len(locs) > MAX_TERMS:
                    return None
            elif depth == 1:
                element.clear()  # a <url> read and done with
    except (DefusedXmlException, ParseError, ValueError):
        return None
    return locs


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def term_slug(loc: str, *, is_tag: bool) -> str:
    """The slug in a term's archive address (``/tag/slug/``, ``/category/a/b/``, ``?tag=``),
    or "" (``?cat=ID`` names no slug)."""
    parts = urlsplit(loc)
    if is_tag:
        named = parse_qs(parts.query).get("tag")
        if named:
            return unquote(named[0]).strip().lower()[:200]
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 2:
        return ""
    return unquote(segments[-1]).strip().lower()[:200]


_DROPPED = re.compile(r"[^\w\s-]", re.UNICODE)
_JOINED = re.compile(r"[\s_-]+", re.UNICODE)


def title_slug(name: str) -> str:
    """A name as WordPress's ``sanitize_title`` makes it a slug: lower case, accents
    removed, entities and punctuation dropped, spaces to hyphens."""
    text = unescape(unescape(name))
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _DROPPED.sub("", text.lower())
    return _JOINED.sub("-", text).strip("-")


def match_key(text: str) -> str:
    """What a name and a slug are compared by: letters and digits only, so "Q&A" (``qa``)
    and our own guess ``q-a`` meet."""
    return "".join(c for c in title_slug(text) if c.isalnum())


def kinds_by_key(terms: SiteTerms) -> Iterator[tuple[str, bool]]:
    """(match key, is a tag) for each slug listed; a key both lists hold is left out."""
    tags = {match_key(s) for s in terms.tags} - {""}
    categories = {match_key(s) for s in terms.categories} - {""}
    for key in tags - categories:
        yield key, True
    for key in categories - tags:
        yield key, False
