"""Where a key or a link leads, decided without a screen: each rule returns what to do.

The main screen asks the :class:`Navigator` (follow this link, the newer post, back...) and
applies the answer, one of the small values below; it decides nothing itself. The navigator
reads the store and the source and owns the back/forward :class:`History`, so every rule can be
tested on a store on disk in milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from enum import Enum

from reader.core.history import History
from reader.core.models import Link, LinkKind, Post, PostSummary, Section, SectionKind
from reader.core.records import record
from reader.core.source import Source
from reader.core.store import SourceScope, Store
from reader.core.urls import (
    fragment,
    host_and_port,
    is_followable,
    same_site,
    scheme,
    topic_id,
    topic_slug,
)

# -- lists the reader reads from -------------------------------------------------------------


class Shelf(Enum):
    """A sidebar list that is not a category of the site."""

    ALL_POSTS = "all posts"
    """Every post, shown for feeds without sections."""
    BOOKMARKS = "bookmarks"
    """The bookmarked posts, newest bookmark first."""
    UNREAD = "unread"
    """Every unread post of every source, newest first (shown when there are several)."""


@record
class Category:
    """A section or topic of one source: with several sources, slugs repeat across them."""

    slug: str
    source_id: int


@record
class AllOf:
    """Every post of one source (a feed without sections, among several sources)."""

    source_id: int


Group = str | Category | AllOf | Shelf
"""A sidebar list: a category's slug (one source), a source's category or posts, or a shelf."""


def category_of(group: Group | None) -> str | None:
    """The category slug a list stands for; None (every post) for shelves and no list."""
    if isinstance(group, Category):
        return group.slug
    return group if isinstance(group, str) else None


def _place_of(post_id: int, listed: Sequence[PostSummary]) -> int | None:
    """Where the post ``post_id`` is in ``listed``, or None."""
    return next((i for i, post in enumerate(listed) if post.id == post_id), None)


def _link_kind(url: str) -> SectionKind:
    """What a "Read more about" link names, by its address: a tag, else a topic."""
    where = topic_slug(url)
    return SectionKind.TAG if where is not None and where[0] == "tag" else SectionKind.TOPIC


def source_of(group: Group | None) -> int | None:
    """The source a list belongs to, or None when it spans them (or there is one)."""
    return group.source_id if isinstance(group, Category | AllOf) else None


# -- where the reader asked to go (what pickers and the sidebar hand back) -------------------


@record
class StoredPost:
    """A post of the store, by its id."""

    id: int


@record
class PostAt:
    """An in-site post by its address: from the store, a bookmark, or else the network."""

    url: str


@record
class LinkTo:
    """A link, followed the way the site means it (in the reader, the sidebar, or outside)."""

    url: str


@record
class ListOf:
    """A section or topic, opened in the sidebar."""

    slug: str
    source_id: int | None = None
    """Whose category it is, among several sources."""


Target = StoredPost | PostAt | LinkTo | ListOf
"""Somewhere the reader picked to go."""


@record
class PostTopic:
    """One of a post's sections, topics or tags, to jump to (``t``)."""

    kind: SectionKind
    name: str
    target: Target


# -- what to do (the screen applies these) ---------------------------------------------------


@record
class OpenPost:
    """Show this post."""

    post: Post
    scroll_y: float = 0.0
    """How far down to show it (where the reader was, when going back)."""
    note: str = ""
    """Said in the status line instead of the post's address."""
    remember: bool = True
    """A new visit for the history; False when the history already moved (back/forward)."""
    anchor: str = ""
    """The part of the article to show (a link's ``#fragment``); "" for its top."""

    @property
    def mark_read(self) -> bool:
        """True when opening it makes a stored unread post read."""
        return not self.post.read and self.post.id > 0

    def fetch_page(self, source: Source) -> bool:
        """True when its page should be read for the body, navigation and topics."""
        return not self.post.page_fetched and source.is_site and self.post.id > 0


