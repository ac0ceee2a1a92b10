"""The reader's data: frozen dataclasses shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum

from reader.core.records import record


class LinkKind(StrEnum):
    """What a link extracted from an article page means to the reader."""

    OLDER = "prev"
    """The site's post navigation: the older post (``rel=prev``)."""
    NEWER = "next"
    """The site's post navigation: the newer post (``rel=next``)."""
    READ_NEXT = "related"
    """The "read this next" box."""
    TOPIC = "topic"
    """A "Read more about" category or tag link."""
    INLINE = "inline"
    """A link inside the article body."""
    FEATURED = "featured"
    """The post's featured image: the URL is the image file's, the text its alt text."""


class SectionKind(StrEnum):
    """How the sidebar groups a category."""

    SECTION = "section"
    TOPIC = "topic"
    TAG = "tag"


class Origin(IntEnum):
    """Where a post's text came from, poorest first: a richer source is never replaced."""

    NONE = 0
    """No body yet (an excerpt-only feed item)."""
    FEED = 1
    """The feed's ``content:encoded`` (emoji as pictures, maybe cut short by plugins)."""
    PAGE = 2
    """The article page, as the theme prints it."""
    REST = 3
    """The REST API's ``content.rendered``: the body as WordPress renders it, whole."""


@record
class Link:
    """A link from an article: its kind, absolute URL and (cleaned) text."""

    kind: LinkKind
    url: str
    text: str = ""


@record
class Section:
    """A sidebar group: a section, a topic or a tag, with its post counts."""

    slug: str
    name: str
    kind: SectionKind
    count: int = 0
    unread: int = 0
    source_id: int = 0
    """The source whose category this is (slugs are unique within a source only)."""


@record
class StoredSource:
    """A source the store holds rows of, with its counts."""

    id: int
    key: str
    """Who it is, whatever the spelling of its address (see ``source.source_key``)."""
    url: str
    is_site: bool
    name: str
    """The name last given to it (``reader sources``), or empty."""
    title: str
    """The title its feed gives itself, or empty."""
    posts: int = 0
    unread: int = 0
    bookmarks: int = 0


@record
class RefreshFailure:
    """What a source's last refresh hit, kept by the store until a refresh of it works."""

    message: str
    offline: bool = False
    """True when the network could not be reached at all (not the site's own answer)."""
    failed_at: int = 0
    """When (Unix time)."""


@record
class PostSummary:
    """What the sidebar needs of a post: no body, so lists of thousands stay cheap."""

    id: int
    title: str
    url: str
    published: datetime
    read: bool = False
    bookmarked: bool = False
    source_id: int = 0
    """The source it belongs to (0: none known, e.g. an imported bookmark)."""


@record
class Post:
    """A whole post as the store holds it. All text is already cleaned."""

    id: int
    url: str
    title: str
    author: str = ""
    published: datetime | None = None
    modified: datetime | None = None
    guid: str = ""
    wp_id: int | None = None
    excerpt: str = ""
    content: str = ""
    """Sanitized-on-render HTML of the body; empty until the page has been fetched."""
    reading_minutes: int | None = None
    sections: tuple[str, ...] = ()
    """Names of the categories this post belongs to (sections first, then topics)."""
    tags: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    read: bool = False
    bookmarked: bool = False
    page_fetched: bool = False
    source_id: int = 0
    """The source it belongs to (0: none known, e.g. an imported bookmark)."""

    def link(self, kind: LinkKind) -> Link | None:
        """The first link of ``kind``, e.g. the older post, or None."""
        return next((link for link in self.links if link.kind is kind), None)


@record
class SearchHit:
    """A search result: the post and the matching text in context."""

    post: PostSummary
    snippet: str


@record
class IncomingPost:
    """A post as sync hands it to the store: cleaned text, absolute URLs."""

    url: str
    title: str
    author: str = ""
    published: datetime | None = None
    modified: datetime | None = None
    guid: str = ""
    wp_id: int | None = None
    excerpt: str = ""
    content: str | None = None
    """None keeps whatever body the store already has (an excerpt-only feed item)."""
    categories: tuple[tuple[str, str], ...] = ()
    """(slug, name) of each category; sections and topics are decided by the store's sections."""
    tags: tuple[tuple[str, str], ...] = ()
    featured_image: Link | None = None
    """The featured image (REST ``wp:featuredmedia``), when the source names one."""
    origin: Origin = Origin.FEED
    """Which source this comes from: its categories, tags and body count for that much."""
    is_page: bool = False
    """A WordPress Page (``/contact/``): readable and cached, but not a post of any list."""
    utc_offset: int | None = None
    """Minutes the site's clock was ahead of UTC at ``published``, when the source says."""


@record
class Bookmark:
    """A bookmarked article, with the snapshot that lets it read offline."""

    url: str
    title: str
    created: datetime
    post: Post


@dataclass
class SyncReport:
    """What a sync did, for the status line and ``reader sync``."""

    url: str
    source: str = ""
    """The name of the source synced."""
    new: int = 0
    updated: int = 0
    unchanged: bool = False
    pages_fetched: int = 0
    errors: list[str] = field(default_factory=list)
    offline: bool = False
    notes: list[str] = field(default_factory=list)
    """What the site could not give, said once (no REST API, no post navigation...)."""

    @property
    def ok(self) -> bool:
        """True when nothing went wrong."""
        return not self.errors
