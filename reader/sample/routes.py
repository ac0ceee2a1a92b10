"""Which address of the sample site answers with what: the WordPress URL scheme.

:func:`answer` maps a request target (path and query) to a :class:`Reply` whose text still
holds ``{site}`` placeholders; the server fills them in, adds validators and compresses.
Callers hold ``site.lock`` so a test changing the site never races a page being built.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, unquote, urlsplit

from reader.sample import feed, pages, pictures, rest, sitemaps
from reader.sample.site import SITE, SamplePost, Site, Taxonomy, Term

HTML = "text/html; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
JSON = "application/json; charset=UTF-8"
PNG = "image/png"


@dataclass
class Reply:
    """A response before the server's finishing touches."""

    status: int
    body: str | bytes
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    modified: datetime | None = None
    """When what this address shows last changed, as far as the site knows."""


_ARTICLE = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([^/]+)/?$")
_ARCHIVE = re.compile(r"^/(category|tag|author)/([^/]+)(?:/page/(\d+))?/?$")
_ARCHIVE_FEED = re.compile(r"^/(category|tag|author)/([^/]+)/feed/?$")
_HOME = re.compile(r"^/(?:page/(\d+)/?)?$")
_UPLOAD = re.compile(r"^/wp-content/uploads/\d{4}/\d{2}/[\w.-]+\.png$")
_REST_ITEM = re.compile(r"^/wp/v2/(posts|categories|tags|users|media)(?:/(\d+))?/?$")
_SITEMAP = re.compile(r"^/wp-sitemap-taxonomies-([a-z_]+)-(\d{1,6})\.xml$")
_PER_PAGE = 10


def answer(site: Site, target: str, *, rest_api: bool) -> Reply:
    """The reply for one GET of ``target`` (``/path?query``)."""
    parts = urlsplit(target)
    path = unquote(parts.path) or "/"
    query = parse_qs(parts.query, keep_blank_values=True)
    if path == "/" and "rest_route" in query:
        return _rest(site, query.pop("rest_route")[0], query, rest_api=rest_api)
    if path == "/wp-json" or path.startswith("/wp-json/"):
        return _rest(site, path[len("/wp-json") :], query, rest_api=rest_api)
    if path == "/" and "p" in query:
        return _shortlink(site, query["p"][0], rest_api=rest_api)
    if path == "/wp-sitemap.xml":
        return Reply(200, sitemaps.index(), sitemaps.XML, modified=site.changed_at)
    if match := _SITEMAP.match(path):
        return _sitemap(site, match.group(1), int(match.group(2)), rest_api=rest_api)
    if path == "/" and query.get("sitemap") == ["taxonomies"]:
        # WordPress sends the query form to the address its rewrite rules give it.
        subtype = query.get("sitemap-subtype", [""])[0]
        paged = _page(None, query)
        location = f"{SITE}/wp-sitemap-taxonomies-{subtype}-{paged}.xml"
        return Reply(301, "", headers={"Location": location}, modified=site.changed_at)
    if path in ("/feed", "/feed/") or (path == "/" and "feed" in query):
        return _feed(site, site.posts(), query, "/feed/", "/", site.title, rest_api=rest_api)
    if match := _ARCHIVE_FEED.match(path):
        return _archive_feed(site, match.group(1), match.group(2), query, rest_api=rest_api)
    if match := _ARCHIVE.match(path):
        kind, slug, number = match.groups()
        return _archive(site, kind, slug, _page(number, query), rest_api=rest_api)
    if match := _HOME.match(path):
        page = _page(match.group(1), query)
        return _listing(site, site.posts(), page, "/", rest_api=rest_api)
    if match := _ARTICLE.match(path):
        post = site.post_at(path)
        if post is not None:
            body = pages.article_page(site, post, rest_api=rest_api)
            links = [f"<{SITE}/?p={post.id}>; rel=shortlink"]
            if rest_api:
                json_link = f"<{SITE}/wp-json/wp/v2/posts/{post.id}>"
                links[:0] = [
                    f'<{SITE}/wp-json/>; rel="https://api.w.org/"',
                    f'{json_link}; rel="alternate"; type="application/json"',
                ]
            return Reply(200, body, headers={"Link": ", ".join(links)}, modified=post.modified)
    if _UPLOAD.match(path):
        upload = path.removeprefix("/wp-content/uploads/")
        return Reply(200, pictures.upload(upload), PNG, modified=site.changed_at)
    return not_found(site, rest_api=rest_api)


