"""Where a URL points, in the reader's terms: the same site or not, which post, which topic.

In-site links on WordPress sites come in many spellings for one post: http or https, with or
without ``www.``, with or without a trailing slash, absolute, root-relative or ``../``, or as a
``?p=ID`` shortlink. :func:`post_key` folds them all to one key so the store can find the post.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

from reader.core.digits import small_number

FOLLOWABLE_SCHEMES = frozenset({"http", "https"})
_TRACKING = re.compile(r"^(utm_|fbclid$|gclid$|mc_)")
_TOPIC_PATH = re.compile(r"^/(category|tag)/(.+?)/?$")
_PAGED_SUFFIX = re.compile(r"/page/\d+$")
# An absolute http(s) address that urljoin and urlsplit take as it is, whatever the base: a
# lower-case scheme, a host without brackets, then visible ASCII only (no space, no controls,
# which urlsplit removes or checks), no ";" in the path (urlsplit would take it for parameters
# and rejoin them) and no "?" or "#" with nothing after it (urlunsplit drops those). Its
# classes, in ASCII ranges: the host's is "!" to "~" but / ? # [ ], the path's "!" to "~"
# but ? # ;, the query's "!" to "~" but #. Links in feeds and pages are nearly all of this
# kind, and urljoin costs ~10 us each (two urlparse and a urlunparse), thousands a cold sync.
PLAIN_ABSOLUTE = re.compile(
    r'https?://[!"$-.0->@-Z\\^-~]+(?:/[!"$-:<->@-~]*)?(?:\?[!"$-~]+)?(?:#[!-~]+)?'
)
"""Use with ``fullmatch``: an address that ``urljoin(base, url)`` returns unchanged for any
base (when the base is an address ``urlsplit`` takes, else urljoin raises ValueError)."""


def resolve(url: str, base: str) -> str:
    """Resolve ``url`` against ``base``, e.g. ``../x/`` against the post's own URL."""
    if PLAIN_ABSOLUTE.fullmatch(url):
        # What urljoin returns, and what a base urlsplit refuses leaves below.
        return url
    try:
        return urljoin(base, url.strip())
    except ValueError:
        return url


def scheme(url: str) -> str:
    """The lower-cased scheme of ``url``, or "" when it has none."""
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return ""


def is_followable(url: str) -> bool:
    """True for http(s) only: ``javascript:``, ``data:``, ``file:`` are shown, never followed."""
    return PLAIN_ABSOLUTE.fullmatch(url) is not None or scheme(url) in FOLLOWABLE_SCHEMES


def host_of(url: str) -> str:
    """The host, lower-cased and without ``www.``, so aliases of one site compare equal."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host.removeprefix("www.")


def fragment(url: str) -> str:
    """The ``#fragment`` of ``url`` (the part of a page it points at), or ""."""
    return url.partition("#")[2]


def same_site(url: str, site: str) -> bool:
    """True when ``url`` is on the site ``site``, ignoring scheme, ``www.`` and port defaults."""
    return bool(host_of(url)) and host_of(url) == host_of(site) and _port(url) == _port(site)


def _port(url: str) -> int | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if port in (80, 443):
        return None
    return port


def shortlink_id(url: str) -> int | None:
    """The post id of a ``?p=ID`` shortlink (also ``?page_id=`` pages), else None."""
    try:
        query = urlsplit(url).query
    except ValueError:
        return None
    for name, value in parse_qsl(query):
        if name in ("p", "page_id") and (number := small_number(value)) is not None:
            return number
    return None


def post_key(url: str) -> str:
    """One key for every spelling of a post's URL: the path, without host or trailing slash.

    Query strings are kept (minus tracking parameters) because some sites put the post in the
    query; fragments are dropped. A shortlink folds to ``?p=ID``.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    post_id = shortlink_id(url)
    if post_id is not None:
        return f"?p={post_id}"
    path = re.sub(r"/{2,}", "/", parts.path or "/").rstrip("/").lower() or "/"
    query = "&".join(
        f"{k}={v}"
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(k)
    )
    return f"{path}?{query}" if query else path


def host_and_port(url: str) -> str:
    """``host`` or ``host:port`` (a default port left out), lower-cased, without ``www.``."""
    port = _port(url)
    host = host_of(url)
    return f"{host}:{port}" if port is not None and host else host


def storage_key(url: str, guid: str = "", *, with_host: bool = False) -> str:
    """The key a post is stored under within its source: its URL's key, else its guid's.

    A site's posts are keyed by path alone, so every spelling of its host finds them; a feed's
    may come from many hosts (a planet, an aggregator), so its keys keep the host. Without the
    guid fallback, every post whose link was missing or a ``javascript:`` URL would share the
    key of "" and overwrite the others.
    """
    if url:
        key = post_key(url)
        return host_and_port(url) + key if with_host else key
    return "guid:" + (guid or "unknown")


def topic_slug(url: str) -> tuple[str, str] | None:
    """For ``/category/<slug>/`` or ``/tag/<slug>/`` links: ("category"|"tag", last slug)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.query and parts.path.rstrip("/") in ("", "/index.php"):
        # Plain permalinks (rewrites off) name a term in the query: ?tag=slug and
        # ?category_name=slug. ?cat=ID and ?tag_id=ID name it by number (see topic_id).
        query = dict(parse_qsl(parts.query))
        for key, kind in (("tag", "tag"), ("category_name", "category")):
            if query.get(key):
                return kind, query[key].rstrip("/").split("/")[-1].lower()
    path = _PAGED_SUFFIX.sub("", parts.path.rstrip("/"))
    match = _TOPIC_PATH.match(path + "/")
    if not match:
        return None
    # Child categories nest: /category/research/brain/ is the "brain" category.
    return match.group(1), match.group(2).rstrip("/").split("/")[-1].lower()


def topic_id(url: str) -> tuple[str, int] | None:
    """For a plain-permalink site's ``?cat=ID`` or ``?tag_id=ID``: ("category"|"tag", ID).

    WordPress links a category so when rewrites are off; the ID is the term's own (REST's),
    which only the source's stored terms turn into a slug.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if not parts.query or parts.path.rstrip("/") not in ("", "/index.php"):
        return None
    query = dict(parse_qsl(parts.query))
    for key, kind in (("cat", "category"), ("tag_id", "tag")):
        number = small_number(query.get(key, ""))
        if number is not None:
            return kind, number
    return None


def site_root(url: str) -> str:
    """``https://host/`` with a trailing slash, the base every WordPress path hangs from."""
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))
