"""The WordPress REST API (``/wp-json/wp/v2/...``) of the sample site.

Shapes, parameters, paging headers and error codes follow WordPress 6: ``per_page`` 1..100,
``X-WP-Total`` / ``X-WP-TotalPages``, a 400 ``rest_post_invalid_page_number`` past the last page
of posts, ``_embed`` for authors, terms and featured media, ``_fields`` to trim objects.
Everything returned holds ``{site}`` placeholders; the server fills them in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from reader.sample import markup, pictures
from reader.sample.site import SITE, Author, Image, SamplePost, Site, Taxonomy, Term

Query = dict[str, list[str]]
Json = Any

API = f"{SITE}/wp-json/wp/v2"
MAX_PER_PAGE = 100


@dataclass
class Answer:
    """What a REST route answers: a status, a JSON-able value, and extra headers."""

    status: int
    data: Json
    headers: dict[str, str] = field(default_factory=dict)


class _BadParam(Exception):
    def __init__(self, name: str, reason: str, code: str = "") -> None:
        super().__init__(name)
        self.name = name
        self.reason = reason
        self.code = code
        """WordPress's code for what was wrong (``rest_out_of_bounds``), given in details."""


def error(status: int, code: str, message: str, **data: Json) -> Answer:
    """A WordPress REST error object."""
    return Answer(status, {"code": code, "message": message, "data": {"status": status, **data}})


def no_route() -> Answer:
    """The answer for a ``/wp-json/`` path with no route behind it."""
    return error(404, "rest_no_route", "No route was found matching the URL and request method.")


def index(site: Site) -> Answer:
    """``/wp-json/``: the site's name and the namespaces it offers."""
    routes = ("posts", "categories", "tags", "users", "media")
    return Answer(
        200,
        {
            "name": site.title,
            "description": site.tagline,
            "url": SITE,
            "home": SITE,
            "gmt_offset": 0,
            "timezone_string": "UTC",
            "namespaces": ["wp/v2"],
            "authentication": [],
            "routes": {
                f"/wp/v2/{route}": {
                    "namespace": "wp/v2",
                    "methods": ["GET"],
                    "_links": {"self": [{"href": f"{API}/{route}"}]},
                }
                for route in routes
            },
            "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
        },
    )


# -- posts ---------------------------------------------------------------------------------