def not_found(site: Site, *, rest_api: bool) -> Reply:
    """The 404 page."""
    return Reply(404, pages.not_found_page(site, rest_api=rest_api), modified=site.changed_at)


def json_reply(status: int, data: object, headers: dict[str, str] | None = None) -> Reply:
    """A JSON reply, compact as WordPress sends it."""
    return Reply(status, json.dumps(data, separators=(",", ":")), JSON, headers or {})


# -- pages and feeds -----------------------------------------------------------------------


def _page(number: str | None, query: dict[str, list[str]]) -> int:
    raw = number or query.get("paged", ["1"])[0]
    try:
        return max(1, int(raw))
    except ValueError:
        return 1


def _sitemap(site: Site, taxonomy: str, number: int, *, rest_api: bool) -> Reply:
    body = sitemaps.taxonomy_page(site, taxonomy, number)
    if body is None:
        return not_found(site, rest_api=rest_api)
    return Reply(200, body, sitemaps.XML, modified=site.changed_at)


def _shortlink(site: Site, raw_id: str, *, rest_api: bool) -> Reply:
    post = site.post(int(raw_id)) if raw_id.isdigit() else None
    if post is None:
        return not_found(site, rest_api=rest_api)
    return Reply(301, "", headers={"Location": post.permalink}, modified=site.changed_at)


def _feed(
    site: Site,
    posts: tuple[SamplePost, ...],
    query: dict[str, list[str]],
    self_path: str,
    channel_path: str,
    title: str,
    *,
    rest_api: bool,
) -> Reply:
    page = _page(None, query)
    # WordPress names its REST API on feeds too (a Link header), as on its pages.
    headers = {"Link": rest.API_LINK} if rest_api else {}
    if page > feed.page_count(len(posts)):
        # Past the end WordPress still answers with a feed, empty, under a 404.
        empty = feed.render_feed(
            site,
            (),
            page=page,
            self_path=self_path,
            channel_path=channel_path,
            channel_title=f"Page not found &#8211; {site.title}",
            description=site.tagline,
        )
        return Reply(404, empty, RSS, headers=headers, modified=site.changed_at)
    body = feed.render_feed(
        site,
        posts,
        page=page,
        self_path=self_path,
        channel_path=channel_path,
        channel_title=title,
        description=site.tagline,
    )
    return Reply(200, body, RSS, headers=headers, modified=site.changed_at)


def _archive_feed(
    site: Site, kind: str, slug: str, query: dict[str, list[str]], *, rest_api: bool
) -> Reply:
    if kind == "author":
        author = site.author(slug)
        if author is None:
            return not_found(site, rest_api=rest_api)
        posts, path, name = site.posts_by(author), author.path, author.name
    else:
        term = _term(site, kind, slug)
        if term is None:
            return not_found(site, rest_api=rest_api)
        posts, path, name = site.posts_in(term), term.path, term.name
    title = f"{name} &#8211; {site.title}"
    return _feed(site, posts, query, path + "feed/", path, title, rest_api=rest_api)


