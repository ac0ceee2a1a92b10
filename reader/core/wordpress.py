"""The WordPress REST API (``/wp-json/wp/v2/``): the whole archive, categories vs tags, slugs.

Feeds hold the newest ten posts and mix categories with tags; the REST API holds every post
with its body and tells categories from tags. It may be missing or locked: callers then fall
back to paged feeds and pages.

A site with WordPress's default "plain" permalinks has no ``/wp-json/`` path: it answers there
with its home page (or a redirect to one), and serves the same API as ``?rest_route=/wp/v2/...``.
So a site's first REST request that gets no JSON is asked again in that form, and whichever
answered is remembered for the site for the rest of the process.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from reader.core.dates import believable
from reader.core.fetch import Fetcher, FetchError
from reader.core.models import IncomingPost, Link, LinkKind, Origin
from reader.core.text import clean_line, clean_url, strip_controls

Terms = dict[int, tuple[str, str]]
"""Term id -> (slug, name)."""

PER_PAGE = 100
_PAGES_AHEAD = 4
"""REST pages of the archive asked for before the one being stored is handed over."""
# Authors for the byline, the featured image's media object, and each post's categories and
# tags with their slugs (so no term list is needed). WordPress 5.4+ takes a list.
_EMBED = "author,wp:featuredmedia,wp:term"
# Sizes of a featured image to fetch, in order of preference: wide enough for a terminal.
_IMAGE_SIZES = ("medium_large", "large", "full")


_ROUTED_BY_QUERY: dict[str, bool] = {}
"""Site root -> True when its API answers as ``?rest_route=``, False as ``/wp-json/``; absent
until one of its requests has answered."""


def rest_url(site: str, route: str, query: str = "", *, by_query: bool | None = None) -> str:
    """The address of REST ``route`` (``wp/v2/posts``; "" for the index) with ``query``
    (``per_page=1&...``), in the form the site is known to answer (``/wp-json/`` if unknown)."""
    if by_query is None:
        by_query = _ROUTED_BY_QUERY.get(site, False)
    if by_query:
        return f"{site.rstrip('/')}/?rest_route=/{route}" + (f"&{query}" if query else "")
    return f"{site.rstrip('/')}/wp-json/{route}" + (f"?{query}" if query else "")


async def _get_json(
    fetcher: Fetcher, site: str, route: str, query: str = ""
) -> tuple[Any, dict[str, str]]:
    """GET a REST route of ``site`` as JSON; asked again as ``?rest_route=`` when the site's
    form is not known yet and ``/wp-json/`` gave no JSON (see the module's docstring)."""
    known = _ROUTED_BY_QUERY.get(site)
    try:
        found = await fetcher.get_json(rest_url(site, route, query, by_query=known))
    except FetchError as error:
        # Only an answer that is no API at all (a page, a redirect to one, a 404) says the
        # path may be the wrong one; a locked API (401) or a server error answers both alike.
        if known is not None or error.offline or error.status not in (None, 404):
            raise
        try:
            found = await fetcher.get_json(rest_url(site, route, query, by_query=True))
        except FetchError:
            raise error from None
        _ROUTED_BY_QUERY[site] = True
        return found
    _ROUTED_BY_QUERY.setdefault(site, bool(known))
    return found


@dataclass(frozen=True)
class SiteIndex:
    """What the REST index (``/wp-json/``) says about the site itself."""

    name: str
    home: str
    """The site's own address for its front end (may differ from the one typed)."""
    url: str
    """Where WordPress itself lives (``siteurl``)."""
    timezone_string: str
    """E.g. ``America/Los_Angeles``; "" when the site is set to a plain UTC offset."""
    gmt_offset: str
    """Hours ahead of UTC (may be fractional), as text."""


async def site_index(fetcher: Fetcher, site: str) -> SiteIndex | None:
    """The REST index of ``site``, or None when the API is missing or locked."""
    try:
        data, _ = await _get_json(fetcher, site, "")
    except FetchError:
        return None
    if not isinstance(data, dict):
        return None

    def text(key: str) -> str:
        value = data.get(key)
        return clean_line(str(value)) if isinstance(value, str | int | float) else ""

    return SiteIndex(
        name=text("name"),
        home=clean_url(text("home")),
        url=clean_url(text("url")),
        timezone_string=text("timezone_string"),
        gmt_offset=text("gmt_offset"),
    )


async def has_api(fetcher: Fetcher, site: str) -> bool:
    """True when the site answers on its REST API (not missing, not locked)."""
    return await api_problem(fetcher, site) is None


async def api_problem(fetcher: Fetcher, site: str) -> str | None:
    """Why the site's REST API gives no posts ("server answered 401 ..."), or None if it does."""
    try:
        data, _ = await _get_json(fetcher, site, "wp/v2/posts", "per_page=1&_fields=id")
    except FetchError as error:
        return error.reason
    return None if isinstance(data, list) else "it did not answer with a list of posts"


async def terms(fetcher: Fetcher, site: str, taxonomy: str) -> Terms:
    """Every category or tag: id -> (slug, name)."""
    found: Terms = {}
    page = 1
    while page <= 50:
        query = f"per_page={PER_PAGE}&page={page}"
        try:
            data, headers = await _get_json(fetcher, site, f"wp/v2/{taxonomy}", query)
        except FetchError as error:
            if error.status == 400:
                break
            raise
        if not isinstance(data, list) or not data:
            break
        for term in data:
            if isinstance(term, dict) and isinstance(term.get("id"), int):
                found[term["id"]] = (
                    clean_line(str(term.get("slug", ""))),
                    clean_line(str(term.get("name", ""))),
                )
        if page >= _int(headers.get("x-wp-totalpages"), 1):
            break
        page += 1
    return found


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    # *_gmt fields carry no offset; they are UTC.
    return believable(parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC))