@record
class ByDate:
    """Where n and p go by date from one post: its neighbours in its source's date order, each
    only where the post has no post navigation of that kind (none: the end of the site)."""

    newer: PostSummary | None = None
    older: PostSummary | None = None
    settled: bool = False
    """The site will bring no post navigation of its own: the post's page was read, or it has
    none (a feed's post). Before that, n and p still go by date, but the header names no
    post: the page may bring the site's own links."""

    def near(self, kind: LinkKind) -> PostSummary | None:
        """The post ``kind`` (newer or older) goes to by date, if any."""
        if kind is LinkKind.NEWER:
            return self.newer
        return self.older if kind is LinkKind.OLDER else None

    def links(self) -> tuple[Link, ...]:
        """The posts the header names on its by-date lines: newer, then older."""
        if not self.settled:
            return ()
        return tuple(
            Link(kind, near.url, near.title)
            for kind, near in ((LinkKind.NEWER, self.newer), (LinkKind.OLDER, self.older))
            if near is not None
        )


@record
class OpenGroup:
    """Open a section, topic or tag in the sidebar."""

    slug: str
    name: str
    count: int
    group: Group | None = None
    """The sidebar list to open when it is not the slug itself (several sources)."""
    unread: int = field(default=0, compare=False)
    tag: bool = field(default=False, compare=False)
    """True for a tag: the sidebar lists one only once it is opened."""


@record
class FetchThenOpen:
    """Read an in-site page the store does not hold, store it, then show it."""

    url: str

    @property
    def anchor(self) -> str:
        """The part of the page to show once it is read (its ``#fragment``)."""
        return fragment(self.url)


@record
class OpenOutside:
    """Open a link that is not part of the site: the browser locally, the clipboard over SSH."""

    url: str


@record
class Copy:
    """Copy this text to the clipboard (OSC 52) and say so."""

    text: str
    message: str


@record
class Refused:
    """Go nowhere, and say why."""

    reason: str
    error: bool = False
    """True for a problem (shown as an error), False for a plain fact ("the newest post")."""


Move = OpenPost | OpenGroup | FetchThenOpen | OpenOutside | Copy | Refused
"""What a key or a link does."""


class HistoryStep(Enum):
    """A step through the back/forward history."""

    BACK = "back"
    FORWARD = "forward"


# -- typing link numbers -----------------------------------------------------------------------


@record
class FollowNumber:
    """Follow link ``number`` now: no longer number could be meant."""

    number: int


@record
class WaitForDigit:
    """Wait a moment for a second digit (``1`` may be the start of ``12``)."""

    number: int


def typed_link(digits: str, count: int) -> FollowNumber | WaitForDigit | Refused:
    """What typing ``digits`` does in an article with ``count`` numbered links."""
    number = int(digits)
    if number == 0 or number > count:
        return Refused(f"No link {number}: this article has {count}.", error=True)
    if number * 10 > count:
        return FollowNumber(number)
    return WaitForDigit(number)


BOOKMARK_NOTE = "Opened from your bookmark (the post is no longer in the store)."


