"""The sample site's data: terms, authors, posts, and the site that holds them.

A :class:`Site` is what the sample server serves. Tests change it while the server runs
(:meth:`Site.add_post`, :meth:`Site.remove_post`, :meth:`Site.touch_post`), so every read and
write goes through one lock, and the orderings the pages need (newest first, older/newer, read
this next) are rebuilt lazily after a change.

Bodies and links hold ``{site}`` where the site's base URL goes; the server fills it in.
The site's clock is UTC, so ``date`` and ``date_gmt`` agree.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Literal

from reader.sample import markup

Taxonomy = Literal["category", "post_tag"]
Role = Literal["section", "topic", "tag"]

SITE = "{site}"
"""The placeholder for the base URL (no trailing slash) in bodies and links."""


@dataclass(frozen=True)
class Term:
    """A category (a section or a topic) or a tag."""

    id: int
    name: str
    """The name as WordPress stores it: HTML-escaped, so ``Eye &amp; Vision``."""
    slug: str
    role: Role
    description: str = ""

    @property
    def taxonomy(self) -> Taxonomy:
        """``category`` for sections and topics, ``post_tag`` for tags."""
        return "post_tag" if self.role == "tag" else "category"

    @property
    def path(self) -> str:
        """The archive page of the term, e.g. ``/category/news/``."""
        return f"/{'tag' if self.role == 'tag' else 'category'}/{self.slug}/"

    @property
    def plain_name(self) -> str:
        """The name as a reader sees it."""
        return html.unescape(self.name)


@dataclass(frozen=True)
class Author:
    """A person (or an office) who writes posts."""

    id: int
    name: str
    slug: str
    description: str = ""

    @property
    def path(self) -> str:
        """The author's archive page."""
        return f"/author/{self.slug}/"


@dataclass(frozen=True)
class Image:
    """An uploaded image, used as a featured image and in "read this next"."""

    id: int
    file: str
    """Path under ``/wp-content/uploads/``, e.g. ``2025/03/kidney-organoid.png``."""
    alt: str
    caption: str = ""
    width: int = 1024
    height: int = 683

    @property
    def url(self) -> str:
        """The image's address, with the ``{site}`` placeholder."""
        return f"{SITE}/wp-content/uploads/{self.file}"


@dataclass(frozen=True)
class SamplePost:
    """One published post, as the database behind a WordPress site holds it."""

    id: int
    slug: str
    title: str
    """The title as the editor typed it; :attr:`rendered_title` is what the site prints."""
    author: str
    """The author's slug."""
    published: datetime
    modified: datetime
    section: str
    """Slug of the one section (News, Events, Videos, Impact Reports and Newsletters)."""
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    body: str
    """The rendered HTML of the body, with ``{site}`` placeholders."""
    excerpt_only: bool = False
    """True when the feed item carries only the excerpt (no ``content:encoded``)."""
    image: Image | None = None
    format: Literal["standard", "video"] = "standard"

    @property
    def path(self) -> str:
        """The permalink path: ``/YYYY/MM/DD/slug/``."""
        return f"/{self.published:%Y/%m/%d}/{self.slug}/"

    @property
    def categories(self) -> tuple[str, ...]:
        """The slugs of the post's categories: its section, then its topics."""
        return (self.section, *self.topics)

    def body_at(self, base: str) -> str:
        """The body with the site's address (no trailing slash) in place of ``{site}``."""
        return self.body.replace(SITE, base)

    @property
    def permalink(self) -> str:
        """The permalink with the ``{site}`` placeholder."""
        return SITE + self.path

    @property
    def shortlink(self) -> str:
        """``{site}/?p=ID``: the guid and the shortlink of the post."""
        return f"{SITE}/?p={self.id}"

    @cached_property
    def rendered_title(self) -> str:
        """The title as WordPress prints it, with ``&#8217;`` and friends."""
        return markup.render_title(self.title)

    @cached_property
    def reading_minutes(self) -> int:
        """Words divided by 200, rounded up, at least one."""
        return markup.reading_minutes(self.body)

    @cached_property
    def search_text(self) -> str:
        """Title and body as lower-case plain text, for the REST ``search`` parameter."""
        return (self.title + " " + markup.plain_text(self.body)).lower()

    @cached_property
    def excerpt(self) -> str:
        """The excerpt WordPress makes by itself: the body's first 55 words, tags removed."""
        return " ".join(markup.excerpt_words(self.body)[0])

    @cached_property
    def teaser(self) -> str:
        """A one-sentence caption for the "read this next" box."""
        return markup.teaser(self.body)


@dataclass
class _Orderings:
    """Everything derived from the set of posts, rebuilt after each change."""

    newest_first: tuple[SamplePost, ...]
    position: dict[int, int]
    by_path: dict[str, int]
    by_slug: dict[str, int]
    by_term: dict[tuple[str, str], tuple[SamplePost, ...]]
    by_author: dict[str, tuple[SamplePost, ...]]
    related: dict[int, int] = field(default_factory=dict)