def posts(site: Site, query: Query, route: str) -> Answer:
    """``/wp/v2/posts``: filtered, ordered, paged; 400 past the last page."""
    try:
        page, per_page = _paging(query)
        offset = _int(query, "offset", 0, minimum=0)
        chosen = _filter_posts(site, query)
        chosen = _order_posts(chosen, query)
    except _BadParam as bad:
        return _invalid(bad)
    total = len(chosen)
    pages = -(-total // per_page)
    if page > pages and total > 0:
        return error(
            400,
            "rest_post_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        )
    start = offset + (page - 1) * per_page
    shown = chosen[start : start + per_page]
    embed = _embed_wanted(query)
    fields = _fields_wanted(query)
    data = [_trim(post_object(site, post, embed), fields) for post in shown]
    return Answer(200, data, _paging_headers(route, query, page, pages, total))


def post(site: Site, post_id: int, query: Query) -> Answer:
    """``/wp/v2/posts/<id>``."""
    found = site.post(post_id)
    if found is None:
        return error(404, "rest_post_invalid_id", "Invalid post ID.")
    return Answer(200, _trim(post_object(site, found, _embed_wanted(query)), _fields_wanted(query)))


def post_object(site: Site, post: SamplePost, embed: frozenset[str] | None = None) -> Json:
    """A post as ``wp/v2/posts`` gives it in the ``view`` context."""
    # WordPress lists a post's terms by name, in ``categories`` and ``tags`` as in
    # ``wp:term`` (the section is not first: it is just another category).
    categories, tags = (sorted(terms, key=_by_name) for terms in site.post_terms(post))
    author = site.author_of(post)
    media_id = post.image.id if post.image else 0
    data: dict[str, Json] = {
        "id": post.id,
        "date": markup.wp_date(post.published),
        "date_gmt": markup.wp_date(post.published),
        "guid": {"rendered": post.shortlink},
        "modified": markup.wp_date(post.modified),
        "modified_gmt": markup.wp_date(post.modified),
        "slug": post.slug,
        "status": "publish",
        "type": "post",
        "link": post.permalink,
        "title": {"rendered": post.rendered_title},
        "content": {"rendered": post.body, "protected": False},
        "excerpt": {"rendered": markup.rest_excerpt(post.body), "protected": False},
        "author": author.id,
        "featured_media": media_id,
        "comment_status": "closed",
        "ping_status": "closed",
        "sticky": False,
        "template": "",
        "format": post.format,
        "meta": {"footnotes": ""},
        "categories": [term.id for term in categories],
        "tags": [term.id for term in tags],
        "class_list": _class_list(post, categories, tags),
        "_links": _post_links(post, author, media_id),
    }
    if embed is not None:
        embedded: dict[str, Json] = {}
        if "author" in embed or not embed:
            embedded["author"] = [_user_object(author)]
        if post.image and ("wp:featuredmedia" in embed or not embed):
            embedded["wp:featuredmedia"] = [_media_object(site, post, post.image)]
        if "wp:term" in embed or not embed:
            embedded["wp:term"] = [
                [_embedded_term(term) for term in categories],
                [_embedded_term(term) for term in tags],
            ]
        data["_embedded"] = embedded
    return data


def _by_name(term: Term) -> str:
    """The order of terms by name (the database's collation ignores case)."""
    return term.plain_name.lower()


def _class_list(post: SamplePost, categories: list[Term], tags: list[Term]) -> list[str]:
    classes = [f"post-{post.id}", "post", "type-post", "status-publish", f"format-{post.format}"]
    if post.image:
        classes.append("has-post-thumbnail")
    classes += [f"category-{term.slug}" for term in categories]
    classes += [f"tag-{term.slug}" for term in tags]
    return classes


def _post_links(post: SamplePost, author: Author, media_id: int) -> Json:
    links: dict[str, Json] = {
        "self": [{"href": f"{API}/posts/{post.id}"}],
        "collection": [{"href": f"{API}/posts"}],
        "about": [{"href": f"{API}/types/post"}],
        "author": [{"embeddable": True, "href": f"{API}/users/{author.id}"}],
        "wp:attachment": [{"href": f"{API}/media?parent={post.id}"}],
        "wp:term": [
            {
                "taxonomy": "category",
                "embeddable": True,
                "href": f"{API}/categories?post={post.id}",
            },
            {"taxonomy": "post_tag", "embeddable": True, "href": f"{API}/tags?post={post.id}"},
        ],
    }
    if media_id:
        links["wp:featuredmedia"] = [{"embeddable": True, "href": f"{API}/media/{media_id}"}]
    return links


def _filter_posts(site: Site, query: Query) -> list[SamplePost]:
    tests: list[Callable[[SamplePost], bool]] = []
    if "slug" in query or "slug[]" in query:
        slugs = set(_list(query, "slug"))
        tests.append(lambda post: post.slug in slugs)
    for name, keep in (("include", True), ("exclude", False)):
        if ids := set(_ids(query, name)):
            tests.append(_id_test(ids, keep))
    if authors := set(_ids(query, "author")):
        slugs = {a.slug for a in site.authors() if a.id in authors}
        tests.append(lambda post: post.author in slugs)
    taxonomies: tuple[tuple[str, Taxonomy], ...] = (
        ("categories", "category"),
        ("tags", "post_tag"),
    )
    for name, taxonomy in taxonomies:
        for suffix, keep in (("", True), ("_exclude", False)):
            if term_ids := set(_ids(query, name + suffix)):
                tests.append(_term_test(site, term_ids, taxonomy, keep))
    for name, modified, after in (
        ("after", False, True),
        ("before", False, False),
        ("modified_after", True, True),
        ("modified_before", True, False),
    ):
        if name in query:
            tests.append(_date_test(_moment(query, name), modified=modified, after=after))
    if words := " ".join(query.get("search", [])).lower().split():
        tests.append(lambda post: all(word in post.search_text for word in words))
    status = query.get("status", ["publish"])[0]
    if status not in ("publish", "any"):
        raise _BadParam("status", "Status is forbidden.")
    return [post for post in site.posts() if all(test(post) for test in tests)]


def _id_test(ids: set[int], keep: bool) -> Callable[[SamplePost], bool]:
    return lambda post: (post.id in ids) is keep


def _date_test(moment: datetime, *, modified: bool, after: bool) -> Callable[[SamplePost], bool]:
    def test(post: SamplePost) -> bool:
        value = post.modified if modified else post.published
        return value > moment if after else value < moment

    return test


def _term_test(
    site: Site, term_ids: set[int], taxonomy: Taxonomy, keep: bool
) -> Callable[[SamplePost], bool]:
    slugs = {t.slug for t in site.terms(taxonomy) if t.id in term_ids}

    def test(post: SamplePost) -> bool:
        own = (post.section, *post.topics) if taxonomy == "category" else post.tags
        return any(slug in slugs for slug in own) is keep

    return test


def _order_posts(chosen: list[SamplePost], query: Query) -> list[SamplePost]:
    orderby = query.get("orderby", ["date"])[0]
    order = query.get("order", ["desc"])[0]
    if order not in ("asc", "desc"):
        raise _BadParam("order", "order is not one of desc and asc.")
    keys: dict[str, Callable[[SamplePost], Any]] = {
        "date": lambda post: (post.published, post.id),
        "modified": lambda post: (post.modified, post.id),
        "id": lambda post: post.id,
        "title": lambda post: post.title.lower(),
        "slug": lambda post: post.slug,
        "relevance": lambda post: (post.published, post.id),
    }
    if orderby == "include":
        wanted = _ids(query, "include")
        return sorted(chosen, key=lambda p: wanted.index(p.id) if p.id in wanted else len(wanted))
    if orderby not in keys:
        raise _BadParam("orderby", f"orderby is not one of {', '.join(keys)}, include.")
    return sorted(chosen, key=keys[orderby], reverse=order == "desc")


# -- terms, users, media -------------------------------------------------------------------


def terms(site: Site, taxonomy: Taxonomy, query: Query, route: str) -> Answer:
    """``/wp/v2/categories`` or ``/wp/v2/tags``: by name, paged; an empty page past the end."""
    try:
        page, per_page = _paging(query)
        chosen = site.terms(taxonomy)
        if "slug" in query or "slug[]" in query:
            slugs = set(_list(query, "slug"))
            chosen = [term for term in chosen if term.slug in slugs]
        if ids := set(_ids(query, "include")):
            chosen = [term for term in chosen if term.id in ids]
        if "post" in query:
            owner = site.post(_int(query, "post", 0))
            own = (
                set()
                if owner is None
                else {t.id for t in (*site.post_terms(owner)[0], *site.post_terms(owner)[1])}
            )
            chosen = [term for term in chosen if term.id in own]
        if query.get("hide_empty", ["false"])[0] in ("1", "true"):
            chosen = [term for term in chosen if site.posts_in(term)]
        if words := " ".join(query.get("search", [])).lower().split():
            chosen = [t for t in chosen if all(w in t.plain_name.lower() for w in words)]
        orderby = query.get("orderby", ["name"])[0]
        sort_keys: dict[str, Callable[[Term], Any]] = {
            "name": lambda term: term.plain_name.lower(),
            "slug": lambda term: term.slug,
            "id": lambda term: term.id,
            "count": lambda term: len(site.posts_in(term)),
        }
        if orderby not in sort_keys:
            raise _BadParam("orderby", f"orderby is not one of {', '.join(sort_keys)}.")
        descending = query.get("order", ["asc"])[0] == "desc"
        chosen = sorted(chosen, key=sort_keys[orderby], reverse=descending)
    except _BadParam as bad:
        return _invalid(bad)
    total = len(chosen)
    pages = -(-total // per_page)
    shown = chosen[(page - 1) * per_page : page * per_page]
    fields = _fields_wanted(query)
    data = [_trim(term_object(site, term), fields) for term in shown]
    return Answer(200, data, _paging_headers(route, query, page, pages, total))


def term(site: Site, taxonomy: Taxonomy, term_id: int) -> Answer:
    """``/wp/v2/categories/<id>`` or ``/wp/v2/tags/<id>``."""
    found = site.term_by_id(term_id)
    if found is None or found.taxonomy != taxonomy:
        return error(404, "rest_term_invalid", "Term does not exist.")
    return Answer(200, term_object(site, found))


def term_object(site: Site, term: Term) -> Json:
    """A category or tag as the REST API gives it."""
    data: dict[str, Json] = {
        "id": term.id,
        "count": len(site.posts_in(term)),
        "description": term.description,
        "link": SITE + term.path,
        "name": term.name,
        "slug": term.slug,
        "taxonomy": term.taxonomy,
    }
    if term.taxonomy == "category":
        data["parent"] = 0
    data["meta"] = []
    data["_links"] = _term_links(term)
    return data


def _embedded_term(term: Term) -> Json:
    return {
        "id": term.id,
        "link": SITE + term.path,
        "name": term.name,
        "slug": term.slug,
        "taxonomy": term.taxonomy,
        "_links": _term_links(term),
    }


def _term_links(term: Term) -> Json:
    route = "categories" if term.taxonomy == "category" else "tags"
    return {
        "self": [{"href": f"{API}/{route}/{term.id}"}],
        "collection": [{"href": f"{API}/{route}"}],
        "about": [{"href": f"{API}/taxonomies/{term.taxonomy}"}],
        "wp:post_type": [{"href": f"{API}/posts?{route}={term.id}"}],
        "curies": [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}],
    }


def users(site: Site, query: Query, route: str) -> Answer:
    """``/wp/v2/users``: the authors, by name."""
    try:
        page, per_page = _paging(query)
    except _BadParam as bad:
        return _invalid(bad)
    chosen = sorted(site.authors(), key=lambda author: author.name.lower())
    if "slug" in query or "slug[]" in query:
        slugs = set(_list(query, "slug"))
        chosen = [author for author in chosen if author.slug in slugs]
    total = len(chosen)
    shown = chosen[(page - 1) * per_page : page * per_page]
    data = [_user_object(author) for author in shown]
    return Answer(200, data, _paging_headers(route, query, page, -(-total // per_page), total))


def user(site: Site, user_id: int) -> Answer:
    """``/wp/v2/users/<id>``."""
    found = site.author_by_id(user_id)
    if found is None:
        return error(404, "rest_user_invalid_id", "Invalid user ID.")
    return Answer(200, _user_object(found))


def _user_object(author: Author) -> Json:
    digest = hashlib.sha256(author.slug.encode()).hexdigest()
    avatar = f"https://secure.gravatar.com/avatar/{digest}?s={{}}&d=mm&r=g"
    return {
        "id": author.id,
        "name": author.name,
        "url": "",
        "description": author.description,
        "link": SITE + author.path,
        "slug": author.slug,
        "avatar_urls": {size: avatar.format(size) for size in ("24", "48", "96")},
        "_links": {
            "self": [{"href": f"{API}/users/{author.id}"}],
            "collection": [{"href": f"{API}/users"}],
        },
    }


def media(site: Site, media_id: int) -> Answer:
    """``/wp/v2/media/<id>``: a featured image."""
    for owner in site.posts():
        if owner.image and owner.image.id == media_id:
            return Answer(200, _media_object(site, owner, owner.image))
    return error(404, "rest_post_invalid_id", "Invalid post ID.")


def _media_object(site: Site, owner: SamplePost, image: Image) -> Json:
    name = image.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return {
        "id": image.id,
        "date": markup.wp_date(owner.published),
        "slug": name,
        "type": "attachment",
        "link": f"{owner.permalink}{name}/",
        "title": {"rendered": markup.render_title(name.replace("-", " "))},
        "author": site.author_of(owner).id,
        "caption": {"rendered": f"<p>{image.caption}</p>\n" if image.caption else ""},
        "alt_text": image.alt,
        "media_type": "image",
        "mime_type": "image/png",
        "media_details": {
            "width": image.width,
            "height": image.height,
            "file": image.file,
            "sizes": _media_sizes(image),
        },
        "source_url": image.url,
        "_links": {"self": [{"href": f"{API}/media/{image.id}"}]},
    }


def _media_sizes(image: Image) -> Json:
    """``media_details.sizes``: each size WordPress made of the upload, then ``full``."""
    folder = image.url.rsplit("/", 1)[0]
    made: dict[str, Json] = {}
    for name, (width, height) in pictures.sizes(image.width, image.height).items():
        file = pictures.sized_file(image.file.rsplit("/", 1)[-1], width, height)
        made[name] = {
            "file": file,
            "width": width,
            "height": height,
            "mime_type": "image/png",
            "source_url": f"{folder}/{file}",
        }
    made["full"] = {
        "file": image.file.rsplit("/", 1)[-1],
        "width": image.width,
        "height": image.height,
        "mime_type": "image/png",
        "source_url": image.url,
    }
    return made


# -- parameters ----------------------------------------------------------------------------


def _list(query: Query, name: str) -> list[str]:
    """An array parameter, given as ``a,b``, repeated, or as ``name[]=``."""
    values = query.get(name, []) + query.get(name + "[]", [])
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _ids(query: Query, name: str) -> list[int]:
    try:
        return [int(item) for item in _list(query, name)]
    except ValueError:
        raise _BadParam(name, f"{name}[0] is not of type integer.") from None


def _int(query: Query, name: str, default: int, *, minimum: int = 1, maximum: int = 0) -> int:
    raw = query.get(name, [""])[0]
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _BadParam(name, f"{name} is not of type integer.") from None
    if value < minimum or (maximum and value > maximum):
        # WordPress's words, without a full stop.
        bounds = f"between {minimum} (inclusive) and {maximum} (inclusive)"
        wanted = bounds if maximum else f"greater than or equal to {minimum}"
        raise _BadParam(name, f"{name} must be {wanted}", "rest_out_of_bounds")
    return value


def _paging(query: Query) -> tuple[int, int]:
    return _int(query, "page", 1), _int(query, "per_page", 10, maximum=MAX_PER_PAGE)


def _moment(query: Query, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(query[name][0])
    except ValueError:
        raise _BadParam(name, f"Invalid date for {name}.") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _embed_wanted(query: Query) -> frozenset[str] | None:
    if "_embed" not in query:
        return None
    wanted = {item for item in _list(query, "_embed") if item not in ("1", "true")}
    return frozenset(wanted)


def _fields_wanted(query: Query) -> frozenset[str] | None:
    fields = _list(query, "_fields")
    return frozenset(field.split(".")[0] for field in fields) if fields else None


def _trim(data: Json, fields: frozenset[str] | None) -> Json:
    if fields is None:
        return data
    return {key: value for key, value in data.items() if key in fields or key == "_embedded"}


def _invalid(bad: _BadParam) -> Answer:
    return error(
        400,
        "rest_invalid_param",
        f"Invalid parameter(s): {bad.name}",
        params={bad.name: bad.reason},
        details={bad.name: {"code": bad.code, "message": bad.reason, "data": None}}
        if bad.code
        else {},
    )


def _paging_headers(route: str, query: Query, page: int, pages: int, total: int) -> dict[str, str]:
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
    base = [(k, v) for k, values in query.items() if k != "page" for v in values]
    links = []
    if page > 1:
        # Past the end, WordPress's "prev" is the last page there is.
        before = min(page - 1, max(pages, 1))
        links.append(f'<{SITE}{route}?{urlencode([*base, ("page", before)])}>; rel="prev"')
    if page < pages:
        links.append(f'<{SITE}{route}?{urlencode([*base, ("page", page + 1)])}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return headers


API_LINK = f'<{SITE}/wp-json/>; rel="https://api.w.org/"'
"""The Link header WordPress sends with its pages, feeds, and REST answers without paging."""