def _archive(site: Site, kind: str, slug: str, page: int, *, rest_api: bool) -> Reply:
    if kind == "author":
        author = site.author(slug)
        if author is None:
            return not_found(site, rest_api=rest_api)
        return _listing(
            site,
            site.posts_by(author),
            page,
            author.path,
            kind=("author", author.slug, author.id, "users"),
            heading=f'Author: <span class="vcard">{author.name}</span>',
            description=author.description,
            feed_path=author.path + "feed/",
            feed_title=f"Posts by {author.name} Feed",
            rest_api=rest_api,
        )
    term = _term(site, kind, slug)
    if term is None:
        return not_found(site, rest_api=rest_api)
    label = "Tag" if term.role == "tag" else "Category"
    return _listing(
        site,
        site.posts_in(term),
        page,
        term.path,
        kind=(
            ("tag", term.slug, term.id, "tags")
            if term.role == "tag"
            else ("category", term.slug, term.id, "categories")
        ),
        heading=f"{label}: <span>{term.name}</span>",
        description=term.description,
        feed_path=term.path + "feed/",
        feed_title=f"{term.name} {label} Feed",
        rest_api=rest_api,
    )


def _term(site: Site, kind: str, slug: str) -> Term | None:
    return site.term(slug, "post_tag" if kind == "tag" else "category")


def _listing(
    site: Site,
    posts: tuple[SamplePost, ...],
    page: int,
    path: str,
    *,
    kind: tuple[str, str, int, str] | None = None,
    heading: str = "",
    description: str = "",
    feed_path: str = "",
    feed_title: str = "",
    rest_api: bool,
) -> Reply:
    """A list of posts: the home page, or (``kind``: its type, slug, id and REST route) an
    archive, with the body classes and REST link WordPress gives each."""
    pages_total = max(1, -(-len(posts) // _PER_PAGE))
    if page > pages_total:
        return not_found(site, rest_api=rest_api)
    body = pages.listing_page(
        site,
        posts[(page - 1) * _PER_PAGE : page * _PER_PAGE],
        page=page,
        pages=pages_total,
        path=path,
        body_class=_listing_classes(kind, page),
        rest_path=f"/wp-json/wp/v2/{kind[3]}/{kind[2]}" if kind is not None else "",
        heading=heading,
        description=description,
        feed_path=feed_path,
        feed_title=feed_title,
        rest_api=rest_api,
    )
    return Reply(200, body, modified=site.changed_at)


def _listing_classes(kind: tuple[str, str, int, str] | None, page: int) -> str:
    """WordPress's body classes of a list (``archive paged category category-brain ...``)."""
    paged = page > 1
    if kind is None:
        return f"home blog paged paged-{page}" if paged else "home blog"
    name, slug, number, _ = kind
    classes = ["archive", *(["paged"] if paged else []), name, f"{name}-{slug}", f"{name}-{number}"]
    if paged:
        classes += [f"paged-{page}", f"{name}-paged-{page}"]
    return " ".join(classes)


# -- REST ----------------------------------------------------------------------------------


def _rest(site: Site, route: str, query: dict[str, list[str]], *, rest_api: bool) -> Reply:
    if not rest_api:
        return not_found(site, rest_api=rest_api)
    route = route or "/"
    result: rest.Answer
    if route.rstrip("/") in ("", "/wp/v2"):
        result = rest.index(site)
    elif match := _REST_ITEM.match(route):
        kind, number = match.groups()
        result = _rest_item(site, kind, number, query)
    else:
        result = rest.no_route()
    reply = json_reply(result.status, result.data, result.headers)
    reply.headers.setdefault("Allow", "GET")
    # WordPress's paging links take the place of the API's own.
    reply.headers.setdefault("Link", rest.API_LINK)
    reply.modified = site.changed_at
    return reply


def _rest_item(
    site: Site, kind: str, number: str | None, query: dict[str, list[str]]
) -> rest.Answer:
    route = f"/wp-json/wp/v2/{kind}"
    if kind == "posts":
        return (
            rest.posts(site, query, route)
            if number is None
            else rest.post(site, int(number), query)
        )
    if kind in ("categories", "tags"):
        taxonomy: Taxonomy = "category" if kind == "categories" else "post_tag"
        if number is None:
            return rest.terms(site, taxonomy, query, route)
        return rest.term(site, taxonomy, int(number))
    if kind == "users":
        return rest.users(site, query, route) if number is None else rest.user(site, int(number))
    return rest.no_route() if number is None else rest.media(site, int(number))