class Navigator:
    """The rules of where each key and link leads, over one store and its sources."""

    def __init__(
        self,
        store: Store,
        source: Source,
        history: History | None = None,
        *,
        sources: Sequence[Source] = (),
    ) -> None:
        self.store = store
        self.sources = tuple(sources) or (source,)
        """Every source read, the first one first."""
        self.source = self.sources[0]
        self.history = history if history is not None else History()
        """Where the reader has been, for back and forward."""

    @property
    def several(self) -> bool:
        """True when more than one source is read (the sidebar has a tree for each)."""
        return len(self.sources) > 1

    @property
    def scope(self) -> Source | tuple[Source, ...]:
        """The sources every list, count and search is limited to: the one read, or all read.

        A store may keep other sources' rows (read once with ``--site``, or dropped from the
        config): a reader shows none of them, in its lists, its counts or its searches.
        """
        return self.sources if self.several else self.source

    def last_updated(self) -> int | None:
        """When the last refresh that read something ended: the newest of the sources' last
        successful syncs (Unix time), or None when none has had one.

        The oldest of them stood still while one source kept failing, whatever the refresh
        just read ("updated 3 days ago" after a refresh that read the other sources): the
        status line says how many sources failed instead (see ``StatusLine.failed``).
        """
        times = [t for s in self.sources if (t := self.store.last_synced(s)) is not None]
        return max(times) if times else None

    def _source_of(self, group: Group | None) -> SourceScope:
        """Whose posts a list shows: the list's own source, else the one read."""
        mine = source_of(group)
        return mine if mine is not None else self.scope

    def owner_of(self, url: str) -> Source | None:
        """The source whose site ``url`` is on, so it opens inside the reader; else None.

        A site is every address it calls itself by (its REST index, feed and canonical
        links say them), as well as the one typed.
        """
        owner = next((source for source in self.sources if source.owns(url)), None)
        if owner is not None:
            return owner
        where = host_and_port(url)
        if not where or not is_followable(url):
            return None
        return next(
            (
                source
                for source in self.sources
                if source.is_site and where in self.store.site_addresses(source)
            ),
            None,
        )

    def source_for(self, post: Post) -> Source:
        """The source a post belongs to (its own, else the first)."""
        for source in self.sources:
            if post.source_id and self.store.source_id(source) == post.source_id:
                return source
        return self.owner_of(post.url) or self.source

    # -- opening -----------------------------------------------------------------------------

    def open(self, post: Post, *, note: str = "", anchor: str = "") -> OpenPost:
        """Show ``post`` as a new visit (at the element ``anchor`` names, if any)."""
        return OpenPost(post, note=note, anchor=anchor)

    def visit(self, url: str, scroll_y: float = 0.0, *, leaving_at: float | None = None) -> None:
        """Record that the reader opened ``url``, leaving the article before at ``leaving_at``."""
        if leaving_at is not None:
            self.history.remember_scroll(leaving_at)
        self.history.visit(url, scroll_y)

    def go_to(self, target: Target) -> Move:
        """Where a target picked in the sidebar, a picker or the palette leads."""
        if isinstance(target, StoredPost):
            return self.stored(target.id)
        if isinstance(target, PostAt):
            return self.post_at(target.url)
        if isinstance(target, LinkTo):
            return self.follow(target.url)
        return self.group(target.slug, source_id=target.source_id)

    def stored(self, post_id: int) -> Move:
        """A stored post by id."""
        post = self.store.post(post_id)
        if post is None:
            return Refused("That post is no longer in the store.", error=True)
        return self.open(post)

    def post_at(self, url: str) -> Move:
        """An in-site post link: from the store, else from its bookmark, else the network."""
        post = self.store.find_readable(url)
        if post is None:
            # 'reader open' of a category or tag address hands one over too: it opens the
            # list; fetched, the archive was stored as a post.
            owner = self.owner_of(url)
            listed = self._topic(owner, url) if owner is not None else None
            return listed if listed is not None else FetchThenOpen(url)
        # A post the store let go is only a bookmark's snapshot, which has an id of its own
        # below zero (see Store.bookmark).
        note = BOOKMARK_NOTE if post.id < 0 else ""
        return self.open(post, note=note, anchor=fragment(url))

    def group(self, slug: str, *, source_id: int | None = None) -> Move:
        """A section or topic, by slug (of one source, among several), as the sidebar lists it."""
        section = self.store.section(slug, source=self.scope if source_id is None else source_id)
        if section is None or (section.kind is SectionKind.TAG and not section.count):
            return Refused(f"No stored posts in {slug}.", error=True)
        tag = section.kind is SectionKind.TAG
        where = Category(section.slug, section.source_id) if self.several else None
        return OpenGroup(section.slug, section.name, section.count, where, section.unread, tag)

    def follow(self, url: str) -> Move:
        """A link of an article, the way the site means it: in the reader, the sidebar, outside."""
        kind = scheme(url)
        if kind == "mailto":
            address = url.removeprefix("mailto:")
            return Copy(address, f"E-mail address copied: {address}")
        if not is_followable(url):
            return Refused(f"Not followed ({kind or 'unknown'} link): {url}", error=True)
        stored = self.store.find_post(url)
        if stored is not None and same_site(stored.url, url):
            # A post we hold opens inside the reader whatever its source: a feed's own posts
            # linking to each other, or one source's article linking to another's post.
            return self.open(stored, anchor=fragment(url))
        owner = self.owner_of(url)
        if owner is not None:
            return self._topic(owner, url) or self.post_at(url)
        return OpenOutside(url)

    def _topic(self, owner: Source, url: str) -> Move | None:
        """The list a category or tag address of ``owner``'s site opens; None for another."""
        where = topic_slug(url)
        if where is not None:
            source_id = self.store.source_id(owner) if self.several else None
            return self.group(where[1], source_id=source_id)
        numbered = topic_id(url)
        slug = self.store.term_slug(owner, *numbered) if numbered is not None else None
        if slug is not None:
            # ?cat=ID: the term's id, known from the source's REST API; an id it never
            # named is opened as any other address of the site.
            return self.group(slug, source_id=self.store.source_id(owner))
        return None

    def outside(self, url: str) -> Move:
        """Open ``url`` in the browser (``o``), http(s) only."""
        if not is_followable(url):
            return Refused(f"Not opened: {url}", error=True)
        return OpenOutside(url)

    # -- the site's own navigation -----------------------------------------------------------

    def newer(self, post: Post | None, by_date: ByDate | None = None) -> Move:
        """The newer post: the site's post navigation, else the next by date (``by_date``,
        when the screen keeps what :meth:`by_date` said for the post shown)."""
        return self._site_link(post, LinkKind.NEWER, by_date)

    def older(self, post: Post | None, by_date: ByDate | None = None) -> Move:
        """The older post: the site's post navigation, else the previous by date."""
        return self._site_link(post, LinkKind.OLDER, by_date)

    def read_next(self, post: Post | None) -> Move:
        """The site's "read this next" post."""
        return self._site_link(post, LinkKind.READ_NEXT, None)

    def by_date(self, post: Post) -> ByDate:
        """Where n and p go by date from ``post``: the one rule for both the keys and the
        header that names where they lead (raises StoreError when the store cannot say)."""
        newer = older = None
        if post.link(LinkKind.NEWER) is None:
            newer = self.store.neighbour(post.id, newer=True)
        if post.link(LinkKind.OLDER) is None:
            older = self.store.neighbour(post.id, newer=False)
        settled = post.page_fetched or not self.source_for(post).is_site
        return ByDate(newer, older, settled)

    def _site_link(self, post: Post | None, kind: LinkKind, by_date: ByDate | None) -> Move:
        if post is None:
            return Refused("Open a post first.")
        link = post.link(kind)
        if link is not None:
            return self.follow(link.url)
        if kind is LinkKind.READ_NEXT:
            return Refused("This post has no “read this next”.")
        newer = kind is LinkKind.NEWER
        neighbour = (by_date if by_date is not None else self.by_date(post)).near(kind)
        if neighbour is None:
            return Refused("This is the newest post." if newer else "This is the oldest post.")
        move = self.stored(neighbour.id)
        if isinstance(move, OpenPost) and post.page_fetched:
            # Said only when the page was read and has none: before that, date order is
            # simply what the reader has.
            # Where n or p went first, so that a narrow status line cut short still says it;
            # short enough to fit whole at 80 columns beside "updated 12 min ago".
            word = "Newer" if newer else "Older"
            note = f"{word} post by date: the site has no post navigation."
            return OpenPost(move.post, note=note)
        return move

    def topics(self, post: Post) -> list[PostTopic]:
        """A post's sections, topics and tags to jump to, in the order its header names them
        (sections, then topics, then tags), each with its kind.

        Each is the store's list of that name; a name the store has no list of opens by the
        page's "Read more about" link of that name. The page's links the post's names lack
        come last: the page's order (Kidney, News) had the picker disagree with the header
        (News · Kidney) on the same post.
        """
        mine = post.source_id if self.several and post.source_id else None
        known: dict[str, Section] = {}
        for listed in self.store.sections(include_tags=True, source=mine or self.scope):
            known.setdefault(listed.name, listed)
        linked = [link for link in post.links if link.kind is LinkKind.TOPIC]
        by_text = {link.text: link.url for link in linked if link.text}
        found: list[PostTopic] = []
        for name in dict.fromkeys((*post.sections, *post.tags)):
            section = known.get(name)
            if section is not None:
                found.append(PostTopic(section.kind, name, ListOf(section.slug, mine)))
            elif name in by_text:
                kind = SectionKind.TAG if name in post.tags else _link_kind(by_text[name])
                found.append(PostTopic(kind, name, LinkTo(by_text[name])))
        named = {topic.name for topic in found}
        for link in linked:
            name = link.text or link.url
            if name not in named:
                named.add(name)
                found.append(PostTopic(_link_kind(link.url), name, LinkTo(link.url)))
        return found

    # -- lists -------------------------------------------------------------------------------

    def posts_of(self, group: Group, *, limit: int | None = None) -> list[PostSummary]:
        """The posts a sidebar list shows, in its order (its first ``limit`` when given)."""
        if group is Shelf.BOOKMARKS:
            return [
                PostSummary(b.post.id, b.post.title, b.url, b.created, True, True, b.post.source_id)
                for b in self.store.bookmarks()
            ][:limit]
        if group is Shelf.UNREAD:
            return self.store.posts_in(unread=True, source=self.scope, limit=limit)
        return self.store.posts_in(category_of(group), source=self._source_of(group), limit=limit)

    def in_list(
        self,
        post: Post | None,
        group: Group | None,
        step: int,
        *,
        shown: Sequence[PostSummary] | None = None,
    ) -> Move:
        """The post ``step`` places from ``post`` in the list it was opened from.

        ``shown`` is that list as the reader sees it, when the caller has it: a list of
        55,000 posts read again for each step cost half a second and as many summaries. A
        post opened from outside that list ('reader open', a link, a search) steps through
        its own section instead.
        """
        if post is None:
            return Refused("Open a post from a list first.")
        if group is None:
            listed: Sequence[PostSummary] = []
        else:
            listed = shown if shown is not None else self.posts_of(group)
        at = _place_of(post.id, listed)
        if at is None:
            group = self.home_of(post)
            listed = self.posts_of(group) if group is not None else []
            at = _place_of(post.id, listed)
        if at is None:
            return Refused("This post is in no list to step through.")
        index = at + step
        if not 0 <= index < len(listed):
            return Refused("End of the list.")
        if group is Shelf.BOOKMARKS:
            return self.post_at(listed[index].url)
        return self.stored(listed[index].id)

    def home_of(self, post: Post) -> Group | None:
        """The list a post belongs to: its first section, else its first topic."""
        if post.id <= 0:
            return None
        mine = post.source_id or None
        found = {
            s.name: s
            for s in self.store.sections(source=mine if mine is not None else self.scope)
            if s.kind is not SectionKind.TAG
        }
        named = [found[name] for name in post.sections if name in found]
        named.sort(key=lambda s: s.kind is not SectionKind.SECTION)
        if not named:
            return None
        home = named[0]
        return Category(home.slug, home.source_id) if self.several else home.slug

    def next_unread(
        self,
        post: Post | None,
        group: Group | None,
        *,
        shown: Sequence[PostSummary] | None = None,
    ) -> Move:
        """The first unread post of the list after ``post``, wrapping to the top (as newsboat's
        ``n``); the newest unread of the list when ``post`` is not in it; else of the store.

        ``shown`` is the list as the reader sees it, when the caller has it (see ``in_list``).
        """
        unread = [
            p
            for p in self.store.posts_in(
                category_of(group), source=self._source_of(group), unread=True
            )
            if post is None or p.id != post.id
        ]
        if not unread:
            unread = self.store.posts_in(unread=True, source=self.scope)
        if not unread:
            return Refused("No unread posts.")
        if post is not None and group is not None and len(unread) > 1:
            listed = shown if shown is not None else self.posts_of(group)
            at = _place_of(post.id, listed)
            if at is not None:
                ids = {p.id for p in unread}
                count = len(listed)
                after = (listed[(at + step) % count] for step in range(1, count))
                found = next((p for p in after if p.id in ids), None)
                if found is not None:
                    return self.stored(found.id)
        return self.stored(unread[0].id)

    # -- history -----------------------------------------------------------------------------

    def through_history(self, step: HistoryStep, *, leaving_at: float | None = None) -> Move:
        """Back or forward, to where the reader was in that article."""
        if leaving_at is not None:
            self.history.remember_scroll(leaving_at)
        back = step is HistoryStep.BACK
        place = self.history.back() if back else self.history.forward()
        if place is None:
            return Refused("Nothing further back." if back else "Nothing ahead.")
        post = self.store.find_readable(place.url)
        if post is None:
            return Refused(f"{place.url} is no longer stored.", error=True)
        return OpenPost(post, scroll_y=place.scroll_y, remember=False)