def _rendered(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if isinstance(value, dict):
        value = value.get("rendered", "")
    return value if isinstance(value, str) else ""


@lru_cache(maxsize=4096)
def _term_text(slug: str, name: str) -> tuple[str, str]:
    """A term's slug and name made safe: a few dozen terms, named again by each post."""
    return clean_line(slug), clean_line(name)


@lru_cache(maxsize=1024)
def _author_name(name: str) -> str:
    """An author's name made safe: a few authors, named again by each post."""
    return clean_line(name)


def _embedded_terms(embedded: dict[str, Any]) -> tuple[Terms, Terms] | None:
    """The post's own categories and tags from ``_embedded["wp:term"]``, when it is there."""
    lists = embedded.get("wp:term")
    if not isinstance(lists, list):
        return None
    categories: Terms = {}
    tags: Terms = {}
    for terms_of_a_taxonomy in lists:
        for term in terms_of_a_taxonomy if isinstance(terms_of_a_taxonomy, list) else ():
            if not isinstance(term, dict) or not isinstance(term.get("id"), int):
                continue
            found = _term_text(str(term.get("slug", "")), str(term.get("name", "")))
            if term.get("taxonomy") == "category":
                categories[term["id"]] = found
            elif term.get("taxonomy") == "post_tag":
                tags[term["id"]] = found
    return categories, tags


def _offset_minutes(local: Any, gmt: Any) -> int | None:
    """How far the site's clock was ahead of UTC: ``date`` minus ``date_gmt``."""
    if not isinstance(local, str) or not isinstance(gmt, str):
        return None
    try:
        ahead = datetime.fromisoformat(local) - datetime.fromisoformat(gmt)
    except (ValueError, TypeError):
        return None
    minutes = round(ahead / timedelta(minutes=1))
    return minutes if abs(minutes) < 900 else None


def post_from_rest(obj: dict[str, Any], categories: Terms, tags: Terms) -> IncomingPost | None:
    """One REST post object as the store takes it, or None when it is unusable."""
    link = clean_url(obj.get("link") if isinstance(obj.get("link"), str) else "")
    if not link:
        return None
    author = ""
    featured: Link | None = None
    own_categories: Terms = {}
    own_tags: Terms = {}
    embedded = obj.get("_embedded")
    if isinstance(embedded, dict):
        authors = embedded.get("author")
        if isinstance(authors, list) and authors and isinstance(authors[0], dict):
            author = _author_name(str(authors[0].get("name", "")))
        featured = _featured_image(embedded.get("wp:featuredmedia"))
        own_terms = _embedded_terms(embedded)
        if own_terms is not None:
            own_categories, own_tags = own_terms
    content = _rendered(obj, "content")
    protected = isinstance(obj.get("content"), dict) and obj["content"].get("protected")
    wp_id = obj.get("id") if isinstance(obj.get("id"), int) else None
    return IncomingPost(
        url=link,
        title=clean_line(_rendered(obj, "title")),
        author=author,
        published=_date(obj.get("date_gmt")) or _date(obj.get("date")),
        modified=_date(obj.get("modified_gmt")) or _date(obj.get("modified")),
        guid=clean_url(_rendered(obj, "guid")),
        wp_id=wp_id,
        excerpt=strip_controls(_rendered(obj, "excerpt")),
        content=None if protected or not content else strip_controls(content),
        categories=_named(obj.get("categories"), own_categories, categories),
        tags=_named(obj.get("tags"), own_tags, tags),
        featured_image=featured,
        origin=Origin.REST,
        is_page=obj.get("type") == "page",
        utc_offset=_offset_minutes(obj.get("date"), obj.get("date_gmt")),
    )


def _named(ids: Any, own: Terms, known: Terms) -> tuple[tuple[str, str], ...]:
    """The terms of ``ids`` that the post names itself (``own``) or that are ``known``."""
    # Looked up in both, not merged: merging copied every known term for every post.
    found = ((own.get(i) or known.get(i)) for i in ids or ())
    return tuple(term for term in found if term is not None)


def _featured_image(media: Any) -> Link | None:
    """The featured image of an embedded ``wp:featuredmedia`` list, or None."""
    if not isinstance(media, list) or not media or not isinstance(media[0], dict):
        return None
    item: dict[str, Any] = media[0]
    if item.get("media_type", "image") != "image":
        return None
    url = item.get("source_url")
    details = item.get("media_details")
    sizes = details.get("sizes") if isinstance(details, dict) else None
    if isinstance(sizes, dict):
        for name in _IMAGE_SIZES:
            size = sizes.get(name)
            if isinstance(size, dict) and isinstance(size.get("source_url"), str):
                url = size["source_url"]
                break
    if not isinstance(url, str):
        return None
    url = clean_url(url, decode=False)
    if not url.lower().startswith(("http://", "https://")):
        return None
    alt = item.get("alt_text")
    return Link(LinkKind.FEATURED, url, clean_line(alt if isinstance(alt, str) else ""))


_ARCHIVE = f"_embed={_EMBED}&per_page={PER_PAGE}&orderby=date&order=desc"
"""The query of the archive's pages, newest first (``&page=N`` follows)."""


async def archive_page(fetcher: Fetcher, site: str, page: int) -> tuple[Any, dict[str, str]]:
    """Page ``page`` of the archive as JSON, and its headers (the totals)."""
    return await _get_json(fetcher, site, "wp/v2/posts", f"{_ARCHIVE}&page={page}")


async def all_posts(
    fetcher: Fetcher,
    site: str,
    categories: Terms,
    tags: Terms,
    *,
    on_total: Callable[[int], None] | None = None,
    first: Awaitable[tuple[Any, dict[str, str]]] | None = None,
) -> AsyncGenerator[list[IncomingPost], None]:
    """Every post, a page of up to 100 at a time; later pages are fetched a few at once.

    ``first`` is the first page's :func:`archive_page`, when the caller has asked for it.
    """
    data, headers = await (first if first is not None else archive_page(fetcher, site, 1))
    if on_total is not None:
        on_total(_int(headers.get("x-wp-total"), 0))
    pages = _int(headers.get("x-wp-totalpages"), 1)
    # The next pages are asked for before a page is handed over, so the site answers them
    # while the caller stores it (fetching a window, then storing it, left one side idle:
    # a cold sync of 1,000 posts spent ~0.4 s waiting). A few pages ahead at most: the
    # fetcher bounds concurrency per host, and each page waiting is held in memory.
    ahead: deque[asyncio.Future[tuple[Any, dict[str, str]]]] = deque()
    following = 2

    def ask_ahead() -> None:
        nonlocal following
        while following <= pages and len(ahead) < _PAGES_AHEAD:
            ahead.append(asyncio.ensure_future(archive_page(fetcher, site, following)))
            following += 1

    try:
        ask_ahead()
        yield _posts(data, categories, tags)
        while ahead:
            try:
                data, _ = await ahead.popleft()
            except FetchError as error:
                if error.status == 400:  # past the end: the archive shrank while we read it
                    return
                raise
            ask_ahead()
            yield _posts(data, categories, tags)
    finally:
        for waiting in ahead:
            if waiting.done() and not waiting.cancelled():
                waiting.exception()  # a page's failure that no one will ask about now
            waiting.cancel()


async def changed_since(
    fetcher: Fetcher, site: str, moment: datetime
) -> AsyncIterator[list[IncomingPost]]:
    """Posts modified after ``moment``, most recent first: edits to old posts included, which
    the feed (the newest ten) never shows. Usually one small request."""
    stamp = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    base = f"_embed={_EMBED}&per_page={PER_PAGE}&orderby=modified&order=desc&modified_after={stamp}"
    page, pages = 1, 1
    while page <= pages:
        try:
            data, headers = await _get_json(fetcher, site, "wp/v2/posts", f"{base}&page={page}")
        except FetchError as error:
            if error.status == 400 and page > 1:
                return
            raise
        yield _posts(data, {}, {})
        pages = min(_int(headers.get("x-wp-totalpages"), 1), 100)
        page += 1


async def one_post(fetcher: Fetcher, site: str, wp_id: int) -> IncomingPost | None:
    """The post with this WordPress id, as the REST API has it now (None when it has none)."""
    try:
        data, _ = await _get_json(fetcher, site, f"wp/v2/posts/{wp_id}", f"_embed={_EMBED}")
    except FetchError as error:
        if error.status in (401, 403, 404, 410):
            return None
        raise
    return post_from_rest(data, {}, {}) if isinstance(data, dict) else None


def _posts(data: Any, categories: Terms, tags: Terms) -> list[IncomingPost]:
    if not isinstance(data, list):
        return []
    found = (post_from_rest(o, categories, tags) for o in data if isinstance(o, dict))
    return [p for p in found if p is not None]


async def search(
    fetcher: Fetcher, site: str, query: str, categories: Terms, tags: Terms, *, limit: int = 20
) -> list[IncomingPost]:
    """Search the whole site through the REST API."""
    from urllib.parse import quote

    asked = f"_embed={_EMBED}&per_page={limit}&search={quote(query)}"
    data, _ = await _get_json(fetcher, site, "wp/v2/posts", asked)
    return _posts(data, categories, tags)
