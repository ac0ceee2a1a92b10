"""What an address is, before it is added as a source: a WordPress site, a feed, or neither.

``reader sources add URL`` asks here first, so a typo, a dead host or a page that is not a
feed is reported in one line and never added (unless asked to, with ``--anyway``). A
WordPress site is recognised by its REST API or its ``/feed/``, whether the address typed is
the site or its main feed; any other page is searched for the feed it names in
``<link rel="alternate">``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from reader.core import wordpress
from reader.core.feed import parse_feed_async
from reader.core.fetch import Fetcher, FetchError
from reader.core.source import Source
from reader.core.urls import is_followable, resolve, site_root

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


class NotASource(Exception):
    """The address cannot be read as a source; the message says why, in one line."""


def as_address(text: str) -> str:
    """What the user typed, as an address: ``example.org`` means ``https://example.org/``."""
    text = text.strip()
    if "://" not in text and not text.startswith(("/", "~", ".")):
        return "https://" + text
    return text


async def discover(
    fetcher: Fetcher, text: str, *, name: str = "", feed_only: bool = False
) -> Source:
    """The source at ``text`` (an address or a feed file), checked by reading it once."""
    address = as_address(text)
    if "://" not in address:
        return await _feed_file(address, name)
    if not is_followable(address):
        raise NotASource(f"{address}: only http and https addresses can be read")
    try:
        response = await fetcher.get(address, accept=_ACCEPT)
    except FetchError as error:
        raise NotASource(f"{error}; not added") from None
    parsed = await parse_feed_async(response.content, url=response.url, headers=response.headers)
    if parsed.is_feed:
        root = response.url.removesuffix("feed/") if response.url.endswith("/feed/") else ""
        if root and not feed_only and await wordpress.has_api(fetcher, root):
            return Source.site(root, name=name)
        return Source.feed(address, name=name)
    if not feed_only:
        # An article's address is a page of its site, not a site: it was added as one (its
        # comments feed at .../feed/ made it look like WordPress) and synced nothing.
        # WordPress names its REST API on every page; the site is where that hangs from.
        api = _rest_api_named(response.headers.get("link", ""), response.content, response.url)
        root = _root_of_api(api)
        if root and root != site_root(address) and await wordpress.has_api(fetcher, root):
            return Source.site(root, name=name)
        if await _is_wordpress(fetcher, site_root(address)):
            return Source.site(address, name=name)
    named = await asyncio.to_thread(_feed_named_in, response.content, response.url)
    if named:
        return Source.feed(named, name=name)
    raise NotASource(
        f"{address} is not a feed and names none ({parsed.problem or 'no feed found'}); not added"
    )


async def _is_wordpress(fetcher: Fetcher, root: str) -> bool:
    """True when ``root`` answers like a WordPress site: its REST API, or a feed at /feed/."""
    if await wordpress.has_api(fetcher, root):
        return True
    try:
        response = await fetcher.get(root + "feed/", accept=_ACCEPT)
    except FetchError:
        return False
    parsed = await parse_feed_async(response.content, url=response.url, headers=response.headers)
    return parsed.is_feed


_REST_API_REL = "https://api.w.org/"
"""The link relation WordPress names its REST API by, in a Link header and in the page."""


def _rest_api_named(link_header: str, html: bytes, url: str) -> str:
    """The REST API address a WordPress page names (its Link header, else its head), or ""."""
    for part in link_header.split(","):
        target, _, params = part.partition(";")
        if f'rel="{_REST_API_REL}"' in params.replace("'", '"'):
            found = resolve(target.strip().strip("<>"), url)
            if is_followable(found):
                return found
    from selectolax.lexbor import LexborHTMLParser

    link = LexborHTMLParser(html).css_first(f'link[rel="{_REST_API_REL}"][href]')
    if link is None:
        return ""
    found = resolve(link.attributes.get("href") or "", url)
    return found if is_followable(found) else ""


def _root_of_api(api: str) -> str:
    """The site root a REST API address hangs from (``https://host/blog/wp-json/``), or ""."""
    parts = urlsplit(api)
    if parts.path.endswith("/wp-json/"):
        return urlunsplit((parts.scheme, parts.netloc, parts.path.removesuffix("wp-json/"), "", ""))
    if parts.query.startswith("rest_route="):
        # Plain permalinks: WordPress names ``https://host/blog/index.php?rest_route=/``.
        path = parts.path.removesuffix("index.php")
        return site_root(urlunsplit((parts.scheme, parts.netloc, path, "", "")))
    return ""


def _feed_named_in(html: bytes, url: str) -> str:
    """The first feed a page names in ``<link rel="alternate" type="...">``, or ""."""
    from selectolax.lexbor import LexborHTMLParser

    for link in LexborHTMLParser(html).css("link[rel~=alternate][href]"):
        kind = (link.attributes.get("type") or "").split(";")[0].strip().lower()
        href = link.attributes.get("href") or ""
        if kind in _FEED_TYPES and href.strip():
            found = resolve(href, url)
            if is_followable(found):
                return found
    return ""


async def _feed_file(path: str, name: str) -> Source:
    file = Path(path).expanduser()
    try:
        content = await asyncio.to_thread(file.read_bytes)
    except OSError as error:
        raise NotASource(f"cannot read {path}: {error.strerror}; not added") from None
    parsed = await parse_feed_async(content, url=file.resolve().as_uri())
    if not parsed.is_feed:
        raise NotASource(f"{path}: {parsed.problem or 'not a feed'}; not added")
    return Source.feed(str(file.resolve()), name=name)
