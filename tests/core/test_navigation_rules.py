"""Where each key and link leads: the navigator's rules on a synced store, without a screen."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reader.core.fetch import Fetcher
from reader.core.models import Link, LinkKind, Post, SectionKind
from reader.core.navigation import (
    BOOKMARK_NOTE,
    ByDate,
    Copy,
    FetchThenOpen,
    FollowNumber,
    HistoryStep,
    LinkTo,
    ListOf,
    Move,
    Navigator,
    OpenGroup,
    OpenOutside,
    OpenPost,
    PostAt,
    PostTopic,
    Refused,
    Shelf,
    StoredPost,
    WaitForDigit,
    category_of,
    typed_link,
)
from reader.core.runner import with_fetcher
from reader.core.source import Source
from reader.core.store import Store
from reader.core.sync import complete_post
from tests.support.sites import ReadSite


@pytest.fixture
def navigator(store: Store, sample_site: str) -> Navigator:
    return Navigator(store, Source.site(sample_site))


def _post(store: Store, index: int = 0, slug: str | None = None) -> Post:
    post = store.post(store.posts_in(slug)[index].id)
    assert post is not None
    return post


def _opened(move: Move) -> Post:
    assert isinstance(move, OpenPost), move
    return move.post


def _with_links(store: Store, post: Post, *links: Link) -> Post:
    """``post`` as it is once its page was read and these links found on it."""
    store.save_page(post.id, content=None, links=list(links))
    stored = store.post(post.id)
    assert stored is not None
    # The featured image the REST API named stays: the page did not name another.
    assert tuple(link for link in stored.links if link.kind is not LinkKind.FEATURED) == links
    return stored


# -- following a link ---------------------------------------------------------------------------


def test_an_in_site_post_link_opens_in_the_reader_in_any_spelling(
    navigator: Navigator, store: Store
) -> None:
    post = _post(store, 3)
    plain = post.url.rstrip("/")
    for spelling in (post.url, plain, plain + "/?utm_source=mail", plain + "/#comments"):
        move = navigator.follow(spelling)
        assert _opened(move).id == post.id
        assert isinstance(move, OpenPost) and move.remember and move.note == ""


def test_topic_and_tag_links_open_their_lists(
    navigator: Navigator, store: Store, sample_site: str
) -> None:
    topic = next(s for s in store.sections() if s.kind is SectionKind.TOPIC)
    assert navigator.follow(f"{sample_site}category/{topic.slug}/") == OpenGroup(
        topic.slug, topic.name, topic.count
    )
    # Child categories and later pages of a list are the same list.
    nested = navigator.follow(f"{sample_site}category/research/{topic.slug}/page/2/")
    assert isinstance(nested, OpenGroup) and nested.slug == topic.slug
    tag = next(s for s in store.sections(include_tags=True) if s.kind is SectionKind.TAG)
    opened = navigator.follow(f"{sample_site}tag/{tag.slug}/")
    assert opened == OpenGroup(tag.slug, tag.name, tag.count) and opened.tag


def test_an_unstored_in_site_address_is_fetched_then_opened(
    navigator: Navigator, sample_site: str
) -> None:
    url = f"{sample_site}2031/01/01/not-stored-yet/"
    assert navigator.follow(url) == FetchThenOpen(url)


def test_a_post_the_store_let_go_opens_from_its_bookmark(
    navigator: Navigator, store: Store
) -> None:
    post = _post(store, 2)
    store.add_bookmark(post)
    store.remove_post(post.id)
    move = navigator.follow(post.url)
    assert isinstance(move, OpenPost)
    assert move.post.url == post.url and move.post.content == post.content
    assert move.note == BOOKMARK_NOTE
    # The snapshot is no stored post: it is not marked read and its page is not fetched.
    assert move.post.id < 0 and not move.mark_read
    assert not move.fetch_page(navigator.source)


def test_outside_links_mail_and_dangerous_schemes(navigator: Navigator) -> None:
    assert navigator.follow("https://example.com/paper") == OpenOutside("https://example.com/paper")
    assert navigator.follow("mailto:press@example.org") == Copy(
        "press@example.org", "E-mail address copied: press@example.org"
    )
    for url, kind in (
        ("javascript:alert(1)", "javascript"),
        ("data:text/html,<b>x</b>", "data"),
        ("file:///etc/passwd", "file"),
        ("no-scheme-at-all", "unknown"),
    ):
        assert navigator.follow(url) == Refused(f"Not followed ({kind} link): {url}", error=True)
    assert navigator.outside("javascript:alert(1)") == Refused(
        "Not opened: javascript:alert(1)", error=True
    )
    assert navigator.outside("https://example.com/") == OpenOutside("https://example.com/")


def test_a_stored_post_opens_inside_even_when_the_source_does_not_own_it(
    store: Store, tmp_path: object
) -> None:
    # A feed read from a file owns no address, but posts it holds still link to each other.
    navigator = Navigator(store, Source.feed("/nowhere/feed.xml"))
    post = _post(store, 5)
    assert _opened(navigator.follow(post.url)).id == post.id
    assert navigator.follow(post.url + "not-a-post/") == OpenOutside(post.url + "not-a-post/")


# -- the site's post navigation ------------------------------------------------------------------


def test_newer_and_older_follow_the_sites_post_navigation(
    navigator: Navigator, store: Store
) -> None:
    # Links that are not the date neighbours, so only the page's navigation can lead there.
    newest, oldest = _post(store, 0), _post(store, -1)
    middle = _with_links(
        store,
        _post(store, 10),
        Link(LinkKind.NEWER, newest.url, newest.title),
        Link(LinkKind.OLDER, oldest.url, oldest.title),
        Link(LinkKind.READ_NEXT, oldest.url, oldest.title),
    )
    assert _opened(navigator.newer(middle)).id == newest.id
    assert _opened(navigator.older(middle)).id == oldest.id
    assert _opened(navigator.read_next(middle)).id == oldest.id


def test_without_post_navigation_newer_and_older_go_by_date(
    navigator: Navigator, store: Store
) -> None:
    by_date = store.posts_in()  # newest first
    post = _post(store, 5)
    assert _opened(navigator.newer(post)).id == by_date[4].id
    assert _opened(navigator.older(post)).id == by_date[6].id
    assert navigator.newer(_post(store, 0)) == Refused("This is the newest post.")
    assert navigator.older(_post(store, -1)) == Refused("This is the oldest post.")
    assert navigator.read_next(post) == Refused("This post has no “read this next”.")
    for rule in (navigator.newer, navigator.older, navigator.read_next):
        assert rule(None) == Refused("Open a post first.")


def test_by_date_is_where_n_and_p_go_and_what_the_header_names(
    navigator: Navigator, store: Store
) -> None:
    # One rule for both: the header named the posts by date from a rule of the screen's own,
    # which could drift from where n and p went.
    in_order = store.posts_in()  # newest first
    unread = _post(store, 5)
    near = navigator.by_date(unread)
    assert (near.newer, near.older) == (in_order[4], in_order[6])
    # Before the page is read, n and p go by date, but the header names nothing yet.
    assert not near.settled and near.links() == ()
    assert _opened(navigator.newer(unread, near)).id == in_order[4].id
    # The page read and without post navigation: both named, newer first, as links.
    read = _with_links(store, unread)
    near = navigator.by_date(read)
    assert near.settled
    assert near.links() == (
        Link(LinkKind.NEWER, in_order[4].url, in_order[4].title),
        Link(LinkKind.OLDER, in_order[6].url, in_order[6].title),
    )
    # n and p go where it says, even where the store has moved on since it was read.
    elsewhere = ByDate(newer=in_order[0], older=in_order[-1], settled=True)
    assert _opened(navigator.newer(read, elsewhere)).id == in_order[0].id
    assert _opened(navigator.older(read, elsewhere)).id == in_order[-1].id
    assert navigator.older(read, ByDate(newer=in_order[0])) == Refused("This is the oldest post.")
    # A link of the page's own of one kind: only the other goes by date.
    newest = _post(store, 0)
    half = _with_links(store, _post(store, 7), Link(LinkKind.NEWER, newest.url, newest.title))
    near = navigator.by_date(half)
    assert near.newer is None and near.older == in_order[8]
    assert near.links() == (Link(LinkKind.OLDER, in_order[8].url, in_order[8].title),)
    # The ends of the site.
    assert navigator.by_date(_post(store, 0)).newer is None
    assert navigator.by_date(_post(store, -1)).older is None
    # A feed's post has no page to read: settled from the start.
    feed = Navigator(store, Source.feed("/nowhere/feed.xml"))
    assert feed.by_date(_post(store, 5)).settled


# What the status line holds at 80 columns beside "updated 12 min ago" (each with its padding).
_STATUS_ROOM_AT_80 = 80 - len(" updated 12 min ago ") - 2


def test_a_read_page_without_post_navigation_says_so_in_a_line_that_fits(
    navigator: Navigator, store: Store
) -> None:
    # Twenty Twenty-Three's pages have none: the note used to be cut at 80 columns, and at
    # 60 what was left of it did not say where n went.
    post = _with_links(store, _post(store, 5))
    assert post.page_fetched
    for rule, word in ((navigator.newer, "Newer"), (navigator.older, "Older")):
        move = rule(post)
        assert isinstance(move, OpenPost)
        assert move.note.startswith(f"{word} post by date"), move.note
        assert "no post navigation" in move.note
        assert len(move.note) <= _STATUS_ROOM_AT_80, move.note


def test_a_topic_in_the_post_navigation_is_followed_like_any_link(
    navigator: Navigator, store: Store, sample_site: str
) -> None:
    post = _with_links(store, _post(store, 1), Link(LinkKind.NEWER, "https://example.com/x"))
    assert navigator.newer(post) == OpenOutside("https://example.com/x")
    post = _with_links(store, post, Link(LinkKind.OLDER, f"{sample_site}category/kidney/"))
    assert isinstance(navigator.older(post), OpenGroup)


def test_topics_are_the_posts_lists_in_the_headers_order_each_with_its_kind(
    navigator: Navigator, store: Store, sample_site: str
) -> None:
    post = _post(store, 3)
    assert post.sections and post.tags
    known = {s.name: s for s in store.sections(include_tags=True)}
    header = (*post.sections, *post.tags)  # as the article's header names them
    expected = [PostTopic(known[n].kind, n, ListOf(known[n].slug)) for n in header]
    assert navigator.topics(post) == expected
    assert [t.kind for t in expected] == sorted(
        (t.kind for t in expected),
        key=[SectionKind.SECTION, SectionKind.TOPIC, SectionKind.TAG].index,
    )
    assert {t.kind for t in expected} >= {SectionKind.SECTION, SectionKind.TAG}
    # The page's "Read more about" links, in the page's own order (a tag, then a topic, then
    # the section): a trial's picker said "Kidney, News, ..." beside a header saying
    # "News · Kidney". The header's order stands; a link the post's names lack comes last.
    tag = next(t for t in expected if t.kind is SectionKind.TAG)
    elsewhere = f"{sample_site}tag/not-stored/"
    linked = _with_links(
        store,
        post,
        Link(LinkKind.TOPIC, f"{sample_site}tag/{known[tag.name].slug}/", tag.name),
        *(
            Link(LinkKind.TOPIC, f"{sample_site}category/{known[n].slug}/", n)
            for n in reversed(post.sections)
        ),
        Link(LinkKind.TOPIC, elsewhere, "not stored"),
    )
    assert navigator.topics(linked) == [
        *expected,
        PostTopic(SectionKind.TAG, "not stored", LinkTo(elsewhere)),
    ]
    # A name the store has no list of opens by its link.
    kidney = f"{sample_site}category/kidney/"
    unknown = replace(
        linked,
        sections=("Nephrology",),
        tags=(),
        links=(Link(LinkKind.TOPIC, kidney, "Nephrology"),),
    )
    assert navigator.topics(unknown) == [PostTopic(SectionKind.TOPIC, "Nephrology", LinkTo(kidney))]
    assert navigator.topics(replace(post, sections=(), tags=("no such tag",))) == []


# -- lists ---------------------------------------------------------------------------------------


def test_previous_and_next_in_the_list_it_was_opened_from(
    navigator: Navigator, store: Store
) -> None:
    news = store.posts_in("news")
    post = _post(store, 1, "news")
    assert _opened(navigator.in_list(post, "news", +1)).id == news[2].id
    assert _opened(navigator.in_list(post, "news", -1)).id == news[0].id
    assert navigator.in_list(_post(store, 0, "news"), "news", -1) == Refused("End of the list.")
    assert navigator.in_list(_post(store, -1, "news"), "news", +1) == Refused("End of the list.")
    assert navigator.in_list(None, "news", +1) == Refused("Open a post from a list first.")
    everything = store.posts_in()
    assert _opened(navigator.in_list(_post(store, 0), Shelf.ALL_POSTS, +1)).id == everything[1].id


def test_a_post_opened_from_outside_a_list_steps_through_its_own_section(
    navigator: Navigator, store: Store
) -> None:
    news = store.posts_in("news")
    videos = store.posts_in("videos")
    post = _post(store, 1, "news")
    # Opened with 'reader open', a link or a search: no list, or another list.
    assert _opened(navigator.in_list(post, None, +1)).id == news[2].id
    video = store.post(videos[1].id)
    assert video is not None and video.sections[0] == "Videos"
    assert _opened(navigator.in_list(video, "news", +1)).id == videos[2].id
    assert _opened(navigator.in_list(video, None, -1)).id == videos[0].id
    homeless = replace(video, sections=())
    assert navigator.in_list(homeless, "news", +1) == Refused(
        "This post is in no list to step through."
    )


def test_bookmarks_list_newest_bookmark_first_and_step_through_snapshots(
    navigator: Navigator, store: Store
) -> None:
    first, second, third = (_post(store, i) for i in (7, 3, 5))
    for post in (first, second, third):
        store.add_bookmark(post)
    listed = navigator.posts_of(Shelf.BOOKMARKS)
    assert {p.url for p in listed} == {first.url, second.url, third.url}
    assert all(p.bookmarked and p.read for p in listed)
    # A bookmarked post the store let go still steps, by its snapshot.
    gone = listed[1]
    store.remove_post(gone.id)
    start = store.post(listed[0].id)
    move = navigator.in_list(start, Shelf.BOOKMARKS, +1)
    assert isinstance(move, OpenPost)
    assert move.post.url == gone.url and move.note == BOOKMARK_NOTE
    assert navigator.posts_of("news") == store.posts_in("news")
    assert navigator.posts_of(Shelf.ALL_POSTS) == store.posts_in()


def test_next_unread_is_the_newest_unread_of_the_list_then_of_the_store(
    navigator: Navigator, store: Store
) -> None:
    news = store.posts_in("news")
    current = _post(store, 0, "news")
    assert _opened(navigator.next_unread(current, "news")).id == news[1].id
    for summary in news:
        store.set_read(summary.id)
    elsewhere = next(p for p in store.posts_in() if not p.read)
    assert _opened(navigator.next_unread(current, "news")).id == elsewhere.id
    # Shelves and no list at all mean the whole store.
    assert _opened(navigator.next_unread(None, Shelf.BOOKMARKS)).id == elsewhere.id
    assert _opened(navigator.next_unread(None, None)).id == elsewhere.id
    store.mark_all_read()
    assert navigator.next_unread(current, "news") == Refused("No unread posts.")


def test_next_unread_is_the_next_after_the_post_then_wraps_to_the_top(
    navigator: Navigator, store: Store
) -> None:
    # As newsboat's n: a trial's u from the third post went back up to the first unread.
    news = store.posts_in("news")
    assert len(news) >= 5
    current = _post(store, 2, "news")
    assert _opened(navigator.next_unread(current, "news")).id == news[3].id
    store.set_read(news[3].id)
    assert _opened(navigator.next_unread(current, "news", shown=news)).id == news[4].id
    for summary in news[3:]:
        store.set_read(summary.id)
    assert _opened(navigator.next_unread(current, "news")).id == news[0].id
    store.set_read(news[0].id)
    assert _opened(navigator.next_unread(current, "news")).id == news[1].id


def test_shelves_stand_for_every_post_and_never_for_a_category() -> None:
    assert category_of("news") == "news"
    assert category_of(Shelf.BOOKMARKS) is None
    assert category_of(Shelf.ALL_POSTS) is None
    assert category_of(None) is None
    # A site may name a category after a shelf: it is still that category.
    assert category_of("bookmarks") == "bookmarks" and Shelf.BOOKMARKS != "bookmarks"


# -- back and forward -------------------------------------------------------------------------


def test_back_and_forward_return_where_the_reader_was(navigator: Navigator, store: Store) -> None:
    a, b, c = (_post(store, i) for i in (0, 1, 2))
    navigator.visit(a.url)
    navigator.visit(b.url, leaving_at=12.0)
    navigator.visit(c.url, leaving_at=30.0)
    back = navigator.through_history(HistoryStep.BACK, leaving_at=5.0)
    assert back == OpenPost(b, scroll_y=30.0, remember=False)
    back = navigator.through_history(HistoryStep.BACK, leaving_at=31.0)
    assert back == OpenPost(a, scroll_y=12.0, remember=False)
    assert navigator.through_history(HistoryStep.BACK) == Refused("Nothing further back.")
    forward = navigator.through_history(HistoryStep.FORWARD, leaving_at=2.0)
    assert forward == OpenPost(b, scroll_y=31.0, remember=False)
    forward = navigator.through_history(HistoryStep.FORWARD)
    assert forward == OpenPost(c, scroll_y=5.0, remember=False)
    assert navigator.through_history(HistoryStep.FORWARD) == Refused("Nothing ahead.")
    # A new visit after going back drops what was ahead, as in a browser.
    navigator.through_history(HistoryStep.BACK)
    navigator.visit(_post(store, 9).url)
    assert navigator.through_history(HistoryStep.FORWARD) == Refused("Nothing ahead.")


def test_history_opens_a_bookmark_of_a_post_that_left_and_refuses_one_that_is_gone(
    navigator: Navigator, store: Store
) -> None:
    kept, gone, here = (_post(store, i) for i in (0, 1, 2))
    store.add_bookmark(kept)
    navigator.visit(kept.url)
    navigator.visit(gone.url)
    navigator.visit(here.url)
    store.remove_post(kept.id)
    store.remove_post(gone.id)
    assert navigator.through_history(HistoryStep.BACK) == Refused(
        f"{gone.url} is no longer stored.", error=True
    )
    snapshot = _opened(navigator.through_history(HistoryStep.BACK))
    assert snapshot.url == kept.url and snapshot.content == kept.content


# -- picked targets ------------------------------------------------------------------------------


def test_targets_picked_in_the_sidebar_pickers_and_palette(
    navigator: Navigator, store: Store, sample_site: str
) -> None:
    post = _post(store, 4)
    assert _opened(navigator.go_to(StoredPost(post.id))).id == post.id
    assert _opened(navigator.go_to(PostAt(post.url))).id == post.id
    assert _opened(navigator.go_to(LinkTo(post.url))).id == post.id
    assert navigator.go_to(LinkTo("https://example.com/")) == OpenOutside("https://example.com/")
    news = store.section("news")
    assert news is not None
    assert navigator.go_to(ListOf("news")) == OpenGroup("news", news.name, news.count)
    assert navigator.go_to(ListOf("no-such-list")) == Refused(
        "No stored posts in no-such-list.", error=True
    )
    store.remove_post(post.id)
    assert navigator.go_to(StoredPost(post.id)) == Refused(
        "That post is no longer in the store.", error=True
    )
    assert navigator.go_to(PostAt(post.url)) == FetchThenOpen(post.url)


def test_opening_a_post_marks_it_read_and_asks_for_its_page_once(
    navigator: Navigator, store: Store
) -> None:
    post = _post(store, 0)
    move = navigator.open(post)
    assert move.mark_read and move.fetch_page(navigator.source)
    store.save_page(post.id, content=None, links=[])
    read = replace(store.post(post.id), read=True)  # type: ignore[type-var]
    again = navigator.open(read)
    assert not again.mark_read and not again.fetch_page(navigator.source)
    # A feed has no pages to read.
    unread = navigator.open(post)
    assert not unread.fetch_page(Source.feed("https://example.org/feed.xml"))


# -- typing link numbers ---------------------------------------------------------------------


def test_typed_link_numbers_follow_at_once_unless_a_longer_one_could_be_meant() -> None:
    assert typed_link("3", 5) == FollowNumber(3)
    assert typed_link("9", 9) == FollowNumber(9)
    assert typed_link("1", 15) == WaitForDigit(1)
    assert typed_link("12", 15) == FollowNumber(12)
    assert typed_link("2", 15) == FollowNumber(2)
    assert typed_link("1", 10) == WaitForDigit(1)
    assert typed_link("10", 10) == FollowNumber(10)
    assert typed_link("0", 5) == Refused("No link 0: this article has 5.", error=True)
    assert typed_link("16", 15) == Refused("No link 16: this article has 15.", error=True)
    assert typed_link("1", 0) == Refused("No link 1: this article has 0.", error=True)


def test_newer_from_the_oldest_walks_every_post_by_the_pages_post_navigation(
    site_store: Store, read_site: ReadSite
) -> None:
    # On a theme without post navigation (Twenty Twenty-Three) the same walk goes by date.
    store, sample_site = site_store, read_site.url

    # Each page read as opening it would: its "Post navigation" is what n and p follow.
    async def read_pages(fetcher: Fetcher) -> None:
        for summary in store.posts_in():
            post = store.post(summary.id)
            assert post is not None
            await complete_post(store, fetcher, post)

    with_fetcher(read_pages)
    navigator = Navigator(store, Source.site(sample_site))
    in_order = [p.id for p in reversed(store.posts_in())]
    post = store.post(in_order[0])
    visited = []
    while post is not None:
        has_newer = post.link(LinkKind.NEWER) is not None
        assert has_newer is (read_site.has_post_navigation and post.id != in_order[-1]), post.url
        visited.append(post.id)
        move = navigator.newer(post)
        post = move.post if isinstance(move, OpenPost) else None
    assert visited == in_order
    assert move == Refused("This is the newest post.")
    back = []
    post = store.post(in_order[-1])
    while post is not None:
        back.append(post.id)
        move = navigator.older(post)
        post = move.post if isinstance(move, OpenPost) else None
    assert back == list(reversed(in_order))


def test_updated_is_the_last_refresh_of_the_sources_read(tmp_path: Path) -> None:
    store = Store(tmp_path / "two.db")
    fresh, stale = Source.site("https://fresh.example.org/"), Source.feed("https://x.test/rss")
    kept = Source.site("https://kept.example.org/")  # in the store, not read
    for source in (fresh, stale, kept):
        store.add_source(source)
    both = Navigator(store, fresh, sources=(fresh, stale))
    assert both.last_updated() is None
    store.mark_synced(1_000_000, source=stale)
    store.mark_synced(2_000_000, source=fresh)
    store.mark_synced(3_000_000, source=kept)
    # When the last refresh read something: a source failing since (stale) does not hold it
    # back (the status line counts the failures beside it); one not read does not count.
    assert store.last_synced() == 3_000_000
    assert both.last_updated() == 2_000_000
    assert Navigator(store, stale).last_updated() == 1_000_000
    store.close()


def test_a_hostile_term_id_is_any_other_address(navigator: Navigator, sample_site: str) -> None:
    # A post on the site itself linking ?cat=99...9: 5,000 digits raised ValueError out of
    # follow (and 20 digits OverflowError from SQLite); now it is an address of the site.
    for digits in ("9" * 5000, "9" * 20):
        url = f"{sample_site.rstrip('/')}/?cat={digits}"
        assert navigator.follow(url) == FetchThenOpen(url)