_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


def slugify(title: str) -> str:
    """A post slug from a typed title, as WordPress makes one (ASCII letters and digits)."""
    folded = html.unescape(title).lower().replace("’", "").replace("'", "")
    return _SLUG_JUNK.sub("-", folded).strip("-") or "post"


class Site:
    """A WordPress site in memory: what the sample server serves, and what tests change."""

    def __init__(
        self,
        *,
        title: str,
        tagline: str,
        terms: Iterable[Term],
        authors: Iterable[Author],
        posts: Iterable[SamplePost],
        language: str = "en-US",
    ) -> None:
        self.title = title
        """The site title as typed (``USC Stem Cell (sample)``)."""
        self.tagline = tagline
        self.language = language
        self.lock = threading.RLock()
        """Held by the server while it renders, and by every change."""
        self._terms: dict[tuple[str, str], Term] = {(t.taxonomy, t.slug): t for t in terms}
        self._terms_by_id = {term.id: term for term in self._terms.values()}
        self._authors = {author.slug: author for author in authors}
        self._authors_by_id = {author.id: author for author in self._authors.values()}
        self._posts = {post.id: post for post in posts}
        self._orderings: _Orderings | None = None
        self._version = 0
        latest = max((post.modified for post in self._posts.values()), default=None)
        self._changed_at = latest or datetime(2024, 1, 1, tzinfo=UTC)

    # -- reading ---------------------------------------------------------------------------

    @property
    def version(self) -> int:
        """Counts the changes made through this object's methods (the server's answers follow)."""
        return self._version

    @property
    def changed_at(self) -> datetime:
        """When the site last changed: the newest ``modified``, or the last edit by a test."""
        return self._changed_at

    def posts(self) -> tuple[SamplePost, ...]:
        """Every post, newest first."""
        return self._ordered().newest_first

    def post(self, post_id: int) -> SamplePost | None:
        """The post with this id, or None."""
        return self._posts.get(post_id)

    def post_at(self, path: str) -> SamplePost | None:
        """The post whose permalink path is ``path`` (trailing slash optional), or None."""
        post_id = self._ordered().by_path.get(path.rstrip("/") + "/")
        return None if post_id is None else self._posts.get(post_id)

    def post_by_slug(self, slug: str) -> SamplePost | None:
        """The post with this slug, or None."""
        post_id = self._ordered().by_slug.get(slug)
        return None if post_id is None else self._posts.get(post_id)

    def older(self, post: SamplePost) -> SamplePost | None:
        """The next older post (the page's ``rel=prev``), or None for the oldest."""
        orderings = self._ordered()
        index = orderings.position[post.id] + 1
        return orderings.newest_first[index] if index < len(orderings.newest_first) else None

    def newer(self, post: SamplePost) -> SamplePost | None:
        """The next newer post (the page's ``rel=next``), or None for the newest."""
        orderings = self._ordered()
        index = orderings.position[post.id] - 1
        return orderings.newest_first[index] if index >= 0 else None

    def read_this_next(self, post: SamplePost) -> SamplePost | None:
        """A related post on the same topic: the nearest older one, else the nearest newer."""
        related = self._ordered().related.get(post.id)
        return None if related is None else self._posts.get(related)

    def posts_in(self, term: Term) -> tuple[SamplePost, ...]:
        """The posts filed under a section, topic or tag, newest first."""
        return self._ordered().by_term.get((term.taxonomy, term.slug), ())

    def posts_by(self, author: Author) -> tuple[SamplePost, ...]:
        """The posts of one author, newest first."""
        return self._ordered().by_author.get(author.slug, ())

    def terms(self, taxonomy: Taxonomy | None = None) -> list[Term]:
        """All terms, or those of one taxonomy, in id order."""
        found = (t for t in self._terms.values() if taxonomy is None or t.taxonomy == taxonomy)
        return sorted(found, key=lambda term: term.id)

    def term(self, slug: str, taxonomy: Taxonomy = "category") -> Term | None:
        """A category (or, with ``taxonomy="post_tag"``, a tag) by slug."""
        return self._terms.get((taxonomy, slug))

    def term_by_id(self, term_id: int) -> Term | None:
        """A category or tag by id."""
        return self._terms_by_id.get(term_id)

    def post_terms(self, post: SamplePost) -> tuple[list[Term], list[Term]]:
        """A post's categories (section first, then topics) and its tags."""
        categories = [self._terms[("category", slug)] for slug in (post.section, *post.topics)]
        tags = [self._terms[("post_tag", slug)] for slug in post.tags]
        return categories, tags

    def authors(self) -> list[Author]:
        """Every author, in id order."""
        return sorted(self._authors.values(), key=lambda author: author.id)

    def author(self, slug: str) -> Author | None:
        """An author by slug."""
        return self._authors.get(slug)

    def author_by_id(self, author_id: int) -> Author | None:
        """An author by id."""
        return self._authors_by_id.get(author_id)

    def author_of(self, post: SamplePost) -> Author:
        """The author of a post."""
        return self._authors[post.author]

    # -- changing --------------------------------------------------------------------------

    def add_post(
        self,
        title: str,
        body: str | None = None,
        *,
        section: str = "news",
        topics: Iterable[str] = ("brain",),
        tags: Iterable[str] = (),
        author: str | None = None,
        slug: str | None = None,
        excerpt_only: bool = False,
        published: datetime | None = None,
    ) -> SamplePost:
        """Publish a new post, by default the newest one, and return it."""
        with self.lock:
            moment = self._tick()
            post = SamplePost(
                id=max(self._posts, default=0) + 7,
                slug=slug or self._free_slug(slugify(title)),
                title=title,
                author=author or self.authors()[0].slug,
                published=published or moment,
                modified=moment,
                section=section,
                topics=tuple(topics),
                tags=tuple(tags),
                body=body if body is not None else _default_body(title),
                excerpt_only=excerpt_only,
            )
            self._check_terms(post)
            self._posts[post.id] = post
            self._orderings = None
            return post

    def remove_post(self, post_id: int) -> SamplePost:
        """Unpublish a post (KeyError when there is none) and return it."""
        with self.lock:
            post = self._posts.pop(post_id)
            self._tick()
            self._orderings = None
            return post

    def touch_post(
        self, post_id: int, *, title: str | None = None, body: str | None = None
    ) -> SamplePost:
        """Edit a post: bump its ``modified`` (and so its ETag), optionally with new text."""
        with self.lock:
            post = self._posts[post_id]
            changed = replace(
                post,
                modified=self._tick(),
                title=post.title if title is None else title,
                body=post.body if body is None else body,
            )
            self._posts[post_id] = changed
            self._orderings = None
            return changed

    # -- internals -------------------------------------------------------------------------

    def _tick(self) -> datetime:
        self._version += 1
        # Strictly later, to the second, than any earlier change: HTTP dates have one-second
        # resolution and If-Modified-Since must never hide a change made in the same second.
        now = datetime.now(UTC).replace(microsecond=0)
        self._changed_at = max(now, self._changed_at + timedelta(seconds=1))
        return self._changed_at

    def _free_slug(self, slug: str) -> str:
        taken = {post.slug for post in self._posts.values()}
        candidate, suffix = slug, 2
        while candidate in taken:
            candidate, suffix = f"{slug}-{suffix}", suffix + 1
        return candidate

    def _check_terms(self, post: SamplePost) -> None:
        for slug in (post.section, *post.topics):
            if ("category", slug) not in self._terms:
                raise KeyError(f"no category {slug!r}")
        for slug in post.tags:
            if ("post_tag", slug) not in self._terms:
                raise KeyError(f"no tag {slug!r}")
        if post.author not in self._authors:
            raise KeyError(f"no author {post.author!r}")

    def _ordered(self) -> _Orderings:
        with self.lock:
            if self._orderings is None:
                self._orderings = self._build_orderings()
            return self._orderings

    def _build_orderings(self) -> _Orderings:
        newest = tuple(
            sorted(self._posts.values(), key=lambda p: (p.published, p.id), reverse=True)
        )
        by_term: dict[tuple[str, str], list[SamplePost]] = {}
        by_author: dict[str, list[SamplePost]] = {}
        for post in newest:
            for key in (
                ("category", post.section),
                *(("category", slug) for slug in post.topics),
                *(("post_tag", slug) for slug in post.tags),
            ):
                by_term.setdefault(key, []).append(post)
            by_author.setdefault(post.author, []).append(post)
        orderings = _Orderings(
            newest_first=newest,
            position={post.id: index for index, post in enumerate(newest)},
            by_path={post.path: post.id for post in newest},
            by_slug={post.slug: post.id for post in newest},
            by_term={key: tuple(posts) for key, posts in by_term.items()},
            by_author={key: tuple(posts) for key, posts in by_author.items()},
        )
        for topic_key, posts in orderings.by_term.items():
            term = self._terms.get(topic_key)
            if term is None or term.role != "topic":
                continue
            for index, post in enumerate(posts):
                if post.topics and ("category", post.topics[0]) == topic_key:
                    neighbour = index + 1 if index + 1 < len(posts) else index - 1
                    if neighbour >= 0:
                        orderings.related[post.id] = posts[neighbour].id
        return orderings


def _default_body(title: str) -> str:
    """A short body for a post a test adds without one."""
    words = markup.texturize(
        "This post was added while the site was running. It has a single paragraph of text "
        "so that its page, its feed item and its REST entry all have something to show, and "
        "a link back to the home page for good measure."
    )
    return f'<p>{markup.render_title(title)}: {words} <a href="{SITE}/">Home</a></p>\n'
